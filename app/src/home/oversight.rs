//! The supervisor's and coordinator's home: a few figures of their villages and the way to
//! the reports.
use super::work::*;
use crate::i18n::*;
use crate::offences::Offence;
use crate::proposals::Proposal;
use crate::sync::contract::Entity;
use crate::tasks::{is_open, Task};
use crate::ui::use_local_records;
use leptos::prelude::*;

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
