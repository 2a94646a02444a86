use crate::i18n::*;
use serde::{Deserialize, Serialize};

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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonHistory {
    pub visits: Vec<crate::visits::Visit>,
    pub offences: Vec<(crate::offences::Offence, bool)>,
    pub tasks: Vec<crate::tasks::Task>,
}
