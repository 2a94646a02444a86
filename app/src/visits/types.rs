//! Visits and preventive talks (DESIGN §2): what travels, and the rules.
use crate::fields::{
    choice, invalid, optional_id, optional_text, past_date, point, village, LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

pub const KINDS: &[&str] = &["visit", "preventive_talk"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Visit {
    pub id: String,
    pub village_id: String,
    pub person_id: Option<String>,
    pub household: Option<String>,
    pub kind: String,
    pub visited_on: String,
    pub outcome: Option<String>,
    pub note: Option<String>,
    /// Where it took place, when the device knew (WGS 84 degrees).
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    pub version: i64,
    pub updated_at: String,
}

/// A new visit (payload of a `create`). It concerns a person of attention, a household
/// (an address), or both.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct NewVisit {
    pub village_id: String,
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub household: Option<String>,
    pub kind: String,
    pub visited_on: String,
    #[serde(default)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

impl NewVisit {
    pub fn checked(&self, today: &str) -> Result<NewVisit, Reason> {
        let village_id = village(&self.village_id)?;
        let person_id = optional_id(self.person_id.as_deref());
        let household = optional_text("household", self.household.as_deref(), SHORT_TEXT_MAX)?;
        if person_id.is_none() && household.is_none() {
            return Err(invalid("person_id", FieldRule::Required));
        }
        let position = point(self.lat, self.lon)?;
        Ok(NewVisit {
            village_id,
            person_id,
            household,
            kind: choice("kind", &self.kind, KINDS)?,
            visited_on: past_date("visited_on", &self.visited_on, today)?,
            outcome: optional_text("outcome", self.outcome.as_deref(), LONG_TEXT_MAX)?,
            note: optional_text("note", self.note.as_deref(), LONG_TEXT_MAX)?,
            lat: position.map(|p| p.0),
            lon: position.map(|p| p.1),
        })
    }

    pub fn shown(&self, id: &str, version: i64) -> Visit {
        Visit {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            person_id: self.person_id.clone(),
            household: self.household.clone(),
            kind: self.kind.clone(),
            visited_on: self.visited_on.clone(),
            outcome: self.outcome.clone(),
            note: self.note.clone(),
            lat: self.lat,
            lon: self.lon,
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Visit> for NewVisit {
    fn from(visit: &Visit) -> Self {
        NewVisit {
            village_id: visit.village_id.clone(),
            person_id: visit.person_id.clone(),
            household: visit.household.clone(),
            kind: visit.kind.clone(),
            visited_on: visit.visited_on.get(..10).unwrap_or_default().to_owned(),
            outcome: visit.outcome.clone(),
            note: visit.note.clone(),
            lat: visit.lat,
            lon: visit.lon,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_concerns_a_person_or_a_household() {
        let visit = NewVisit {
            village_id: "v".into(),
            person_id: Some(" ".into()),
            household: None,
            kind: "preventive_talk".into(),
            visited_on: "2026-11-24".into(),
            ..NewVisit::default()
        };
        assert_eq!(
            visit.checked("2026-11-25"),
            Err(invalid("person_id", FieldRule::Required))
        );
        let at_address = NewVisit {
            household: Some("Абай көшесі, 12".into()),
            ..visit.clone()
        };
        assert_eq!(at_address.checked("2026-11-25").unwrap().person_id, None);
        let placed = NewVisit {
            lat: Some(51.8),
            lon: Some(68.36),
            ..at_address.clone()
        };
        assert!(placed.checked("2026-11-25").is_ok());
        let half = NewVisit {
            lon: None,
            ..placed.clone()
        };
        assert_eq!(
            half.checked("2026-11-25"),
            Err(invalid("position", FieldRule::Required))
        );
        let off_globe = NewVisit {
            lat: Some(91.0),
            ..placed
        };
        assert!(off_globe.checked("2026-11-25").is_err());
        let tomorrow_plus = NewVisit {
            visited_on: "2026-11-30".into(),
            ..at_address
        };
        assert_eq!(
            tomorrow_plus.checked("2026-11-25"),
            Err(invalid("visited_on", FieldRule::InFuture))
        );
    }
}
