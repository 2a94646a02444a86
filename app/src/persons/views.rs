//! Pages of persons of attention.
use super::api::{get_person, get_person_history, list_persons};
use super::types::{category_label, Person, PersonHistory};
use crate::dates::format_date;
use crate::i18n::*;
use crate::shell::ErrorNotice;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PersonsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let village = move || query.read().get("village");
    let persons = Resource::new(village, list_persons);
    view! {
        <h1>{t!(i18n, nav.persons)}</h1>
        <p class="lead">{t!(i18n, area.persons)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match persons.await {
                    Ok(list) if list.is_empty() => {
                        view! { <p id="no-persons">{t!(i18n, person.none)}</p> }.into_any()
                    }
                    Ok(list) => view! {
                        <ul class="cards" id="persons">
                            {list
                                .into_iter()
                                .map(|person| {
                                    view! {
                                        <li class="card">
                                            <A href=format!("/persons/{}", person.id)>
                                                <strong>{person.full_name.clone()}</strong>
                                            </A>
                                            <span class="muted">{person.village_name.clone()}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let person = Resource::new(id, get_person);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    Ok(person) => {
                        let id = person.id.clone();
                        view! {
                            <PersonDetails person />
                            <HistorySection id />
                        }
                            .into_any()
                    }
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PersonDetails(person: Person) -> impl IntoView {
    let i18n = use_i18n();
    let categories = person.categories.clone();
    view! {
        <h1 id="person-name">{person.full_name.clone()}</h1>
        <dl class="facts">
            <dt>{t!(i18n, village_picker)}</dt>
            <dd>{person.village_name.clone()}</dd>
            <dt>{t!(i18n, person.birth_year)}</dt>
            <dd>{person.birth_year.map(|y| y.to_string()).unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, person.household)}</dt>
            <dd>{person.household.clone().unwrap_or_else(|| "—".into())}</dd>
            <dt>{t!(i18n, person.categories)}</dt>
            <dd>
                {move || {
                    categories
                        .iter()
                        .map(|code| category_label(code, i18n.get_locale()))
                        .collect::<Vec<_>>()
                        .join(", ")
                }}
            </dd>
        </dl>
    }
}

/// Loaded only once the person could be read, so a refusal is audited once, not twice.
#[component]
fn HistorySection(id: String) -> impl IntoView {
    let history = Resource::new(move || id.clone(), get_person_history);
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

/// The persons a form may link to (offences, visits): from the encrypted cache when it is
/// open on this device, otherwise from the server (needs a connection; the read is audited
/// like any list). Read once when the form opens.
pub fn use_person_choices() -> RwSignal<Vec<Person>> {
    let choices = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        leptos::task::spawn_local(async move {
            let mut found: Vec<Person> = Vec::new();
            #[cfg(feature = "hydrate")]
            if crate::sync::sealed::ready() {
                use crate::sync::contract::Entity;
                if let Ok(records) = crate::sync::local::records(Entity::Person).await {
                    for record in records {
                        if let Some(open) = crate::sync::sealed::open(&record.record).await {
                            found.extend(serde_json::from_value::<Person>(open).ok());
                        }
                    }
                }
            }
            if found.is_empty() {
                found = list_persons(None).await.unwrap_or_default();
            }
            found.sort_by(|a, b| a.full_name.cmp(&b.full_name));
            choices.set(found);
        });
    });
    choices
}
