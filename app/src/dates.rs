//! Dates as people read them: 21.10.2025 in Russian and Kazakh, 21 Oct 2025 in English.
//! Dates travel and are stored as ISO text (YYYY-MM-DD…); only display changes.
use crate::i18n::Locale;

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats the date part of an ISO date or timestamp; anything else is shown as it is.
pub fn format_date(locale: Locale, iso: &str) -> String {
    let Some((year, month, day)) = parse_iso_date(iso) else {
        return iso.to_owned();
    };
    match locale {
        Locale::en => format!("{day} {} {year}", EN_MONTHS[usize::from(month) - 1]),
        Locale::ru | Locale::kk => format!("{day:02}.{month:02}.{year}"),
    }
}

/// Days since 1970-01-01 of an ISO date or timestamp (its date part), for counting days
/// between dates; `None` for text that is not a date.
pub fn day_number(iso: &str) -> Option<i64> {
    let (year, month, day) = parse_iso_date(iso)?;
    // Days from civil (proleptic Gregorian), counting years from March so leap days fall last.
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The same calendar day `years` years earlier (29 February falls back to the 28th), as
/// YYYY-MM-DD.
pub fn years_earlier(iso: &str, years: u16) -> Option<String> {
    let (year, month, day) = parse_iso_date(iso)?;
    let year = year.checked_sub(years)?;
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let day = if month == 2 && day == 29 && !leap {
        28
    } else {
        day
    };
    Some(format!("{year:04}-{month:02}-{day:02}"))
}

fn parse_iso_date(iso: &str) -> Option<(u16, u8, u8)> {
    let date = iso.get(..10)?;
    let mut parts = date.split('-');
    let year = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// Kazakhstan's one time zone since March 2024 (UTC+5): a month ends at the region's midnight,
/// not at UTC's, or the first five hours of each month would still count as the last.
pub const REGION_UTC_OFFSET_HOURS: i64 = 5;

/// The region's date at the UTC moment `utc`.
#[cfg(feature = "ssr")]
pub fn region_date(utc: time::OffsetDateTime) -> time::Date {
    (utc + time::Duration::hours(REGION_UTC_OFFSET_HOURS)).date()
}

/// The region's date at the UTC moment `utc`, as YYYY-MM-DD.
#[cfg(feature = "ssr")]
pub fn region_day(utc: time::OffsetDateTime) -> String {
    let date = region_date(utc);
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// Today in the region.
#[cfg(feature = "ssr")]
pub fn region_today() -> String {
    region_day(time::OffsetDateTime::now_utc())
}

/// Today in the region by the device's clock, whatever zone the device is set to (a phone
/// bought elsewhere, a tablet on UTC): the day the server's months and periods turn on.
#[cfg(feature = "hydrate")]
pub fn region_today_on_device() -> String {
    let hours = REGION_UTC_OFFSET_HOURS as f64;
    let shifted = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(
        js_sys::Date::now() + hours * 3_600_000.0,
    ));
    format!(
        "{:04}-{:02}-{:02}",
        shifted.get_utc_full_year(),
        shifted.get_utc_month() + 1,
        shifted.get_utc_date()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "ssr")]
    #[test]
    fn the_region_s_day_turns_at_its_own_midnight() {
        let at = |unix| time::OffsetDateTime::from_unix_timestamp(unix).unwrap();
        // 19:00 UTC on 30 November is midnight of 1 December in Akmola.
        assert_eq!(region_day(at(1796065199)), "2026-11-30"); // 18:59:59 UTC
        assert_eq!(region_day(at(1796065200)), "2026-12-01"); // 19:00 UTC
        assert_eq!(region_day(at(1798747200)), "2027-01-01"); // 20:00 UTC on 31 December
    }

    #[test]
    fn dates_follow_the_language() {
        assert_eq!(format_date(Locale::ru, "2025-10-21"), "21.10.2025");
        assert_eq!(
            format_date(Locale::kk, "2025-03-05T10:00:00Z"),
            "05.03.2025"
        );
        assert_eq!(format_date(Locale::en, "2025-10-21"), "21 Oct 2025");
    }

    #[test]
    fn day_numbers_count_calendar_days() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2000-03-01"), Some(11_017));
        assert_eq!(
            day_number("2024-03-01")
                .zip(day_number("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2)
        );
        assert_eq!(day_number("2026-11-25T10:00:00Z"), day_number("2026-11-25"));
        assert_eq!(day_number("soon"), None);
    }

    #[test]
    fn a_year_earlier_keeps_the_calendar_day() {
        assert_eq!(
            years_earlier("2026-11-25", 1).as_deref(),
            Some("2025-11-25")
        );
        assert_eq!(
            years_earlier("2024-02-29", 1).as_deref(),
            Some("2023-02-28")
        );
        assert_eq!(
            years_earlier("2028-02-29", 4).as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn text_that_is_not_a_date_is_left_alone() {
        assert_eq!(format_date(Locale::ru, "soon"), "soon");
        assert_eq!(format_date(Locale::ru, "2025-13-01"), "2025-13-01");
    }
}
