//! Preventive events (talks at the school, sport days …): what travels, and the rules.
use crate::fields::{choice, invalid, past_date, range, required_text, village, SHORT_TEXT_MAX};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

pub const KINDS: &[&str] = &[
    "law_and_order",
    "healthy_lifestyle",
    "anti_fraud",
    "conscription_guidance",
    "sport",
    "youth_meeting",
    "other",
];

/// More people than any village of the region has.
pub const ATTENDANCE_MAX: i64 = 100_000;

/// Attendance as typed in the form: empty is "not counted"; anything but a whole number in
/// range breaks the same rule the server checks.
pub fn attendance_from_text(text: &str) -> Result<Option<i64>, Reason> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let out_of_range = || {
        invalid(
            "attendance",
            FieldRule::OutOfRange {
                min: 0,
                max: ATTENDANCE_MAX,
            },
        )
    };
    let count = text.parse::<i64>().map_err(|_| out_of_range())?;
    range("attendance", count, 0, ATTENDANCE_MAX).map(Some)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Event {
    pub id: String,
    pub village_id: String,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    pub attendance: Option<i64>,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewEvent {
    pub village_id: String,
    pub kind: String,
    pub title: String,
    pub held_on: String,
    #[serde(default)]
    pub attendance: Option<i64>,
}

impl From<&Event> for NewEvent {
    fn from(event: &Event) -> Self {
        NewEvent {
            village_id: event.village_id.clone(),
            kind: event.kind.clone(),
            title: event.title.clone(),
            held_on: event.held_on.clone(),
            attendance: event.attendance,
        }
    }
}

impl NewEvent {
    /// The record as the device shows it until the server's copy arrives.
    pub fn shown(&self, id: &str, version: i64) -> Event {
        Event {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            kind: self.kind.clone(),
            title: self.title.clone(),
            held_on: self.held_on.clone(),
            attendance: self.attendance,
            version,
            updated_at: String::new(),
        }
    }

    pub fn checked(&self, today: &str) -> Result<NewEvent, Reason> {
        let village_id = village(&self.village_id)?;
        Ok(NewEvent {
            village_id,
            kind: choice("kind", &self.kind, KINDS)?,
            title: required_text("title", &self.title, SHORT_TEXT_MAX)?,
            held_on: past_date("held_on", &self.held_on, today)?,
            attendance: match self.attendance {
                Some(n) => Some(range("attendance", n, 0, ATTENDANCE_MAX)?),
                None => None,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_needs_a_kind_a_title_and_a_sane_attendance() {
        let event = NewEvent {
            village_id: "v".into(),
            kind: "sport".into(),
            title: "Футбол".into(),
            held_on: "2026-11-01".into(),
            attendance: Some(40),
        };
        assert!(event.checked("2026-11-25").is_ok());
        let crowd = NewEvent {
            attendance: Some(-3),
            ..event.clone()
        };
        assert_eq!(
            crowd.checked("2026-11-25"),
            Err(invalid(
                "attendance",
                FieldRule::OutOfRange {
                    min: 0,
                    max: ATTENDANCE_MAX
                }
            ))
        );
        assert_eq!(attendance_from_text("  "), Ok(None));
        assert_eq!(attendance_from_text("40"), Ok(Some(40)));
        assert!(attendance_from_text("сорок").is_err());
        assert!(attendance_from_text("100001").is_err());
        let unknown = NewEvent {
            kind: "party".into(),
            ..event
        };
        assert_eq!(
            unknown.checked("2026-11-25"),
            Err(invalid("kind", FieldRule::UnknownChoice))
        );
    }
}
