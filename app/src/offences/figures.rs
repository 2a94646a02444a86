//! A village's offence figures (DESIGN §1: results per village): this month, quarter and
//! year so far, beside the same calendar stretch before the village joined the program, and
//! the days since the last offence. Pure rules, so the server and the tests share them.
use crate::dates::{day_number, years_earlier};
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Quarter,
    Year,
}

impl Period {
    pub const ALL: [Period; 3] = [Period::Month, Period::Quarter, Period::Year];
}

/// Days from `start` to `end`, both included, as YYYY-MM-DD.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Window {
    pub start: String,
    pub end: String,
}

impl Window {
    /// The period so far: from its first day to `today`.
    pub fn so_far(period: Period, today: &str) -> Option<Window> {
        let today = today.get(..10)?;
        let year = today.get(..4)?;
        let month: u8 = today.get(5..7)?.parse().ok()?;
        let first_month = match period {
            Period::Month => month,
            Period::Quarter => (month - 1) / 3 * 3 + 1,
            Period::Year => 1,
        };
        Some(Window {
            start: format!("{year}-{first_month:02}-01"),
            end: today.to_owned(),
        })
    }

    /// The same calendar stretch in the latest year that ended before the village joined:
    /// seasons matter (grazing in summer, alcohol at holidays), so a month is compared with
    /// the same month, not with the weeks just before joining.
    pub fn before_joining(&self, joined_on: &str) -> Option<Window> {
        let joined_on = joined_on.get(..10)?;
        (1..=100).find_map(|years| {
            let earlier = Window {
                start: years_earlier(&self.start, years)?,
                end: years_earlier(&self.end, years)?,
            };
            (earlier.end.as_str() < joined_on).then_some(earlier)
        })
    }

    pub fn contains(&self, date: &str) -> bool {
        date.get(..10)
            .is_some_and(|day| self.start.as_str() <= day && day <= self.end.as_str())
    }
}

/// What the figures need of one offence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OffenceFact {
    pub date: String,
    pub repeat: bool,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub offences: u32,
    pub repeats: u32,
}

impl Tally {
    fn of(window: &Window, offences: &[OffenceFact]) -> Tally {
        let mut tally = Tally::default();
        for offence in offences.iter().filter(|o| window.contains(&o.date)) {
            tally.offences += 1;
            tally.repeats += u32::from(offence.repeat);
        }
        tally
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodFigures {
    pub period: Period,
    pub window: Window,
    pub tally: Tally,
    /// `None` when the village has not joined (or joined too long ago for a date to exist).
    pub before: Option<(Window, Tally)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OffenceFigures {
    /// `None` when no offence is on record.
    pub days_since_last: Option<i64>,
    pub periods: Vec<PeriodFigures>,
}

pub fn figures(offences: &[OffenceFact], today: &str, joined_on: Option<&str>) -> OffenceFigures {
    let last = offences
        .iter()
        .filter_map(|o| o.date.get(..10))
        .filter(|day| *day <= today)
        .max();
    let days_since_last = last
        .and_then(day_number)
        .zip(day_number(today))
        .map(|(last, today)| today - last);
    let periods = Period::ALL
        .iter()
        .filter_map(|&period| {
            let window = Window::so_far(period, today)?;
            let before = joined_on
                .and_then(|joined| window.before_joining(joined))
                .map(|earlier| {
                    let tally = Tally::of(&earlier, offences);
                    (earlier, tally)
                });
            Some(PeriodFigures {
                period,
                tally: Tally::of(&window, offences),
                window,
                before,
            })
        })
        .collect();
    OffenceFigures {
        days_since_last,
        periods,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(date: &str, repeat: bool) -> OffenceFact {
        OffenceFact {
            date: date.into(),
            repeat,
        }
    }

    #[test]
    fn periods_run_from_their_first_day_to_today() {
        let today = "2026-11-25";
        let starts: Vec<String> = Period::ALL
            .iter()
            .map(|&p| Window::so_far(p, today).unwrap().start)
            .collect();
        assert_eq!(starts, ["2026-11-01", "2026-10-01", "2026-01-01"]);
        assert_eq!(
            Window::so_far(Period::Quarter, "2026-03-31").unwrap().start,
            "2026-01-01"
        );
    }

    #[test]
    fn the_comparison_is_the_same_stretch_of_the_last_year_before_joining() {
        let month = Window::so_far(Period::Month, "2026-11-25").unwrap();
        // Joined in March 2025: November 2024 is the last November wholly before.
        assert_eq!(
            month.before_joining("2025-03-01"),
            Some(Window {
                start: "2024-11-01".into(),
                end: "2024-11-25".into()
            })
        );
        // Joined on 10 November 2026: a year back is already before joining.
        assert_eq!(
            month.before_joining("2026-11-10").map(|w| w.start),
            Some("2025-11-01".into())
        );
        // The window must end before the joining day itself.
        assert_eq!(
            month.before_joining("2025-11-25").map(|w| w.end),
            Some("2024-11-25".into())
        );
        assert_eq!(
            month.before_joining("2025-11-26").map(|w| w.end),
            Some("2025-11-25".into())
        );
    }

    #[test]
    fn figures_count_offences_and_repeats_on_both_sides() {
        let offences = [
            fact("2026-11-20T09:00:00Z", true),
            fact("2026-11-02", false),
            fact("2026-10-15", false),
            fact("2026-02-01", true),
            fact("2024-11-03", false),
            fact("2024-11-26", true),
            fact("2024-06-01", true),
        ];
        let result = figures(&offences, "2026-11-25", Some("2025-03-01"));
        assert_eq!(result.days_since_last, Some(5));
        let by_period: Vec<(Tally, Option<Tally>)> = result
            .periods
            .iter()
            .map(|p| (p.tally, p.before.as_ref().map(|b| b.1)))
            .collect();
        let tally = |offences, repeats| Tally { offences, repeats };
        assert_eq!(
            by_period,
            vec![
                (tally(2, 1), Some(tally(1, 0))),
                (tally(3, 1), Some(tally(1, 0))),
                (tally(4, 2), Some(tally(2, 1))),
            ]
        );
    }

    #[test]
    fn no_offences_and_no_joining_date_give_empty_figures() {
        let result = figures(&[], "2026-11-25", None);
        assert_eq!(result.days_since_last, None);
        assert!(result.periods.iter().all(|p| p.before.is_none()));
        assert!(result.periods.iter().all(|p| p.tally == Tally::default()));
    }
}
