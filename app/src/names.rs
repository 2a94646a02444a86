//! Names of places, in Russian and, where known, in Kazakh: villages and districts carry
//! them, and so does the reference data a device keeps for its forms (DESIGN §2).
use crate::i18n::Locale;
use serde::{Deserialize, Serialize};

/// A place name in Russian and, where known, in Kazakh.
///
/// Many Kazakh forms of the program's village names were not found in any source, so the
/// Kazakh name is optional and the Russian one stands in for it (and for English).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalizedName {
    pub ru: String,
    pub kk: Option<String>,
}

impl LocalizedName {
    pub fn pick(&self, locale: Locale) -> &str {
        match (locale, &self.kk) {
            (Locale::kk, Some(kk)) => kk,
            _ => &self.ru,
        }
    }
}
