//! Tasks: the list kept on the device, a new task, and a task's page where progress is
//! recorded (all through the outbox, so they work offline).
use super::types::{is_open, may_move, Task, TaskProgress, STATUSES};
use crate::access::RecordKind;
use crate::councils::Member;
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Op, Reason};
use crate::sync::local::{self, RecordState};
use crate::sync::state::use_sync;
use crate::ui::{today, StateBadge};
use crate::ui::{
    use_draft, use_local_records, use_reference, use_role, village_name, RecordsTop, SaveRow,
};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_params_map;

pub fn status_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "new" => t_string!(i18n, task.status_new),
        "in_progress" => t_string!(i18n, task.status_in_progress),
        "done" => t_string!(i18n, task.status_done),
        "verified" => t_string!(i18n, task.status_verified),
        "cancelled" => t_string!(i18n, task.status_cancelled),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn priority_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "low" => t_string!(i18n, task.priority_low),
        "normal" => t_string!(i18n, task.priority_normal),
        "high" => t_string!(i18n, task.priority_high),
        other => return other.to_owned(),
    };
    text.to_owned()
}

/// An open task still waiting on a member who has left the council (a member record on the
/// device with a leaving date) must be given to someone else.
fn waits_on_leaver(task: &Task, members: &[(Member, RecordState)]) -> bool {
    matches!(task.status.as_str(), "new" | "in_progress")
        && members
            .iter()
            .any(|(m, _)| !m.current() && task.assignees.contains(&m.id))
}

/// The notice on such a task, in the list and on its page.
#[component]
fn LeftMemberFlag(task: Task, members: RwSignal<Vec<(Member, RecordState)>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || members.with(|m| waits_on_leaver(&task, m))>
            <p class="late flag-left">{t!(i18n, council.left_flag)}</p>
        </Show>
    }
}

fn overdue(task: &Task, today: &str) -> bool {
    is_open(&task.status) && task.due_on.as_deref().is_some_and(|due| due < today)
}

