//! The monthly bulletin: the month just ended for the region or one district, on one page
//! made for print (A4, the print rules in main.css), from the same overview the reports page
//! reads. What a coordinator hands the akim: the month against the same month a year before,
//! the program's effect, the villages to look at and the villages that did not report.
use super::super::api::get_overview;
use super::super::types::{Overview, OverviewRow};
use super::format::{self, month_label, one_decimal, signed_percent};
use super::tables;
use super::{name, FromDevice};
use crate::i18n::*;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The bulletin's sums over the villages shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct MonthSums {
    pub offences: u64,
    /// `None` when any village's month a year before is unknown.
    pub year_before: Option<u64>,
    pub offences_12: u64,
    pub repeats_12: u64,
    pub reported: u32,
    pub due: u32,
}

pub(super) fn month_sums(rows: &[OverviewRow]) -> MonthSums {
    let mut sums = MonthSums {
        year_before: Some(0),
        ..MonthSums::default()
    };
    for row in rows {
        sums.offences += row.last_month.offences;
        sums.year_before = sums
            .year_before
            .zip(row.last_month.year_before)
            .map(|(sum, one)| sum + one);
        sums.offences_12 += row.offences;
        sums.repeats_12 += row.repeats;
        if let Some(reported) = row.last_month.reported {
            sums.due += 1;
            sums.reported += u32::from(reported);
        }
    }
    sums
}

/// Villages whose rate is above the rate of all shown beyond chance: the lower end of their
/// 95 % interval lies above it. Highest first, at most ten.
pub(super) fn to_look_at(rows: &[OverviewRow], target_per_1000: f64) -> Vec<&OverviewRow> {
    let mut above: Vec<&OverviewRow> = rows
        .iter()
        .filter(|row| row.rate.is_some_and(|rate| rate.lower > target_per_1000))
        .collect();
    above.sort_by(|a, b| {
        let rate = |row: &OverviewRow| row.rate.map(|rate| rate.per_1000).unwrap_or(0.0);
        rate(b).total_cmp(&rate(a))
    });
    above.truncate(10);
    above
}

