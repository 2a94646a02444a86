//! The outbox page: every entry made here and not yet accepted. The header's part of sync
//! is in `status`.
use super::contract::{Entity, Op};
use super::local::{self, EntryState, OutboxEntry};
use super::state::use_sync;
use crate::i18n::*;
use crate::ui::{clock, field_label, reason_text};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

pub fn entity_label(i18n: I18n, entity: Entity) -> &'static str {
    match entity {
        Entity::Task => t_string!(i18n, entities.task),
        Entity::Proposal => t_string!(i18n, entities.proposal),
        Entity::Event => t_string!(i18n, entities.event),
        Entity::Person => t_string!(i18n, entities.person),
        Entity::Offence => t_string!(i18n, entities.offence),
        Entity::Visit => t_string!(i18n, entities.visit),
        Entity::Meeting => t_string!(i18n, entities.meeting),
        Entity::Decision => t_string!(i18n, entities.decision),
        Entity::MapFeature => t_string!(i18n, entities.feature),
        Entity::Council => t_string!(i18n, entities.council),
        Entity::Member => t_string!(i18n, entities.member),
    }
}

fn op_label(i18n: I18n, op: Op) -> &'static str {
    match op {
        Op::Create => t_string!(i18n, ops.create),
        Op::Update => t_string!(i18n, ops.update),
        Op::Delete => t_string!(i18n, ops.delete),
        Op::Skip => t_string!(i18n, ops.skip),
    }
}

/// Online or not, what waits, when sync last finished, what went wrong, and a button.
/// A one-line summary of what an entry carries (its title, author …).
fn summary(entry: &OutboxEntry) -> String {
    let payload = &entry.mutation.payload;
    ["title", "author", "note", "body"]
        .iter()
        .find_map(|key| payload.get(key).and_then(|v| v.as_str()))
        .map(|text| text.chars().take(80).collect())
        .unwrap_or_default()
}

/// Every entry made here and not yet accepted, with what can be done about it.
#[component]
pub fn OutboxPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let entries = RwSignal::new(Vec::<OutboxEntry>::new());
    let loaded = RwSignal::new(false);
    Effect::new(move |_| {
        sync.revision.track();
        leptos::task::spawn_local(async move {
            if let Ok(list) = local::outbox().await {
                entries.set(list);
            }
            loaded.set(true);
        });
    });
    view! {
        <section class="outbox">
            <h1>{t!(i18n, outbox.title)}</h1>
            <super::status::SyncDetails />
            <p class="hint">{t!(i18n, outbox.intro)}</p>
            <Show when=move || loaded.get() && entries.with(Vec::is_empty)>
                <p class="notice" id="outbox-empty">{t!(i18n, outbox.empty)}</p>
            </Show>
            <ul class="cards" id="outbox-list">
                <For
                    each=move || entries.get()
                    key=|entry| (entry.mutation.seq, entry.state, entry.mutation.op)
                    children=move |entry| view! { <OutboxItem entry /> }
                />
            </ul>
        </section>
    }
}

