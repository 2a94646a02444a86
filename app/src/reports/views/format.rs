//! How the report pages write figures, months, moments and names.
use super::super::months::Month;
use crate::i18n::*;
use crate::names::LocalizedName;
use leptos_i18n::I18nContext;

/// "11.2026": a month as the tables show it, the same in every language.
pub fn month_label(month: &str) -> String {
    Month::of(month)
        .map(|m| format!("{:02}.{}", m.month, m.year))
        .unwrap_or_else(|| month.to_owned())
}

/// "30.11.2026 14:05 UTC": when a report was computed.
pub fn moment_label(at: &str) -> String {
    match (at.get(..10), at.get(11..16)) {
        (Some(day), Some(time)) => {
            let mut parts = day.split('-');
            let (y, m, d) = (parts.next(), parts.next(), parts.next());
            format!(
                "{}.{}.{} {time} UTC",
                d.unwrap_or(""),
                m.unwrap_or(""),
                y.unwrap_or("")
            )
        }
        _ => at.to_owned(),
    }
}

/// A figure with one decimal.
pub fn one_decimal(value: f64) -> String {
    format!("{value:.1}")
}

/// A change in per cent with its sign: "−25 %", "+50 %".
pub fn signed_percent(value: f64) -> String {
    if value > 0.0 {
        format!("+{value:.0} %")
    } else if value < 0.0 {
        format!("−{:.0} %", -value)
    } else {
        "0 %".to_owned()
    }
}

pub fn name(i18n: I18nContext<Locale>, name: &LocalizedName) -> String {
    name.pick(i18n.get_locale_untracked()).to_owned()
}
