use super::*;
use crate::places::LocalizedName;
use crate::reports::store::Count;

fn month(text: &str) -> Month {
    Month::of(text).unwrap()
}

fn village(id: &str, district: &str, status: ProgramStatus, joined: Option<&str>) -> ReportVillage {
    ReportVillage {
        id: id.into(),
        name: LocalizedName {
            ru: id.into(),
            kk: None,
        },
        district_id: district.into(),
        district: LocalizedName {
            ru: district.into(),
            kk: None,
        },
        status,
        joined_on: joined.map(str::to_owned),
        left_on: None,
        population: Some(1000),
    }
}

fn count(village: &str, at: &str, offences: u64) -> Count {
    Count {
        village_id: village.into(),
        month: month(at),
        offences,
    }
}

#[test]
fn the_comparison_before_joining_is_the_same_months_of_the_last_year_wholly_before() {
    let (first, last) = (month("2025-11"), month("2026-10"));
    // Joined in March 2025: Nov 2023 – Oct 2024 is the last such stretch before it.
    assert_eq!(
        before_joining(month("2025-03"), first, last),
        (month("2023-11"), month("2024-10"))
    );
    // Joined in November 2025: a year back ends in October 2025, before the joining month.
    assert_eq!(
        before_joining(month("2025-11"), first, last),
        (month("2024-11"), month("2025-10"))
    );
}

#[test]
fn the_overview_counts_the_last_12_complete_months_beside_before_joining() {
    let villages = [village("a", "d", ProgramStatus::Joined, Some("2025-06-15"))];
    let counts = Counts {
        offences: vec![
            count("a", "2026-10", 2),
            count("a", "2025-11", 1),
            // The current month and a month before the window are not counted.
            count("a", "2026-11", 5),
            count("a", "2025-10", 7),
            // Nov 2024 – Oct 2025 is not wholly before June 2025; Nov 2023 – Oct 2024 is.
            count("a", "2024-01", 4),
        ],
        ..Counts::default()
    };
    let closings = HashSet::from([
        ("a".to_owned(), month("2026-10")),
        ("a".to_owned(), month("2026-09")),
    ]);
    let last = HashMap::from([("a".to_owned(), "2026-11-20".to_owned())]);
    let facts = Facts::new(
        &villages,
        &counts,
        &closings,
        &last,
        "2026-11-30",
        "now".into(),
        Some(month("2020-01")),
    );
    let overview = overview(&facts, &|_| true, None, Vec::new(), &[]);
    let row = &overview.rows[0];
    assert_eq!(
        (overview.first_month.as_str(), overview.last_month.as_str()),
        ("2025-11", "2026-10")
    );
    assert_eq!(row.offences, 3);
    assert_eq!(row.before, Some(4));
    assert_eq!(row.change, Some(-25.0));
    assert_eq!(row.days_since_last, Some(10));
    assert_eq!(row.rate.unwrap().per_1000, 3.0);
    assert_eq!(
        row.completeness,
        Completeness {
            reported: 2,
            expected: 12
        }
    );
    // The bulletin's month: October 2026 against October 2025, closed.
    assert_eq!(
        row.last_month,
        MonthFigures {
            offences: 2,
            year_before: Some(7),
            reported: Some(true)
        }
    );
}

#[test]
fn a_month_outside_the_program_is_not_due_and_before_the_records_is_unknown() {
    let villages = [village("c", "d", ProgramStatus::NotJoined, None)];
    let counts = Counts {
        offences: vec![count("c", "2026-10", 1)],
        ..Counts::default()
    };
    let (closings, last) = (HashSet::new(), HashMap::new());
    let facts = Facts::new(
        &villages,
        &counts,
        &closings,
        &last,
        "2026-11-30",
        "now".into(),
        Some(month("2026-01")),
    );
    let row = &overview(&facts, &|_| true, None, Vec::new(), &[]).rows[0];
    assert_eq!(
        row.last_month,
        MonthFigures {
            offences: 1,
            year_before: None,
            reported: None
        }
    );
}

fn theme(month: &str, category: &str, kind: &str, offences: i64) -> ThemeCount {
    ThemeCount {
        month: month.into(),
        category: category.into(),
        kind: kind.into(),
        offences,
    }
}

#[test]
fn themes_put_administrative_and_criminal_apart_most_frequent_first() {
    let counts = [
        theme("2026-01", "theft", "criminal", 2),
        theme("2026-02", "grazing", "administrative", 5),
        theme("2026-03", "theft", "administrative", 1),
    ];
    let rows = themes(&counts, month("2026-01"), month("2026-03"));
    assert_eq!(rows[0].category, "grazing");
    assert_eq!((rows[1].administrative, rows[1].criminal), (1, 2));
}

