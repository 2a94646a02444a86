//! Offences: the list kept on the device with repeats marked, a record's page, and the form
//! for a new or corrected record (all through the outbox, so they work offline).
use super::labels::{category_label, kind_label};
use super::repeat::{repeat_ids, OffenceDates};
use super::types::{NewOffence, Offence, CATEGORIES, KINDS};
use crate::access::RecordKind;
use crate::dates::format_date;
use crate::i18n::*;
use crate::map::{use_point_from_query, PositionField};
use crate::persons::{use_person_choices, Person};
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    coordinate, default_to_today, edit_page, ids_in, role_may, save_form, use_draft, use_fix,
    use_local_record, use_local_records, use_reference, use_role, village_name, Change,
    ChoiceField, MultiPick, RecordsTop, SaveRow, VillageField,
};
use crate::ui::{today, StateBadge};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};
use std::collections::HashSet;

/// The repeats among the cached offences (the rule of `repeat.rs`, over what this device
/// holds: every offence in the inspector's villages).
fn repeats_of(offences: &[(Offence, crate::sync::local::RecordState)]) -> HashSet<String> {
    repeat_ids(offences.iter().map(|(o, _)| OffenceDates {
        id: &o.id,
        date: &o.occurred_on,
        persons: &o.persons,
    }))
}

fn names_of(persons: &[Person], ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            persons
                .iter()
                .find(|p| p.id == *id)
                .map_or_else(|| "…".to_owned(), |p| p.full_name.clone())
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn RepeatBadge() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="badge repeat">{t!(i18n, offence.repeat)}</span> }
}

