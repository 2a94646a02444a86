//! A village's council as the device keeps it: the formation date and the members, current
//! and former, read from IndexedDB so the page opens without signal; changes go through the
//! outbox like every synced record.
use super::types::{Council, Member, NewCouncil};
use super::MemberRole;
use crate::access::{Action, RecordKind};
use crate::dates::format_date;
use crate::i18n::*;
use crate::stored::StoredEnum;
use crate::sync::contract::{Entity, Reason};
use crate::sync::local::RecordState;
use crate::sync::state::{use_sync, SyncState};
use crate::ui::{
    role_may, save_form, save_new, use_local_records, use_reference, use_role, village_name,
    Change, I18nContext, SaveRow,
};
use crate::ui::{today, StateBadge};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;

/// A member role in the person's language, from its stored code (an unknown code as is).
pub fn member_role_label(i18n: I18nContext, code: &str) -> String {
    let text = match MemberRole::parse(code) {
        Ok(MemberRole::Chair) => t_string!(i18n, role.chair),
        Ok(MemberRole::Elder) => t_string!(i18n, role.elder),
        Ok(MemberRole::Akimat) => t_string!(i18n, role.akimat),
        Ok(MemberRole::Business) => t_string!(i18n, role.business),
        Ok(MemberRole::Other) => t_string!(i18n, role.other),
        Err(_) => return code.to_owned(),
    };
    text.to_owned()
}

/// The council page of a village; the one place that spells its address.
pub fn council_page(village_id: &str) -> String {
    format!("/villages/{village_id}/council")
}

/// Saves a council or a member through the outbox and opens `then`: a new record (`change`
/// is `None`) gets a new id from `save_new`; a changed one carries the version it was opened
/// on, so a change made meanwhile elsewhere comes back as a conflict. (`save_form` opens a
/// fixed list after a new record; these pages go back to their village's council.)
#[allow(clippy::too_many_arguments)]
pub(super) fn save_then(
    sync: SyncState,
    entity: Entity,
    change: Option<(String, i64)>,
    payload: serde_json::Value,
    shown: impl FnOnce(&str, i64) -> serde_json::Value + 'static,
    draft_key: String,
    fix: Option<u64>,
    saving: RwSignal<bool>,
    then: String,
    navigate: impl Fn(&str, NavigateOptions) + 'static,
) {
    if let Some((id, version)) = change {
        let change = Change { id, version, then };
        return save_form(
            sync,
            entity,
            Some(change),
            payload,
            shown,
            draft_key,
            fix,
            saving,
            "",
            navigate,
        );
    }
    saving.set(true);
    leptos::task::spawn_local(async move {
        let saved = save_new(sync, entity, &draft_key, fix, payload, |id| shown(id, 1)).await;
        saving.set(false);
        if saved.is_ok() {
            navigate(&then, Default::default());
        }
    });
}

/// Current members by role (the chair first), then name; former ones by leaving, latest first.
fn in_order(mut members: Vec<(Member, RecordState)>) -> Vec<(Member, RecordState)> {
    let rank = |m: &Member| MemberRole::parse(&m.role).ok();
    members.sort_by(|(a, _), (b, _)| {
        b.left_on
            .cmp(&a.left_on)
            .then(rank(a).cmp(&rank(b)))
            .then(a.full_name.cmp(&b.full_name))
    });
    members
}

#[component]
pub fn CouncilPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let village_id = move || params.read().get("id").unwrap_or_default();
    let query = use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let reference = use_reference();
    let role = use_role();
    let councils = use_local_records::<Council>(Entity::Council);
    let members = use_local_records::<Member>(Entity::Member);
    let may_add = move || role_may(role, RecordKind::Council, Action::Create);
    let may_edit = move || role_may(role, RecordKind::Council, Action::Update);
    let council = move || {
        let village = village_id();
        councils.with(|list| list.iter().find(|(c, _)| c.village_id == village).cloned())
    };
    let of_village = move |current: bool| {
        let village = village_id();
        in_order(members.with(|list| {
            list.iter()
                .filter(|(m, _)| m.village_id == village && m.current() == current)
                .cloned()
                .collect()
        }))
    };
    let title = move || {
        let name = village_name(&reference.get(), &village_id(), i18n.get_locale());
        if name.is_empty() {
            t_string!(i18n, village.council).to_owned()
        } else {
            t_string!(i18n, council.title, village = name).to_string()
        }
    };
    let formed_on = move || {
        council()
            .and_then(|(c, _)| c.formed_on)
            .map(|day| format_date(i18n.get_locale(), &day))
            .unwrap_or_else(|| t_string!(i18n, form.none).to_owned())
    };
    let new_member_href = move || format!("/members/new?village={}", village_id());
    let import_href = move || format!("{}/import", council_page(&village_id()));
    view! {
        <section class="records" id="council-page">
            <h1 id="council-title">{title}</h1>
            <Show when=saved>
                <p class="notice" role="status">{t!(i18n, sync.saved_locally)}</p>
            </Show>
            <Show
                when=may_edit
                fallback=move || view! {
                    <dl class="facts">
                        <dt>{t!(i18n, council.formed_on)}</dt>
                        <dd id="council-formed-on">{formed_on}</dd>
                    </dl>
                }
            >
                <CouncilForm village_id=Signal::derive(village_id) council=Signal::derive(council) />
            </Show>
            <h2 id="members-heading">{t!(i18n, council.current)}</h2>
            <Show when=may_add>
                <p class="actions">
                    <a class="button" id="new-member" href=new_member_href>{t!(i18n, council.add_member)}</a>
                    " "
                    <a class="button" id="import-members" href=import_href>{t!(i18n, council.import)}</a>
                </p>
            </Show>
            <Show when=move || of_village(true).is_empty()>
                <p class="hint">{t!(i18n, council.no_members)}</p>
            </Show>
            <ul class="cards" id="member-list" aria-labelledby="members-heading">
                <For
                    each=move || of_village(true)
                    key=|(m, state)| (m.id.clone(), *state, m.version)
                    children=move |(member, state)| view! { <MemberCard member state may_edit=Signal::derive(may_edit) /> }
                />
            </ul>
            <Show when=move || !of_village(false).is_empty()>
                <h2 id="former-heading">{t!(i18n, council.former)}</h2>
                <ul class="cards" id="former-member-list" aria-labelledby="former-heading">
                    <For
                        each=move || of_village(false)
                        key=|(m, state)| (m.id.clone(), *state, m.version)
                        children=move |(member, state)| view! { <MemberCard member state may_edit=Signal::derive(may_edit) /> }
                    />
                </ul>
            </Show>
        </section>
    }
}

