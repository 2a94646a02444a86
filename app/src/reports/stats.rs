//! The statistics of the program's results (docs/program-results.md), the one place they are
//! written: rates with exact Poisson intervals, funnel limits, control-chart limits, the
//! before/after estimate against comparison villages, and reporting completeness. Pure
//! functions of counts, so the tests check them against values worked out by hand. The
//! distributions come from statrs and are used on the server only; the browser gets the types.
#[cfg(feature = "ssr")]
use statrs::distribution::{ContinuousCDF, DiscreteCDF, Gamma, Poisson};

/// The two-sided 95 % point of the standard normal distribution.
pub const Z95: f64 = 1.959_963_984_540_054;

/// The exact (Garwood) interval for the mean of a Poisson count at `level` (0.95 for 95 %):
/// the gamma quantiles that bound the mean for which the observed count is just in the tail.
#[cfg(feature = "ssr")]
pub fn poisson_interval(count: u64, level: f64) -> (f64, f64) {
    let tail = (1.0 - level) / 2.0;
    let quantile = |shape: f64, p: f64| {
        Gamma::new(shape, 1.0)
            .map(|gamma| gamma.inverse_cdf(p))
            .unwrap_or(0.0)
    };
    let lower = if count == 0 {
        0.0
    } else {
        quantile(count as f64, tail)
    };
    (lower, quantile(count as f64 + 1.0, 1.0 - tail))
}

/// A rate per 1,000 residents with its 95 % interval.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rate {
    pub per_1000: f64,
    pub lower: f64,
    pub upper: f64,
}

/// The rate of `count` events among `population` residents over the period counted; `None`
/// without a population.
#[cfg(feature = "ssr")]
pub fn rate_per_1000(count: u64, population: i64) -> Option<Rate> {
    Rates::default().per_1000(count, population)
}

/// Rates of many villages at once: the interval depends on the count alone and is worked out
/// once per count, since a gamma quantile costs tens of microseconds and a region of 6,000
/// villages has only a few dozen distinct counts.
#[cfg(feature = "ssr")]
#[derive(Default)]
pub struct Rates {
    intervals: std::collections::HashMap<u64, (f64, f64)>,
}

#[cfg(feature = "ssr")]
impl Rates {
    /// The same as `rate_per_1000`.
    pub fn per_1000(&mut self, count: u64, population: i64) -> Option<Rate> {
        if population <= 0 {
            return None;
        }
        let scale = 1000.0 / population as f64;
        let (lower, upper) = *self
            .intervals
            .entry(count)
            .or_insert_with(|| poisson_interval(count, 0.95));
        Some(Rate {
            per_1000: count as f64 * scale,
            lower: lower * scale,
            upper: upper * scale,
        })
    }
}

/// The change from `before` to `after` in per cent; `None` when nothing happened before.
pub fn change_percent(before: u64, after: u64) -> Option<f64> {
    (before > 0).then(|| (after as f64 - before as f64) / before as f64 * 100.0)
}

/// The count a village of expected count `expected` stays under with probability `p`, with
/// the interpolation between whole counts of Spiegelhalter's funnel plots (Statistics in
/// Medicine, 2005), so the limits are smooth curves rather than steps.
#[cfg(feature = "ssr")]
pub fn poisson_limit(expected: f64, p: f64) -> f64 {
    if expected <= 0.0 {
        return 0.0;
    }
    let Ok(poisson) = Poisson::new(expected) else {
        return 0.0;
    };
    // The smallest count whose cumulative probability reaches p; walking up from below the
    // mean by whole counts takes a few dozen steps for the counts a village has.
    let start = (expected - 10.0 * expected.sqrt() - 10.0).max(0.0) as u64;
    let mut count = start;
    while poisson.cdf(count) < p {
        count += 1;
    }
    let at = poisson.cdf(count);
    let below = if count == 0 {
        0.0
    } else {
        poisson.cdf(count - 1)
    };
    let share = if at > below {
        (at - p) / (at - below)
    } else {
        0.0
    };
    (count as f64 - share).max(0.0)
}

/// The funnel's limits at one population, as rates per 1,000.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FunnelLimits {
    pub population: i64,
    pub lower_95: f64,
    pub upper_95: f64,
    pub lower_998: f64,
    pub upper_998: f64,
}

/// The 95 % and 99.8 % limits around `target_per_1000` for a village of `population`: a village
/// outside them differs from the target by more than chance would make a village of its size.
#[cfg(feature = "ssr")]
pub fn funnel_limits(target_per_1000: f64, population: i64) -> FunnelLimits {
    let expected = target_per_1000 * population as f64 / 1000.0;
    let rate = |p: f64| poisson_limit(expected, p) * 1000.0 / population.max(1) as f64;
    FunnelLimits {
        population,
        lower_95: rate(0.025),
        upper_95: rate(0.975),
        lower_998: rate(0.001),
        upper_998: rate(0.999),
    }
}

