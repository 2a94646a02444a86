//! Preventive events: the list kept on the device and the form for a new one or a
//! correction.
use super::types::{attendance_from_text, Event, NewEvent, KINDS};
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    default_to_today, edit_page, role_may, save_form, use_draft, use_fix, use_local_records,
    use_reference, use_role, village_name, Change, ChoiceField, RecordsTop, SaveRow, VillageField,
};
use crate::ui::{today, StateBadge};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_navigate;

pub fn kind_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "law_and_order" => t_string!(i18n, event.kind_law_and_order),
        "healthy_lifestyle" => t_string!(i18n, event.kind_healthy_lifestyle),
        "anti_fraud" => t_string!(i18n, event.kind_anti_fraud),
        "conscription_guidance" => t_string!(i18n, event.kind_conscription_guidance),
        "sport" => t_string!(i18n, event.kind_sport),
        "youth_meeting" => t_string!(i18n, event.kind_youth_meeting),
        "other" => t_string!(i18n, event.kind_other),
        other => return other.to_owned(),
    };
    text.to_owned()
}

#[component]
pub fn EventsPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Event>(Entity::Event);
    let reference = use_reference();
    let role = use_role();
    let filter = ListFilter::new();
    let sorted = move || {
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(e, _)| {
                filter.keeps(&Facets {
                    village_id: &e.village_id,
                    choice: Some(&e.kind),
                    date: Some(&e.held_on),
                    texts: &[Some(&e.title)],
                })
            })
            .collect();
        list.sort_by(|a, b| b.0.held_on.cmp(&a.0.held_on).then(b.0.id.cmp(&a.0.id)));
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Event
                title=|i18n| t_string!(i18n, event.list_title)
                create_label=|i18n| t_string!(i18n, event.create_title)
                create_href="/events/new"
                create_id="new-event"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, event.empty)
            />
            <FilterBar
                filter
                reference
                choice_label=Signal::derive(move || t_string!(i18n, event.kind).to_owned())
                codes=KINDS
                code_label=kind_label
            />
            <ul class="cards" id="event-list">
                <For
                    each=sorted
                    key=|(e, state)| (e.id.clone(), *state, e.version)
                    children=move |(e, state)| {
                        let village = move || village_name(&reference.get(), &e.village_id, i18n.get_locale());
                        let kind = e.kind.clone();
                        let date = e.held_on.clone();
                        let attendance = e.attendance.map(|n| format!(" · {n} 👥"));
                        let edit_href = format!("/events/{}/edit", e.id);
                        view! {
                            <li class="card" data-id=e.id.clone()>
                                <p class="card-head">
                                    <strong>{e.title.clone()}</strong>
                                    <StateBadge state />
                                </p>
                                <p class="hint">
                                    {move || kind_label(i18n, &kind)}
                                    " · "
                                    {village}
                                    " · "
                                    {move || format_date(i18n.get_locale(), &date)}
                                    {attendance}
                                </p>
                                <Show when=move || role_may(role, RecordKind::Event, Action::Update)>
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
pub fn NewEventPage() -> impl IntoView {
    view! { <EventForm existing=None /> }
}

#[component]
pub fn EditEventPage() -> impl IntoView {
    edit_page(Entity::Event, |e: Event| {
        view! { <EventForm existing=Some(e) /> }.into_any()
    })
}

/// The form for a new event, or for correcting one (`existing`).
#[component]
fn EventForm(existing: Option<Event>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let start = existing.as_ref().map(NewEvent::from);
    let village_id = RwSignal::new(
        start
            .as_ref()
            .map(|e| e.village_id.clone())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(
        start
            .as_ref()
            .map_or_else(|| "law_and_order".to_owned(), |e| e.kind.clone()),
    );
    let title = RwSignal::new(start.as_ref().map(|e| e.title.clone()).unwrap_or_default());
    let held_on = RwSignal::new(
        start
            .as_ref()
            .map(|e| e.held_on.clone())
            .unwrap_or_default(),
    );
    let attendance = RwSignal::new(
        start
            .as_ref()
            .and_then(|e| e.attendance)
            .map(|n| n.to_string())
            .unwrap_or_default(),
    );
    default_to_today(held_on);
    let editing = existing.is_some();
    let draft_key = match &existing {
        Some(e) => format!("event:{}:edit", e.id),
        None => "event:new".to_owned(),
    };
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("kind", kind),
            ("title", title),
            ("held_on", held_on),
            ("attendance", attendance),
        ],
        fix,
    );
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let attendance = match attendance_from_text(&attendance.get_untracked()) {
            Ok(attendance) => attendance,
            Err(reason) => return error.set(Some(reason)),
        };
        let draft = NewEvent {
            village_id: village_id.get_untracked(),
            kind: kind.get_untracked(),
            title: title.get_untracked(),
            held_on: held_on.get_untracked(),
            attendance,
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Event,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: "/events?saved=1".into(),
            }),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            "/events",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, event.edit_title)
                } else {
                    t_string!(i18n, event.create_title)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="event-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <ChoiceField
                    id="kind"
                    label=Signal::derive(move || t_string!(i18n, event.kind).to_owned())
                    value=kind
                    codes=KINDS
                    code_label=kind_label
                />
                <label for="title">{t!(i18n, event.title)}</label>
                <input id="title" type="text" required maxlength="200" bind:value=title />
                <label for="held_on">{t!(i18n, event.held_on)}</label>
                <input id="held_on" type="date" required bind:value=held_on />
                <label for="attendance">{t!(i18n, event.attendance)}</label>
                <input id="attendance" type="number" min="0" inputmode="numeric" bind:value=attendance />
                <SaveRow error saving />
            </form>
        </section>
    }
}