/// The formation date: saving it records the council when the device has none for the
/// village, else changes the one it has.
#[component]
fn CouncilForm(
    village_id: Signal<String>,
    council: Signal<Option<(Council, RecordState)>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let formed_on = RwSignal::new(String::new());
    // The stored date fills the field once it is read (unless the person typed first).
    let filled = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some((c, _)) = council.get() {
            if !filled.get_untracked() && formed_on.get_untracked().is_empty() {
                formed_on.set(c.formed_on.unwrap_or_default());
            }
            filled.set(true);
        }
    });
    let error = RwSignal::new(None::<Reason>);
    let saving = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let village = village_id.get_untracked();
        let draft = NewCouncil {
            village_id: village.clone(),
            formed_on: Some(formed_on.get_untracked()),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let change = council
            .get_untracked()
            .map(|(c, _)| (c.id.clone(), c.version));
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_then(
            sync,
            Entity::Council,
            change,
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            format!("council:{village}"),
            None,
            saving,
            format!("{}?saved=1", council_page(&village)),
            navigate.clone(),
        );
    };
    view! {
        <Show when=move || council.with(Option::is_none)>
            <p class="hint" id="council-missing">{t!(i18n, council.record_hint)}</p>
        </Show>
        {move || council.get().map(|(_, state)| view! { <p><StateBadge state /></p> })}
        <form class="form" id="council-form" on:submit=submit novalidate>
            <label for="formed_on">{t!(i18n, council.formed_on)}</label>
            <input id="formed_on" type="date" bind:value=formed_on />
            <SaveRow error saving />
        </form>
    }
}

/// One member: name, role, since when (or until when), a call button, and the edit link.
#[component]
fn MemberCard(member: Member, state: RecordState, may_edit: Signal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let Member {
        id,
        full_name,
        role,
        phone,
        since,
        left_on,
        ..
    } = member;
    let edit_href = format!("/members/{id}/edit");
    let edit_label = {
        let name = full_name.clone();
        move || t_string!(i18n, council.edit_named, name = name.clone()).to_string()
    };
    // The label holds the visible number too (WCAG 2.5.3, label in name).
    let call = phone.map(|phone| {
        let name = full_name.clone();
        let number = phone.clone();
        let label = move || {
            t_string!(
                i18n,
                village.call,
                name = name.clone(),
                phone = number.clone()
            )
            .to_string()
        };
        view! {
            <a class="button call" href=format!("tel:{}", phone.replace(' ', "")) aria-label=label>
                {phone.clone()}
            </a>
        }
    });
    let dates = move || {
        let locale = i18n.get_locale();
        let mut parts = vec![member_role_label(i18n, &role)];
        if let Some(day) = &since {
            let date = format_date(locale, day);
            parts.push(t_string!(i18n, village.member_since, date = date).to_string());
        }
        if let Some(day) = &left_on {
            let date = format_date(locale, day);
            parts.push(t_string!(i18n, council.left_on_date, date = date).to_string());
        }
        parts.join(" · ")
    };
    view! {
        <li class="card" data-id=id>
            <p class="card-head">
                <strong class="member-name">{full_name}</strong>
                <StateBadge state />
            </p>
            <p class="hint">{dates}</p>
            {call.map(|call| view! { <p>{call}</p> })}
            <Show when=move || may_edit.get()>
                <p>
                    <a class="button edit-member" href=edit_href.clone() aria-label=edit_label.clone()>
                        {t!(i18n, form.edit)}
                    </a>
                </p>
            </Show>
        </li>
    }
}
