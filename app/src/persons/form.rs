//! The form for a new person of attention or a corrected one: through the outbox, sealed on
//! the device like every person (DESIGN §7).
use super::types::{
    basis_label, category_label, NewPerson, Person, CATEGORIES, REGISTER_BASES, STATUSES,
};
use super::views::{status_label, use_person, SealedNotice};
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::{use_sync, PersonsCache};
use crate::ui::ErrorNotice;
use crate::ui::{
    ids_in, save_form, use_draft_kept, use_fix, use_reference, Change, Keeping, MultiPick, SaveRow,
    VillageField,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

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
/// entry waits in the outbox and the person is never cached in clear (`queue::enqueue`).
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
