//! Calendar months as the reports count them: "YYYY-MM" text, stepped forwards and backwards.
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Month {
    pub year: i32,
    /// 1 to 12.
    pub month: u8,
}

impl Month {
    /// The month of an ISO date or timestamp, or of "YYYY-MM".
    pub fn of(iso: &str) -> Option<Month> {
        let year = iso.get(..4)?.parse().ok()?;
        let month: u8 = iso.get(5..7)?.parse().ok()?;
        (iso.get(4..5) == Some("-") && (1..=12).contains(&month)).then_some(Month { year, month })
    }

    /// `count` months later (earlier when negative).
    pub fn plus(self, count: i32) -> Month {
        let index = self.year * 12 + i32::from(self.month) - 1 + count;
        Month {
            year: index.div_euclid(12),
            month: (index.rem_euclid(12) + 1) as u8,
        }
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn until(self, later: Month) -> i32 {
        (later.year - self.year) * 12 + i32::from(later.month) - i32::from(self.month)
    }

    /// The first day, as YYYY-MM-DD.
    pub fn first_day(self) -> String {
        format!("{self}-01")
    }

    /// `count` months from `self` on, in order.
    pub fn run(self, count: i32) -> impl Iterator<Item = Month> + Clone {
        (0..count.max(0)).map(move |step| self.plus(step))
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_across_years_both_ways() {
        let november = Month::of("2026-11-30T08:00:00Z").unwrap();
        assert_eq!(november.plus(2).to_string(), "2027-01");
        assert_eq!(november.plus(-11).to_string(), "2025-12");
        assert_eq!(november.plus(-23).to_string(), "2024-12");
        assert_eq!(Month::of("2025-12").unwrap().until(november), 11);
        assert_eq!(november.until(Month::of("2025-12").unwrap()), -11);
        assert_eq!(november.first_day(), "2026-11-01");
    }

    #[test]
    fn only_real_months_are_read() {
        assert_eq!(Month::of("2026-13-01"), None);
        assert_eq!(Month::of("2026/11"), None);
        assert_eq!(Month::of("26-1"), None);
    }
}