#[component]
pub fn BulletinPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let district = move || query.read().get("district").unwrap_or_default();
    let overview = Resource::new(district, |district| async move {
        // The same copy as the overview's: a bulletin opened offline shows what was last read.
        let key = format!("overview:{district}");
        let fetched = get_overview((!district.is_empty()).then_some(district)).await;
        super::super::kept::or_kept(&key, fetched)
    });
    view! {
        <p class="report-links">
            <a href="/reports">{t!(i18n, reports.back)}</a>
        </p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(shown) => {
                        view! { <Bulletin overview=shown.report from_device=shown.from_device /> }
                            .into_any()
                    }
                    Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Bulletin(overview: Overview, from_device: bool) -> impl IntoView {
    let i18n = use_i18n();
    // The district chosen, or the reader's own districts: a supervisor's bulletin is his
    // district's even without a filter. "The whole region" only for a reader of all of it.
    let area: Option<Vec<_>> = match &overview.district {
        Some(id) => Some(
            overview
                .districts
                .iter()
                .filter(|(d, _)| d == id)
                .map(|(_, name)| name.clone())
                .collect(),
        ),
        None if overview.whole_region => None,
        None => Some(
            overview
                .districts
                .iter()
                .map(|(_, name)| name.clone())
                .collect(),
        ),
    };
    let month = month_label(&overview.last_month);
    let sums = month_sums(&overview.rows);
    let look_at: Vec<OverviewRow> = to_look_at(&overview.rows, overview.funnel.target_per_1000)
        .into_iter()
        .cloned()
        .collect();
    let silent: Vec<OverviewRow> = overview
        .rows
        .iter()
        .filter(|row| row.last_month.reported == Some(false))
        .cloned()
        .collect();
    let computed_at = overview.computed_at.clone();
    let change = sums
        .year_before
        .and_then(|before| crate::reports::stats::change_percent(before, sums.offences));
    view! {
        <article class="bulletin" id="bulletin">
            <h1 id="bulletin-title">
                {t!(i18n, bulletin.title)} " · " {month.clone()}
            </h1>
            <p class="lead" id="bulletin-area">
                {move || match &area {
                    Some(districts) => {
                        districts.iter().map(|d| name(i18n, d)).collect::<Vec<_>>().join(", ")
                    }
                    None => t_string!(i18n, bulletin.region).to_owned(),
                }}
            </p>
            <FromDevice from_device />
            <p class="hint">
                {t!(i18n, reports.computed_at)} ": "
                <time datetime=computed_at.clone()>{format::moment_label(&computed_at)}</time>
            </p>
            <p class="no-print">
                <button type="button" id="bulletin-print" on:click=move |_| print()>
                    {t!(i18n, bulletin.print)}
                </button>
            </p>
            <section aria-labelledby="bulletin-month-heading">
                <h2 id="bulletin-month-heading">{t!(i18n, bulletin.month_heading)}</h2>
                <dl class="bulletin-figures" id="bulletin-figures">
                    <dt>{t!(i18n, bulletin.offences_month)}</dt>
                    <dd data-figure="month">{sums.offences}</dd>
                    <dt>{t!(i18n, bulletin.same_month_before)}</dt>
                    <dd data-figure="year-before">
                        {sums.year_before.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}
                        {change.map(|c| format!(" ({})", signed_percent(c)))}
                    </dd>
                    <dt>{t!(i18n, bulletin.offences_12)}</dt>
                    <dd data-figure="twelve">{sums.offences_12}</dd>
                    <dt>{t!(i18n, bulletin.repeats_12)}</dt>
                    <dd data-figure="repeats">{sums.repeats_12}</dd>
                    <dt>{t!(i18n, reports.repeat_persons)}</dt>
                    <dd data-figure="repeat-persons">{overview.repeat_persons}</dd>
                    <dt>{t!(i18n, bulletin.closed)}</dt>
                    <dd data-figure="closed">{format!("{}/{}", sums.reported, sums.due)}</dd>
                </dl>
            </section>
            <section aria-labelledby="effect-heading">
                <h2 id="effect-heading">{t!(i18n, reports.effect_title)}</h2>
                <tables::EffectView effect=overview.effect.clone() />
            </section>
            <section aria-labelledby="bulletin-look-heading">
                <h2 id="bulletin-look-heading">{t!(i18n, bulletin.look_at)}</h2>
                <p class="hint">{t!(i18n, bulletin.look_at_hint)}</p>
                <VillageList rows=look_at id="bulletin-look" />
            </section>
            <section aria-labelledby="bulletin-silent-heading">
                <h2 id="bulletin-silent-heading">{t!(i18n, bulletin.not_closed)}</h2>
                <VillageList rows=silent id="bulletin-silent" />
            </section>
            <section aria-labelledby="bulletin-villages-heading">
                <h2 id="bulletin-villages-heading">{t!(i18n, bulletin.villages_heading)}</h2>
                <MonthTable rows=overview.rows.clone() />
            </section>
            <section aria-labelledby="themes-heading">
                <h2 id="themes-heading">{t!(i18n, reports.themes_title)}</h2>
                <tables::ThemesTable themes=overview.themes.clone() />
            </section>
        </article>
    }
}

fn print() {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}

/// Villages by name, or a line saying there are none.
#[component]
fn VillageList(rows: Vec<OverviewRow>, id: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    if rows.is_empty() {
        return view! { <p id=id>{t!(i18n, bulletin.none)}</p> }.into_any();
    }
    view! {
        <ul id=id>
            {rows
                .into_iter()
                .map(|row| {
                    let village = row.village.clone();
                    let rate = row.rate.map(|rate| one_decimal(rate.per_1000));
                    view! {
                        <li data-village=row.village_id.clone()>
                            {move || name(i18n, &village)}
                            {rate.map(|rate| format!(" — {rate}"))}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// One line per village: the month, the same month a year before, whether it was closed, and
/// the 12 months' count and rate.
#[component]
fn MonthTable(rows: Vec<OverviewRow>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="bulletin-villages-heading">
            <table id="bulletin-table" class="report">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, reports.col_village)}</th>
                        <th scope="col">{t!(i18n, bulletin.col_month)}</th>
                        <th scope="col">{t!(i18n, reports.col_year_before)}</th>
                        <th scope="col">{t!(i18n, reports.col_reported)}</th>
                        <th scope="col">{t!(i18n, bulletin.col_twelve)}</th>
                        <th scope="col">{t!(i18n, reports.col_rate)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|row| {
                            let village = row.village.clone();
                            let month = row.last_month;
                            view! {
                                <tr data-village=row.village_id.clone()>
                                    <th scope="row">{move || name(i18n, &village)}</th>
                                    <td data-cell="month">{month.offences}</td>
                                    <td>{month.year_before.map(|n| n.to_string()).unwrap_or_else(|| "—".into())}</td>
                                    <td data-cell="closed">
                                        {move || match month.reported {
                                            Some(true) => t_string!(i18n, reports.reported),
                                            Some(false) => t_string!(i18n, reports.not_reported),
                                            None => "—",
                                        }}
                                    </td>
                                    <td>{row.offences}</td>
                                    <td>{row.rate.map(|r| one_decimal(r.per_1000)).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::places::{LocalizedName, ProgramStatus};
    use crate::reports::stats::{Completeness, Rate};
    use crate::reports::types::MonthFigures;

    fn row(id: &str, offences: u64, per_1000: f64, lower: f64, month: MonthFigures) -> OverviewRow {
        let name = LocalizedName {
            ru: id.into(),
            kk: None,
        };
        OverviewRow {
            village_id: id.into(),
            village: name.clone(),
            district: name,
            district_id: "d".into(),
            status: ProgramStatus::Joined,
            joined_on: None,
            population: Some(1000),
            offences,
            repeats: 1,
            rate: Some(Rate {
                per_1000,
                lower,
                upper: per_1000 * 2.0,
            }),
            before: None,
            change: None,
            days_since_last: None,
            completeness: Completeness::default(),
            last_month: month,
        }
    }

    #[test]
    fn the_month_sums_what_each_village_reported_and_is_unknown_when_one_is() {
        let closed = MonthFigures {
            offences: 2,
            year_before: Some(3),
            reported: Some(true),
        };
        let silent = MonthFigures {
            offences: 1,
            year_before: Some(1),
            reported: Some(false),
        };
        let outside = MonthFigures {
            offences: 4,
            year_before: None,
            reported: None,
        };
        let rows = [
            row("a", 10, 1.0, 0.5, closed),
            row("b", 5, 1.0, 0.5, silent),
        ];
        assert_eq!(
            month_sums(&rows),
            MonthSums {
                offences: 3,
                year_before: Some(4),
                offences_12: 15,
                repeats_12: 2,
                reported: 1,
                due: 2,
            }
        );
        let rows = [
            row("a", 10, 1.0, 0.5, closed),
            row("c", 4, 1.0, 0.5, outside),
        ];
        let sums = month_sums(&rows);
        assert_eq!((sums.year_before, sums.due), (None, 1));
    }

    #[test]
    fn villages_to_look_at_lie_above_the_common_rate_beyond_their_interval() {
        let month = MonthFigures::default();
        let rows = [
            row("above", 30, 30.0, 20.0, month),
            // High, but its interval reaches the common rate: chance may explain it.
            row("wide", 12, 12.0, 4.0, month),
            row("higher", 40, 40.0, 25.0, month),
        ];
        let ids: Vec<&str> = to_look_at(&rows, 10.0)
            .iter()
            .map(|row| row.village_id.as_str())
            .collect();
        assert_eq!(ids, ["higher", "above"]);
    }
}
