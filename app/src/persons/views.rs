//! Pages of persons of attention.
use super::source;
use super::types::{
    basis_label, category_label, NewPerson, Person, PersonHistory, CATEGORIES, REGISTER_BASES,
    STATUSES,
};
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::{use_sync, PersonsCache, SyncState};
use crate::ui::ErrorNotice;
use crate::ui::{
    ids_in, role_may, save_form, use_draft_kept, use_fix, use_reference, use_role, Change, Keeping,
    MultiPick, SaveRow, VillageField,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

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
fn readable(sync: SyncState) -> bool {
    match sync.persons.get() {
        PersonsCache::Open => true,
        PersonsCache::Locked => sync.online.get(),
        PersonsCache::NeedsConnection | PersonsCache::NeedsPassword => false,
    }
}

/// One person, read in the browser only (never into a page's HTML), again when the local copy
/// changes; `None` while the cache is sealed.
fn use_person(
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
fn SealedNotice() -> impl IntoView {
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

fn status_label(i18n: crate::ui::I18nContext, code: &str) -> String {
    let text = match code {
        "active" => t_string!(i18n, person.status_active),
        "closed" => t_string!(i18n, person.status_closed),
        other => return other.to_owned(),
    };
    text.to_owned()
}

/// The form for a new person: shown once the persons cache is open, since the entry waits in
/// the outbox encrypted under its key.
#[component]
pub fn NewPersonPage() -> impl IntoView {
    let sync = use_sync();
    view! {
        <Show when=move || sync.persons.get() == PersonsCache::Open fallback=|| view! { <SealedNotice /> }>
            <PersonForm existing=None />
        </Show>
    }
}

/// Opening the form to change a person reads them like their page does; the change itself
/// goes through the outbox, encrypted.
#[component]
pub fn EditPersonPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let person = use_person(id);
    let sync = use_sync();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match person.await {
                    None => view! { <SealedNotice /> }.into_any(),
                    Some(Ok(person)) if sync.persons.get_untracked() == PersonsCache::Open => {
                        view! { <PersonForm existing=Some(person) /> }.into_any()
                    }
                    Some(Ok(_)) => view! { <SealedNotice /> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The form for a new person of attention or a correction (`existing`). Works offline; the
/// entry waits in the outbox and the person is never cached in clear (`local::enqueue`).
#[component]
fn PersonForm(existing: Option<Person>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let start = existing.as_ref().map(NewPerson::from).unwrap_or_default();
    let village_id = RwSignal::new(start.village_id.clone());
    let full_name = RwSignal::new(start.full_name.clone());
    let birth_year = RwSignal::new(start.birth_year.map(|y| y.to_string()).unwrap_or_default());
    let household = RwSignal::new(start.household.clone().unwrap_or_default());
    let categories = RwSignal::new(start.categories.join(","));
    let register_basis = RwSignal::new(start.register_basis.clone().unwrap_or_default());
    let status = RwSignal::new(if start.status.is_empty() {
        "active".to_owned()
    } else {
        start.status.clone()
    });
    let note = RwSignal::new(start.note.clone().unwrap_or_default());
    let draft_key = match &existing {
        Some(p) => format!("person:{}:edit", p.id),
        None => "person:new".to_owned(),
    };
    let restored = use_draft_kept(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("full_name", full_name),
            ("birth_year", birth_year),
            ("household", household),
            ("categories", categories),
            ("register_basis", register_basis),
            ("status", status),
            ("note", note),
        ],
        fix,
        Keeping::Sealed,
    );
    let category_options = Signal::derive(move || {
        let locale = i18n.get_locale();
        CATEGORIES
            .iter()
            .map(|code| ((*code).to_owned(), category_label(code, locale)))
            .collect::<Vec<_>>()
    });
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let editing = existing.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let year_text = birth_year.get_untracked();
        let year = year_text.trim();
        let birth = if year.is_empty() {
            None
        } else {
            // Anything but a whole number breaks the same range rule the server checks.
            Some(year.parse::<i64>().unwrap_or(-1))
        };
        let draft = NewPerson {
            village_id: village_id.get_untracked(),
            full_name: full_name.get_untracked(),
            birth_year: birth,
            household: Some(household.get_untracked()),
            categories: ids_in(&categories.get_untracked()),
            register_basis: Some(register_basis.get_untracked()),
            status: status.get_untracked(),
            note: Some(note.get_untracked()),
        };
        let checked = match draft.checked(&crate::ui::today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Person,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: "/persons?saved=1".into(),
            }),
            payload,
            |_, _| serde_json::Value::Null,
            draft_key.clone(),
            fix,
            saving,
            "/persons",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, person.edit_title)
                } else {
                    t_string!(i18n, person.create_title)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="person-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <label for="full_name">{t!(i18n, person.full_name)}</label>
                <input id="full_name" type="text" required maxlength="200" autocomplete="off" bind:value=full_name />
                <label for="birth_year">{t!(i18n, person.birth_year)}</label>
                <input id="birth_year" type="text" inputmode="numeric" maxlength="4" bind:value=birth_year />
                <label for="household">{t!(i18n, person.household)}</label>
                <input id="household" type="text" maxlength="200" bind:value=household />
                <MultiPick
                    id="categories"
                    legend=Signal::derive(move || t_string!(i18n, person.categories).to_owned())
                    options=category_options
                    value=categories
                />
                <label for="register_basis">{t!(i18n, person.register_basis)}</label>
                <select id="register_basis" bind:value=register_basis>
                    <option value="">{t!(i18n, person.no_basis)}</option>
                    {move || {
                        let locale = i18n.get_locale();
                        REGISTER_BASES
                            .iter()
                            .map(|code| {
                                let selected = register_basis.get_untracked() == *code;
                                view! { <option value=*code selected=selected>{basis_label(code, locale)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label for="status">{t!(i18n, person.status)}</label>
                <select id="status" bind:value=status>
                    {move || {
                        STATUSES
                            .iter()
                            .map(|code| {
                                let selected = status.get_untracked() == *code;
                                view! { <option value=*code selected=selected>{status_label(i18n, code)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label for="note">{t!(i18n, person.note)}</label>
                <textarea id="note" rows="4" bind:value=note></textarea>
                <SaveRow error saving />
            </form>
        </section>
    }
}

/// Loaded only once the person could be read, so a refusal is audited once, not twice.
#[component]
fn HistorySection(id: String) -> impl IntoView {
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
