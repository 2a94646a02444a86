//! Council meetings and decisions (DESIGN §2): what travels, and the rules.
use crate::fields::{
    optional_date, optional_id, optional_text, past_date, required_text, village, LONG_TEXT_MAX,
};
use crate::sync::contract::Reason;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Meeting {
    pub id: String,
    pub village_id: String,
    pub held_on: String,
    pub attendees: Option<String>,
    pub agenda: String,
    pub minutes: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

/// A new meeting, or the whole of one corrected (minutes are often written afterwards).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewMeeting {
    pub village_id: String,
    pub held_on: String,
    #[serde(default)]
    pub attendees: Option<String>,
    pub agenda: String,
    #[serde(default)]
    pub minutes: Option<String>,
}

impl NewMeeting {
    pub fn checked(&self, today: &str) -> Result<NewMeeting, Reason> {
        let village_id = village(&self.village_id)?;
        Ok(NewMeeting {
            village_id,
            held_on: past_date("held_on", &self.held_on, today)?,
            attendees: optional_text("attendees", self.attendees.as_deref(), LONG_TEXT_MAX)?,
            agenda: required_text("agenda", &self.agenda, LONG_TEXT_MAX)?,
            minutes: optional_text("minutes", self.minutes.as_deref(), LONG_TEXT_MAX)?,
        })
    }

    pub fn shown(&self, id: &str, version: i64) -> Meeting {
        Meeting {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            held_on: self.held_on.clone(),
            attendees: self.attendees.clone(),
            agenda: self.agenda.clone(),
            minutes: self.minutes.clone(),
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Meeting> for NewMeeting {
    fn from(meeting: &Meeting) -> Self {
        NewMeeting {
            village_id: meeting.village_id.clone(),
            held_on: meeting.held_on.clone(),
            attendees: meeting.attendees.clone(),
            agenda: meeting.agenda.clone(),
            minutes: meeting.minutes.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Decision {
    pub id: String,
    pub village_id: String,
    pub meeting_id: Option<String>,
    pub body: String,
    /// From when it applies («село без алкоголя с …»); may lie ahead.
    pub effective_on: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDecision {
    pub village_id: String,
    #[serde(default)]
    pub meeting_id: Option<String>,
    pub body: String,
    #[serde(default)]
    pub effective_on: Option<String>,
}

impl From<&Decision> for NewDecision {
    fn from(decision: &Decision) -> Self {
        NewDecision {
            village_id: decision.village_id.clone(),
            meeting_id: decision.meeting_id.clone(),
            body: decision.body.clone(),
            effective_on: decision.effective_on.clone(),
        }
    }
}

impl NewDecision {
    pub fn checked(&self) -> Result<NewDecision, Reason> {
        let village_id = village(&self.village_id)?;
        let effective_on = optional_date("effective_on", self.effective_on.as_deref())?;
        Ok(NewDecision {
            village_id,
            meeting_id: optional_id(self.meeting_id.as_deref()),
            body: required_text("body", &self.body, LONG_TEXT_MAX)?,
            effective_on,
        })
    }

    pub fn shown(&self, id: &str, version: i64) -> Decision {
        Decision {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            meeting_id: self.meeting_id.clone(),
            body: self.body.clone(),
            effective_on: self.effective_on.clone(),
            version,
            updated_at: String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::invalid;
    use crate::sync::contract::FieldRule;

    #[test]
    fn a_meeting_has_an_agenda_and_has_been_held() {
        let meeting = NewMeeting {
            village_id: "v".into(),
            held_on: "2026-11-20".into(),
            agenda: "1. Мал жаю. 2. Жастар".into(),
            ..NewMeeting::default()
        };
        assert!(meeting.checked("2026-11-25").is_ok());
        let no_agenda = NewMeeting {
            agenda: "\n".into(),
            ..meeting.clone()
        };
        assert_eq!(
            no_agenda.checked("2026-11-25"),
            Err(invalid("agenda", FieldRule::Required))
        );
        let ahead = NewMeeting {
            held_on: "2027-01-10".into(),
            ..meeting
        };
        assert_eq!(
            ahead.checked("2026-11-25"),
            Err(invalid("held_on", FieldRule::InFuture))
        );
    }

    #[test]
    fn a_decision_may_take_effect_later_but_on_a_real_date() {
        let decision = NewDecision {
            village_id: "v".into(),
            body: "Ауыл — алкогольсіз ауыл".into(),
            effective_on: Some("2027-01-01".into()),
            meeting_id: Some(" ".into()),
        };
        let checked = decision.checked().unwrap();
        assert_eq!(checked.meeting_id, None);
        let bad = NewDecision {
            effective_on: Some("2027-02-30".into()),
            ..decision
        };
        assert_eq!(
            bad.checked(),
            Err(invalid("effective_on", FieldRule::NotADate))
        );
    }
}
