//! Each role's work on the home page, read from the records this device keeps (so it shows
//! offline, and only what the device may hold: the person's own scope).
use crate::dates::{day_number, format_date};
use crate::i18n::*;
use crate::meetings::Meeting;
use crate::offences::Offence;
use crate::persons::Person;
use crate::proposals::Proposal;
use crate::sync::contract::Entity;
use crate::sync::state::{use_sync, PersonsCache};
use crate::tasks::{is_open, Task};
use crate::ui::{use_local_records, use_reference, village_name};
use crate::visits::Visit;
use leptos::prelude::*;

type I18n = leptos_i18n::I18nContext<Locale>;

/// A person of attention not visited for this many days is due a visit.
const VISIT_DUE_DAYS: i64 = 30;
/// Tasks due within this many days count as "due this week".
const DUE_SOON_DAYS: i64 = 7;
/// How many entries a home section lists before its link to the whole list.
const SHOWN: usize = 5;

/// Today in the region (the reports' and the village page's day), set once the page runs in
/// the browser (the server's render has none).
fn use_today() -> RwSignal<String> {
    let today = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| today.set(crate::dates::region_today_on_device()));
    today
}

/// `read` as the page's own state: the server's value (`T::default()`) while the page hydrates,
/// then kept current. The sync state is shared with the layout, which may have changed it
/// before this page's chunk arrived; read straight, a `Show` would then hydrate the other
/// branch than the server rendered (a panic in the browser).
fn after_hydration<T>(read: impl Fn() -> T + 'static) -> ReadSignal<T>
where
    T: Default + Clone + PartialEq + Send + Sync + 'static,
{
    let value = RwSignal::new(T::default());
    Effect::new(move |_| value.set(read()));
    value.read_only()
}

/// Days from `today` to `day` (negative: past), when both are dates.
fn days_until(today: &str, day: &str) -> Option<i64> {
    Some(day_number(day)? - day_number(today)?)
}

/// Open tasks due by the end of the week, overdue first.
fn due_soon(tasks: Vec<Task>, today: &str) -> Vec<Task> {
    let mut due: Vec<Task> = tasks
        .into_iter()
        .filter(|task| is_open(&task.status))
        .filter(|task| {
            task.due_on
                .as_deref()
                .and_then(|due| days_until(today, due))
                .is_some_and(|days| days <= DUE_SOON_DAYS)
        })
        .collect();
    due.sort_by(|a, b| a.due_on.cmp(&b.due_on));
    due
}

/// Active persons not visited for `VISIT_DUE_DAYS` or more (or never), with their last visit
/// day: never visited first, then the longest ago.
fn persons_due(
    persons: Vec<Person>,
    visits: &[Visit],
    today: &str,
) -> Vec<(Person, Option<String>)> {
    let mut due: Vec<(Person, Option<String>)> = persons
        .into_iter()
        .filter(|person| person.status == "active")
        .map(|person| {
            let last = visits
                .iter()
                .filter(|visit| visit.person_id.as_deref() == Some(person.id.as_str()))
                .map(|visit| {
                    visit
                        .visited_on
                        .get(..10)
                        .unwrap_or(&visit.visited_on)
                        .to_owned()
                })
                .max();
            (person, last)
        })
        .filter(|(_, last)| {
            last.as_deref()
                .and_then(|day| days_until(day, today))
                .is_none_or(|days| days >= VISIT_DUE_DAYS)
        })
        .collect();
    due.sort_by(|a, b| {
        a.1.cmp(&b.1)
            .then_with(|| a.0.full_name.cmp(&b.0.full_name))
    });
    due
}

/// A task as a large card: its title, village and due day (overdue marked) and one tap to it,
/// where progress is recorded.
#[component]
fn TaskCard(task: Task, today: String) -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    let overdue = task
        .due_on
        .as_deref()
        .and_then(|due| days_until(&today, due))
        .is_some_and(|days| days < 0);
    let village = task.village_id.clone();
    let due = task.due_on.clone();
    let status = task.status.clone();
    view! {
        <li class="work-card" class:overdue=overdue data-task=task.id.clone()>
            <a href=format!("/tasks/{}", task.id)>
                <strong class="work-card-title">{task.title.clone()}</strong>
                <span>{move || village_name(&reference.get(), &village, i18n.get_locale())}</span>
                <span>
                    {move || crate::tasks::status_label(i18n, &status)}
                    {due
                        .clone()
                        .map(|due| {
                            view! {
                                " · " {t!(i18n, work.due)} " "
                                {move || format_date(i18n.get_locale(), &due)}
                            }
                        })}
                </span>
                {overdue.then(|| view! { <span class="work-overdue">{t!(i18n, work.overdue)}</span> })}
            </a>
        </li>
    }
}

