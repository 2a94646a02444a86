//! Visits and preventive talks: the list kept on the device and the form for a new one
//! (works offline).
use super::labels::kind_label;
use super::types::{NewVisit, Visit, KINDS};
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::map::{use_point_from_query, PositionField};
use crate::persons::{use_person_choices, VillagePersonOptions};
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    coordinate, default_to_today, edit_page, role_may, save_form, use_draft, use_fix,
    use_local_records, use_reference, use_role, village_name, Change, ChoiceField, RecordsTop,
    SaveRow, VillageField,
};
use crate::ui::{today, StateBadge};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn VisitsPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Visit>(Entity::Visit);
    let persons = use_person_choices(|| true);
    let reference = use_reference();
    let role = use_role();
    let filter = ListFilter::new();
    let person_name = move |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            persons.with(|list| {
                list.iter()
                    .find(|p| p.id == *id)
                    .map(|p| p.full_name.clone())
            })
        })
    };
    let shown = move || {
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(v, _)| {
                let name = person_name(&v.person_id);
                filter.keeps(&Facets {
                    village_id: &v.village_id,
                    choice: Some(&v.kind),
                    date: Some(&v.visited_on),
                    texts: &[
                        name.as_deref(),
                        v.household.as_deref(),
                        v.outcome.as_deref(),
                        v.note.as_deref(),
                    ],
                })
            })
            .collect();
        list.sort_by(|a, b| {
            b.0.visited_on
                .cmp(&a.0.visited_on)
                .then(b.0.id.cmp(&a.0.id))
        });
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Visit
                title=|i18n| t_string!(i18n, visit.list_title)
                create_label=|i18n| t_string!(i18n, visit.create_title)
                create_href="/visits/new"
                create_id="new-visit"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, visit.empty)
            />
            <FilterBar
                filter
                reference
                choice_label=Signal::derive(move || t_string!(i18n, visit.kind).to_owned())
                codes=KINDS
                code_label=kind_label
            />
            <ul class="cards" id="visit-list">
                <For
                    each=shown
                    key=|(v, state)| (v.id.clone(), *state, v.version)
                    children=move |(v, state)| {
                        let village_id = v.village_id.clone();
                        let village = move || village_name(&reference.get(), &village_id, i18n.get_locale());
                        let kind = v.kind.clone();
                        let date = v.visited_on.clone();
                        let person_id = v.person_id.clone();
                        let household = v.household.clone().unwrap_or_default();
                        let who = move || person_name(&person_id).unwrap_or_else(|| household.clone());
                        let edit_href = format!("/visits/{}/edit", v.id);
                        view! {
                            <li class="card" data-id=v.id.clone()>
                                <p class="card-head">
                                    <strong>{move || kind_label(i18n, &kind)}</strong>
                                    " · "
                                    {village}
                                    " · "
                                    {move || format_date(i18n.get_locale(), &date)}
                                    <StateBadge state />
                                </p>
                                <p class="hint">{who}</p>
                                <p class="card-body">{v.outcome.clone().unwrap_or_default()}</p>
                                <Show when=move || role_may(role, RecordKind::Visit, Action::Update)>
                                    <p>
                                        <a class="button" href=edit_href.clone()>{t!(i18n, form.edit)}</a>
                                    </p>
                                </Show>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

#[component]
pub fn NewVisitPage() -> impl IntoView {
    view! { <VisitForm existing=None /> }
}

#[component]
pub fn EditVisitPage() -> impl IntoView {
    edit_page(Entity::Visit, |v: Visit| {
        view! { <VisitForm existing=Some(v) /> }.into_any()
    })
}

/// The form for a new visit, or for correcting one (`existing`).
#[component]
fn VisitForm(existing: Option<Visit>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let persons = use_person_choices(|| true);
    let navigate = use_navigate();
    let fix = use_fix();
    let start = existing.as_ref().map(NewVisit::from).unwrap_or_default();
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let village_id = RwSignal::new(start.village_id.clone());
    let person_id = RwSignal::new(text(&start.person_id));
    let household = RwSignal::new(text(&start.household));
    let kind = RwSignal::new(if start.kind.is_empty() {
        "preventive_talk".to_owned()
    } else {
        start.kind.clone()
    });
    let visited_on = RwSignal::new(start.visited_on.clone());
    let outcome = RwSignal::new(text(&start.outcome));
    let note = RwSignal::new(text(&start.note));
    let lat = RwSignal::new(start.lat.map(|v| v.to_string()).unwrap_or_default());
    let lon = RwSignal::new(start.lon.map(|v| v.to_string()).unwrap_or_default());
    let editing = existing.is_some();
    let draft_key = match &existing {
        Some(v) => format!("visit:{}:edit", v.id),
        None => "visit:new".to_owned(),
    };
    default_to_today(visited_on);
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("person_id", person_id),
            ("household", household),
            ("kind", kind),
            ("visited_on", visited_on),
            ("outcome", outcome),
            ("note", note),
            ("lat", lat),
            ("lon", lon),
        ],
        fix,
    );
    if !editing {
        use_point_from_query(village_id, lat, lon, restored);
    }
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let draft = NewVisit {
            village_id: village_id.get_untracked(),
            person_id: Some(person_id.get_untracked()),
            household: Some(household.get_untracked()),
            kind: kind.get_untracked(),
            visited_on: visited_on.get_untracked(),
            outcome: Some(outcome.get_untracked()),
            note: Some(note.get_untracked()),
            lat: coordinate(&lat.get_untracked()),
            lon: coordinate(&lon.get_untracked()),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Visit,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: "/visits?saved=1".into(),
            }),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            "/visits",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, visit.edit_title)
                } else {
                    t_string!(i18n, visit.create_title)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="visit-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <label for="person_id">{t!(i18n, visit.person)}</label>
                <select id="person_id" bind:value=person_id>
                    <option value="">{t!(i18n, visit.no_person)}</option>
                    <VillagePersonOptions persons village_id selected=person_id />
                </select>
                <label for="household">{t!(i18n, visit.household)}</label>
                <input id="household" type="text" maxlength="200" bind:value=household />
                <ChoiceField
                    id="kind"
                    label=Signal::derive(move || t_string!(i18n, visit.kind).to_owned())
                    value=kind
                    codes=KINDS
                    code_label=kind_label
                />
                <label for="visited_on">{t!(i18n, visit.visited_on)}</label>
                <input id="visited_on" type="date" required bind:value=visited_on />
                <label for="outcome">{t!(i18n, visit.outcome)}</label>
                <textarea id="outcome" rows="3" bind:value=outcome></textarea>
                <label for="note">{t!(i18n, visit.note)}</label>
                <textarea id="note" rows="3" bind:value=note></textarea>
                <PositionField lat lon />
                <SaveRow error saving />
            </form>
        </section>
    }
}
