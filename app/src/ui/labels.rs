//! Words the forms and lists share: times and dates, a broken rule, a field's name, a record's
//! sync state.
use crate::i18n::*;
use crate::sync::contract::{FieldRule, Reason};
use crate::sync::local::RecordState;
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
