//! The reports made from what `store` read (server only): pure functions, so the tests run
//! them on hand-made villages and counts. The statistics themselves are in `stats`.
use super::months::Month;
use super::stats::{
    c_chart, change_percent, difference_in_differences, funnel_limits, BeforeAfter, Completeness,
    Effect, Rates, SMALL_COUNT,
};
use super::store::{Counts, ReportVillage, ThemeCount};
use super::types::{
    Baseline, EffectReport, Funnel, FunnelPoint, Kind, KindCounts, MonthFigures, Overview,
    OverviewRow, ThemeRow, Trend, TrendMonth,
};
use crate::dates::day_number;
use crate::places::ProgramStatus;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Months a report counts: the overview's 12 and the trend's 24 end with the last complete
/// month.
pub const OVERVIEW_MONTHS: i32 = 12;
pub const TREND_MONTHS: i32 = 24;
/// The effect compares at most this many months on each side of joining.
const EFFECT_MONTHS: i32 = 12;
/// A control chart's baseline needs this many months before joining to be drawn from them.
const MIN_BASELINE_MONTHS: usize = 6;
/// Points along each funnel limit.
const FUNNEL_STEPS: usize = 40;

/// What the reports are computed from.
pub struct Facts<'a> {
    pub villages: &'a [ReportVillage],
    pub counts: &'a Counts,
    pub closings: &'a HashSet<(String, Month)>,
    pub last_offences: &'a HashMap<String, String>,
    /// YYYY-MM-DD.
    pub today: &'a str,
    pub computed_at: String,
    /// The first month with an offence on record anywhere: before it nothing is known, and a
    /// month without offences there is not a zero.
    pub data_start: Option<Month>,
    /// Offences by village and month, all categories together.
    by_month: HashMap<(&'a str, Month), u64>,
}

impl<'a> Facts<'a> {
    pub fn new(
        villages: &'a [ReportVillage],
        counts: &'a Counts,
        closings: &'a HashSet<(String, Month)>,
        last_offences: &'a HashMap<String, String>,
        today: &'a str,
        computed_at: String,
        data_start: Option<Month>,
    ) -> Self {
        let mut by_month = HashMap::new();
        for count in &counts.offences {
            *by_month
                .entry((count.village_id.as_str(), count.month))
                .or_default() += count.offences;
        }
        Self {
            villages,
            counts,
            closings,
            last_offences,
            today,
            computed_at,
            data_start,
            by_month,
        }
    }

    /// Whether offences were on record in `month` (so a month without any is a zero).
    pub fn known(&self, month: Month) -> bool {
        self.data_start.is_some_and(|start| month >= start)
    }

    /// The last complete month.
    pub fn last_month(&self) -> Month {
        Month::of(self.today)
            .unwrap_or(Month {
                year: 1970,
                month: 1,
            })
            .plus(-1)
    }

    fn offences_in(&self, village: &str, months: impl Iterator<Item = Month>) -> u64 {
        months
            .map(|month| self.by_month.get(&(village, month)).copied().unwrap_or(0))
            .sum()
    }

    fn repeats_in(&self, village: &str, months: impl Iterator<Item = Month>) -> u64 {
        months
            .map(|month| {
                self.counts
                    .repeats
                    .get(&(village.to_owned(), month))
                    .copied()
                    .unwrap_or(0)
            })
            .sum()
    }
}

/// The month a village joined, when it is in the program with a known date.
pub fn joined_month(village: &ReportVillage) -> Option<Month> {
    if village.status == ProgramStatus::NotJoined {
        return None;
    }
    village.joined_on.as_deref().and_then(Month::of)
}

/// A village outside the program that never joined: one that left is neither.
pub fn is_comparison(village: &ReportVillage) -> bool {
    village.status == ProgramStatus::NotJoined && village.joined_on.is_none()
}

/// The months of `first..=last` a village was due to close: those since it joined; none
/// outside the program.
fn due_months(village: &ReportVillage, first: Month, last: Month) -> Vec<Month> {
    match (village.status, joined_month(village)) {
        (ProgramStatus::NotJoined, _) => Vec::new(),
        (_, Some(joined)) => inclusive(first.max(joined), last).collect(),
        (_, None) => inclusive(first, last).collect(),
    }
}

