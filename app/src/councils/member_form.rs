//! The form for a new council member or for changing one (works offline: checked on the
//! device with the server's rule, kept as a draft while typed, saved through the outbox).
use super::types::{role_codes, Member, NewMember};
use super::views::{council_page, member_role_label, save_then};
use crate::i18n::*;
use crate::sync::contract::{Entity, Reason};
use crate::sync::state::use_sync;
use crate::ui::today;
use crate::ui::{edit_page, use_draft, use_fix, use_reference, ChoiceField, SaveRow, VillageField};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};

/// The role codes as the choice field wants them (a list that lives as long as the app).
fn role_choices() -> &'static [&'static str] {
    static CODES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    CODES.get_or_init(role_codes)
}

#[component]
pub fn NewMemberPage() -> impl IntoView {
    view! { <MemberForm existing=None /> }
}

#[component]
pub fn EditMemberPage() -> impl IntoView {
    edit_page(Entity::Member, |m: Member| {
        view! { <MemberForm existing=Some(m) /> }.into_any()
    })
}

#[component]
fn MemberForm(existing: Option<Member>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let reference = use_reference();
    let navigate = use_navigate();
    let fix = use_fix();
    // "Add a member" on a village's council page names the village.
    let preset = use_query_map()
        .get_untracked()
        .get("village")
        .unwrap_or_default();
    let mut start = existing.as_ref().map(NewMember::from).unwrap_or_default();
    if existing.is_none() {
        start.village_id = preset.clone();
        start.role = "elder".into();
    }
    let text = |value: &Option<String>| value.clone().unwrap_or_default();
    let village_id = RwSignal::new(start.village_id.clone());
    let full_name = RwSignal::new(start.full_name.clone());
    let role = RwSignal::new(start.role.clone());
    let phone = RwSignal::new(text(&start.phone));
    let since = RwSignal::new(text(&start.since));
    let left_on = RwSignal::new(text(&start.left_on));
    let editing = existing.is_some();
    // A draft per village: one begun for another village does not turn up here.
    let draft_key = match &existing {
        Some(m) => format!("member:{}:edit", m.id),
        None => format!("member:new:{preset}"),
    };
    let restored = use_draft(
        draft_key.clone(),
        vec![
            ("village_id", village_id),
            ("full_name", full_name),
            ("role", role),
            ("phone", phone),
            ("since", since),
            ("left_on", left_on),
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
        let draft = NewMember {
            village_id: village_id.get_untracked(),
            full_name: full_name.get_untracked(),
            role: role.get_untracked(),
            phone: Some(phone.get_untracked()),
            since: Some(since.get_untracked()),
            left_on: Some(left_on.get_untracked()),
        };
        let checked = match draft.checked(&today()) {
            Ok(checked) => checked,
            Err(reason) => return error.set(Some(reason)),
        };
        error.set(None);
        let then = format!("{}?saved=1", council_page(&checked.village_id));
        let payload = serde_json::to_value(&checked).unwrap_or_default();
        save_then(
            sync,
            Entity::Member,
            existing.as_ref().map(|m| (m.id.clone(), m.version)),
            payload,
            move |id, version| serde_json::to_value(checked.shown(id, version)).unwrap_or_default(),
            draft_key.clone(),
            fix,
            saving,
            then,
            navigate.clone(),
        );
    };
    view! {
        <section class="narrow">
            <h1>
                {move || if editing {
                    t_string!(i18n, council.edit_member)
                } else {
                    t_string!(i18n, council.new_member)
                }}
            </h1>
            <Show when=move || restored.get()>
                <p class="notice" role="status">{t!(i18n, form.draft_restored)}</p>
            </Show>
            <form class="form" id="member-form" on:submit=submit novalidate>
                <Show when=move || !editing>
                    <VillageField value=village_id reference />
                </Show>
                <label for="full_name">{t!(i18n, person.full_name)}</label>
                <input
                    id="full_name"
                    type="text"
                    required
                    maxlength="200"
                    autocomplete="off"
                    bind:value=full_name
                />
                <ChoiceField
                    id="role"
                    label=Signal::derive(move || t_string!(i18n, council.role).to_owned())
                    value=role
                    codes=role_choices()
                    code_label=member_role_label
                />
                <label for="phone">{t!(i18n, council.phone)}</label>
                <input
                    id="phone"
                    type="tel"
                    inputmode="tel"
                    autocomplete="off"
                    aria-describedby="phone-hint"
                    bind:value=phone
                />
                <p class="hint" id="phone-hint">{t!(i18n, council.phone_hint)}</p>
                <label for="since">{t!(i18n, council.since)}</label>
                <input id="since" type="date" bind:value=since />
                <label for="left_on">{t!(i18n, council.left_on)}</label>
                <input id="left_on" type="date" aria-describedby="left-on-hint" bind:value=left_on />
                <p class="hint" id="left-on-hint">{t!(i18n, council.left_on_hint)}</p>
                <SaveRow error saving />
            </form>
        </section>
    }
}
