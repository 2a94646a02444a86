//! An offence's category and kind in the person's language (pages, the map, exports).
use crate::i18n::*;
use crate::ui::I18nContext;

pub fn category_label(i18n: I18nContext, code: &str) -> String {
    category_code_label(i18n.get_locale(), code)
}

/// A category's name in `locale`, where no reactive context is at hand (exports).
pub fn category_code_label(locale: Locale, code: &str) -> String {
    let text = match code {
        "domestic" => td_string!(locale, offence.category_domestic),
        "public_order" => td_string!(locale, offence.category_public_order),
        "theft" => td_string!(locale, offence.category_theft),
        "cattle_theft" => td_string!(locale, offence.category_cattle_theft),
        "internet_fraud" => td_string!(locale, offence.category_internet_fraud),
        "alcohol" => td_string!(locale, offence.category_alcohol),
        "grazing" => td_string!(locale, offence.category_grazing),
        "traffic" => td_string!(locale, offence.category_traffic),
        "other" => td_string!(locale, offence.category_other),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn kind_label(i18n: I18nContext, code: &str) -> String {
    kind_code_label(i18n.get_locale(), code)
}

/// A kind's name in `locale`, where no reactive context is at hand (exports).
pub fn kind_code_label(locale: Locale, code: &str) -> String {
    let text = match code {
        "administrative" => td_string!(locale, offence.kind_administrative),
        "criminal" => td_string!(locale, offence.kind_criminal),
        other => return other.to_owned(),
    };
    text.to_owned()
}