/// The same calendar months as `first..=last`, in the latest year that ended before the
/// village's joining month (seasons matter: grazing in summer, alcohol at the holidays).
pub fn before_joining(joined: Month, first: Month, last: Month) -> (Month, Month) {
    let years = (1..)
        .find(|years| last.plus(-12 * years) < joined)
        .unwrap_or(1);
    (first.plus(-12 * years), last.plus(-12 * years))
}

/// The first month any report of these villages reads: the trend's year before, the
/// overview's comparison before joining and the effect's months before joining.
pub fn earliest_month(villages: &[ReportVillage], last: Month) -> Month {
    let first = last.plus(-(OVERVIEW_MONTHS - 1));
    let mut earliest = last.plus(-(TREND_MONTHS + 11));
    for joined in villages.iter().filter_map(joined_month) {
        earliest = earliest
            .min(before_joining(joined, first, last).0)
            .min(joined.plus(-EFFECT_MONTHS));
    }
    earliest
}

fn inclusive(first: Month, last: Month) -> impl Iterator<Item = Month> {
    first.run(first.until(last) + 1)
}

pub fn overview(
    facts: &Facts,
    shown: &dyn Fn(&ReportVillage) -> bool,
    district: Option<String>,
    districts: Vec<(String, crate::places::LocalizedName)>,
    theme_counts: &[ThemeCount],
) -> Overview {
    let last = facts.last_month();
    let first = last.plus(-(OVERVIEW_MONTHS - 1));
    let window = || inclusive(first, last);
    let today = day_number(facts.today);
    let mut rates = Rates::default();
    let rows: Vec<OverviewRow> = facts
        .villages
        .iter()
        .filter(|village| shown(village))
        .map(|village| {
            let offences = facts.offences_in(&village.id, window());
            let before = joined_month(village).and_then(|joined| {
                let (start, end) = before_joining(joined, first, last);
                facts
                    .known(start)
                    .then(|| facts.offences_in(&village.id, inclusive(start, end)))
            });
            let due = due_months(village, first, last);
            let closed = |month: Month| facts.closings.contains(&(village.id.clone(), month));
            let reported = due.iter().filter(|month| closed(**month)).count() as u32;
            let one = |month: Month| facts.offences_in(&village.id, std::iter::once(month));
            let last_month = MonthFigures {
                offences: one(last),
                year_before: facts.known(last.plus(-12)).then(|| one(last.plus(-12))),
                reported: due.contains(&last).then(|| closed(last)),
            };
            OverviewRow {
                village_id: village.id.clone(),
                village: village.name.clone(),
                district: village.district.clone(),
                district_id: village.district_id.clone(),
                status: village.status,
                joined_on: village.joined_on.clone(),
                population: village.population,
                offences,
                repeats: facts.repeats_in(&village.id, window()),
                rate: village
                    .population
                    .and_then(|population| rates.per_1000(offences, population)),
                before,
                change: before.and_then(|before| change_percent(before, offences)),
                days_since_last: facts
                    .last_offences
                    .get(&village.id)
                    .and_then(|day| day_number(day))
                    .zip(today)
                    .map(|(last, today)| today - last),
                completeness: Completeness {
                    reported,
                    expected: due.len() as u32,
                },
                last_month,
            }
        })
        .collect();
    let shown_ids: HashSet<&str> = rows.iter().map(|row| row.village_id.as_str()).collect();
    let mut repeat_persons: HashSet<&String> = HashSet::new();
    for ((village, month), persons) in &facts.counts.repeat_persons {
        if shown_ids.contains(village.as_str()) && first <= *month && *month <= last {
            repeat_persons.extend(persons);
        }
    }
    Overview {
        computed_at: facts.computed_at.clone(),
        first_month: first.to_string(),
        last_month: last.to_string(),
        district,
        districts,
        whole_region: false,
        funnel: funnel(&rows),
        effect: effect(facts, shown, last),
        themes: themes(theme_counts, first, last),
        repeat_persons: repeat_persons.len() as u64,
        rows,
    }
}