#[component]
fn OutboxItem(entry: OutboxEntry) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let seq = entry.mutation.seq;
    let state = entry.state;
    let skipped = entry.mutation.op == Op::Skip;
    let entity = entry.mutation.entity;
    let op = entry.mutation.op;
    let text = summary(&entry);
    let made_at = entry.made_at;
    let reason = entry.reason.clone();
    let server_record = entry.server_record.clone();
    let retry_entry = entry.clone();
    let state_class = match state {
        EntryState::Pending => "pending",
        EntryState::Rejected => "rejected",
        EntryState::Conflict => "conflict",
    };
    let discard = move |_| {
        let question = t_string!(i18n, outbox.discard_confirm);
        if window().confirm_with_message(question).unwrap_or(false) {
            leptos::task::spawn_local(async move {
                let _ = local::discard(seq).await;
                sync.changed();
            });
        }
    };
    // Sends the same change again as a new entry: after a conflict, on top of the server's
    // version ("keep mine"); after a rejection, once the cause is gone (a village given back).
    let retry = move |_| {
        let entry = retry_entry.clone();
        leptos::task::spawn_local(async move {
            let server = match entry.server_record.clone() {
                Some(record) => super::queue::opened_payload(record).await,
                None => None,
            };
            let base = server
                .as_ref()
                .and_then(|r| r.get("version"))
                .and_then(|v| v.as_i64())
                .or(entry.mutation.base_version);
            let shown = local::record(entry.mutation.entity, &entry.mutation.record_id)
                .await
                .ok()
                .flatten()
                .map(|r| r.record)
                .unwrap_or_default();
            let queued = crate::sync::queue::enqueue(
                entry.mutation.entity,
                entry.mutation.op,
                &entry.mutation.record_id,
                base,
                entry.mutation.payload.clone(),
                shown,
            )
            .await;
            if queued.is_ok() {
                let _ = local::drop_settled(seq).await;
            }
            sync.changed();
        });
    };
    let fix_link = (state == EntryState::Rejected && op == Op::Create)
        .then_some(())
        .and_then(|()| {
            let path = match entity {
                Entity::Task => "/tasks/new",
                Entity::Proposal => "/proposals/new",
                Entity::Event => "/events/new",
                Entity::Person => "/persons/new",
                Entity::Offence => "/offences/new",
                Entity::Visit => "/visits/new",
                Entity::Meeting => "/meetings/new",
                Entity::Decision => "/decisions/new",
                Entity::Member => "/members/new",
                // Map features are placed again on the map, and a council's date is set
                // again on its page, not in a form of their own.
                Entity::MapFeature | Entity::Council => return None,
            };
            Some(format!("{path}?fix={seq}"))
        });
    let reason_line = reason.map(|reason| {
        view! {
            <p class="reason">
                <strong>{t!(i18n, outbox.reason)} ": "</strong>
                {move || reason_text(i18n, &reason, |f| field_label(i18n, f))}
            </p>
        }
    });
    let server_line = server_record.map(|record| {
        let status = record
            .get("status")
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_owned();
        let note = record
            .get("last_note")
            .and_then(|s| s.as_str())
            .unwrap_or_default()
            .to_owned();
        view! {
            <p class="server-copy">
                <strong>{t!(i18n, outbox.server_has)} ": "</strong>
                {status}
                " "
                {note}
            </p>
        }
    });
    view! {
        <li class=format!("card outbox-entry {state_class}") data-seq=seq.to_string() data-state=state_class>
            <p class="entry-head">
                <span class="entry-kind">
                    {move || entity_label(i18n, entity)} " · " {move || op_label(i18n, op)}
                </span>
                <span class=format!("badge {state_class}")>
                    {move || match state {
                        EntryState::Pending => t_string!(i18n, outbox.state_pending),
                        EntryState::Rejected => t_string!(i18n, outbox.state_rejected),
                        EntryState::Conflict => t_string!(i18n, outbox.state_conflict),
                    }}
                </span>
            </p>
            <p class="entry-summary">{text}</p>
            <p class="hint">
                {move || td_string!(i18n.get_locale(), outbox.made_at, time = clock(made_at)).to_string()}
            </p>
            {reason_line}
            {server_line}
            <div class="actions">
                {fix_link.map(|href| view! { <a class="button" href=href>{t!(i18n, outbox.fix)}</a> })}
                <Show when=move || state != EntryState::Pending>
                    <button type="button" class="retry" on:click=retry.clone()>
                        {move || if state == EntryState::Conflict {
                            t_string!(i18n, outbox.keep_mine)
                        } else {
                            t_string!(i18n, outbox.retry)
                        }}
                    </button>
                </Show>
                <Show
                    when=move || !skipped
                    fallback=move || view! { <span class="hint">{t!(i18n, outbox.discarded)}</span> }
                >
                    <button type="button" class="discard" on:click=discard>
                        {t!(i18n, outbox.discard)}
                    </button>
                </Show>
            </div>
        </li>
    }
}
