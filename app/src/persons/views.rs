//! Pages of persons of attention.
use super::history::HistorySection;
use super::source;
use super::types::{basis_label, category_label, Person};
use crate::access::{Action, RecordKind};
use crate::i18n::*;
use crate::sync::state::{use_sync, PersonsCache, SyncState};
use crate::ui::ErrorNotice;
use crate::ui::{role_may, use_role};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn PersonsPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let village = move || query.read().get("village");
    let sync = use_sync();
    let persons = LocalResource::new(move || {
        let village = village();
        sync.revision.track();
        let readable = readable(sync);
        async move { readable.then_some(source::list(village).await) }
    });
    let role = use_role();
    let saved = move || query.read().get("saved").is_some();
    view! {
        <h1>{t!(i18n, nav.persons)}</h1>
        <p class="lead">{t!(i18n, area.persons)}</p>
        <Show when=saved>
            <p class="notice" role="status">{t!(i18n, person.saved_note)}</p>
        </Show>
        <Show when=move || role_may(role, RecordKind::Person, Action::Create)>
            <p>
                <a class="button" href="/persons/new" id="new-person">{t!(i18n, person.create_title)}</a>
            </p>
        </Show>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match persons.await {
                    None => view! { <SealedNotice /> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p id="no-persons">{t!(i18n, person.none)}</p> }.into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ul class="cards" id="persons">
                            {list
                                .into_iter()
                                .map(|person| {
                                    view! {
                                        // The village inside the card, beside the name.
                                        <li class="card">
                                            <A href=format!("/persons/{}", person.id)>
                                                <strong>{person.full_name.clone()}</strong>
                                                <span class="muted">{person.village_name.clone()}</span>
                                            </A>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
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
    let person = use_person(id);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    None => view! { <SealedNotice /> }.into_any(),
                    Some(Ok(person)) => {
                        let id = person.id.clone();
                        view! {
                            <PersonDetails person />
                            <HistorySection id />
                        }
                            .into_any()
                    }
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Whether persons can be read now: from the open cache, or (cache not opened in this tab)
/// from the server while there is signal. Otherwise nothing is asked for and
/// [`SealedNotice`] says how to open the cache.
pub(super) fn readable(sync: SyncState) -> bool {
    match sync.persons.get() {
        PersonsCache::Open => true,
        PersonsCache::Locked => sync.online.get(),
        PersonsCache::NeedsConnection | PersonsCache::NeedsPassword => false,
    }
}

/// One person, read in the browser only (never into a page's HTML), again when the local copy
/// changes; `None` while the cache is sealed.
pub(super) fn use_person(
    id: impl Fn() -> String + Send + Sync + 'static,
) -> LocalResource<Option<Result<Person, crate::errors::AppError>>> {
    let sync = use_sync();
    LocalResource::new(move || {
        let id = id();
        sync.revision.track();
        let readable = readable(sync);
        async move { readable.then_some(source::one(id).await) }
    })
}

/// Shown instead of persons while this device's cache is sealed: with no signal, past the
/// offline window the account password opens it; otherwise the next connection does.
#[component]
pub(super) fn SealedNotice() -> impl IntoView {
    let i18n = use_i18n();
    let sync: SyncState = use_sync();
    let password = RwSignal::new(String::new());
    let opening = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if opening.get_untracked() {
            return;
        }
        opening.set(true);
        let typed = password.get_untracked();
        leptos::task::spawn_local(async move {
            use crate::sync::PasswordUnlock;
            let outcome = crate::sync::unlock_cache_with_password(sync, typed).await;
            opening.set(false);
            password.set(String::new());
            match outcome {
                PasswordUnlock::Opened => {
                    crate::accounts::device::secret_accepted();
                    problem.set(None);
                    return;
                }
                PasswordUnlock::Failed => {
                    problem.set(Some(t_string!(i18n, person.needs_connection).to_owned()));
                    return;
                }
                PasswordUnlock::Wrong => {}
            }
            match crate::accounts::device::wrong_secret() {
                crate::accounts::device::PinCheck::Wrong { attempts_left } => problem.set(Some(
                    t_string!(i18n, person.wrong_password, left = attempts_left).to_string(),
                )),
                _ => crate::accounts::sign_out_and_wipe(),
            }
        });
    };
    let lock = use_context::<crate::accounts::AppLock>();
    let sealed_without_password = move || {
        match sync.persons.get() {
        PersonsCache::Locked => view! {
            <p class="notice" role="status" id="persons-sealed">{t!(i18n, person.locked)}</p>
            <p>
                <button type="button" class="primary" id="persons-enter-pin" on:click=move |_| {
                    if let Some(lock) = lock {
                        lock.ask_pin();
                        sync.persons.set(PersonsCache::Locked);
                    }
                }>
                    {t!(i18n, person.enter_pin)}
                </button>
            </p>
        }
        .into_any(),
        _ => view! { <p class="notice" role="status" id="persons-sealed">{t!(i18n, person.needs_connection)}</p> }
            .into_any(),
    }
    };
    view! {
        <Show
            when=move || sync.persons.get() == PersonsCache::NeedsPassword
            fallback=sealed_without_password
        >
            <form class="form" id="persons-password-form" on:submit=submit>
                <p class="notice" role="status" id="persons-sealed">{t!(i18n, person.needs_password)}</p>
                <label for="persons-password">{t!(i18n, sign_in.password)}</label>
                <input
                    id="persons-password"
                    type="password"
                    autocomplete="current-password"
                    required
                    bind:value=password
                />
                <button type="submit" class="primary" disabled=opening>
                    {move || if opening.get() {
                        t_string!(i18n, person.opening)
                    } else {
                        t_string!(i18n, person.open_with_password)
                    }}
                </button>
                {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
            </form>
        </Show>
    }
}

#[component]
fn PersonDetails(person: Person) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_role();
    let categories = person.categories.clone();
    let basis = person.register_basis.clone();
    let status = person.status.clone();
    let edit_href = format!("/persons/{}/edit", person.id);
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
            <dt>{t!(i18n, person.register_basis)}</dt>
            <dd id="person-basis">
                {move || basis.as_deref().map(|b| basis_label(b, i18n.get_locale())).unwrap_or_else(|| "—".into())}
            </dd>
            <dt>{t!(i18n, person.status)}</dt>
            <dd id="person-status">{move || status_label(i18n, &status)}</dd>
            <dt>{t!(i18n, person.note)}</dt>
            <dd>{person.note.clone().unwrap_or_else(|| "—".into())}</dd>
        </dl>
        <Show when=move || role_may(role, RecordKind::Person, Action::Update)>
            <p>
                <a class="button" id="edit-person" href=edit_href.clone()>{t!(i18n, form.edit)}</a>
            </p>
        </Show>
    }
}

pub(super) fn status_label(i18n: crate::ui::I18nContext, code: &str) -> String {
    let text = match code {
        "active" => t_string!(i18n, person.status_active),
        "closed" => t_string!(i18n, person.status_closed),
        other => return other.to_owned(),
    };
    text.to_owned()
}