fn funnel(rows: &[OverviewRow]) -> Funnel {
    let points: Vec<FunnelPoint> = rows
        .iter()
        .filter_map(|row| {
            Some(FunnelPoint {
                village: row.village.clone(),
                population: row.population.filter(|p| *p > 0)?,
                per_1000: row.rate?.per_1000,
            })
        })
        .collect();
    let residents: i64 = points.iter().map(|point| point.population).sum();
    let offences: f64 = points
        .iter()
        .map(|point| point.per_1000 * point.population as f64 / 1000.0)
        .sum();
    let target_per_1000 = if residents > 0 {
        offences / residents as f64 * 1000.0
    } else {
        0.0
    };
    let smallest = points.iter().map(|p| p.population).min().unwrap_or(0);
    let largest = points.iter().map(|p| p.population).max().unwrap_or(0);
    let limits = if smallest > 0 {
        // Evenly spaced on a log scale, a little beyond the villages at each end.
        let (low, high) = ((smallest as f64 * 0.8).ln(), (largest as f64 * 1.25).ln());
        (0..=FUNNEL_STEPS)
            .map(|step| {
                let population = (low + (high - low) * step as f64 / FUNNEL_STEPS as f64).exp();
                funnel_limits(target_per_1000, population.round().max(1.0) as i64)
            })
            .collect()
    } else {
        Vec::new()
    };
    Funnel {
        target_per_1000,
        points,
        limits,
    }
}

/// Joined villages over up to 12 months on each side of their joining month (the joining
/// month itself is left out), against the comparison villages of their district (of the
/// region when the district has none) over the same months.
fn effect(facts: &Facts, shown: &dyn Fn(&ReportVillage) -> bool, last: Month) -> EffectReport {
    // The comparison villages' offences by district and month, and for the whole region, so
    // each joined village costs a few lookups whatever the number of villages.
    let mut villages_of: HashMap<&str, u32> = HashMap::new();
    let mut district_of: HashMap<&str, &str> = HashMap::new();
    for village in facts.villages {
        if is_comparison(village) {
            *villages_of.entry(village.district_id.as_str()).or_default() += 1;
            district_of.insert(village.id.as_str(), village.district_id.as_str());
        }
    }
    let mut by_district: HashMap<(&str, Month), u64> = HashMap::new();
    let mut in_region: HashMap<Month, u64> = HashMap::new();
    for ((village, month), offences) in &facts.by_month {
        if let Some(district) = district_of.get(village) {
            *by_district.entry((district, *month)).or_default() += offences;
            *in_region.entry(*month).or_default() += offences;
        }
    }
    let mut counts = BeforeAfter::default();
    let mut villages = 0;
    let mut used_districts: HashSet<&str> = HashSet::new();
    let mut used_region = false;
    // Each comparison cell once: a comparison village serves every joined village of its
    // district, and counted that often it would look like more evidence than there is.
    let mut distinct: HashMap<(Option<&str>, Month, bool), u64> = HashMap::new();
    for village in facts.villages.iter().filter(|village| shown(village)) {
        let Some(joined) = joined_month(village) else {
            continue;
        };
        let months = joined
            .plus(1)
            .until(last)
            .saturating_add(1)
            .min(EFFECT_MONTHS);
        // Both sides must be months with offences on record.
        if months <= 0 || !facts.known(joined.plus(-months)) {
            continue;
        }
        villages += 1;
        let before = || joined.plus(-months).run(months);
        let after = || joined.plus(1).run(months);
        counts.program_before += facts.offences_in(&village.id, before());
        counts.program_after += facts.offences_in(&village.id, after());
        let district = village.district_id.as_str();
        let own_district = villages_of.contains_key(district);
        let cell = |month: Month| {
            let found = if own_district {
                by_district.get(&(district, month))
            } else {
                in_region.get(&month)
            };
            found.copied().unwrap_or(0)
        };
        let pool = own_district.then_some(district);
        for month in before() {
            counts.comparison_before += cell(month);
            distinct.insert((pool, month, false), cell(month));
        }
        for month in after() {
            counts.comparison_after += cell(month);
            distinct.insert((pool, month, true), cell(month));
        }
        if own_district {
            used_districts.insert(district);
        } else {
            used_region = true;
        }
    }
    let comparison_villages = if used_region {
        district_of.len() as u32
    } else {
        used_districts.iter().map(|d| villages_of[d]).sum()
    };
    let seen = |after: bool| -> u64 {
        distinct
            .iter()
            .filter(|((_, _, side), _)| *side == after)
            .map(|(_, offences)| offences)
            .sum()
    };
    let few = seen(false) < SMALL_COUNT || seen(true) < SMALL_COUNT;
    EffectReport {
        counts,
        estimate: difference_in_differences(counts).map(|effect| Effect {
            provisional: effect.provisional || few,
            ..effect
        }),
        villages,
        comparison_villages,
        withheld: false,
    }
}