#[component]
pub fn TasksPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Task>(Entity::Task);
    let members = use_local_records::<Member>(Entity::Member);
    let reference = use_reference();
    let filter = ListFilter::new();
    // A council member (an elder) comes for their own tasks: "mine" is on for them from the
    // start. The chair, though a member too, oversees all of the council's tasks.
    let me = RwSignal::new(None::<String>);
    let mine = RwSignal::new(false);
    Effect::new(move |_| {
        let profile = crate::accounts::device::remembered_profile();
        let elder = profile
            .as_ref()
            .is_some_and(|p| p.role == crate::access::Role::CouncilMember);
        let member = profile.and_then(|p| p.member_id);
        mine.set(elder && member.is_some());
        me.set(member);
    });
    // Open tasks first, by due date (none last); closed ones after.
    let sorted = move || {
        let member = me.get();
        let only_mine = mine.get();
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(t, _)| {
                let assigned = member.as_ref().is_some_and(|m| t.assignees.contains(m));
                (!only_mine || assigned)
                    && filter.keeps(&Facets {
                        village_id: &t.village_id,
                        choice: Some(&t.status),
                        date: t.due_on.as_deref(),
                        texts: &[Some(&t.title), t.details.as_deref(), t.last_note.as_deref()],
                    })
            })
            .collect();
        list.sort_by(|a, b| {
            (
                !is_open(&a.0.status),
                a.0.due_on.is_none(),
                &a.0.due_on,
                &a.0.title,
            )
                .cmp(&(
                    !is_open(&b.0.status),
                    b.0.due_on.is_none(),
                    &b.0.due_on,
                    &b.0.title,
                ))
        });
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Task
                title=|i18n| t_string!(i18n, task.list_title)
                create_label=|i18n| t_string!(i18n, task.create_title)
                create_href="/tasks/new"
                create_id="new-task"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, task.empty)
            />
            <Show when=move || me.with(Option::is_some)>
                <label class="check" for="only-mine">
                    <input type="checkbox" id="only-mine" bind:checked=mine />
                    {t!(i18n, filter.mine)}
                </label>
            </Show>
            <FilterBar
                filter
                reference
                choice_label=Signal::derive(move || t_string!(i18n, task.status).to_owned())
                codes=STATUSES
                code_label=status_label
            />
            <ul class="cards" id="task-list">
                <For
                    each=sorted
                    key=|(t, state)| (t.id.clone(), *state, t.version, t.status.clone())
                    children=move |(t, state)| {
                        let late = overdue(&t, &today());
                        let village_id = t.village_id.clone();
                        let village = move || village_name(&reference.get(), &village_id, i18n.get_locale());
                        let status = t.status.clone();
                        let due = t.due_on.clone();
                        let href = format!("/tasks/{}", t.id);
                        let task = t.clone();
                        view! {
                            <li class="card" class:overdue=late data-id=t.id.clone()>
                                <p class="card-head">
                                    <a href=href><strong>{t.title.clone()}</strong></a>
                                    <StateBadge state />
                                </p>
                                <p class="hint">
                                    {move || status_label(i18n, &status)}
                                    " · "
                                    {village}
                                    {due.map(|d| view! { " · " {move || format_date(i18n.get_locale(), &d)} })}
                                    <Show when=move || late>
                                        " · "
                                        <strong class="late">{t!(i18n, task.overdue)}</strong>
                                    </Show>
                                </p>
                                <LeftMemberFlag task members />
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// One task: what it is, where it stands, and a form to record progress.
#[component]
pub fn TaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let reference = use_reference();
    let members = use_local_records::<Member>(Entity::Member);
    let role = use_role();
    let task = RwSignal::new(None::<(Task, RecordState)>);
    let loaded = RwSignal::new(false);
    Effect::new(move |_| {
        sync.revision.track();
        let id = id();
        leptos::task::spawn_local(async move {
            if let Ok(found) = local::record(Entity::Task, &id).await {
                task.set(
                    found.and_then(|r| {
                        Some((serde_json::from_value::<Task>(r.record).ok()?, r.state))
                    }),
                );
            }
            loaded.set(true);
        });
    });
    let note = RwSignal::new(String::new());
    let new_status = RwSignal::new(String::new());
    // One draft per task: a note half-typed for one task never turns up on another.
    let draft_key = format!("task:{}:progress", id());
    let _ = use_draft(
        draft_key.clone(),
        vec![("note", note), ("status", new_status)],
        None,
    );
    let error = RwSignal::new(None::<Reason>);
    let saved = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let allowed_statuses = move || -> Vec<&'static str> {
        let (Some(role), Some((t, _))) = (role.get(), task.get()) else {
            return Vec::new();
        };
        STATUSES
            .iter()
            .copied()
            .filter(|to| *to != t.status && may_move(role, &t.status, to))
            .collect()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((current, _)) = task.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        let progress = TaskProgress {
            status: Some(new_status.get_untracked()).filter(|s| !s.is_empty()),
            note: Some(note.get_untracked()),
        };
        let checked = match progress.checked() {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        saving.set(true);
        let draft_key = draft_key.clone();
        leptos::task::spawn_local(async move {
            // The page shows the change at once; the outbox carries it with the version it
            // was made on, so a change made meanwhile elsewhere comes back as a conflict.
            let mut shown = current.clone();
            if let Some(status) = &checked.status {
                shown.status = status.clone();
            }
            if checked.note.is_some() {
                shown.last_note = checked.note.clone();
            }
            shown.version = current.version + 1;
            let queued = crate::sync::queue::enqueue(
                Entity::Task,
                Op::Update,
                &current.id,
                Some(current.version),
                serde_json::to_value(&checked).unwrap_or_default(),
                serde_json::to_value(&shown).unwrap_or_default(),
            )
            .await;
            saving.set(false);
            if queued.is_ok() {
                let _ = local::drop_draft(&draft_key).await;
                note.set(String::new());
                new_status.set(String::new());
                saved.set(true);
                sync.changed();
            }
        });
    };
    view! {
        <section class="narrow">
            {move || match task.get() {
                None if loaded.get() => view! { <p class="notice">{t!(i18n, errors.not_found)}</p> }.into_any(),
                None => view! { <p class="hint">{t!(i18n, loading)}</p> }.into_any(),
                Some((t, state)) => {
                    let status = t.status.clone();
                    let priority = t.priority.clone();
                    // The reference holds current members only: one who left is named from
                    // his member record.
                    let names: Vec<String> = reference.with(|r| {
                        t.assignees
                            .iter()
                            .filter_map(|a| {
                                r.members.iter().find(|m| m.id == *a).map(|m| m.full_name.clone()).or_else(|| {
                                    members.with(|l| l.iter().find(|(m, _)| m.id == *a).map(|(m, _)| m.full_name.clone()))
                                })
                            })
                            .collect()
                    });
                    view! {
                        <h1 id="task-title">{t.title.clone()}</h1>
                        <p>
                            <StateBadge state />
                        </p>
                        <LeftMemberFlag task=t.clone() members />
                        <dl class="facts">
                            <dt>{t!(i18n, task.status)}</dt>
                            <dd id="task-status">{move || status_label(i18n, &status)}</dd>
                            <dt>{t!(i18n, form.village)}</dt>
                            <dd>{village_name(&reference.get(), &t.village_id, i18n.get_locale())}</dd>
                            <dt>{t!(i18n, task.priority)}</dt>
                            <dd>{move || priority_label(i18n, &priority)}</dd>
                            <dt>{t!(i18n, task.due_on)}</dt>
                            <dd>{t.due_on.clone().map(|d| format_date(i18n.get_locale(), &d)).unwrap_or_default()}</dd>
                            <dt>{t!(i18n, task.assignees)}</dt>
                            <dd>{names.join(", ")}</dd>
                            {t.household.clone().map(|h| view! {
                                <dt>{t!(i18n, task.household)}</dt>
                                <dd>{h}</dd>
                            })}
                            {t.proposal_id.clone().map(|id| view! {
                                <dt>{t!(i18n, task.proposal)}</dt>
                                <dd><a href=format!("/proposals/{id}")>{t!(i18n, entities.proposal)}</a></dd>
                            })}
                            {t.person_id.clone().map(|id| view! {
                                <dt>{t!(i18n, task.person)}</dt>
                                <dd><a href=format!("/persons/{id}")>{t!(i18n, entities.person)}</a></dd>
                            })}
                            <dt>{t!(i18n, task.last_note)}</dt>
                            <dd id="task-note">{t.last_note.clone().unwrap_or_default()}</dd>
                        </dl>
                        <p class="card-body">{t.details.clone().unwrap_or_default()}</p>
                    }
                        .into_any()
                }
            }}
            <Show when=move || saved.get()>
                <p class="notice" role="status">{t!(i18n, sync.saved_locally)}</p>
            </Show>
            <Show when=move || task.with(|t| t.as_ref().is_some_and(|(t, _)| is_open(&t.status)))>
                <h2>{t!(i18n, task.progress)}</h2>
                <form class="form" id="progress-form" on:submit=submit.clone() novalidate>
                    <label for="note">{t!(i18n, task.note)}</label>
                    <textarea id="note" rows="3" bind:value=note></textarea>
                    <label for="new_status">{t!(i18n, task.new_status)}</label>
                    <select id="new_status" bind:value=new_status>
                        <option value="">{t!(i18n, task.keep_status)}</option>
                        {move || {
                            allowed_statuses()
                                .into_iter()
                                .map(|code| view! { <option value=code>{status_label(i18n, code)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <SaveRow error saving />
                </form>
            </Show>
        </section>
    }
}
