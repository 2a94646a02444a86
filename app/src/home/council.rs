//! A council's home: an elder's own tasks; for the chair and the akimat the council's open
//! tasks, proposals waiting and the next meeting.
use super::work::*;
use crate::dates::format_date;
use crate::i18n::*;
use crate::meetings::Meeting;
use crate::proposals::Proposal;
use crate::sync::contract::Entity;
use crate::tasks::{is_open, Task};
use crate::ui::{use_local_records, use_reference, village_name};
use leptos::prelude::*;

/// A council member's own open tasks, the nearest due first.
#[component]
pub fn MemberWork(member_id: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let today = use_today();
    let tasks = use_local_records::<Task>(Entity::Task);
    let linked = member_id.is_some();
    let mine = Signal::derive(move || {
        let mut list: Vec<Task> = tasks
            .get()
            .into_iter()
            .map(|(task, _)| task)
            .filter(|task| is_open(&task.status))
            .filter(|task| {
                member_id
                    .as_ref()
                    .is_some_and(|m| task.assignees.contains(m))
            })
            .collect();
        list.sort_by(|a, b| (a.due_on.is_none(), &a.due_on).cmp(&(b.due_on.is_none(), &b.due_on)));
        list
    });
    view! {
        <section aria-labelledby="work-mine" class="work-section">
            <h2 id="work-mine">{t!(i18n, work.my_tasks)}</h2>
            {(!linked).then(|| view! { <p class="notice">{t!(i18n, work.not_a_member)}</p> })}
            <TaskCards tasks=mine today empty=no_tasks />
        </section>
        <OutboxWork />
    }
}

/// The council's chair and the akimat: its open tasks, proposals waiting for an answer and the
/// next meeting.
#[component]
pub fn CouncilWork() -> impl IntoView {
    let i18n = use_i18n();
    let today = use_today();
    let tasks = use_local_records::<Task>(Entity::Task);
    let proposals = use_local_records::<Proposal>(Entity::Proposal);
    let meetings = use_local_records::<Meeting>(Entity::Meeting);
    let reference = use_reference();
    let open_tasks = Signal::derive(move || {
        let mut list: Vec<Task> = tasks
            .get()
            .into_iter()
            .map(|(task, _)| task)
            .filter(|task| is_open(&task.status))
            .collect();
        list.sort_by(|a, b| (a.due_on.is_none(), &a.due_on).cmp(&(b.due_on.is_none(), &b.due_on)));
        list.truncate(SHOWN);
        list
    });
    let waiting = move || {
        let mut list: Vec<Proposal> = proposals
            .get()
            .into_iter()
            .map(|(p, _)| p)
            .filter(|p| matches!(p.status.as_str(), "submitted" | "under_review"))
            .collect();
        list.sort_by(|a, b| a.submitted_on.cmp(&b.submitted_on));
        list
    };
    let next_meeting = move || {
        let today = today.get();
        meetings
            .get()
            .into_iter()
            .map(|(m, _)| m)
            .filter(|m| !today.is_empty() && m.held_on.as_str() >= today.as_str())
            .min_by(|a, b| a.held_on.cmp(&b.held_on))
    };
    view! {
        <section aria-labelledby="work-open" class="work-section">
            <h2 id="work-open">{t!(i18n, work.council_tasks)}</h2>
            <TaskCards tasks=open_tasks today empty=no_tasks />
            <a class="button" href="/tasks">{t!(i18n, work.all_tasks)}</a>
        </section>
        <section aria-labelledby="work-proposals" class="work-section">
            <h2 id="work-proposals">{t!(i18n, work.waiting_proposals)}</h2>
            <p id="work-proposals-count">
                {move || td_string!(i18n.get_locale(), work.waiting_count, count = waiting().len()).to_string()}
            </p>
            <ul class="work-list">
                {move || {
                    waiting()
                        .into_iter()
                        .take(SHOWN)
                        .map(|p| {
                            let village = p.village_id.clone();
                            let body: String = p.body.chars().take(80).collect();
                            view! {
                                <li>
                                    <a href=format!("/proposals/{}", p.id)>
                                        {body} " · "
                                        {move || village_name(&reference.get(), &village, i18n.get_locale())}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
        <section aria-labelledby="work-meeting" class="work-section">
            <h2 id="work-meeting">{t!(i18n, work.next_meeting)}</h2>
            {move || match next_meeting() {
                Some(meeting) => {
                    let day = meeting.held_on.clone();
                    view! {
                        <a class="work-meeting" href=format!("/meetings/{}", meeting.id)>
                            <strong>{move || format_date(i18n.get_locale(), &day)}</strong>
                            " · " {meeting.agenda.chars().take(80).collect::<String>()}
                        </a>
                    }
                        .into_any()
                }
                None => view! { <p class="muted">{t!(i18n, work.no_meeting)}</p> }.into_any(),
            }}
        </section>
    }
}