#[component]
fn TaskCards(
    tasks: Signal<Vec<Task>>,
    today: RwSignal<String>,
    /// What to say when there is none, in the current language.
    empty: fn(I18n) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show
            when=move || !tasks.with(Vec::is_empty)
            fallback=move || view! { <p class="muted">{move || empty(i18n)}</p> }
        >
            <ul class="work-cards">
                {move || {
                    tasks
                        .get()
                        .into_iter()
                        .map(|task| view! { <TaskCard task today=today.get() /> })
                        .collect_view()
                }}
            </ul>
        </Show>
    }
}

fn nothing_due(i18n: I18n) -> &'static str {
    t_string!(i18n, work.nothing_due)
}

fn no_tasks(i18n: I18n) -> &'static str {
    t_string!(i18n, work.no_tasks)
}

/// What waits in this device's outbox, and a way to it.
#[component]
fn OutboxWork() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let pending = after_hydration(move || sync.pending.get());
    let problems = after_hydration(move || sync.problems.get());
    let waiting = move || pending.get() + problems.get() > 0;
    view! {
        <section aria-labelledby="work-outbox" class="work-section">
            <h2 id="work-outbox">{t!(i18n, outbox.title)}</h2>
            <p id="work-outbox-counts">
                {move || {
                    let locale = i18n.get_locale();
                    let mut text = td_string!(locale, sync.status_pending, count = pending.get())
                        .to_string();
                    if problems.get() > 0 {
                        text.push_str(" · ");
                        text.push_str(
                            &td_string!(locale, sync.status_problems, count = problems.get())
                                .to_string(),
                        );
                    }
                    text
                }}
            </p>
            <Show when=waiting>
                <a class="button" href="/outbox">{t!(i18n, work.open_outbox)}</a>
            </Show>
        </section>
    }
}

