//! Requests the server refuses before any page or function sees them, with the message the
//! person gets in their language.
use crate::i18n::{td_string, Locale};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// A write that a browser sent from another site (CSRF).
    CrossSite,
    /// A request body over the limit.
    TooLarge { limit_kb: usize },
    /// An API address opened in the address bar, or a sync request without the app's header.
    AppOnly,
}

impl Refusal {
    /// A stable code for programs reading the answer.
    pub fn code(self) -> &'static str {
        match self {
            Self::CrossSite => "cross_site_request",
            Self::TooLarge { .. } => "payload_too_large",
            Self::AppOnly => "app_only",
        }
    }

    pub fn message(self, locale: Locale) -> String {
        match self {
            Self::CrossSite => td_string!(locale, errors.cross_site).to_string(),
            Self::AppOnly => td_string!(locale, errors.app_only).to_string(),
            Self::TooLarge { limit_kb } => {
                td_string!(locale, errors.too_large, limit = limit_kb).to_string()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refusals_are_explained_in_each_language() {
        let too_large = Refusal::TooLarge { limit_kb: 256 };
        assert!(too_large.message(Locale::ru).contains("256 КБ"));
        assert!(too_large.message(Locale::kk).contains("256 КБ"));
        assert!(too_large.message(Locale::en).contains("256 KB"));
        assert_ne!(
            Refusal::CrossSite.message(Locale::ru),
            Refusal::CrossSite.message(Locale::kk)
        );
    }
}
