//! Field rules shared by the forms (checked in the browser as the person types) and the
//! server (checked again on every push): one place for each rule.
use crate::sync::contract::{FieldRule, Reason};

/// Longest free text (a note, a description): 10,000 characters, counted as characters so
/// Kazakh letters and emoji count as one each.
pub const LONG_TEXT_MAX: usize = 10_000;
/// Longest title or name.
pub const SHORT_TEXT_MAX: usize = 200;

pub fn invalid(field: &str, rule: FieldRule) -> Reason {
    Reason::Invalid {
        field: field.to_owned(),
        rule,
    }
}

/// The village a record belongs to: required (whether it exists, and whether the caller may
/// write there, the server decides).
pub fn village(value: &str) -> Result<String, Reason> {
    let value = value.trim();
    if value.is_empty() {
        Err(invalid("village_id", FieldRule::Required))
    } else {
        Ok(value.to_owned())
    }
}

/// An optional link to another record, as chosen: blank is none (whether it exists and may
/// be linked, the server decides).
pub fn optional_id(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
}

/// An optional calendar date (any date, past or future): blank is none.
pub fn optional_date(field: &str, value: Option<&str>) -> Result<Option<String>, Reason> {
    match value.map(str::trim).filter(|d| !d.is_empty()) {
        Some(day) => date(field, day).map(Some),
        None => Ok(None),
    }
}

/// Trimmed text that must be present and at most `max` characters.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, Reason> {
    let value = without_nul(value);
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, FieldRule::Required));
    }
    limit(field, value, max)
}

/// A person's or a place's name as it is kept: characters nobody sees (zero-width spaces,
/// direction marks, soft hyphens, control characters) dropped, runs of spaces made one, at
/// least one letter. Two names that look the same are then the same text.
pub fn name(field: &str, value: &str, max: usize) -> Result<String, Reason> {
    let visible: String = value.chars().filter(|&c| !invisible(c)).collect();
    let tidy = visible.split_whitespace().collect::<Vec<_>>().join(" ");
    if tidy.is_empty() {
        return Err(invalid(field, FieldRule::Required));
    }
    if !tidy.chars().any(char::is_alphabetic) {
        return Err(invalid(field, FieldRule::NotAName));
    }
    limit(field, &tidy, max)
}

/// What makes two names one (a duplicate): case, spacing and ё/е aside.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|&c| !invisible(c))
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
}

fn invisible(c: char) -> bool {
    (c.is_control() && !c.is_whitespace())
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Trimmed text that may be empty (then `None`).
pub fn optional_text(
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, Reason> {
    let value = value.map(without_nul);
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(value) => limit(field, value, max).map(Some),
    }
}

/// Text without NUL characters: nobody types one, and PostgreSQL cannot store one in a text
/// column, so a pasted one would fail the whole push there (DESIGN §3.4).
fn without_nul(value: &str) -> std::borrow::Cow<'_, str> {
    if value.contains('\0') {
        value.replace('\0', "").into()
    } else {
        value.into()
    }
}

fn limit(field: &str, value: &str, max: usize) -> Result<String, Reason> {
    if value.chars().count() > max {
        Err(invalid(field, FieldRule::TooLong { max }))
    } else {
        Ok(value.to_owned())
    }
}

/// A calendar date written YYYY-MM-DD.
pub fn date(field: &str, value: &str) -> Result<String, Reason> {
    let value = value.trim();
    if value.is_empty() {
        return Err(invalid(field, FieldRule::Required));
    }
    if is_iso_date(value) {
        Ok(value.to_owned())
    } else {
        Err(invalid(field, FieldRule::NotADate))
    }
}

/// A date that has already come: not after `today` (the device's or the server's date;
/// one day of slack covers the time zones of the region).
pub fn past_date(field: &str, value: &str, today: &str) -> Result<String, Reason> {
    let value = date(field, value)?;
    if value.as_str() > next_day(today).as_str() {
        Err(invalid(field, FieldRule::InFuture))
    } else {
        Ok(value)
    }
}

/// One of the listed codes.
pub fn choice(field: &str, value: &str, allowed: &[&str]) -> Result<String, Reason> {
    if allowed.contains(&value) {
        Ok(value.to_owned())
    } else if value.trim().is_empty() {
        Err(invalid(field, FieldRule::Required))
    } else {
        Err(invalid(field, FieldRule::UnknownChoice))
    }
}

