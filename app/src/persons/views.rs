//! Pages of persons of attention.
use super::api::{get_person, list_persons};
use super::types::{category_label, Person};
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
                    Ok(person) => view! { <PersonDetails person /> }.into_any(),
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
