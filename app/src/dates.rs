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

fn parse_iso_date(iso: &str) -> Option<(u16, u8, u8)> {
    let date = iso.get(..10)?;
    let mut parts = date.split('-');
    let year = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn text_that_is_not_a_date_is_left_alone() {
        assert_eq!(format_date(Locale::ru, "soon"), "soon");
        assert_eq!(format_date(Locale::ru, "2025-13-01"), "2025-13-01");
    }
}
