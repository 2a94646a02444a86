//! Proposals: the list kept on the device and the form for a new one (works offline).
use super::types::{may_move, NewProposal, Proposal, ProposalReview, CATEGORIES, STATUSES};
use crate::access::RecordKind;
use crate::dates::format_date;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::{
    default_to_today, save_change_then, save_then_list, use_draft, use_fix, use_local_record,
    use_local_records, use_reference, use_role, village_name, ChoiceField, RecordsTop, SaveRow,
    VillageField,
};
use crate::ui::{today, StateBadge};
use crate::ui::{Facets, FilterBar, ListFilter};
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::{use_navigate, use_params_map};

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
    let filter = ListFilter::new();
    let sorted = move || {
        let mut list: Vec<_> = items
            .get()
            .into_iter()
            .filter(|(p, _)| {
                filter.keeps(&Facets {
                    village_id: &p.village_id,
                    choice: Some(&p.status),
                    date: Some(&p.submitted_on),
                    texts: &[Some(&p.body), Some(&p.author), p.answer.as_deref()],
                })
            })
            .collect();
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
            <FilterBar
                filter
                reference
                choice_label=Signal::derive(move || t_string!(i18n, proposal.status).to_owned())
                codes=STATUSES
                code_label=status_label
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
                                    <a href=format!("/proposals/{}", p.id)>
                                        <strong>{move || category_label(i18n, &category)}</strong>
                                    </a>
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
            "proposal:new".into(),
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

/// One proposal, its answer, and (for the chair, the akimat, the inspector) the review form.
#[component]
pub fn ProposalPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let (proposal, loaded) = use_local_record::<Proposal>(Entity::Proposal, id);
    let reference = use_reference();
    let role = use_role();
    let new_status = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    let draft_key = format!("proposal:{}:review", id());
    let _ = use_draft(
        draft_key.clone(),
        vec![("status", new_status), ("answer", answer)],
        None,
    );
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let allowed = move || -> Vec<&'static str> {
        let (Some(role), Some((p, _))) = (role.get(), proposal.get()) else {
            return Vec::new();
        };
        STATUSES
            .iter()
            .copied()
            .filter(|to| may_move(role, &p.status, to))
            .collect()
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((current, _)) = proposal.get_untracked() else {
            return;
        };
        if saving.get_untracked() {
            return;
        }
        let status = Some(new_status.get_untracked())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| current.status.clone());
        let review = ProposalReview {
            status,
            answer: Some(answer.get_untracked()),
        };
        let checked = match review.checked() {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let mut shown = current.clone();
        shown.status = checked.status.clone();
        if checked.answer.is_some() {
            shown.answer = checked.answer.clone();
        }
        shown.version = current.version + 1;
        save_change_then(
            sync,
            Entity::Proposal,
            current.id.clone(),
            current.version,
            serde_json::to_value(&checked).unwrap_or_default(),
            serde_json::to_value(&shown).unwrap_or_default(),
            draft_key.clone(),
            saving,
            "/proposals?saved=1".into(),
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            {move || match proposal.get() {
                None if loaded.get() => view! { <p class="notice">{t!(i18n, errors.not_found)}</p> }.into_any(),
                None => view! { <p class="hint">{t!(i18n, loading)}</p> }.into_any(),
                Some((p, state)) => {
                    let category = p.category.clone();
                    let status = p.status.clone();
                    view! {
                        <h1 id="proposal-title">{move || category_label(i18n, &category)}</h1>
                        <p><StateBadge state /></p>
                        <dl class="facts">
                            <dt>{t!(i18n, proposal.status)}</dt>
                            <dd id="proposal-status">{move || status_label(i18n, &status)}</dd>
                            <dt>{t!(i18n, form.village)}</dt>
                            <dd>{village_name(&reference.get(), &p.village_id, i18n.get_locale())}</dd>
                            <dt>{t!(i18n, proposal.author)}</dt>
                            <dd>{p.author.clone()}</dd>
                            <dt>{t!(i18n, proposal.submitted_on)}</dt>
                            <dd>{format_date(i18n.get_locale(), &p.submitted_on)}</dd>
                            <dt>{t!(i18n, proposal.answer)}</dt>
                            <dd id="proposal-answer">{p.answer.clone().unwrap_or_else(|| "—".into())}</dd>
                        </dl>
                        <p class="card-body">{p.body.clone()}</p>
                    }
                        .into_any()
                }
            }}
            <Show when=move || !allowed().is_empty()>
                <h2>{t!(i18n, proposal.review)}</h2>
                <form class="form" id="review-form" on:submit=submit.clone() novalidate>
                    <label for="new_status">{t!(i18n, proposal.new_status)}</label>
                    <select id="new_status" bind:value=new_status>
                        <option value="">{t!(i18n, task.keep_status)}</option>
                        {move || {
                            let current = proposal.with(|p| p.as_ref().map(|(p, _)| p.status.clone()));
                            allowed()
                                .into_iter()
                                .filter(|code| current.as_deref() != Some(*code))
                                .map(|code| view! { <option value=code>{status_label(i18n, code)}</option> })
                                .collect_view()
                        }}
                    </select>
                    <label for="answer">{t!(i18n, proposal.answer)}</label>
                    <textarea id="answer" rows="4" bind:value=answer></textarea>
                    <SaveRow error saving />
                </form>
            </Show>
        </section>
    }
}