/// Offences by category, administrative and criminal apart, in total and for each month from
/// `first` to `last`; most frequent first.
pub fn themes(counts: &[ThemeCount], first: Month, last: Month) -> Vec<ThemeRow> {
    let months = first.until(last) + 1;
    let mut by_category: BTreeMap<&str, ThemeRow> = BTreeMap::new();
    for count in counts {
        let Some(index) = Month::of(&count.month)
            .filter(|month| first <= *month && *month <= last)
            .map(|month| first.until(month) as usize)
        else {
            continue;
        };
        let row = by_category
            .entry(&count.category)
            .or_insert_with(|| ThemeRow {
                category: count.category.clone(),
                administrative: 0,
                criminal: 0,
                months: vec![KindCounts::default(); months as usize],
            });
        let offences = count.offences.max(0) as u64;
        let month = &mut row.months[index];
        if count.kind == Kind::Criminal.code() {
            row.criminal += offences;
            month.criminal += offences;
        } else {
            row.administrative += offences;
            month.administrative += offences;
        }
    }
    let mut rows: Vec<ThemeRow> = by_category.into_values().collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.administrative + row.criminal));
    rows
}

/// A village's last 24 months with the year before each, and its control chart.
pub fn trend(facts: &Facts, village: &ReportVillage) -> Trend {
    let last = facts.last_month();
    let first = last.plus(-(TREND_MONTHS - 1));
    let one = |month: Month| facts.offences_in(&village.id, std::iter::once(month));
    let months: Vec<TrendMonth> = inclusive(first, last)
        .map(|month| TrendMonth {
            month: month.to_string(),
            offences: one(month),
            repeats: facts.repeats_in(&village.id, std::iter::once(month)),
            year_before: facts.known(month.plus(-12)).then(|| one(month.plus(-12))),
            reported: facts.closings.contains(&(village.id.clone(), month)),
        })
        .collect();
    let joined = joined_month(village);
    let before: Vec<u64> = joined
        .map(|joined| {
            let start = joined
                .plus(-TREND_MONTHS)
                .max(last.plus(-(TREND_MONTHS + 11)));
            inclusive(start, joined.plus(-1))
                .filter(|month| facts.known(*month))
                .map(one)
                .collect()
        })
        .unwrap_or_default();
    let (baseline, counts) = if before.len() >= MIN_BASELINE_MONTHS {
        (Baseline::BeforeJoining, before)
    } else {
        (
            Baseline::AllShown,
            inclusive(first, last)
                .zip(&months)
                .filter(|(month, _)| facts.known(*month))
                .map(|(_, shown)| shown.offences)
                .collect(),
        )
    };
    Trend {
        computed_at: facts.computed_at.clone(),
        village_id: village.id.clone(),
        village: village.name.clone(),
        district: village.district.clone(),
        status: village.status,
        joined_month: joined
            .filter(|joined| first <= *joined && *joined <= last)
            .map(|joined| joined.to_string()),
        limits: c_chart(&counts),
        baseline,
        council: Vec::new(),
        months,
    }
}

#[cfg(test)]
mod tests;
