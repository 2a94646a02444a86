//! Council meetings and decisions: lists kept on the device, a meeting's page with its
//! decisions, and the forms (all through the outbox, so they work offline).
use super::types::{Decision, Meeting, NewMeeting};
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    default_to_today, edit_page, role_may, save_form, use_draft, use_fix, use_local_record,
    use_local_records, use_reference, use_role, village_name, Change, RecordsTop, SaveRow,
    VillageField,
};
use crate::ui::{today, StateBadge};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

#[component]
pub fn MeetingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Meeting>(Entity::Meeting);
    let reference = use_reference();
    let filter = ListFilter::new();
    let shown = move || {
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(m, _)| {
                filter.keeps(&Facets {
                    village_id: &m.village_id,
                    choice: None,
                    date: Some(&m.held_on),
                    texts: &[
                        Some(&m.agenda),
                        m.minutes.as_deref(),
                        m.attendees.as_deref(),
                    ],
                })
            })
            .collect();
        list.sort_by(|a, b| b.0.held_on.cmp(&a.0.held_on).then(b.0.id.cmp(&a.0.id)));
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Meeting
                title=|i18n| t_string!(i18n, meeting.list_title)
                create_label=|i18n| t_string!(i18n, meeting.create_title)
                create_href="/meetings/new"
                create_id="new-meeting"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, meeting.empty)
            />
            <p><a class="button" href="/decisions" id="to-decisions">{t!(i18n, decision.list_title)}</a></p>
            // The councils' own pages, reachable without signal from here (the village page
            // they are also linked from needs the server).
            <details class="council-links">
                <summary>{t!(i18n, council.members_of_councils)}</summary>
                <ul id="council-links">
                    {move || {
                        reference
                            .get()
                            .villages
                            .into_iter()
                            .map(|village| {
                                let href = crate::councils::council_page(&village.id);
                                let name = village.name.clone();
                                view! {
                                    <li>
                                        <a href=href>{move || name.pick(i18n.get_locale()).to_owned()}</a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </details>
            <FilterBar
                filter
                reference
            />
            <ul class="cards" id="meeting-list">
                <For
                    each=shown
                    key=|(m, state)| (m.id.clone(), *state, m.version)
                    children=move |(m, state)| {
                        let village_id = m.village_id.clone();
                        let village = move || village_name(&reference.get(), &village_id, i18n.get_locale());
                        let date = m.held_on.clone();
                        view! {
                            <li class="card" data-id=m.id.clone()>
                                <p class="card-head">
                                    <a href=format!("/meetings/{}", m.id)>
                                        <strong>{move || format_date(i18n.get_locale(), &date)}</strong>
                                    </a>
                                    " · "
                                    {village}
                                    <StateBadge state />
                                </p>
                                <p class="card-body">{m.agenda.clone()}</p>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// A meeting: date, who came, agenda, minutes, and the decisions taken at it.
#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let (meeting, loaded) = use_local_record::<Meeting>(Entity::Meeting, id);
    let decisions = use_local_records::<Decision>(Entity::Decision);
    let reference = use_reference();
    let role = use_role();
    view! {
        <section class="narrow">
            {move || match meeting.get() {
                None if loaded.get() => view! { <p class="notice">{t!(i18n, errors.not_found)}</p> }.into_any(),
                None => view! { <p class="hint">{t!(i18n, loading)}</p> }.into_any(),
                Some((m, state)) => {
                    let own: Vec<Decision> = decisions.with(|all| {
                        all.iter()
                            .filter(|(d, _)| d.meeting_id.as_deref() == Some(m.id.as_str()))
                            .map(|(d, _)| d.clone())
                            .collect()
                    });
                    let none = own.is_empty();
                    let edit_href = format!("/meetings/{}/edit", m.id);
                    let decision_href = format!("/decisions/new?meeting={}&village={}", m.id, m.village_id);
                    view! {
                        <h1 id="meeting-title">
                            {t!(i18n, meeting.held_on)} " " {format_date(i18n.get_locale(), &m.held_on)}
                        </h1>
                        <p><StateBadge state /></p>
                        <dl class="facts">
                            <dt>{t!(i18n, form.village)}</dt>
                            <dd>{village_name(&reference.get(), &m.village_id, i18n.get_locale())}</dd>
                            <dt>{t!(i18n, meeting.attendees)}</dt>
                            <dd>{m.attendees.clone().unwrap_or_else(|| "—".into())}</dd>
                            <dt>{t!(i18n, meeting.agenda)}</dt>
                            <dd class="card-body">{m.agenda.clone()}</dd>
                            <dt>{t!(i18n, meeting.minutes)}</dt>
                            <dd class="card-body" id="meeting-minutes">{m.minutes.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        <Show when=move || role_may(role, RecordKind::Meeting, Action::Update)>
                            <p>
                                <a class="button" id="edit-meeting" href=edit_href.clone()>
                                    {t!(i18n, form.edit)}
                                </a>
                            </p>
                        </Show>
                        <h2>{t!(i18n, meeting.decisions)}</h2>
                        <Show when=move || none>
                            <p class="hint">{t!(i18n, meeting.no_decisions)}</p>
                        </Show>
                        <ul class="cards" id="meeting-decisions">
                            {own.into_iter().map(|d| view! { <DecisionItem decision=d /> }).collect_view()}
                        </ul>
                        <Show when=move || role_may(role, RecordKind::Decision, Action::Create)>
                            <p>
                                <a
                                    class="button"
                                    id="add-decision"
                                    href=decision_href.clone()
                                >
                                    {t!(i18n, meeting.add_decision)}
                                </a>
                            </p>
                        </Show>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

#[component]
fn DecisionItem(decision: Decision) -> impl IntoView {
    let i18n = use_i18n();
    let effective = decision.effective_on.clone();
    view! {
        <li class="card" data-id=decision.id.clone()>
            <p class="card-body">{decision.body.clone()}</p>
            {effective.map(|day| view! {
                <p class="hint">{t!(i18n, decision.effective_on)} " " {move || format_date(i18n.get_locale(), &day)}</p>
            })}
        </li>
    }
}

#[component]
pub fn NewMeetingPage() -> impl IntoView {
    view! { <MeetingForm existing=None /> }
}

#[component]
pub fn EditMeetingPage() -> impl IntoView {
    edit_page(Entity::Meeting, |m: Meeting| {
        view! { <MeetingForm existing=Some(m) /> }.into_any()
    })
}

#[component]
fn MeetingForm(existing: Option<Meeting>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let start = existing.as_ref().map(NewMeeting::from).unwrap_or_default();
    let village_id = RwSignal::new(start.village_id.clone());
    let held_on = RwSignal::new(start.held_on.clone());
    let attendees = RwSignal::new(start.attendees.clone().unwrap_or_default());
    let agenda = RwSignal::new(start.agenda.clone());
    let minutes = RwSignal::new(start.minutes.clone().unwrap_or_default());
    default_to_today(held_on);
    let draft_key = match &existing {
        Some(m) => format!("meeting:{}:edit", m.id),
        None => "meeting:new".to_owned(),
    };
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("held_on", held_on),
            ("attendees", attendees),
            ("agenda", agenda),
            ("minutes", minutes),
        ],
        fix,
    );
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let editing = existing.is_some();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let draft = NewMeeting {
            village_id: village_id.get_untracked(),
            held_on: held_on.get_untracked(),
            attendees: Some(attendees.get_untracked()),
            agenda: agenda.get_untracked(),
            minutes: Some(minutes.get_untracked()),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Meeting,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: format!("/meetings/{}", current.id),
            }),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            "/meetings",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, meeting.edit_title)
                } else {
                    t_string!(i18n, meeting.create_title)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="meeting-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <label for="held_on">{t!(i18n, meeting.held_on)}</label>
                <input id="held_on" type="date" required bind:value=held_on />
                <label for="attendees">{t!(i18n, meeting.attendees)}</label>
                <textarea id="attendees" rows="2" bind:value=attendees></textarea>
                <label for="agenda">{t!(i18n, meeting.agenda)}</label>
                <textarea id="agenda" rows="4" required bind:value=agenda></textarea>
                <label for="minutes">{t!(i18n, meeting.minutes)}</label>
                <textarea id="minutes" rows="6" bind:value=minutes></textarea>
                <SaveRow error saving />
            </form>
        </section>
    }
}
