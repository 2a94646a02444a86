//! The village page's results: offences and repeats before and after the village joined, for
//! the periods that can be compared.
use super::types::VillageResults;
use crate::dates::format_date;
use crate::i18n::*;
use crate::offences::figures::Period;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// Offence figures beside the time before joining, open tasks, and the council's latest work.
#[component]
pub(super) fn VillageResultsSection(id: String) -> impl IntoView {
    let i18n = use_i18n();
    let results = Resource::new(move || id.clone(), super::api::get_village_results);
    view! {
        <section aria-labelledby="results-heading" id="village-results">
            <h2 id="results-heading">{t!(i18n, results.title)}</h2>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        Ok(results) => view! { <ResultsView results /> }.into_any(),
                        Err(error) => view! { <crate::ui::ErrorNotice error /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn period_label(i18n: I18nContext<Locale>, period: Period) -> &'static str {
    match period {
        Period::Month => t_string!(i18n, results.month),
        Period::Quarter => t_string!(i18n, results.quarter),
        Period::Year => t_string!(i18n, results.year),
    }
}

#[component]
fn ResultsView(results: VillageResults) -> impl IntoView {
    let i18n = use_i18n();
    let VillageResults {
        figures,
        joined_on,
        open_tasks,
        proposals,
        events,
        decisions,
    } = results;
    let days = figures.days_since_last;
    let joined = joined_on.is_some();
    let rows = figures
        .periods
        .into_iter()
        .map(|p| {
            let period = p.period;
            let before = p.before.map(|(window, tally)| {
                let range = move || {
                    let locale = i18n.get_locale();
                    format!(
                        "{} – {}",
                        format_date(locale, &window.start),
                        format_date(locale, &window.end)
                    )
                };
                view! {
                    <td data-cell="before-offences">{tally.offences}</td>
                    <td data-cell="before-repeats">{tally.repeats}</td>
                    <td class="muted">{range}</td>
                }
            });
            view! {
                <tr data-period=format!("{period:?}").to_lowercase()>
                    <th scope="row">{move || period_label(i18n, period)}</th>
                    <td data-cell="offences">{p.tally.offences}</td>
                    <td data-cell="repeats">{p.tally.repeats}</td>
                    {before}
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="big-figure" id="days-since">
            {move || match days {
                Some(days) => format!("{}: {days}", t_string!(i18n, results.days_since)),
                None => t_string!(i18n, results.no_offences).to_owned(),
            }}
        </p>
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="results-heading">
            <table class="figures" id="offence-figures">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, results.period)}</th>
                        <th scope="col">{t!(i18n, results.offences)}</th>
                        <th scope="col">{t!(i18n, results.repeats)}</th>
                        <Show when=move || joined>
                            <th scope="col" colspan="3">{t!(i18n, results.before)}</th>
                        </Show>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <Show when=move || !joined>
            <p class="hint">{t!(i18n, results.not_joined)}</p>
        </Show>
        <p class="hint">{t!(i18n, results.informational)}</p>
        {open_tasks.map(|count| view! {
            <p id="open-tasks">
                <a href="/tasks">{t!(i18n, results.open_tasks)} ": " {count}</a>
            </p>
        })}
        {(!decisions.is_empty()).then(|| view! {
            <h3>{t!(i18n, results.recent_decisions)}</h3>
            <ul class="cards" id="recent-decisions">
                {decisions.into_iter().map(|d| {
                    let since = d.effective_on.clone();
                    view! {
                        <li class="card">
                            <p class="card-body">{d.body.clone()}</p>
                            {since.map(|day| view! {
                                <p class="hint">{t!(i18n, results.since)} " " {move || format_date(i18n.get_locale(), &day)}</p>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!proposals.is_empty()).then(|| view! {
            <h3>{t!(i18n, results.recent_proposals)}</h3>
            <ul class="cards" id="recent-proposals">
                {proposals.into_iter().map(|p| {
                    let status = p.status.clone();
                    let category = p.category.clone();
                    view! {
                        <li class="card">
                            <p class="card-head">
                                <strong>{move || crate::proposals::category_label(i18n, &category)}</strong>
                                " · "
                                {move || crate::proposals::status_label(i18n, &status)}
                            </p>
                            <p class="card-body">{p.body.clone()}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {(!events.is_empty()).then(|| view! {
            <h3>{t!(i18n, results.recent_events)}</h3>
            <ul class="cards" id="recent-events">
                {events.into_iter().map(|e| {
                    let day = e.held_on.clone();
                    view! {
                        <li class="card">
                            <p class="card-head">
                                <strong>{e.title.clone()}</strong>
                                " · "
                                {move || format_date(i18n.get_locale(), &day)}
                            </p>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
    }
}
