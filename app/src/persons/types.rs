use crate::fields::{
    choice, invalid, optional_id, optional_text, range, required_text, village, LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
};
use crate::i18n::*;
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

/// Categories of DESIGN §2; several may apply.
pub const CATEGORIES: &[&str] = &[
    "public_order_violator",
    "domestic_offences",
    "low_income",
    "minor",
    "conscription_age",
    "preventive_register",
];

/// The legal bases of the preventive register (DESIGN §2).
pub const REGISTER_BASES: &[&str] = &[
    "protective_order",
    "special_requirements",
    "parole",
    "administrative_supervision",
    "official_warning",
    "non_custodial_sentence",
    "unexpunged_conviction",
];

/// A person's file is open while the inspector works with them, then closed (never deleted).
pub const STATUSES: &[&str] = &["active", "closed"];

/// A person of attention as the list and the detail page show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: String,
    pub village_id: String,
    pub village_name: String,
    pub full_name: String,
    pub birth_year: Option<i64>,
    pub household: Option<String>,
    /// Category codes (several may apply).
    pub categories: Vec<String>,
    pub register_basis: Option<String>,
    pub status: String,
    pub note: Option<String>,
    pub demo: bool,
    /// Absent in records cached before issue 5.
    #[serde(default)]
    pub version: i64,
}

/// A new person of attention, or the whole of one corrected (payload of `create`/`update`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPerson {
    pub village_id: String,
    pub full_name: String,
    #[serde(default)]
    pub birth_year: Option<i64>,
    #[serde(default)]
    pub household: Option<String>,
    #[serde(default)]
    pub categories: Vec<String>,
    #[serde(default)]
    pub register_basis: Option<String>,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: Option<String>,
}

impl NewPerson {
    /// The person as stored, or the first rule broken. `today` (the device's or the server's
    /// date) bounds the birth year. A
    /// register basis puts the person on the preventive register, and being on it needs one.
    pub fn checked(&self, today: &str) -> Result<NewPerson, Reason> {
        let this_year = today.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2100);
        let village_id = village(&self.village_id)?;
        let register_basis = match optional_id(self.register_basis.as_deref()) {
            Some(basis) => Some(choice("register_basis", &basis, REGISTER_BASES)?),
            None => None,
        };
        let mut categories: Vec<String> = Vec::new();
        for category in &self.categories {
            let category = choice("categories", category.trim(), CATEGORIES)?;
            if !categories.contains(&category) {
                categories.push(category);
            }
        }
        let on_register = categories.iter().any(|c| c == "preventive_register");
        match (&register_basis, on_register) {
            (None, true) => return Err(invalid("register_basis", FieldRule::Required)),
            (Some(_), false) => categories.push("preventive_register".into()),
            _ => {}
        }
        let status = if self.status.trim().is_empty() {
            "active".to_owned()
        } else {
            choice("status", &self.status, STATUSES)?
        };
        Ok(NewPerson {
            village_id,
            full_name: required_text("full_name", &self.full_name, SHORT_TEXT_MAX)?,
            birth_year: match self.birth_year {
                Some(year) => Some(range("birth_year", year, 1900, this_year)?),
                None => None,
            },
            household: optional_text("household", self.household.as_deref(), SHORT_TEXT_MAX)?,
            categories,
            register_basis,
            status,
            note: optional_text("note", self.note.as_deref(), LONG_TEXT_MAX)?,
        })
    }
}

impl From<&Person> for NewPerson {
    fn from(person: &Person) -> Self {
        NewPerson {
            village_id: person.village_id.clone(),
            full_name: person.full_name.clone(),
            birth_year: person.birth_year,
            household: person.household.clone(),
            categories: person.categories.clone(),
            register_basis: person.register_basis.clone(),
            status: person.status.clone(),
            note: person.note.clone(),
        }
    }
}

/// The name of a register basis in the person's language.
pub fn basis_label(code: &str, locale: Locale) -> String {
    match code {
        "protective_order" => td_string!(locale, person.basis_protective_order).to_string(),
        "special_requirements" => td_string!(locale, person.basis_special_requirements).to_string(),
        "parole" => td_string!(locale, person.basis_parole).to_string(),
        "administrative_supervision" => {
            td_string!(locale, person.basis_administrative_supervision).to_string()
        }
        "official_warning" => td_string!(locale, person.basis_official_warning).to_string(),
        "non_custodial_sentence" => {
            td_string!(locale, person.basis_non_custodial_sentence).to_string()
        }
        "unexpunged_conviction" => {
            td_string!(locale, person.basis_unexpunged_conviction).to_string()
        }
        other => other.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person() -> NewPerson {
        NewPerson {
            village_id: "v".into(),
            full_name: "Сейтқали Әлібек".into(),
            birth_year: Some(1990),
            categories: vec!["minor".into(), "minor".into()],
            ..NewPerson::default()
        }
    }

    #[test]
    fn the_preventive_register_goes_with_its_legal_basis() {
        let checked = person().checked("2026-11-25").unwrap();
        assert_eq!(checked.categories, vec!["minor".to_owned()]);
        assert_eq!(checked.status, "active");
        let no_basis = NewPerson {
            categories: vec!["preventive_register".into()],
            ..person()
        };
        assert_eq!(
            no_basis.checked("2026-11-25"),
            Err(invalid("register_basis", FieldRule::Required))
        );
        let basis_only = NewPerson {
            register_basis: Some("parole".into()),
            ..person()
        };
        assert!(basis_only
            .checked("2026-11-25")
            .unwrap()
            .categories
            .contains(&"preventive_register".to_owned()));
    }

    #[test]
    fn a_person_has_a_name_a_plausible_birth_year_and_known_codes() {
        let unnamed = NewPerson {
            full_name: " ".into(),
            ..person()
        };
        assert_eq!(
            unnamed.checked("2026-11-25"),
            Err(invalid("full_name", FieldRule::Required))
        );
        let unborn = NewPerson {
            birth_year: Some(2030),
            ..person()
        };
        assert_eq!(
            unborn.checked("2026-11-25"),
            Err(invalid(
                "birth_year",
                FieldRule::OutOfRange {
                    min: 1900,
                    max: 2026
                }
            ))
        );
        let odd = NewPerson {
            categories: vec!["suspect".into()],
            ..person()
        };
        assert_eq!(
            odd.checked("2026-11-25"),
            Err(invalid("categories", FieldRule::UnknownChoice))
        );
        let closed = NewPerson {
            status: "archived".into(),
            ..person()
        };
        assert_eq!(
            closed.checked("2026-11-25"),
            Err(invalid("status", FieldRule::UnknownChoice))
        );
    }
}

/// The name of a category code in the person's language (the code itself if unknown).
pub fn category_label(code: &str, locale: Locale) -> String {
    match code {
        "public_order_violator" => td_string!(locale, person.category_violator).to_string(),
        "domestic_offences" => td_string!(locale, person.category_domestic).to_string(),
        "low_income" => td_string!(locale, person.category_low_income).to_string(),
        "minor" => td_string!(locale, person.category_minor).to_string(),
        "conscription_age" => td_string!(locale, person.category_conscription).to_string(),
        "preventive_register" => td_string!(locale, person.category_register).to_string(),
        other => other.to_owned(),
    }
}

/// A person's history (DESIGN §2): visits and talks, offences (with whether each was a
/// repeat for this person) and tasks about them, newest first. Parts the reader's role may
/// not list stay empty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PersonHistory {
    pub visits: Vec<crate::visits::Visit>,
    pub offences: Vec<(crate::offences::Offence, bool)>,
    pub tasks: Vec<crate::tasks::Task>,
}
