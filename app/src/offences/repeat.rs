//! The repeat-offence rule (DESIGN §2), the one place it is written: an offence is a repeat
//! when one of its persons had another offence in the preceding 12 months. Days count, not
//! hours: two offences of one person on the same day are one episode, and an offence exactly
//! one year earlier (same calendar day) still counts.
use crate::dates::years_earlier;
use std::collections::{HashMap, HashSet};

/// Whether an offence on `earlier` falls in the 12 months before one on `date`.
pub fn within_preceding_year(date: &str, earlier: &str) -> bool {
    let (Some(date), Some(earlier)) = (date.get(..10), earlier.get(..10)) else {
        return false;
    };
    let Some(year_before) = years_earlier(date, 1) else {
        return false;
    };
    earlier < date && earlier >= year_before.as_str()
}

/// What the rule needs of an offence.
#[derive(Clone, Copy, Debug)]
pub struct OffenceDates<'a> {
    pub id: &'a str,
    pub date: &'a str,
    pub persons: &'a [String],
}

/// The ids of the offences that are repeats, judged against all the offences given (give
/// every known offence of the persons involved, wherever it happened).
pub fn repeat_ids<'a>(
    offences: impl IntoIterator<Item = OffenceDates<'a>> + Clone,
) -> HashSet<String> {
    let mut dates_by_person: HashMap<&str, Vec<&str>> = HashMap::new();
    for offence in offences.clone() {
        for person in offence.persons {
            dates_by_person
                .entry(person)
                .or_default()
                .push(offence.date);
        }
    }
    offences
        .into_iter()
        .filter(|offence| {
            offence.persons.iter().any(|person| {
                dates_by_person.get(person.as_str()).is_some_and(|dates| {
                    dates
                        .iter()
                        .any(|earlier| within_preceding_year(offence.date, earlier))
                })
            })
        })
        .map(|offence| offence.id.to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_preceding_year_includes_the_same_day_a_year_ago_and_not_the_day_before() {
        assert!(within_preceding_year("2026-11-25", "2025-11-25"));
        assert!(!within_preceding_year("2026-11-25", "2025-11-24"));
        assert!(within_preceding_year("2026-11-25", "2026-11-24"));
        // The same day is the same episode; a later offence is not "preceding".
        assert!(!within_preceding_year("2026-11-25", "2026-11-25T08:00:00Z"));
        assert!(!within_preceding_year("2026-11-25", "2026-11-26"));
        // Leap day: a year before 29 February 2028 is 28 February 2027.
        assert!(within_preceding_year("2028-02-29", "2027-02-28"));
        assert!(!within_preceding_year("2028-02-29", "2027-02-27"));
        assert!(!within_preceding_year("not a date", "2026-01-01"));
    }

    #[test]
    fn only_offences_of_the_same_person_make_a_repeat() {
        let a = vec!["a".to_owned()];
        let b = vec!["b".to_owned()];
        let both = vec!["a".to_owned(), "b".to_owned()];
        let none: Vec<String> = Vec::new();
        let offences = [
            OffenceDates {
                id: "1",
                date: "2025-01-10",
                persons: &a,
            },
            OffenceDates {
                id: "2",
                date: "2025-06-01T10:00:00Z",
                persons: &b,
            },
            OffenceDates {
                id: "3",
                date: "2026-01-09",
                persons: &a,
            },
            OffenceDates {
                id: "4",
                date: "2026-01-11",
                persons: &both,
            },
            OffenceDates {
                id: "5",
                date: "2026-02-01",
                persons: &none,
            },
            OffenceDates {
                id: "6",
                date: "2027-03-01",
                persons: &b,
            },
        ];
        let repeats = repeat_ids(offences.iter().copied());
        let mut ids: Vec<&str> = repeats.iter().map(String::as_str).collect();
        ids.sort();
        // 3: a had 1 within a year; 4: a had 3 two days before (and b had 2);
        // 6: b's last was 4, more than a year earlier.
        assert_eq!(ids, vec!["3", "4"]);
    }
}
