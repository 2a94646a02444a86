//! A person's history on their page: offences, visits and tasks, read through the policy.
use super::source;
use super::types::PersonHistory;
use crate::dates::format_date;
use crate::i18n::*;
use leptos::prelude::*;

/// Loaded only once the person could be read, so a refusal is audited once, not twice.
#[component]
pub(super) fn HistorySection(id: String) -> impl IntoView {
    let history = LocalResource::new(move || source::history(id.clone()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                history.await.ok().map(|history| view! { <History history /> })
            })}
        </Suspense>
    }
}

/// Visits and talks, offences (repeats marked) and tasks about the person, newest first.
#[component]
fn History(history: PersonHistory) -> impl IntoView {
    let i18n = use_i18n();
    let PersonHistory {
        visits,
        offences,
        tasks,
    } = history;
    let nothing = move || view! { <p class="hint">{t!(i18n, person.nothing)}</p> };
    view! {
        <section aria-labelledby="history-heading" id="person-history">
            <h2 id="history-heading">{t!(i18n, person.history)}</h2>
            <h3>{t!(i18n, person.offences)}</h3>
            {offences.is_empty().then(nothing)}
            <ul class="cards" id="history-offences">
                {offences
                    .into_iter()
                    .map(|(o, repeat)| {
                        let category = o.category.clone();
                        let day = o.occurred_on.clone();
                        view! {
                            <li class="card" data-repeat=repeat.to_string()>
                                <p class="card-head">
                                    <a href=format!("/offences/{}", o.id)>
                                        <strong>{move || crate::offences::category_label(i18n, &category)}</strong>
                                    </a>
                                    " · "
                                    {move || format_date(i18n.get_locale(), &day)}
                                    {repeat.then(|| view! { <span class="badge repeat">{t!(i18n, offence.repeat)}</span> })}
                                </p>
                                <p class="card-body">{o.description.clone().unwrap_or_default()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{t!(i18n, person.visits)}</h3>
            {visits.is_empty().then(nothing)}
            <ul class="cards" id="history-visits">
                {visits
                    .into_iter()
                    .map(|v| {
                        let kind = v.kind.clone();
                        let day = v.visited_on.clone();
                        view! {
                            <li class="card">
                                <p class="card-head">
                                    <strong>{move || crate::visits::kind_label(i18n, &kind)}</strong>
                                    " · "
                                    {move || format_date(i18n.get_locale(), &day)}
                                </p>
                                <p class="card-body">{v.outcome.clone().unwrap_or_default()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <h3>{t!(i18n, person.tasks)}</h3>
            {tasks.is_empty().then(nothing)}
            <ul class="cards" id="history-tasks">
                {tasks
                    .into_iter()
                    .map(|t| {
                        view! {
                            <li class="card">
                                <a href=format!("/tasks/{}", t.id)><strong>{t.title.clone()}</strong></a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
