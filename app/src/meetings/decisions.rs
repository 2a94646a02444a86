//! A council's decisions: the list kept on the device and the form for a new or corrected
//! one (through the outbox, so they work offline).
use super::types::{Decision, Meeting, NewDecision};
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::StateBadge;
use crate::ui::{
    edit_page, role_may, save_form, use_draft, use_fix, use_local_records, use_reference, use_role,
    village_name, Change, RecordsTop, SaveRow, VillageField,
};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

#[component]
pub fn DecisionsPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Decision>(Entity::Decision);
    let reference = use_reference();
    let role = use_role();
    let filter = ListFilter::new();
    let shown = move || {
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(d, _)| {
                filter.keeps(&Facets {
                    village_id: &d.village_id,
                    choice: None,
                    date: d.effective_on.as_deref(),
                    texts: &[Some(&d.body)],
                })
            })
            .collect();
        list.sort_by(|a, b| {
            b.0.effective_on
                .cmp(&a.0.effective_on)
                .then(b.0.id.cmp(&a.0.id))
        });
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Decision
                title=|i18n| t_string!(i18n, decision.list_title)
                create_label=|i18n| t_string!(i18n, decision.create_title)
                create_href="/decisions/new"
                create_id="new-decision"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, decision.empty)
            />
            <FilterBar
                filter
                reference
            />
            <ul class="cards" id="decision-list">
                <For
                    each=shown
                    key=|(d, state)| (d.id.clone(), *state, d.version)
                    children=move |(d, state)| {
                        let village_id = d.village_id.clone();
                        let village = move || village_name(&reference.get(), &village_id, i18n.get_locale());
                        let edit_href = format!("/decisions/{}/edit", d.id);
                        view! {
                            <li class="card" data-id=d.id.clone()>
                                <p class="card-head">{village} <StateBadge state /></p>
                                <p class="card-body">{d.body.clone()}</p>
                                <Show when=move || role_may(role, RecordKind::Decision, Action::Update)>
                                    <p>
                                        <a class="button" href=edit_href.clone()>{t!(i18n, form.edit)}</a>
                                    </p>
                                </Show>
                                {d.effective_on.clone().map(|day| view! {
                                    <p class="hint">{t!(i18n, decision.effective_on)} " " {move || format_date(i18n.get_locale(), &day)}</p>
                                })}
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

#[component]
pub fn NewDecisionPage() -> impl IntoView {
    view! { <DecisionForm existing=None /> }
}

#[component]
pub fn EditDecisionPage() -> impl IntoView {
    edit_page(Entity::Decision, |d: Decision| {
        view! { <DecisionForm existing=Some(d) /> }.into_any()
    })
}

/// The form for a new decision (from a meeting's page: `?meeting=…&village=…`), or for
/// correcting one (`existing`).
#[component]
fn DecisionForm(existing: Option<Decision>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let meetings = use_local_records::<Meeting>(Entity::Meeting);
    let navigate = use_navigate();
    let fix = use_fix();
    let query = use_query_map().get_untracked();
    let start = existing
        .as_ref()
        .map(NewDecision::from)
        .unwrap_or_else(|| NewDecision {
            village_id: query.get("village").unwrap_or_default(),
            meeting_id: query.get("meeting"),
            ..NewDecision::default()
        });
    let village_id = RwSignal::new(start.village_id.clone());
    let meeting_id = RwSignal::new(start.meeting_id.clone().unwrap_or_default());
    let body = RwSignal::new(start.body.clone());
    let effective_on = RwSignal::new(start.effective_on.clone().unwrap_or_default());
    let editing = existing.is_some();
    let draft_key = match &existing {
        Some(d) => format!("decision:{}:edit", d.id),
        None => "decision:new".to_owned(),
    };
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("meeting_id", meeting_id),
            ("body", body),
            ("effective_on", effective_on),
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
        let draft = NewDecision {
            village_id: village_id.get_untracked(),
            meeting_id: Some(meeting_id.get_untracked()),
            body: body.get_untracked(),
            effective_on: Some(effective_on.get_untracked()),
        };
        let checked = match draft.checked() {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Decision,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: "/decisions?saved=1".into(),
            }),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            "/decisions",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, decision.edit_title)
                } else {
                    t_string!(i18n, decision.create_title)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="decision-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <label for="meeting_id">{t!(i18n, decision.meeting)}</label>
                <select id="meeting_id" bind:value=meeting_id>
                    <option value="">{t!(i18n, decision.no_meeting)}</option>
                    {move || {
                        let village = village_id.get();
                        let locale = i18n.get_locale();
                        meetings
                            .get()
                            .into_iter()
                            .filter(|(m, _)| m.village_id == village)
                            .map(|(m, _)| {
                                let selected = meeting_id.get_untracked() == m.id;
                                view! { <option value=m.id selected=selected>{format_date(locale, &m.held_on)}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label for="body">{t!(i18n, decision.body)}</label>
                <textarea id="body" rows="4" required bind:value=body></textarea>
                <label for="effective_on">{t!(i18n, decision.effective_on)}</label>
                <input id="effective_on" type="date" bind:value=effective_on />
                <SaveRow error saving />
            </form>
        </section>
    }
}
