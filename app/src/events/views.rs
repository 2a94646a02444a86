//! Preventive events: the list kept on the device and the form for a new one.
use super::types::{attendance_from_text, Event, NewEvent, KINDS};
use crate::access::RecordKind;
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::form::{
    default_to_today, save_then_list, use_draft, use_fix, use_local_records, use_reference,
    village_name, ChoiceField, RecordsTop, SaveRow, VillageField,
};
use crate::sync::state::use_sync;
use crate::sync::views::{today, StateBadge};
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
    let sorted = move || {
        let mut list = items.get();
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
            <ul class="cards" id="event-list">
                <For
                    each=sorted
                    key=|(e, state)| (e.id.clone(), *state, e.version)
                    children=move |(e, state)| {
                        let village = move || village_name(&reference.get(), &e.village_id, i18n.get_locale());
                        let kind = e.kind.clone();
                        let date = e.held_on.clone();
                        let attendance = e.attendance.map(|n| format!(" · {n} 👥"));
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
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let village_id = RwSignal::new(String::new());
    let kind = RwSignal::new("law_and_order".to_owned());
    let title = RwSignal::new(String::new());
    let held_on = RwSignal::new(String::new());
    let attendance = RwSignal::new(String::new());
    default_to_today(held_on);
    let restored = use_draft(
        "event:new".into(),
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
        let shown = move |id: &str| {
            serde_json::to_value(Event {
                id: id.to_owned(),
                village_id: checked.village_id.clone(),
                kind: checked.kind.clone(),
                title: checked.title.clone(),
                held_on: checked.held_on.clone(),
                attendance: checked.attendance,
                version: 1,
                updated_at: String::new(),
            })
            .unwrap_or_default()
        };
        save_then_list(
            sync,
            Entity::Event,
            "event:new",
            fix,
            payload,
            shown,
            saving,
            "/events",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>{t!(i18n, event.create_title)}</h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="event-form" on:submit=submit novalidate>
                <VillageField value=village_id reference />
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