#[component]
pub fn OffencesPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Offence>(Entity::Offence);
    let reference = use_reference();
    let filter = ListFilter::new();
    let shown = move || {
        let all = items.get();
        let repeats = repeats_of(&all);
        let mut list: Vec<_> = all
            .into_iter()
            .filter(|(o, _)| {
                filter.keeps(&Facets {
                    village_id: &o.village_id,
                    choice: Some(&o.category),
                    date: Some(&o.occurred_on),
                    texts: &[o.description.as_deref(), o.register_number.as_deref()],
                })
            })
            .map(|(o, state)| {
                let repeat = repeats.contains(&o.id);
                (o, state, repeat)
            })
            .collect();
        list.sort_by(|a, b| {
            b.0.occurred_on
                .cmp(&a.0.occurred_on)
                .then(b.0.id.cmp(&a.0.id))
        });
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Offence
                title=|i18n| t_string!(i18n, offence.list_title)
                create_label=|i18n| t_string!(i18n, offence.create_title)
                create_href="/offences/new"
                create_id="new-offence"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, offence.empty)
            />
            <FilterBar
                filter
                reference
                choice_label=Signal::derive(move || t_string!(i18n, offence.category).to_owned())
                codes=CATEGORIES
                code_label=category_label
            />
            <ul class="cards" id="offence-list">
                <For
                    each=shown
                    key=|(o, state, repeat)| (o.id.clone(), *state, o.version, *repeat)
                    children=move |(o, state, repeat)| {
                        let village_id = o.village_id.clone();
                        let village = move || village_name(&reference.get(), &village_id, i18n.get_locale());
                        let category = o.category.clone();
                        let kind = o.kind.clone();
                        let date = o.occurred_on.clone();
                        view! {
                            <li class="card" data-id=o.id.clone() data-repeat=repeat.to_string()>
                                <p class="card-head">
                                    <a href=format!("/offences/{}", o.id)>
                                        <strong>{move || category_label(i18n, &category)}</strong>
                                    </a>
                                    " · "
                                    {village}
                                    " · "
                                    {move || format_date(i18n.get_locale(), &date)}
                                    <Show when=move || repeat>
                                        <RepeatBadge />
                                    </Show>
                                    <StateBadge state />
                                </p>
                                <p class="hint">{move || kind_label(i18n, &kind)}</p>
                                <p class="card-body">{o.description.clone().unwrap_or_default()}</p>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// One offence: what happened, who was involved, whether it is a repeat.
#[component]
pub fn OffencePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let (offence, loaded) = use_local_record::<Offence>(Entity::Offence, id);
    let all = use_local_records::<Offence>(Entity::Offence);
    let persons = use_person_choices(|| true);
    let reference = use_reference();
    let role = use_role();
    let may_edit = move || role_may(role, RecordKind::Offence, crate::access::Action::Update);
    view! {
        <section class="narrow">
            {move || match offence.get() {
                None if loaded.get() => view! { <p class="notice">{t!(i18n, errors.not_found)}</p> }.into_any(),
                None => view! { <p class="hint">{t!(i18n, loading)}</p> }.into_any(),
                Some((o, state)) => {
                    let repeat = all.with(|all| repeats_of(all).contains(&o.id));
                    let category = o.category.clone();
                    let kind = o.kind.clone();
                    let involved = o.persons.clone();
                    view! {
                        <h1 id="offence-title">{move || category_label(i18n, &category)}</h1>
                        <p>
                            <Show when=move || repeat>
                                <span id="offence-repeat"><RepeatBadge /></span>
                            </Show>
                            <StateBadge state />
                        </p>
                        <dl class="facts">
                            <dt>{t!(i18n, offence.occurred_on)}</dt>
                            <dd>{format_date(i18n.get_locale(), &o.occurred_on)}</dd>
                            <dt>{t!(i18n, form.village)}</dt>
                            <dd>{village_name(&reference.get(), &o.village_id, i18n.get_locale())}</dd>
                            <dt>{t!(i18n, offence.kind)}</dt>
                            <dd>{move || kind_label(i18n, &kind)}</dd>
                            <dt>{t!(i18n, offence.persons)}</dt>
                            <dd id="offence-persons">{move || persons.with(|p| names_of(p, &involved))}</dd>
                            <dt>{t!(i18n, offence.register_number)}</dt>
                            <dd>{o.register_number.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        <p class="card-body">{o.description.clone().unwrap_or_default()}</p>
                        <Show when=may_edit>
                            <p>
                                <a class="button" id="edit-offence" href=format!("/offences/{}/edit", o.id)>
                                    {t!(i18n, form.edit)}
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
pub fn NewOffencePage() -> impl IntoView {
    view! { <OffenceForm existing=None /> }
}

#[component]
pub fn EditOffencePage() -> impl IntoView {
    edit_page(Entity::Offence, |o: Offence| {
        view! { <OffenceForm existing=Some(o) /> }.into_any()
    })
}

/// The form for a new offence, or for correcting one (`existing`).
#[component]
fn OffenceForm(existing: Option<Offence>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let persons = use_person_choices(|| true);
    let navigate = use_navigate();
    let fix = use_fix();
    let start = existing.as_ref().map(NewOffence::from).unwrap_or_default();
    let village_id = RwSignal::new(start.village_id.clone());
    let occurred_on = RwSignal::new(start.occurred_on.clone());
    let category = RwSignal::new(if existing.is_some() {
        start.category.clone()
    } else {
        "public_order".into()
    });
    let kind = RwSignal::new(if existing.is_some() {
        start.kind.clone()
    } else {
        "administrative".into()
    });
    let description = RwSignal::new(start.description.clone().unwrap_or_default());
    let register_number = RwSignal::new(start.register_number.clone().unwrap_or_default());
    // Person ids joined by commas, so the draft keeps them as text like every field.
    let involved = RwSignal::new(start.persons.join(","));
    let lat = RwSignal::new(start.lat.map(|v| v.to_string()).unwrap_or_default());
    let lon = RwSignal::new(start.lon.map(|v| v.to_string()).unwrap_or_default());
    default_to_today(occurred_on);
    let draft_key = match &existing {
        Some(o) => format!("offence:{}:edit", o.id),
        None => "offence:new".to_owned(),
    };
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("occurred_on", occurred_on),
            ("category", category),
            ("kind", kind),
            ("description", description),
            ("register_number", register_number),
            ("persons", involved),
            ("lat", lat),
            ("lon", lon),
        ],
        fix,
    );
    if existing.is_none() {
        use_point_from_query(village_id, lat, lon, restored);
    }
    let choices = Signal::derive(move || {
        let village = village_id.get();
        persons.with(|list| {
            list.iter()
                .filter(|p| p.village_id == village)
                .map(|p| (p.id.clone(), p.full_name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let draft = NewOffence {
            village_id: village_id.get_untracked(),
            occurred_on: occurred_on.get_untracked(),
            category: category.get_untracked(),
            kind: kind.get_untracked(),
            description: Some(description.get_untracked()),
            register_number: Some(register_number.get_untracked()),
            persons: ids_in(&involved.get_untracked()),
            lat: coordinate(&lat.get_untracked()),
            lon: coordinate(&lon.get_untracked()),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_form(
            sync,
            Entity::Offence,
            existing.as_ref().map(|current| Change {
                id: current.id.clone(),
                version: current.version,
                then: format!("/offences/{}", current.id),
            }),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            "/offences",
            navigate.clone(),
        );
    };
    let title = if start.village_id.is_empty() {
        t_string!(i18n, offence.create_title)
    } else {
        t_string!(i18n, offence.edit_title)
    };
    view! {
        <section class="narrow">
            <h1>{title}</h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="offence-form" on:submit=submit novalidate>
                <VillageField value=village_id reference />
                <label for="occurred_on">{t!(i18n, offence.occurred_on)}</label>
                <input id="occurred_on" type="date" required bind:value=occurred_on />
                <ChoiceField
                    id="category"
                    label=Signal::derive(move || t_string!(i18n, offence.category).to_owned())
                    value=category
                    codes=CATEGORIES
                    code_label=category_label
                />
                <ChoiceField
                    id="kind"
                    label=Signal::derive(move || t_string!(i18n, offence.kind).to_owned())
                    value=kind
                    codes=KINDS
                    code_label=kind_label
                />
                <MultiPick
                    id="persons"
                    legend=Signal::derive(move || t_string!(i18n, offence.persons).to_owned())
                    options=choices
                    value=involved
                    empty=Signal::derive(move || t_string!(i18n, offence.no_persons).to_owned())
                />
                <label for="description">{t!(i18n, offence.description)}</label>
                <textarea id="description" rows="4" bind:value=description></textarea>
                <label for="register_number">{t!(i18n, offence.register_number)}</label>
                <input id="register_number" type="text" maxlength="200" bind:value=register_number />
                <PositionField lat lon />
                <SaveRow error saving />
            </form>
        </section>
    }
}