/// A c-chart: counts per month against the centre line (the mean of the baseline months) and
/// the three-sigma limits of a Poisson count, the lower one cut at zero.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ControlLimits {
    pub centre: f64,
    pub lower: f64,
    pub upper: f64,
}

pub fn c_chart(baseline: &[u64]) -> Option<ControlLimits> {
    if baseline.is_empty() {
        return None;
    }
    let centre = baseline.iter().sum::<u64>() as f64 / baseline.len() as f64;
    let spread = 3.0 * centre.sqrt();
    Some(ControlLimits {
        centre,
        lower: (centre - spread).max(0.0),
        upper: centre + spread,
    })
}

/// Counts before and after joining in the program's villages and, over the same months, in the
/// comparison villages.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BeforeAfter {
    pub program_before: u64,
    pub program_after: u64,
    pub comparison_before: u64,
    pub comparison_after: u64,
}

/// The difference in differences, as the ratio of the two rate ratios: 0.6 means offences in
/// the program's villages went to 60 % of what the comparison villages' trend predicts.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Effect {
    pub ratio: f64,
    pub lower: f64,
    pub upper: f64,
    /// Some count is under `SMALL_COUNT`: the interval is wide and the estimate may move a lot.
    pub provisional: bool,
}

/// Below this many offences in any of the four cells the estimate is labelled provisional.
pub const SMALL_COUNT: u64 = 10;

/// The estimate with its 95 % interval from the log of the ratio, whose variance is the sum
/// of the four counts' reciprocals. A zero cell gets half an offence added to every cell
/// (Haldane's correction). `None` when either side has no offence at all.
pub fn difference_in_differences(counts: BeforeAfter) -> Option<Effect> {
    let cells = [
        counts.program_before,
        counts.program_after,
        counts.comparison_before,
        counts.comparison_after,
    ];
    if counts.program_before + counts.program_after == 0
        || counts.comparison_before + counts.comparison_after == 0
    {
        return None;
    }
    let correction = if cells.contains(&0) { 0.5 } else { 0.0 };
    let [a0, a1, c0, c1] = cells.map(|count| count as f64 + correction);
    let log_ratio = (a1 / a0).ln() - (c1 / c0).ln();
    let spread = Z95 * (1.0 / a0 + 1.0 / a1 + 1.0 / c0 + 1.0 / c1).sqrt();
    Some(Effect {
        ratio: log_ratio.exp(),
        lower: (log_ratio - spread).exp(),
        upper: (log_ratio + spread).exp(),
        provisional: cells.iter().any(|&count| count < SMALL_COUNT),
    })
}

/// Months reported (closed by the inspector) out of the months that should have been.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Completeness {
    pub reported: u32,
    pub expected: u32,
}

impl Completeness {
    /// The share reported in per cent; `None` when no month was due.
    pub fn percent(self) -> Option<f64> {
        (self.expected > 0).then(|| f64::from(self.reported) / f64::from(self.expected) * 100.0)
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) {
        assert!(
            (actual - expected).abs() <= tolerance,
            "{actual} is not within {tolerance} of {expected}"
        );
    }

    #[test]
    fn exact_poisson_intervals_match_the_published_tables() {
        // 0 events: the upper bound is -ln(0.025).
        let (lower, upper) = poisson_interval(0, 0.95);
        assert_eq!(lower, 0.0);
        close(upper, -(0.025_f64).ln(), 1e-6);
        // 1 event: the lower bound is -ln(0.975); the upper one 5.5716 (Garwood's table).
        let (lower, upper) = poisson_interval(1, 0.95);
        close(lower, -(0.975_f64).ln(), 1e-6);
        close(upper, 5.5716, 1e-4);
        // 10 events: 4.7954 to 18.3904.
        let (lower, upper) = poisson_interval(10, 0.95);
        close(lower, 4.7954, 1e-4);
        close(upper, 18.3904, 1e-4);
    }

    #[test]
    fn a_rate_is_per_1000_residents_with_the_interval_scaled_alike() {
        // 10 offences among 2,000 residents: 5 per 1,000, 2.3977 to 9.1952.
        let rate = rate_per_1000(10, 2000).unwrap();
        close(rate.per_1000, 5.0, 1e-12);
        close(rate.lower, 2.3977, 1e-4);
        close(rate.upper, 9.1952, 1e-4);
        assert_eq!(rate_per_1000(3, 0), None);
    }

