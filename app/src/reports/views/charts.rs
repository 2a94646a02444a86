//! The three charts as SVG markup, built from `chart`'s scales. Each has a title and a
//! description the screen reader reads, and its data is the table beside it.
use super::super::chart::{
    label, polyline, ticks, x_range, y_scale, Linear, Log, HEIGHT, MARGIN, WIDTH,
};
use super::super::stats::BeforeAfter;
use super::super::types::{Baseline, Funnel, Trend};
use super::format::month_label;
use super::format::name;
use crate::i18n::*;
use leptos::prelude::*;

const VIEW_BOX: &str = "0 0 640 320";

/// The y axis: grid lines with their values.
fn y_axis(top_ticks: &[f64]) -> impl IntoView {
    let top = top_ticks.last().copied().unwrap_or(1.0);
    let y = y_scale(top);
    let (left, right) = x_range();
    top_ticks
        .iter()
        .map(|&value| {
            let at = y.at(value);
            view! {
                <line class="grid" x1=left y1=at x2=right y2=at />
                <text class="tick" x=left - 6.0 y=at + 4.0 text-anchor="end">{label(value)}</text>
            }
        })
        .collect_view()
}

#[component]
pub fn FunnelChart(funnel: Funnel) -> impl IntoView {
    let i18n = use_i18n();
    if funnel.points.is_empty() || funnel.limits.is_empty() {
        return view! { <p class="notice" id="funnel-empty">{t!(i18n, reports.funnel_empty)}</p> }
            .into_any();
    }
    let first = funnel.limits.first().map(|l| l.population).unwrap_or(1) as f64;
    let last = funnel.limits.last().map(|l| l.population).unwrap_or(2) as f64;
    let highest = funnel
        .limits
        .iter()
        .map(|l| l.upper_998)
        .chain(funnel.points.iter().map(|p| p.per_1000))
        .fold(0.0, f64::max);
    let y_ticks = ticks(highest, 5);
    let y = y_scale(y_ticks.last().copied().unwrap_or(1.0));
    let x = Log {
        domain: (first, last.max(first + 1.0)),
        range: x_range(),
    };
    let curve = |pick: fn(&super::super::stats::FunnelLimits) -> f64| {
        polyline(
            &funnel
                .limits
                .iter()
                .map(|l| (x.at(l.population as f64), y.at(pick(l))))
                .collect::<Vec<_>>(),
        )
    };
    let target = y.at(funnel.target_per_1000);
    let (left, right) = x_range();
    let x_ticks: Vec<f64> = [
        100.0, 200.0, 500.0, 1_000.0, 2_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0,
    ]
    .into_iter()
    .filter(|p| *p >= first && *p <= last)
    .collect();
    let bottom = HEIGHT - MARGIN.3;
    let target_text = super::format::one_decimal(funnel.target_per_1000);
    view! {
        <figure class="chart">
            <svg viewBox=VIEW_BOX role="img" aria-labelledby="funnel-svg-title funnel-svg-desc" id="funnel-chart">
                <title id="funnel-svg-title">{t!(i18n, reports.funnel_title)}</title>
                <desc id="funnel-svg-desc">
                    {t!(i18n, reports.funnel_desc)} " " {target_text.clone()}
                </desc>
                {y_axis(&y_ticks)}
                {x_ticks
                    .into_iter()
                    .map(|p| {
                        let at = x.at(p);
                        view! {
                            <text class="tick" x=at y=bottom + 16.0 text-anchor="middle">{label(p)}</text>
                        }
                    })
                    .collect_view()}
                <line class="target" x1=left y1=target x2=right y2=target />
                <path class="limit-95" d=curve(|l| l.upper_95) />
                <path class="limit-95" d=curve(|l| l.lower_95) />
                <path class="limit-998" d=curve(|l| l.upper_998) />
                <path class="limit-998" d=curve(|l| l.lower_998) />
                {funnel
                    .points
                    .iter()
                    .map(|point| {
                        let village = point.village.clone();
                        view! {
                            <circle class="point" cx=x.at(point.population as f64) cy=y.at(point.per_1000) r="6">
                                <title>{move || name(i18n, &village)}</title>
                            </circle>
                        }
                    })
                    .collect_view()}
                <text class="axis" x=(left + right) / 2.0 y=HEIGHT - 4.0 text-anchor="middle">
                    {t!(i18n, reports.axis_population)}
                </text>
                <text class="axis" x="8" y="16">{t!(i18n, reports.axis_rate)}</text>
            </svg>
            <figcaption>{t!(i18n, reports.funnel_caption)}</figcaption>
        </figure>
    }
    .into_any()
}

