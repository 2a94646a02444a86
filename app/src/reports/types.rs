//! What the reports carry from the server to the page: counts and the statistics made of
//! them, never a person's name or id.
use super::stats::{BeforeAfter, Completeness, ControlLimits, Effect, FunnelLimits, Rate};
use crate::places::{LocalizedName, ProgramStatus};
use serde::{Deserialize, Serialize};

/// One village in the overview: the last 12 complete months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OverviewRow {
    pub village_id: String,
    pub village: LocalizedName,
    pub district: LocalizedName,
    pub district_id: String,
    pub status: ProgramStatus,
    pub joined_on: Option<String>,
    pub population: Option<i64>,
    pub offences: u64,
    pub repeats: u64,
    /// Offences per 1,000 residents over the 12 months; `None` without a population.
    pub rate: Option<Rate>,
    /// Offences in the same 12 calendar months before the village joined.
    pub before: Option<u64>,
    /// Per cent change from `before`; `None` when there is nothing to compare with.
    pub change: Option<f64>,
    pub days_since_last: Option<i64>,
    pub completeness: Completeness,
    /// The last of the 12 months alone, for the monthly bulletin (absent from copies a
    /// device kept before it existed).
    #[serde(default)]
    pub last_month: MonthFigures,
}

/// One village's figures for one month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub offences: u64,
    /// The same month a year before; `None` before any offence was on record.
    pub year_before: Option<u64>,
    /// Whether the inspector closed the month; `None` when the village was not due to.
    pub reported: Option<bool>,
}

/// The village's point on the funnel plot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunnelPoint {
    pub village: LocalizedName,
    pub population: i64,
    pub per_1000: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Funnel {
    /// The rate of all the villages shown with a population, per 1,000 residents.
    pub target_per_1000: f64,
    pub points: Vec<FunnelPoint>,
    /// The limits from the smallest population shown to the largest.
    pub limits: Vec<FunnelLimits>,
}

/// The program's effect: joined villages before and after, comparison villages over the
/// same months.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EffectReport {
    pub counts: BeforeAfter,
    pub estimate: Option<Effect>,
    /// Joined villages with a joining date and at least one month since.
    pub villages: u32,
    pub comparison_villages: u32,
    /// Left out for a reader of a few villages when so few comparison villages stand behind
    /// it that their counts would read as one village's.
    pub withheld: bool,
}

/// Offences of one category over the 12 months, administrative and criminal apart, in total
/// and month by month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ThemeRow {
    /// The offence category's stored code (`offences::category_label` names it).
    pub category: String,
    pub administrative: u64,
    pub criminal: u64,
    /// One entry per month from the overview's `first_month` to its `last_month`. Empty in a
    /// copy kept before the months were counted.
    #[serde(default)]
    pub months: Vec<KindCounts>,
}

/// Offences of one category in one month, by kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KindCounts {
    pub administrative: u64,
    pub criminal: u64,
}

impl KindCounts {
    /// The count of `kind` ("administrative" or "criminal").
    pub fn of(&self, kind: Kind) -> u64 {
        match kind {
            Kind::Administrative => self.administrative,
            Kind::Criminal => self.criminal,
        }
    }
}

/// The two kinds of offence as the theme tables split them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Administrative,
    Criminal,
}

impl Kind {
    pub const BOTH: [Kind; 2] = [Kind::Administrative, Kind::Criminal];

    /// The stored code (`offences::kind_label` names it).
    pub fn code(self) -> &'static str {
        match self {
            Kind::Administrative => "administrative",
            Kind::Criminal => "criminal",
        }
    }
}

impl ThemeRow {
    pub fn total(&self) -> KindCounts {
        KindCounts {
            administrative: self.administrative,
            criminal: self.criminal,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Overview {
    /// RFC 3339: when the figures were computed (shown when read offline later).
    pub computed_at: String,
    /// The 12 complete months counted, as YYYY-MM.
    pub first_month: String,
    pub last_month: String,
    /// The district the rows are filtered to, when one is.
    pub district: Option<String>,
    /// The districts the reader may filter by.
    pub districts: Vec<(String, LocalizedName)>,
    /// The rows are the whole region: a reader of the region, no district chosen.
    #[serde(default)]
    pub whole_region: bool,
    pub rows: Vec<OverviewRow>,
    pub funnel: Funnel,
    pub effect: EffectReport,
    pub themes: Vec<ThemeRow>,
    /// Persons with a repeat offence in the 12 months: a count, never a list.
    pub repeat_persons: u64,
}

impl Overview {
    /// The months counted, first to last, as YYYY-MM.
    pub fn months(&self) -> Vec<String> {
        use super::months::Month;
        match (Month::of(&self.first_month), Month::of(&self.last_month)) {
            (Some(first), Some(last)) => first
                .run(first.until(last) + 1)
                .map(|month| month.to_string())
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// One month of a village's trend.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrendMonth {
    /// YYYY-MM.
    pub month: String,
    pub offences: u64,
    pub repeats: u64,
    /// The same month a year earlier; `None` before any offence was on record.
    pub year_before: Option<u64>,
    /// The inspector closed the month: its count is a report, a zero included.
    pub reported: bool,
}

/// The council's work in a village in one month.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CouncilMonth {
    /// YYYY-MM.
    pub month: String,
    pub tasks_done: u64,
    /// Still open after their due day, counted in the month they were due.
    pub tasks_overdue: u64,
    pub proposals: u64,
    /// Accepted or implemented.
    pub proposals_taken_up: u64,
    pub events: u64,
    pub attendance: u64,
    pub visits: u64,
}

/// Where the control chart's centre line and limits come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Baseline {
    /// The months before the village joined.
    BeforeJoining,
    /// Every month shown: the village has not joined, or too little is known from before.
    AllShown,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    pub computed_at: String,
    pub village_id: String,
    pub village: LocalizedName,
    pub district: LocalizedName,
    pub status: ProgramStatus,
    /// YYYY-MM of joining, when it falls in the months shown.
    pub joined_month: Option<String>,
    pub months: Vec<TrendMonth>,
    pub limits: Option<ControlLimits>,
    pub baseline: Baseline,
    /// The last 12 months of the council's work, filled in by the server after `compute`.
    pub council: Vec<CouncilMonth>,
}