    #[test]
    fn rates_of_many_villages_reuse_each_count_s_interval_scaled_to_each_population() {
        let mut rates = Rates::default();
        let small = rates.per_1000(10, 2000).unwrap();
        let large = rates.per_1000(10, 4000).unwrap();
        close(small.upper, 9.1952, 1e-4);
        // Twice the residents, the same count: half the rate and half each limit.
        close(large.per_1000, 2.5, 1e-12);
        close(large.lower, 2.3977 / 2.0, 1e-4);
        close(large.upper, 9.1952 / 2.0, 1e-4);
        assert_eq!(rates.per_1000(0, 500), rate_per_1000(0, 500));
        assert_eq!(rates.per_1000(3, -1), None);
    }

    #[test]
    fn change_is_relative_to_before_and_unknown_from_nothing() {
        assert_eq!(change_percent(8, 6), Some(-25.0));
        assert_eq!(change_percent(4, 6), Some(50.0));
        assert_eq!(change_percent(0, 3), None);
    }

    #[test]
    fn funnel_limits_interpolate_between_whole_counts() {
        // Expected 4: F(7) = 0.948866, F(8) = 0.978637, so the 97.5 % limit is
        // 8 - (0.978637 - 0.975) / (0.978637 - 0.948866) = 7.87784.
        close(poisson_limit(4.0, 0.975), 7.87784, 1e-4);
        // F(0) = 0.018316, F(1) = 0.091578: 1 - (0.091578 - 0.025) / 0.073263 = 0.09124.
        close(poisson_limit(4.0, 0.025), 0.09124, 1e-4);
        assert_eq!(poisson_limit(0.0, 0.975), 0.0);
        // 5 per 1,000 among 800 residents is the expected 4 above, back as a rate.
        let limits = funnel_limits(5.0, 800);
        close(limits.upper_95, 7.87784 / 0.8, 1e-3);
        close(limits.lower_95, 0.09124 / 0.8, 1e-3);
        assert!(limits.upper_998 > limits.upper_95 && limits.lower_998 <= limits.lower_95);
    }

    #[test]
    fn funnels_narrow_as_villages_grow() {
        let small = funnel_limits(5.0, 300);
        let large = funnel_limits(5.0, 30_000);
        assert!(small.upper_95 - small.lower_95 > large.upper_95 - large.lower_95);
        close(large.upper_95, 5.8, 0.1);
    }

    #[test]
    fn c_chart_limits_are_three_sigma_of_the_mean_count() {
        // Baseline mean 4: 4 ± 3·2, the lower one cut at zero.
        let limits = c_chart(&[2, 6, 4, 4]).unwrap();
        assert_eq!(
            limits,
            ControlLimits {
                centre: 4.0,
                lower: 0.0,
                upper: 10.0
            }
        );
        // Mean 16: 16 ± 12.
        let limits = c_chart(&[16; 12]).unwrap();
        assert_eq!((limits.lower, limits.upper), (4.0, 28.0));
        assert_eq!(c_chart(&[]), None);
    }

    #[test]
    fn difference_in_differences_is_the_ratio_of_rate_ratios() {
        // Program 40 → 20, comparison 30 → 30: ratio 0.5, standard error of its log
        // sqrt(1/40 + 1/20 + 1/30 + 1/30) = 0.376386, so 0.5·exp(∓1.96·0.376386).
        let effect = difference_in_differences(BeforeAfter {
            program_before: 40,
            program_after: 20,
            comparison_before: 30,
            comparison_after: 30,
        })
        .unwrap();
        close(effect.ratio, 0.5, 1e-12);
        close(effect.lower, 0.23910, 1e-4);
        close(effect.upper, 1.04558, 1e-4);
        assert!(!effect.provisional);
    }

    #[test]
    fn small_and_empty_cells_are_corrected_and_marked_provisional() {
        // A zero cell: every cell gets half an offence: (0.5/6.5) / (5.5/4.5).
        let effect = difference_in_differences(BeforeAfter {
            program_before: 6,
            program_after: 0,
            comparison_before: 4,
            comparison_after: 5,
        })
        .unwrap();
        close(effect.ratio, (0.5 / 6.5) / (5.5 / 4.5), 1e-12);
        assert!(effect.provisional);
        // Nothing at all on one side: no estimate.
        let none = BeforeAfter {
            program_before: 3,
            program_after: 2,
            ..BeforeAfter::default()
        };
        assert_eq!(difference_in_differences(none), None);
    }

    #[test]
    fn completeness_is_the_share_of_due_months_reported() {
        let part = Completeness {
            reported: 9,
            expected: 12,
        };
        assert_eq!(part.percent(), Some(75.0));
        assert_eq!(Completeness::default().percent(), None);
    }
}
