//! The form for a new task: through the outbox, so it works offline.
use super::types::{NewTask, Task, PRIORITIES};
use super::views::priority_label;
use crate::i18n::*;
use crate::persons::{use_person_choices, VillagePersonOptions};
use crate::proposals::Proposal;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    save_then_list, use_draft, use_fix, use_local_records, use_reference, use_role, ChoiceField,
    SaveRow, VillageField,
};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

#[component]
pub fn NewTaskPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let village_id = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());
    let due_on = RwSignal::new(String::new());
    let priority = RwSignal::new("normal".to_owned());
    // Member ids joined by commas, so the draft keeps them as text like every field.
    let assignees = RwSignal::new(String::new());
    let person_id = RwSignal::new(String::new());
    let proposal_id = RwSignal::new(String::new());
    let household = RwSignal::new(String::new());
    // The chair (who may be shared a person) does not link persons: only the inspector does.
    let role = use_role();
    let may_link = move || role.get().is_some_and(crate::access::may_link_person);
    let persons = use_person_choices(may_link);
    let proposals = use_local_records::<Proposal>(Entity::Proposal);
    let restored = use_draft(
        "task:new".into(),
        vec![
            ("village_id", village_id),
            ("title", title),
            ("details", details),
            ("due_on", due_on),
            ("priority", priority),
            ("assignees", assignees),
            ("person_id", person_id),
            ("proposal_id", proposal_id),
            ("household", household),
        ],
        fix,
    );
    let chosen = move || -> Vec<String> {
        assignees
            .get()
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let toggle = move |member: String| {
        let mut list = chosen();
        if let Some(at) = list.iter().position(|m| *m == member) {
            list.remove(at);
        } else {
            list.push(member);
        }
        assignees.set(list.join(","));
    };
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let village = village_id.get_untracked();
        // Members of another village (chosen before the village changed) are left out.
        let members: Vec<String> = reference.with_untracked(|r| {
            chosen()
                .into_iter()
                .filter(|m| {
                    r.members
                        .iter()
                        .any(|x| x.id == *m && x.village_id == village)
                })
                .collect()
        });
        let draft = NewTask {
            village_id: village,
            title: title.get_untracked(),
            details: Some(details.get_untracked()),
            due_on: Some(due_on.get_untracked()),
            priority: priority.get_untracked(),
            assignees: members,
            person_id: untrack(may_link).then(|| person_id.get_untracked()),
            proposal_id: Some(proposal_id.get_untracked()),
            household: Some(household.get_untracked()),
        };
        let checked = match draft.checked() {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        let shown = move |id: &str| {
            serde_json::to_value(Task {
                id: id.to_owned(),
                village_id: checked.village_id.clone(),
                title: checked.title.clone(),
                details: checked.details.clone(),
                due_on: checked.due_on.clone(),
                priority: checked.priority.clone(),
                status: "new".into(),
                assignees: checked.assignees.clone(),
                last_note: None,
                person_id: checked.person_id.clone(),
                proposal_id: checked.proposal_id.clone(),
                household: checked.household.clone(),
                version: 1,
                updated_at: String::new(),
            })
            .unwrap_or_default()
        };
        save_then_list(
            sync,
            Entity::Task,
            "task:new".into(),
            fix,
            payload,
            shown,
            saving,
            "/tasks",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>{t!(i18n, task.create_title)}</h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="task-form" on:submit=submit novalidate>
                <VillageField value=village_id reference />
                <label for="title">{t!(i18n, task.title)}</label>
                <input id="title" type="text" required maxlength="200" bind:value=title />
                <label for="details">{t!(i18n, task.details)}</label>
                <textarea id="details" rows="4" bind:value=details></textarea>
                <label for="due_on">{t!(i18n, task.due_on)}</label>
                <input id="due_on" type="date" bind:value=due_on />
                <ChoiceField
                    id="priority"
                    label=Signal::derive(move || t_string!(i18n, task.priority).to_owned())
                    value=priority
                    codes=PRIORITIES
                    code_label=priority_label
                />
                <fieldset class="checks">
                    <legend>{t!(i18n, task.assignees)}</legend>
                    {move || {
                        let village = village_id.get();
                        reference
                            .get()
                            .members
                            .into_iter()
                            .filter(|m| m.village_id == village)
                            .map(|m| {
                                let id = m.id.clone();
                                let checked = chosen().contains(&id);
                                let input_id = format!("assignee-{id}");
                                let label_for = input_id.clone();
                                view! {
                                    <label class="check" for=label_for>
                                        <input
                                            type="checkbox"
                                            id=input_id
                                            checked=checked
                                            on:change=move |_| toggle(id.clone())
                                        />
                                        {m.full_name}
                                    </label>
                                }
                            })
                            .collect_view()
                    }}
                </fieldset>
                <Show when=may_link>
                    <label for="person_id">{t!(i18n, task.person)}</label>
                    <select id="person_id" bind:value=person_id>
                        <option value="">{t!(i18n, task.none_linked)}</option>
                        <VillagePersonOptions persons village_id selected=person_id />
                    </select>
                </Show>
                <label for="proposal_id">{t!(i18n, task.proposal)}</label>
                <select id="proposal_id" bind:value=proposal_id>
                    <option value="">{t!(i18n, task.none_linked)}</option>
                    {move || {
                        let village = village_id.get();
                        proposals
                            .get()
                            .into_iter()
                            .filter(|(p, _)| p.village_id == village)
                            .map(|(p, _)| {
                                let selected = proposal_id.get_untracked() == p.id;
                                let text: String = p.body.chars().take(60).collect();
                                view! { <option value=p.id selected=selected>{text}</option> }
                            })
                            .collect_view()
                    }}
                </select>
                <label for="household">{t!(i18n, task.household)}</label>
                <input id="household" type="text" maxlength="200" bind:value=household />
                <SaveRow error saving />
            </form>
        </section>
    }
}