#[test]
fn themes_count_each_month_of_the_window_and_nothing_outside_it() {
    let counts = [
        theme("2025-12", "theft", "criminal", 9),
        theme("2026-01", "theft", "criminal", 2),
        theme("2026-01", "theft", "administrative", 1),
        theme("2026-03", "theft", "administrative", 4),
        theme("2026-04", "theft", "administrative", 7),
    ];
    let rows = themes(&counts, month("2026-01"), month("2026-03"));
    assert_eq!(rows.len(), 1);
    let theft = &rows[0];
    let by_month: Vec<(u64, u64)> = theft
        .months
        .iter()
        .map(|m| (m.administrative, m.criminal))
        .collect();
    assert_eq!(by_month, vec![(1, 2), (0, 0), (4, 0)]);
    assert_eq!(
        (theft.administrative, theft.criminal),
        (5, 2),
        "the sums of the months"
    );
}

#[test]
fn the_effect_sets_joined_villages_against_the_comparison_villages_of_their_district() {
    let villages = [
        village("joined", "d1", ProgramStatus::Joined, Some("2026-04-10")),
        village("other", "d1", ProgramStatus::NotJoined, None),
        village("far", "d2", ProgramStatus::NotJoined, None),
    ];
    // Joined in April 2026, last complete month October: May–October after and the six months
    // before the joining month (October 2025 – March 2026) before; April itself is left out.
    let counts = Counts {
        offences: vec![
            count("joined", "2025-10", 6),
            count("joined", "2026-04", 9),
            count("joined", "2026-05", 3),
            count("other", "2025-11", 5),
            count("other", "2026-10", 5),
            count("far", "2026-06", 50),
        ],
        ..Counts::default()
    };
    let none = HashSet::new();
    let last = HashMap::new();
    let facts = Facts::new(
        &villages,
        &counts,
        &none,
        &last,
        "2026-11-02",
        "now".into(),
        Some(month("2020-01")),
    );
    let report = overview(&facts, &|_| true, None, Vec::new(), &[]).effect;
    assert_eq!(
        report.counts,
        BeforeAfter {
            program_before: 6,
            program_after: 3,
            comparison_before: 5,
            comparison_after: 5
        }
    );
    assert_eq!((report.villages, report.comparison_villages), (1, 1));
    assert!((report.estimate.unwrap().ratio - 0.5).abs() < 1e-12);
}

#[test]
fn the_trend_draws_its_limits_from_the_months_before_joining() {
    let villages = [village("a", "d", ProgramStatus::Joined, Some("2026-01-05"))];
    let mut offences: Vec<Count> = month("2025-01")
        .run(12)
        .map(|m| count("a", &m.to_string(), 4))
        .collect();
    offences.push(count("a", "2026-02", 1));
    let counts = Counts {
        offences,
        ..Counts::default()
    };
    let closings = HashSet::from([("a".to_owned(), month("2026-03"))]);
    let last = HashMap::new();
    let facts = Facts::new(
        &villages,
        &counts,
        &closings,
        &last,
        "2026-11-30",
        "now".into(),
        Some(month("2020-01")),
    );
    let trend = trend(&facts, &villages[0]);
    assert_eq!(trend.months.len(), 24);
    assert_eq!(trend.months[0].month, "2024-11");
    assert_eq!(trend.baseline, Baseline::BeforeJoining);
    let limits = trend.limits.unwrap();
    // 24 baseline months (January 2024 to December 2025), 12 of them with 4: a mean of 2.
    assert!((limits.centre - 2.0).abs() < 1e-12, "{limits:?}");
    assert_eq!(trend.joined_month.as_deref(), Some("2026-01"));
    let february = trend.months.iter().find(|m| m.month == "2026-02").unwrap();
    assert_eq!((february.offences, february.year_before), (1, Some(4)));
    assert!(
        trend
            .months
            .iter()
            .find(|m| m.month == "2026-03")
            .unwrap()
            .reported
    );
}

#[test]
fn months_before_any_offence_on_record_are_unknown_not_zero() {
    let villages = [village("a", "d", ProgramStatus::Joined, Some("2026-01-05"))];
    let counts = Counts {
        offences: vec![count("a", "2025-12", 2), count("a", "2026-03", 1)],
        ..Counts::default()
    };
    let none = HashSet::new();
    let last = HashMap::new();
    // Offences were first recorded in December 2025, a month before the village joined.
    let facts = Facts::new(
        &villages,
        &counts,
        &none,
        &last,
        "2026-11-30",
        "now".into(),
        Some(month("2025-12")),
    );
    let row = &overview(&facts, &|_| true, None, Vec::new(), &[]).rows[0];
    assert_eq!(
        row.before, None,
        "nothing to compare with, not a fall from zero"
    );
    // Completeness counts the months since joining only.
    assert_eq!(row.completeness.expected, 10);
    let trend = trend(&facts, &villages[0]);
    assert_eq!(
        trend.baseline,
        Baseline::AllShown,
        "one month before joining is too few"
    );
    assert_eq!(
        trend
            .months
            .iter()
            .find(|m| m.month == "2026-03")
            .unwrap()
            .year_before,
        None
    );
}
