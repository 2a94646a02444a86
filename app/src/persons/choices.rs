//! Persons as other forms offer them (offences, visits, tasks): read from the device the way
//! the persons list reads them, so each read is audited.
use super::source;
use super::types::Person;
use leptos::prelude::*;

/// Every person this device may read, as the persons list reads them (`source::list`, a read
/// that is audited); none when they cannot be read now (locked and offline).
pub async fn read_persons() -> Vec<Person> {
    source::list(None).await.unwrap_or_default()
}

/// The persons a form may link to (offences, visits, tasks), as the persons list reads them
/// (`source::list`, a read that is audited). Read once the form opens and `offered` holds:
/// a form that offers no picker to this role reads nobody.
pub fn use_person_choices(offered: impl Fn() -> bool + 'static) -> RwSignal<Vec<Person>> {
    let choices = RwSignal::new(Vec::new());
    let sync = crate::sync::state::use_sync();
    Effect::new(move |_| {
        // Read again once the cache opens: a page load reopens it a moment after the form
        // shows, and the server reads persons only to a device that proved it is unlocked.
        sync.persons.track();
        if !offered() {
            return;
        }
        leptos::task::spawn_local(async move {
            choices.set(source::list(None).await.unwrap_or_default());
        });
    });
    choices
}

/// The persons of the chosen village as `<option>`s of a picker (after its "none" option),
/// the current choice selected. The task and visit forms share it.
#[component]
pub fn VillagePersonOptions(
    persons: RwSignal<Vec<Person>>,
    village_id: RwSignal<String>,
    selected: RwSignal<String>,
) -> impl IntoView {
    move || {
        let village = village_id.get();
        persons
            .get()
            .into_iter()
            .filter(|p| p.village_id == village)
            .map(|p| {
                let chosen = selected.get_untracked() == p.id;
                view! { <option value=p.id selected=chosen>{p.full_name}</option> }
            })
            .collect_view()
    }
}
