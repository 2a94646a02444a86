//! A visit's kind in the person's language (pages, the map, a person's history).
use crate::i18n::*;
use crate::ui::I18nContext;

pub fn kind_label(i18n: I18nContext, code: &str) -> String {
    let text = match code {
        "visit" => t_string!(i18n, visit.kind_visit),
        "preventive_talk" => t_string!(i18n, visit.kind_preventive_talk),
        other => return other.to_owned(),
    };
    text.to_owned()
}
