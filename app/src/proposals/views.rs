//! Proposals: the list kept on the device and the form for a new one (works offline).
use super::types::{NewProposal, Proposal, CATEGORIES};
use crate::access::RecordKind;
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::form::{
    default_to_today, save_then_list, use_draft, use_fix, use_local_records, use_reference,
    village_name, ChoiceField, RecordsTop, SaveRow, VillageField,
};
use crate::sync::state::use_sync;
use crate::sync::views::{today, StateBadge};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_navigate;

pub fn category_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "grazing" => t_string!(i18n, proposal.category_grazing),
        "cattle_theft" => t_string!(i18n, proposal.category_cattle_theft),
        "internet_fraud" => t_string!(i18n, proposal.category_internet_fraud),
        "alcohol" => t_string!(i18n, proposal.category_alcohol),
        "youth" => t_string!(i18n, proposal.category_youth),
        "lighting" => t_string!(i18n, proposal.category_lighting),
        "roads" => t_string!(i18n, proposal.category_roads),
        "other" => t_string!(i18n, proposal.category_other),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn status_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let text = match code {
        "submitted" => t_string!(i18n, proposal.status_submitted),
        "under_review" => t_string!(i18n, proposal.status_under_review),
        "accepted" => t_string!(i18n, proposal.status_accepted),
        "rejected" => t_string!(i18n, proposal.status_rejected),
        "implemented" => t_string!(i18n, proposal.status_implemented),
        other => return other.to_owned(),
    };
    text.to_owned()
}

#[component]
pub fn ProposalsPage() -> impl IntoView {
    let i18n = use_i18n();
    let items = use_local_records::<Proposal>(Entity::Proposal);
    let reference = use_reference();
    let sorted = move || {
        let mut list = items.get();
        list.sort_by(|a, b| {
            b.0.submitted_on
                .cmp(&a.0.submitted_on)
                .then(b.0.id.cmp(&a.0.id))
        });
        list
    };
    view! {
        <section class="records">
            <RecordsTop
                kind=RecordKind::Proposal
                title=|i18n| t_string!(i18n, proposal.list_title)
                create_label=|i18n| t_string!(i18n, proposal.create_title)
                create_href="/proposals/new"
                create_id="new-proposal"
                empty=Signal::derive(move || items.with(Vec::is_empty))
                empty_text=|i18n| t_string!(i18n, proposal.empty)
            />
            <ul class="cards" id="proposal-list">
                <For
                    each=sorted
                    key=|(p, state)| (p.id.clone(), *state, p.version)
                    children=move |(p, state)| {
                        let village = move || village_name(&reference.get(), &p.village_id, i18n.get_locale());
                        let category = p.category.clone();
                        let status = p.status.clone();
                        let date = p.submitted_on.clone();
                        view! {
                            <li class="card" data-id=p.id.clone()>
                                <p class="card-head">
                                    <strong>{move || category_label(i18n, &category)}</strong>
                                    " · "
                                    {village}
                                    " · "
                                    {move || format_date(i18n.get_locale(), &date)}
                                    <StateBadge state />
                                </p>
                                <p class="card-body">{p.body.clone()}</p>
                                <p class="hint">
                                    {p.author.clone()} " · " {move || status_label(i18n, &status)}
                                </p>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

#[component]
pub fn NewProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    let village_id = RwSignal::new(String::new());
    let author = RwSignal::new(String::new());
    let category = RwSignal::new("other".to_owned());
    let body = RwSignal::new(String::new());
    let submitted_on = RwSignal::new(String::new());
    default_to_today(submitted_on);
    let restored = use_draft(
        "proposal:new".into(),
        vec![
            ("village_id", village_id),
            ("author", author),
            ("category", category),
            ("body", body),
            ("submitted_on", submitted_on),
        ],
        fix,
    );
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let draft = NewProposal {
            village_id: village_id.get_untracked(),
            author: author.get_untracked(),
            category: category.get_untracked(),
            body: body.get_untracked(),
            submitted_on: submitted_on.get_untracked(),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        let shown = move |id: &str| {
            serde_json::to_value(Proposal {
                id: id.to_owned(),
                village_id: checked.village_id.clone(),
                author: checked.author.clone(),
                category: checked.category.clone(),
                body: checked.body.clone(),
                status: "submitted".into(),
                answer: None,
                submitted_on: checked.submitted_on.clone(),
                version: 1,
                updated_at: String::new(),
            })
            .unwrap_or_default()
        };
        save_then_list(
            sync,
            Entity::Proposal,
            "proposal:new",
            fix,
            payload,
            shown,
            saving,
            "/proposals",
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>{t!(i18n, proposal.create_title)}</h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="proposal-form" on:submit=submit novalidate>
                <VillageField value=village_id reference />
                <label for="author">{t!(i18n, proposal.author)}</label>
                <input id="author" type="text" required maxlength="200" bind:value=author />
                <ChoiceField
                    id="category"
                    label=Signal::derive(move || t_string!(i18n, proposal.category).to_owned())
                    value=category
                    codes=CATEGORIES
                    code_label=category_label
                />
                <label for="body">{t!(i18n, proposal.body)}</label>
                <textarea id="body" rows="5" required bind:value=body></textarea>
                <label for="submitted_on">{t!(i18n, proposal.submitted_on)}</label>
                <input id="submitted_on" type="date" required bind:value=submitted_on />
                <SaveRow error saving />
            </form>
        </section>
    }
}
