//! Offences (DESIGN §2): what travels, and the rules a new or corrected record must meet.
use crate::fields::{
    choice, invalid, optional_text, past_date, point, village, LONG_TEXT_MAX, SHORT_TEXT_MAX,
};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

pub const CATEGORIES: &[&str] = &[
    "domestic",
    "public_order",
    "theft",
    "cattle_theft",
    "internet_fraud",
    "alcohol",
    "grazing",
    "traffic",
    "other",
];

pub const KINDS: &[&str] = &["administrative", "criminal"];

/// More people than one offence plausibly involves; keeps a broken client from sending
/// thousands of links.
pub const PERSONS_MAX: usize = 20;

/// An offence as devices cache and show it. Whether it is a repeat is not stored: it follows
/// from the other offences of the same persons (`repeat::repeat_ids`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Offence {
    pub id: String,
    pub village_id: String,
    /// YYYY-MM-DD (older records may carry a time after the date).
    pub occurred_on: String,
    pub category: String,
    pub kind: String,
    pub description: Option<String>,
    pub register_number: Option<String>,
    /// Ids of the persons of attention involved (a table of their own in the database).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub persons: Vec<String>,
    /// Where it happened, when placed on the map or taken from GPS (WGS 84 degrees).
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    pub version: i64,
    pub updated_at: String,
}

/// A new offence, or the corrected whole of one (payload of `create` and `update`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewOffence {
    pub village_id: String,
    pub occurred_on: String,
    pub category: String,
    pub kind: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub register_number: Option<String>,
    #[serde(default)]
    pub persons: Vec<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

impl NewOffence {
    /// The offence as it will be stored, or the first rule it breaks. `today` is the
    /// device's or the server's date: an offence cannot have happened tomorrow.
    pub fn checked(&self, today: &str) -> Result<NewOffence, Reason> {
        let village_id = village(&self.village_id)?;
        let mut persons: Vec<String> = Vec::new();
        for person in self
            .persons
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
        {
            if !persons.iter().any(|known| known == person) {
                persons.push(person.to_owned());
            }
        }
        if persons.len() > PERSONS_MAX {
            return Err(invalid(
                "persons",
                FieldRule::OutOfRange {
                    min: 0,
                    max: PERSONS_MAX as i64,
                },
            ));
        }
        let position = point(self.lat, self.lon)?;
        Ok(NewOffence {
            village_id,
            lat: position.map(|p| p.0),
            lon: position.map(|p| p.1),
            occurred_on: past_date("occurred_on", &self.occurred_on, today)?,
            category: choice("category", &self.category, CATEGORIES)?,
            kind: choice("kind", &self.kind, KINDS)?,
            description: optional_text("description", self.description.as_deref(), LONG_TEXT_MAX)?,
            register_number: optional_text(
                "register_number",
                self.register_number.as_deref(),
                SHORT_TEXT_MAX,
            )?,
            persons,
        })
    }

    /// The record as the device shows it until the server's copy arrives.
    pub fn shown(&self, id: &str, version: i64) -> Offence {
        Offence {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            occurred_on: self.occurred_on.clone(),
            category: self.category.clone(),
            kind: self.kind.clone(),
            description: self.description.clone(),
            register_number: self.register_number.clone(),
            persons: self.persons.clone(),
            lat: self.lat,
            lon: self.lon,
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Offence> for NewOffence {
    fn from(offence: &Offence) -> Self {
        NewOffence {
            village_id: offence.village_id.clone(),
            occurred_on: offence.occurred_on.get(..10).unwrap_or_default().to_owned(),
            category: offence.category.clone(),
            kind: offence.kind.clone(),
            description: offence.description.clone(),
            register_number: offence.register_number.clone(),
            persons: offence.persons.clone(),
            lat: offence.lat,
            lon: offence.lon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offence() -> NewOffence {
        NewOffence {
            village_id: "v".into(),
            occurred_on: "2026-11-20".into(),
            category: "cattle_theft".into(),
            kind: "criminal".into(),
            description: Some("Жылқы ұрланды 🐎".into()),
            register_number: None,
            persons: vec!["p1".into(), " p1 ".into(), "p2".into()],
            lat: Some(51.81),
            lon: Some(68.36),
        }
    }

    #[test]
    fn an_offence_has_a_past_date_a_category_and_a_kind() {
        let checked = offence().checked("2026-11-25").unwrap();
        assert_eq!(checked.persons, vec!["p1".to_owned(), "p2".to_owned()]);
        assert_eq!((checked.lat, checked.lon), (Some(51.81), Some(68.36)));
        // The same point rule as visits: both coordinates or none.
        let half = NewOffence {
            lon: None,
            ..offence()
        };
        assert_eq!(
            half.checked("2026-11-25"),
            Err(invalid("position", FieldRule::Required))
        );
        let future = NewOffence {
            occurred_on: "2026-12-01".into(),
            ..offence()
        };
        assert_eq!(
            future.checked("2026-11-25"),
            Err(invalid("occurred_on", FieldRule::InFuture))
        );
        let no_kind = NewOffence {
            kind: String::new(),
            ..offence()
        };
        assert_eq!(
            no_kind.checked("2026-11-25"),
            Err(invalid("kind", FieldRule::Required))
        );
        let odd = NewOffence {
            category: "murder".into(),
            ..offence()
        };
        assert_eq!(
            odd.checked("2026-11-25"),
            Err(invalid("category", FieldRule::UnknownChoice))
        );
    }

    #[test]
    fn a_description_may_be_long_but_not_endless() {
        let long = NewOffence {
            description: Some("ә".repeat(LONG_TEXT_MAX)),
            ..offence()
        };
        assert!(long.checked("2026-11-25").is_ok());
        let too_long = NewOffence {
            description: Some("ә".repeat(LONG_TEXT_MAX + 1)),
            ..offence()
        };
        assert_eq!(
            too_long.checked("2026-11-25"),
            Err(invalid(
                "description",
                FieldRule::TooLong { max: LONG_TEXT_MAX }
            ))
        );
    }
}