#[component]
pub fn ControlChart(trend: Trend) -> impl IntoView {
    let i18n = use_i18n();
    let months = trend.months.clone();
    let limits = trend.limits;
    let highest = months
        .iter()
        .flat_map(|m| [m.offences, m.year_before.unwrap_or(0)])
        .max()
        .unwrap_or(0) as f64;
    let y_ticks = ticks(highest.max(limits.map(|l| l.upper).unwrap_or(0.0)), 5);
    let y = y_scale(y_ticks.last().copied().unwrap_or(1.0));
    let x = Linear {
        domain: (0.0, months.len().saturating_sub(1).max(1) as f64),
        range: (MARGIN.0 + 8.0, WIDTH - MARGIN.1 - 8.0),
    };
    // A line through the months that have a value (the year before may start later).
    let series = |pick: fn(&super::super::types::TrendMonth) -> Option<u64>| {
        polyline(
            &months
                .iter()
                .enumerate()
                .filter_map(|(i, m)| Some((x.at(i as f64), y.at(pick(m)? as f64))))
                .collect::<Vec<_>>(),
        )
    };
    let (left, right) = x_range();
    let bottom = HEIGHT - MARGIN.3;
    let joined_at = trend
        .joined_month
        .as_ref()
        .and_then(|joined| months.iter().position(|m| &m.month == joined))
        .map(|i| x.at(i as f64));
    let baseline = trend.baseline;
    let village = trend.village.clone();
    view! {
        <figure class="chart">
            <svg viewBox=VIEW_BOX role="img" aria-labelledby="trend-svg-title trend-svg-desc" id="trend-chart">
                <title id="trend-svg-title">
                    {t!(i18n, reports.trend_title)} ": " {move || name(i18n, &village)}
                </title>
                <desc id="trend-svg-desc">
                    {t!(i18n, reports.trend_desc)} " "
                    {move || match baseline {
                        Baseline::BeforeJoining => t_string!(i18n, reports.baseline_before),
                        Baseline::AllShown => t_string!(i18n, reports.baseline_all),
                    }}
                </desc>
                {y_axis(&y_ticks)}
                {limits
                    .map(|l| {
                        let (c, u, lo) = (y.at(l.centre), y.at(l.upper), y.at(l.lower));
                        view! {
                            <line class="centre" x1=left y1=c x2=right y2=c />
                            <line class="limit-998" x1=left y1=u x2=right y2=u />
                            <line class="limit-998" x1=left y1=lo x2=right y2=lo />
                        }
                    })}
                {joined_at
                    .map(|at| {
                        view! {
                            <line class="joined" x1=at y1=MARGIN.2 x2=at y2=bottom />
                            <text class="tick" x=at + 4.0 y=MARGIN.2 + 12.0>{t!(i18n, reports.joined_marker)}</text>
                        }
                    })}
                <path class="year-before" d=series(|m| m.year_before) />
                <path class="series" d=series(|m| Some(m.offences)) />
                {months
                    .iter()
                    .enumerate()
                    .map(|(i, m)| {
                        let out = limits.is_some_and(|l| m.offences as f64 > l.upper);
                        let text = (i % 3 == 0).then(|| month_label(&m.month));
                        view! {
                            <circle
                                class=if out { "point out" } else { "point" }
                                class:gap=!m.reported
                                cx=x.at(i as f64)
                                cy=y.at(m.offences as f64)
                                r="4"
                            />
                            {text
                                .map(|text| {
                                    view! {
                                        <text class="tick" x=x.at(i as f64) y=bottom + 16.0 text-anchor="middle">{text}</text>
                                    }
                                })}
                        }
                    })
                    .collect_view()}
            </svg>
            <figcaption>{t!(i18n, reports.trend_caption)}</figcaption>
        </figure>
    }
}

#[component]
pub fn EffectChart(counts: BeforeAfter) -> impl IntoView {
    let i18n = use_i18n();
    // After as a share of before, each side on its own: 100 is no change.
    let index =
        |before: u64, after: u64| (before > 0).then(|| after as f64 / before as f64 * 100.0);
    let program = index(counts.program_before, counts.program_after);
    let comparison = index(counts.comparison_before, counts.comparison_after);
    let y_ticks = ticks(
        program
            .unwrap_or(0.0)
            .max(comparison.unwrap_or(0.0))
            .max(100.0),
        4,
    );
    let y = y_scale(y_ticks.last().copied().unwrap_or(100.0));
    let bottom = HEIGHT - MARGIN.3;
    let bar = |slot: f64, value: Option<f64>, class: &'static str| {
        value.map(|value| {
            let top = y.at(value);
            view! {
                <rect class=class x=MARGIN.0 + slot * 140.0 + 40.0 y=top width="100" height=bottom - top />
                <text class="tick" x=MARGIN.0 + slot * 140.0 + 90.0 y=top - 6.0 text-anchor="middle">
                    {format!("{value:.0}")}
                </text>
            }
        })
    };
    view! {
        <figure class="chart">
            <svg viewBox=VIEW_BOX role="img" aria-labelledby="effect-svg-title effect-svg-desc" id="effect-chart">
                <title id="effect-svg-title">{t!(i18n, reports.effect_title)}</title>
                <desc id="effect-svg-desc">{t!(i18n, reports.effect_desc)}</desc>
                {y_axis(&y_ticks)}
                <line class="target" x1=MARGIN.0 y1=y.at(100.0) x2=WIDTH - MARGIN.1 y2=y.at(100.0) />
                {bar(0.0, program, "bar program")}
                {bar(2.0, comparison, "bar comparison")}
                <text class="tick" x=MARGIN.0 + 90.0 y=bottom + 16.0 text-anchor="middle">
                    {t!(i18n, reports.program_villages)}
                </text>
                <text class="tick" x=MARGIN.0 + 370.0 y=bottom + 16.0 text-anchor="middle">
                    {t!(i18n, reports.comparison_villages)}
                </text>
            </svg>
            <figcaption>{t!(i18n, reports.effect_caption)}</figcaption>
        </figure>
    }
}
