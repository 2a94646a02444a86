//! The reports' tables: every chart's data is one of these, beside it.
use super::super::stats::Effect;
use super::super::types::{CouncilMonth, EffectReport, Kind, OverviewRow, ThemeRow, TrendMonth};
use super::format::{month_label, name, one_decimal, signed_percent};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

#[component]
pub fn OverviewTable(rows: Vec<OverviewRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="overview-heading">
            <table id="overview-table" class="report">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, reports.col_village)}</th>
                        <th scope="col">{t!(i18n, reports.col_district)}</th>
                        <th scope="col">{t!(i18n, reports.col_population)}</th>
                        <th scope="col">{t!(i18n, reports.col_offences)}</th>
                        <th scope="col">{t!(i18n, reports.col_repeats)}</th>
                        <th scope="col">{t!(i18n, reports.col_rate)}</th>
                        <th scope="col">{t!(i18n, reports.col_before)}</th>
                        <th scope="col">{t!(i18n, reports.col_change)}</th>
                        <th scope="col">{t!(i18n, reports.col_days_since)}</th>
                        <th scope="col">{t!(i18n, reports.col_completeness)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <OverviewLine row /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn OverviewLine(row: OverviewRow) -> impl IntoView {
    let i18n = use_i18n();
    let href = format!("/reports/villages/{}", row.village_id);
    let village = row.village.clone();
    let district = row.district.clone();
    let rate = row.rate.map(|rate| {
        format!(
            "{} ({}–{})",
            one_decimal(rate.per_1000),
            one_decimal(rate.lower),
            one_decimal(rate.upper)
        )
    });
    let completeness = row.completeness;
    let status = row.status;
    let joined_on = row.joined_on.clone();
    view! {
        <tr data-village=row.village_id.clone()>
            <th scope="row">
                <a href=href>{move || name(i18n, &village)}</a>
                <br />
                <small>{move || crate::places::status_label(i18n, status, joined_on.as_deref())}</small>
            </th>
            <td>{move || name(i18n, &district)}</td>
            <td data-cell="population">{row.population.map(|p| p.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td data-cell="offences">{row.offences}</td>
            <td data-cell="repeats">{row.repeats}</td>
            <td data-cell="rate">{rate.unwrap_or_else(|| "—".into())}</td>
            <td data-cell="before">{row.before.map(|b| b.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td data-cell="change">{row.change.map(signed_percent).unwrap_or_else(|| "—".into())}</td>
            <td data-cell="days-since">{row.days_since_last.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}</td>
            <td data-cell="completeness">
                {format!("{}/{}", completeness.reported, completeness.expected)}
            </td>
        </tr>
    }
}

/// The estimate in words: "−40 % (95 % interval −70 % … +10 %)", provisional or not.
fn effect_words(i18n: I18nContext<Locale>, effect: Effect) -> String {
    let percent = |ratio: f64| signed_percent((ratio - 1.0) * 100.0);
    let words = format!(
        "{} ({} {} … {})",
        percent(effect.ratio),
        t_string!(i18n, reports.interval_95),
        percent(effect.lower),
        percent(effect.upper)
    );
    if effect.provisional {
        format!("{words}. {}", t_string!(i18n, reports.provisional))
    } else {
        words
    }
}

#[component]
pub fn EffectView(effect: EffectReport) -> impl IntoView {
    let i18n = use_i18n();
    let counts = effect.counts;
    let estimate = effect.estimate;
    let withheld = effect.withheld;
    view! {
        <p class="hint">{t!(i18n, reports.effect_hint)}</p>
        <super::charts::EffectChart counts />
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="effect-heading">
        <table id="effect-table" class="report">
            <thead>
                <tr>
                    <td></td>
                    <th scope="col">{t!(i18n, reports.before_joining)}</th>
                    <th scope="col">{t!(i18n, reports.after_joining)}</th>
                </tr>
            </thead>
            <tbody>
                <tr>
                    <th scope="row">
                        {t!(i18n, reports.program_villages)} " (" {effect.villages} ")"
                    </th>
                    <td data-cell="program-before">{counts.program_before}</td>
                    <td data-cell="program-after">{counts.program_after}</td>
                </tr>
                <tr>
                    <th scope="row">
                        {t!(i18n, reports.comparison_villages)} " (" {effect.comparison_villages} ")"
                    </th>
                    <td data-cell="comparison-before">{counts.comparison_before}</td>
                    <td data-cell="comparison-after">{counts.comparison_after}</td>
                </tr>
            </tbody>
        </table>
        </div>
        <p id="effect-estimate" data-provisional=estimate.map(|e| e.provisional.to_string())>
            <strong>{t!(i18n, reports.effect_estimate)} ": "</strong>
            {move || match estimate {
                Some(effect) => effect_words(i18n, effect),
                None if withheld => t_string!(i18n, reports.effect_withheld).to_owned(),
                None => t_string!(i18n, reports.no_estimate).to_owned(),
            }}
        </p>
    }
}

#[component]
pub fn ThemesTable(themes: Vec<ThemeRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="themes-heading">
        <table id="themes-table" class="report">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, reports.col_category)}</th>
                    <th scope="col">{t!(i18n, reports.col_administrative)}</th>
                    <th scope="col">{t!(i18n, reports.col_criminal)}</th>
                </tr>
            </thead>
            <tbody>
                {themes
                    .into_iter()
                    .map(|row| {
                        let category = row.category.clone();
                        view! {
                            <tr data-category=row.category.clone()>
                                <th scope="row">{move || crate::offences::category_label(i18n, &category)}</th>
                                <td>{row.administrative}</td>
                                <td>{row.criminal}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// Each category and kind that had offences, month by month (the overview's months), with the
/// 12 months' sum first. A copy kept before months were counted shows the sums only.
#[component]
pub fn ThemesByMonthTable(themes: Vec<ThemeRow>, months: Vec<String>) -> impl IntoView {
    let i18n = use_i18n();
    // A copy kept before the months were counted has none: its table has no month columns.
    let months = if themes.iter().all(|row| row.months.is_empty()) {
        Vec::new()
    } else {
        months
    };
    let rows: Vec<(ThemeRow, Kind)> = themes
        .into_iter()
        .flat_map(|row| Kind::BOTH.map(|kind| (row.clone(), kind)))
        .filter(|(row, kind)| row.total().of(*kind) > 0)
        .collect();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="themes-heading">
        <table id="themes-table" class="report">
            <thead>
                <tr>
                    <th scope="col">{t!(i18n, reports.col_category)}</th>
                    <th scope="col">{t!(i18n, reports.col_kind)}</th>
                    <th scope="col">{t!(i18n, reports.col_twelve_months)}</th>
                    {months.iter().map(|month| view! { <th scope="col">{month_label(month)}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {rows
                    .into_iter()
                    .map(|(row, kind)| {
                        let category = row.category.clone();
                        view! {
                            <tr data-category=row.category.clone() data-kind=kind.code()>
                                <th scope="row">{move || crate::offences::category_label(i18n, &category)}</th>
                                <td>{move || crate::offences::kind_label(i18n, kind.code())}</td>
                                <td>{row.total().of(kind)}</td>
                                {row.months.iter().map(|month| view! { <td>{month.of(kind)}</td> }).collect_view()}
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
        </div>
    }
}

#[component]
pub fn TrendTable(months: Vec<TrendMonth>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="trend-title">
            <table id="trend-table" class="report">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, reports.col_month)}</th>
                        <th scope="col">{t!(i18n, reports.col_offences)}</th>
                        <th scope="col">{t!(i18n, reports.col_repeats)}</th>
                        <th scope="col">{t!(i18n, reports.col_year_before)}</th>
                        <th scope="col">{t!(i18n, reports.col_reported)}</th>
                    </tr>
                </thead>
                <tbody>
                    {months
                        .into_iter()
                        .map(|month| {
                            let reported = month.reported;
                            view! {
                                <tr data-month=month.month.clone() data-reported=reported.to_string()>
                                    <th scope="row">{month_label(&month.month)}</th>
                                    <td>{month.offences}</td>
                                    <td>{month.repeats}</td>
                                    <td>{month.year_before.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td>
                                        {move || {
                                            if reported {
                                                t_string!(i18n, reports.reported)
                                            } else {
                                                t_string!(i18n, reports.not_reported)
                                            }
                                        }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn CouncilTable(months: Vec<CouncilMonth>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="council-work-heading">
            <table id="council-table" class="report">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, reports.col_month)}</th>
                        <th scope="col">{t!(i18n, reports.col_tasks_done)}</th>
                        <th scope="col">{t!(i18n, reports.col_tasks_overdue)}</th>
                        <th scope="col">{t!(i18n, reports.col_proposals)}</th>
                        <th scope="col">{t!(i18n, reports.col_proposals_taken_up)}</th>
                        <th scope="col">{t!(i18n, reports.col_events)}</th>
                        <th scope="col">{t!(i18n, reports.col_attendance)}</th>
                        <th scope="col">{t!(i18n, reports.col_visits)}</th>
                    </tr>
                </thead>
                <tbody>
                    {months
                        .into_iter()
                        .map(|m| {
                            view! {
                                <tr data-month=m.month.clone()>
                                    <th scope="row">{month_label(&m.month)}</th>
                                    <td>{m.tasks_done}</td>
                                    <td>{m.tasks_overdue}</td>
                                    <td>{m.proposals}</td>
                                    <td>{m.proposals_taken_up}</td>
                                    <td>{m.events}</td>
                                    <td>{m.attendance}</td>
                                    <td>{m.visits}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
