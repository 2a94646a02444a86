//! Each role's work on the home page, read from the records this device keeps (so it shows
//! offline, and only what the device may hold: the person's own scope).
use crate::dates::{day_number, format_date};
use crate::i18n::*;
use crate::persons::Person;
use crate::sync::state::use_sync;
use crate::tasks::{is_open, Task};
use crate::ui::{use_reference, village_name};
use crate::visits::Visit;
use leptos::prelude::*;

pub(super) type I18n = leptos_i18n::I18nContext<Locale>;

/// A person of attention not visited for this many days is due a visit.
pub(super) const VISIT_DUE_DAYS: i64 = 30;
/// Tasks due within this many days count as "due this week".
pub(super) const DUE_SOON_DAYS: i64 = 7;
/// How many entries a home section lists before its link to the whole list.
pub(super) const SHOWN: usize = 5;

/// Today in the region (the reports' and the village page's day), set once the page runs in
/// the browser (the server's render has none).
pub(super) fn use_today() -> RwSignal<String> {
    let today = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| today.set(crate::dates::region_today_on_device()));
    today
}

/// Days from `today` to `day` (negative: past), when both are dates.
pub(super) fn days_until(today: &str, day: &str) -> Option<i64> {
    Some(day_number(day)? - day_number(today)?)
}

/// Open tasks due by the end of the week, overdue first.
pub(super) fn due_soon(tasks: Vec<Task>, today: &str) -> Vec<Task> {
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
pub(super) fn persons_due(
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
pub(super) fn TaskCard(task: Task, today: String) -> impl IntoView {
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
pub(super) fn TaskCards(
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

pub(super) fn nothing_due(i18n: I18n) -> &'static str {
    t_string!(i18n, work.nothing_due)
}

pub(super) fn no_tasks(i18n: I18n) -> &'static str {
    t_string!(i18n, work.no_tasks)
}

/// What waits in this device's outbox, and a way to it.
#[component]
pub(super) fn OutboxWork() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let pending = sync.pending;
    let problems = sync.problems;
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