pub fn range(field: &str, value: i64, min: i64, max: i64) -> Result<i64, Reason> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(invalid(field, FieldRule::OutOfRange { min, max }))
    }
}

fn is_iso_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| value.get(range)?.parse::<u32>().ok();
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    (1900..=2200).contains(&year)
        && (1..=12).contains(&month)
        && day >= 1
        && day <= days_in(year, month)
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// The day after an ISO date (the date itself if it is not one).
fn next_day(today: &str) -> String {
    if !is_iso_date(today) {
        return today.to_owned();
    }
    let (mut year, mut month, mut day) = (
        today[0..4].parse::<u32>().unwrap_or(0),
        today[5..7].parse::<u32>().unwrap_or(0),
        today[8..10].parse::<u32>().unwrap_or(0),
    );
    day += 1;
    if day > days_in(year, month) {
        day = 1;
        month += 1;
        if month > 12 {
            month = 1;
            year += 1;
        }
    }
    format!("{year:04}-{month:02}-{day:02}")
}

/// An optional point: both coordinates or none, each on the globe.
pub fn point(lat: Option<f64>, lon: Option<f64>) -> Result<Option<(f64, f64)>, Reason> {
    let on_globe = |value: f64, limit: f64| value.is_finite() && (-limit..=limit).contains(&value);
    match (lat, lon) {
        (None, None) => Ok(None),
        (Some(lat), Some(lon)) if on_globe(lat, 90.0) && on_globe(lon, 180.0) => {
            Ok(Some((lat, lon)))
        }
        (Some(_), Some(_)) => Err(invalid(
            "position",
            FieldRule::OutOfRange {
                min: -180,
                max: 180,
            },
        )),
        _ => Err(invalid("position", FieldRule::Required)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_characters_are_dropped_from_text() {
        assert_eq!(required_text("title", "Су\0 жоқ", 20), Ok("Су жоқ".into()));
        assert_eq!(
            required_text("title", " \0 ", 20),
            Err(invalid("title", FieldRule::Required))
        );
        assert_eq!(optional_text("details", Some("\0"), 20), Ok(None));
        assert_eq!(
            optional_text("details", Some("a\0b"), 20),
            Ok(Some("ab".into()))
        );
    }

    #[test]
    fn text_is_trimmed_counted_in_characters_and_required() {
        assert_eq!(required_text("title", "  Әжі  ", 10), Ok("Әжі".into()));
        assert_eq!(
            required_text("title", "   ", 10),
            Err(invalid("title", FieldRule::Required))
        );
        // 10,000 Kazakh letters and emoji are within the limit; one more is not.
        let long: String = "ң😀".repeat(LONG_TEXT_MAX / 2);
        assert!(required_text("note", &long, LONG_TEXT_MAX).is_ok());
        assert_eq!(
            required_text("note", &format!("{long}ә"), LONG_TEXT_MAX),
            Err(invalid("note", FieldRule::TooLong { max: LONG_TEXT_MAX }))
        );
        assert_eq!(optional_text("note", Some("  "), 5), Ok(None));
    }

    #[test]
    fn dates_are_real_calendar_days_and_not_in_the_future() {
        assert!(date("d", "2024-02-29").is_ok());
        assert_eq!(
            date("d", "2023-02-29"),
            Err(invalid("d", FieldRule::NotADate))
        );
        assert_eq!(
            date("d", "29.02.2024"),
            Err(invalid("d", FieldRule::NotADate))
        );
        assert_eq!(date("d", ""), Err(invalid("d", FieldRule::Required)));
        assert!(
            past_date("d", "2026-11-26", "2026-11-25").is_ok(),
            "one day of slack"
        );
        assert_eq!(
            past_date("d", "2026-11-27", "2026-11-25"),
            Err(invalid("d", FieldRule::InFuture))
        );
        assert!(past_date("d", "2027-01-01", "2026-12-31").is_ok());
    }

    #[test]
    fn choices_and_ranges() {
        assert!(choice("k", "sport", &["sport"]).is_ok());
        assert_eq!(
            choice("k", "", &["sport"]),
            Err(invalid("k", FieldRule::Required))
        );
        assert_eq!(
            choice("k", "x", &["sport"]),
            Err(invalid("k", FieldRule::UnknownChoice))
        );
        assert_eq!(
            range("n", -1, 0, 10),
            Err(invalid("n", FieldRule::OutOfRange { min: 0, max: 10 }))
        );
    }
}
