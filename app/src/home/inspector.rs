//! The inspector's home: new records at a tap, deadlines, persons due a visit, the outbox,
//! the latest offences.
use super::work::*;
use crate::dates::format_date;
use crate::i18n::*;
use crate::offences::Offence;
use crate::persons::Person;
use crate::sync::contract::Entity;
use crate::sync::state::{use_sync, PersonsCache};
use crate::tasks::Task;
use crate::ui::{use_local_records, use_reference, village_name};
use crate::visits::Visit;
use leptos::prelude::*;

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
    // until a list was read under the cache's present state, so the audit is not filled with
    // a read per sync (while nobody is found, each pull reads again). (The list read online just before the cache opened does not count: the
    // cache may still be empty then, and its first pull must be read.)
    let persons = RwSignal::new(Vec::<Person>::new());
    let read_under = RwSignal::new(None::<PersonsCache>);
    Effect::new(move |_| {
        let state = sync.persons.get();
        let current =
            read_under.get_untracked() == Some(state) && !persons.with_untracked(Vec::is_empty);
        if current {
            return;
        }
        sync.revision.track();
        leptos::task::spawn_local(async move {
            let list = crate::persons::read_persons().await;
            // A read overtaken by a lock or an unlock meanwhile is not shown: the run the
            // change started reads again.
            if sync.persons.get_untracked() == state {
                persons.set(list);
                read_under.set(Some(state));
            }
        });
    });
    let cache_open = move || sync.persons.get() == PersonsCache::Open;
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
                    !persons.with(Vec::is_empty) || cache_open()
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