#[component]
pub fn InspectorWork() -> impl IntoView {
    let i18n = use_i18n();
    let today = use_today();
    let tasks = use_local_records::<Task>(Entity::Task);
    let offences = use_local_records::<Offence>(Entity::Offence);
    let reference = use_reference();
    let due = Signal::derive(move || {
        let all = tasks.get().into_iter().map(|(task, _)| task).collect();
        due_soon(all, &today.get())
    });
    let sync = use_sync();
    // Read from the sealed cache once the PIN opened it (a read the audit records), online
    // from the server before that: again when the cache opens or locks, and after a pull only
    // while nobody was read yet, so the audit is not filled with a read per sync.
    let persons = RwSignal::new(Vec::<Person>::new());
    Effect::new(move |_| {
        sync.persons.track();
        if persons.with_untracked(Vec::is_empty) {
            sync.revision.track();
        }
        leptos::task::spawn_local(async move { persons.set(crate::persons::read_persons().await) });
    });
    let cache_open = after_hydration(move || sync.persons.get() == PersonsCache::Open);
    let visits = use_local_records::<Visit>(Entity::Visit);
    let not_visited = move || {
        let visits: Vec<Visit> = visits.get().into_iter().map(|(v, _)| v).collect();
        persons_due(persons.get(), &visits, &today.get())
    };
    let latest = move || {
        let mut list: Vec<Offence> = offences.get().into_iter().map(|(o, _)| o).collect();
        list.sort_by(|a, b| b.occurred_on.cmp(&a.occurred_on));
        list.truncate(SHOWN);
        list
    };
    view! {
        <nav class="quick-actions" aria-label=move || t_string!(i18n, work.quick_actions)>
            <a class="button primary" id="quick-offence" href="/offences/new">{t!(i18n, work.new_offence)}</a>
            <a class="button primary" id="quick-visit" href="/visits/new">{t!(i18n, work.new_visit)}</a>
            <a class="button primary" id="quick-proposal" href="/proposals/new">{t!(i18n, work.new_proposal)}</a>
        </nav>
        <section aria-labelledby="work-due" class="work-section">
            <h2 id="work-due">{t!(i18n, work.due_title)}</h2>
            <TaskCards tasks=due today empty=nothing_due />
        </section>
        <section aria-labelledby="work-visits" class="work-section">
            <h2 id="work-visits">{t!(i18n, work.not_visited)}</h2>
            <Show
                when=move || {
                    !persons.with(Vec::is_empty) || cache_open.get()
                }
                fallback=move || view! { <p class="muted">{t!(i18n, work.persons_closed)}</p> }
            >
                <p id="work-visits-count">
                    {move || td_string!(i18n.get_locale(), work.persons_count, count = not_visited().len()).to_string()}
                </p>
                <ul class="work-list" id="work-visits-list">
                    {move || {
                        not_visited()
                            .into_iter()
                            .take(SHOWN)
                            .map(|(person, last)| {
                                view! {
                                    <li>
                                        <a href=format!("/persons/{}", person.id)>
                                            {person.full_name.clone()} " · "
                                            {move || match &last {
                                                Some(day) => format!(
                                                    "{} {}",
                                                    t_string!(i18n, work.last_visit),
                                                    format_date(i18n.get_locale(), day)
                                                ),
                                                None => t_string!(i18n, work.never_visited).to_owned(),
                                            }}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            </Show>
        </section>
        <OutboxWork />
        <section aria-labelledby="work-offences" class="work-section">
            <h2 id="work-offences">{t!(i18n, work.latest_offences)}</h2>
            <ul class="work-list" id="work-offences-list">
                {move || {
                    latest()
                        .into_iter()
                        .map(|offence| {
                            let village = offence.village_id.clone();
                            let category = offence.category.clone();
                            let day = offence.occurred_on.clone();
                            view! {
                                <li>
                                    <a href=format!("/offences/{}", offence.id)>
                                        {move || format_date(i18n.get_locale(), &day)} " · "
                                        {move || crate::offences::category_label(i18n, &category)} " · "
                                        {move || village_name(&reference.get(), &village, i18n.get_locale())}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <a class="button" href="/offences">{t!(i18n, work.all_offences)}</a>
        </section>
    }
}

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

/// Supervisors and the region: their villages' figures at a glance (from the records this
/// device keeps), and the way to the reports.
#[component]
pub fn OversightWork() -> impl IntoView {
    let i18n = use_i18n();
    let today = use_today();
    let offences = use_local_records::<Offence>(Entity::Offence);
    let tasks = use_local_records::<Task>(Entity::Task);
    let proposals = use_local_records::<Proposal>(Entity::Proposal);
    let in_month = move |back: i32| {
        let today = today.get();
        let Some(month) = crate::reports::months::Month::of(&today) else {
            return 0;
        };
        let month = month.plus(-back).to_string();
        offences
            .get()
            .iter()
            .filter(|(o, _)| o.occurred_on.starts_with(&month))
            .count()
    };
    let overdue = move || {
        let today = today.get();
        tasks
            .get()
            .iter()
            .filter(|(t, _)| is_open(&t.status))
            .filter(|(t, _)| {
                t.due_on
                    .as_deref()
                    .and_then(|due| days_until(&today, due))
                    .is_some_and(|days| days < 0)
            })
            .count()
    };
    let waiting = move || {
        proposals
            .get()
            .iter()
            .filter(|(p, _)| matches!(p.status.as_str(), "submitted" | "under_review"))
            .count()
    };
    view! {
        <section aria-labelledby="work-glance" class="work-section">
            <h2 id="work-glance">{t!(i18n, work.at_a_glance)}</h2>
            <dl class="glance" id="work-glance-figures">
                <div>
                    <dt>{t!(i18n, work.offences_this_month)}</dt>
                    <dd data-figure="this-month">{move || in_month(0)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, work.offences_last_month)}</dt>
                    <dd data-figure="last-month">{move || in_month(1)}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, work.tasks_overdue)}</dt>
                    <dd data-figure="overdue">{overdue}</dd>
                </div>
                <div>
                    <dt>{t!(i18n, work.waiting_proposals)}</dt>
                    <dd data-figure="waiting">{waiting}</dd>
                </div>
            </dl>
            <p class="report-links">
                <a class="button primary" href="/reports">{t!(i18n, work.open_reports)}</a>
                " "
                <a class="button" href="/reports/bulletin">{t!(i18n, work.open_bulletin)}</a>
            </p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(id: &str, status: &str, due: Option<&str>) -> Task {
        Task {
            id: id.into(),
            village_id: "v".into(),
            title: id.into(),
            details: None,
            due_on: due.map(Into::into),
            priority: "normal".into(),
            status: status.into(),
            assignees: vec![],
            last_note: None,
            person_id: None,
            proposal_id: None,
            household: None,
            version: 1,
            updated_at: String::new(),
        }
    }

    fn person(id: &str, status: &str) -> Person {
        Person {
            id: id.into(),
            village_id: "v".into(),
            village_name: "V".into(),
            full_name: id.into(),
            birth_year: None,
            household: None,
            categories: vec![],
            register_basis: None,
            status: status.into(),
            note: None,
            demo: false,
            version: 1,
        }
    }

    fn visit(person: &str, day: &str) -> Visit {
        serde_json::from_value(serde_json::json!({
            "id": format!("{person}-{day}"), "village_id": "v", "person_id": person,
            "household": null, "kind": "visit", "visited_on": day, "outcome": null, "note": null,
            "version": 1, "updated_at": ""
        }))
        .unwrap()
    }

    #[test]
    fn persons_due_a_visit_are_those_not_seen_for_30_days_never_seen_first() {
        let persons = vec![
            person("seen-lately", "active"),
            person("seen-long-ago", "active"),
            person("never-seen", "active"),
            person("closed", "closed"),
            person("thirty-days", "active"),
        ];
        let visits = [
            visit("seen-lately", "2026-11-20"),
            visit("seen-long-ago", "2026-09-01"),
            visit("seen-long-ago", "2026-08-01"),
            visit("thirty-days", "2026-11-01"),
        ];
        let due: Vec<(String, Option<String>)> = persons_due(persons, &visits, "2026-12-01")
            .into_iter()
            .map(|(p, last)| (p.id, last))
            .collect();
        assert_eq!(
            due,
            vec![
                ("never-seen".to_owned(), None),
                ("seen-long-ago".to_owned(), Some("2026-09-01".to_owned())),
                ("thirty-days".to_owned(), Some("2026-11-01".to_owned())),
            ]
        );
    }

    #[test]
    fn due_soon_keeps_open_tasks_due_within_a_week_overdue_first() {
        let tasks = vec![
            task("next-week", "new", Some("2026-12-09")),
            task("in-a-week", "in_progress", Some("2026-12-08")),
            task("overdue", "new", Some("2026-11-20")),
            task("closed", "verified", Some("2026-11-25")),
            task("no-date", "new", None),
        ];
        let ids: Vec<String> = due_soon(tasks, "2026-12-01")
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, vec!["overdue", "in-a-week"]);
    }
}
