//! The outbox page: every entry made here and not yet accepted. The header's part of sync
//! is in `status`.
use super::contract::{Entity, FieldRule, Op, Reason};
use super::local::{self, EntryState, OutboxEntry, RecordState};
use super::state::use_sync;
use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;

type I18n = I18nContext<Locale>;

/// "14:05" today, "21.11 14:05" on another day, in the device's time zone.
pub fn clock(ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let today = js_sys::Date::new_0();
    let time = format!("{:02}:{:02}", date.get_hours(), date.get_minutes());
    if date.to_date_string() == today.to_date_string() {
        time
    } else {
        format!("{:02}.{:02} {time}", date.get_date(), date.get_month() + 1)
    }
}

/// Today on this device as YYYY-MM-DD (form defaults and the "not in the future" rule).
pub fn today() -> String {
    let now = js_sys::Date::new_0();
    format!(
        "{:04}-{:02}-{:02}",
        now.get_full_year(),
        now.get_month() + 1,
        now.get_date()
    )
}

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
        Entity::Feature => t_string!(i18n, entities.feature),
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

pub fn rule_text(i18n: I18n, rule: &FieldRule) -> String {
    let locale = i18n.get_locale();
    match rule {
        FieldRule::Required => td_string!(locale, rules.required).to_string(),
        FieldRule::TooLong { max } => td_string!(locale, rules.too_long, max = *max).to_string(),
        FieldRule::NotADate => td_string!(locale, rules.not_a_date).to_string(),
        FieldRule::InFuture => td_string!(locale, rules.in_future).to_string(),
        FieldRule::UnknownChoice => td_string!(locale, rules.unknown_choice).to_string(),
        FieldRule::OutOfRange { min, max } => {
            td_string!(locale, rules.out_of_range, min = *min, max = *max).to_string()
        }
        FieldRule::NotAPhone => td_string!(locale, rules.not_a_phone).to_string(),
        FieldRule::BeforeStart => td_string!(locale, rules.before_start).to_string(),
        FieldRule::NotAName => td_string!(locale, rules.not_a_name).to_string(),
        FieldRule::Duplicate => td_string!(locale, rules.duplicate).to_string(),
    }
}

/// A refusal in the person's words; `field_label` names a form field in their language.
pub fn reason_text(i18n: I18n, reason: &Reason, field_label: impl Fn(&str) -> String) -> String {
    let locale = i18n.get_locale();
    match reason {
        Reason::Forbidden => td_string!(locale, reasons.forbidden).to_string(),
        Reason::NotFound => td_string!(locale, reasons.not_found).to_string(),
        Reason::Invalid { field, rule } => td_string!(
            locale,
            reasons.invalid,
            field = field_label(field),
            rule = rule_text(i18n, rule)
        )
        .to_string(),
        Reason::Transition { from, to } => td_string!(
            locale,
            reasons.transition,
            from = from.clone(),
            to = to.clone()
        )
        .to_string(),
        Reason::Unsupported => td_string!(locale, reasons.unsupported).to_string(),
        Reason::IdTaken => td_string!(locale, reasons.id_taken).to_string(),
        Reason::SeqReused => td_string!(locale, reasons.seq_reused).to_string(),
    }
}

/// The name of a form field of any kind, in the person's language.
pub fn field_label(i18n: I18n, field: &str) -> String {
    let text = match field {
        "village_id" => t_string!(i18n, form.village),
        "title" => t_string!(i18n, task.title),
        "details" => t_string!(i18n, task.details),
        "due_on" => t_string!(i18n, task.due_on),
        "priority" => t_string!(i18n, task.priority),
        "assignees" => t_string!(i18n, task.assignees),
        "status" => t_string!(i18n, task.status),
        "note" => t_string!(i18n, task.note),
        "author" => t_string!(i18n, proposal.author),
        "category" => t_string!(i18n, proposal.category),
        "body" => t_string!(i18n, proposal.body),
        "submitted_on" => t_string!(i18n, proposal.submitted_on),
        "kind" => t_string!(i18n, event.kind),
        "held_on" => t_string!(i18n, event.held_on),
        "attendance" => t_string!(i18n, event.attendance),
        "occurred_on" => t_string!(i18n, offence.occurred_on),
        "description" => t_string!(i18n, offence.description),
        "register_number" => t_string!(i18n, offence.register_number),
        "persons" => t_string!(i18n, offence.persons),
        "person_id" => t_string!(i18n, visit.person),
        "household" => t_string!(i18n, visit.household),
        "visited_on" => t_string!(i18n, visit.visited_on),
        "outcome" => t_string!(i18n, visit.outcome),
        "attendees" => t_string!(i18n, meeting.attendees),
        "agenda" => t_string!(i18n, meeting.agenda),
        "minutes" => t_string!(i18n, meeting.minutes),
        "decisions" => t_string!(i18n, meeting.decisions),
        "effective_on" => t_string!(i18n, decision.effective_on),
        "answer" => t_string!(i18n, proposal.answer),
        "proposal_id" => t_string!(i18n, task.proposal),
        "full_name" => t_string!(i18n, person.full_name),
        "position" => t_string!(i18n, map.position),
        "geometry" => t_string!(i18n, map.geometry),
        "layer" => t_string!(i18n, map.layer),
        "name" => t_string!(i18n, map.name),
        "birth_year" => t_string!(i18n, person.birth_year),
        "categories" => t_string!(i18n, person.categories),
        "register_basis" => t_string!(i18n, person.register_basis),
        "formed_on" => t_string!(i18n, council.formed_on),
        "role" => t_string!(i18n, council.role),
        "phone" => t_string!(i18n, council.phone),
        "since" => t_string!(i18n, council.since),
        "left_on" => t_string!(i18n, council.left_on),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn record_state_label(i18n: I18n, state: RecordState) -> &'static str {
    match state {
        RecordState::Synced => t_string!(i18n, record_state.synced),
        RecordState::Pending => t_string!(i18n, record_state.pending),
        RecordState::Rejected => t_string!(i18n, record_state.rejected),
        RecordState::Conflict => t_string!(i18n, record_state.conflict),
    }
}

/// A badge for a cached record that is not simply synced.
#[component]
pub fn StateBadge(state: RecordState) -> impl IntoView {
    let i18n = use_i18n();
    let class = match state {
        RecordState::Synced => "badge synced",
        RecordState::Pending => "badge pending",
        RecordState::Rejected | RecordState::Conflict => "badge problem",
    };
    view! {
        <span class=class data-state=format!("{state:?}").to_lowercase()>
            {move || record_state_label(i18n, state)}
        </span>
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
                Some(record) => super::form::opened_payload(record).await,
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
            let queued = local::enqueue(
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
                Entity::Feature | Entity::Council => return None,
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
