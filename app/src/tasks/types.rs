//! Council tasks: what travels, and the rules a new task and a progress report must meet.
use crate::access::Role;
use crate::fields::{
    choice, invalid, optional_date, optional_id, optional_text, required_text, village,
    LONG_TEXT_MAX, SHORT_TEXT_MAX,
};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

pub const PRIORITIES: &[&str] = &["low", "normal", "high"];
pub const STATUSES: &[&str] = &["new", "in_progress", "done", "verified", "cancelled"];

/// A task as devices cache and show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Task {
    pub id: String,
    pub village_id: String,
    pub title: String,
    pub details: Option<String>,
    pub due_on: Option<String>,
    pub priority: String,
    pub status: String,
    /// Council member ids the task is assigned to (a table of their own).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub assignees: Vec<String>,
    /// The latest progress note (from the task's updates).
    #[cfg_attr(feature = "ssr", sqlx(skip))]
    pub last_note: Option<String>,
    /// What the task concerns: a person of attention, a residents' proposal, a household.
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub proposal_id: Option<String>,
    #[serde(default)]
    pub household: Option<String>,
    pub version: i64,
    pub updated_at: String,
}

/// A new task, as the form sends it (the payload of a `create`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTask {
    pub village_id: String,
    pub title: String,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default)]
    pub due_on: Option<String>,
    pub priority: String,
    #[serde(default)]
    pub assignees: Vec<String>,
    #[serde(default)]
    pub person_id: Option<String>,
    #[serde(default)]
    pub proposal_id: Option<String>,
    #[serde(default)]
    pub household: Option<String>,
}

impl NewTask {
    /// The task as it will be stored, or the first rule it breaks.
    pub fn checked(&self) -> Result<NewTask, Reason> {
        let village_id = village(&self.village_id)?;
        Ok(NewTask {
            village_id,
            title: required_text("title", &self.title, SHORT_TEXT_MAX)?,
            details: optional_text("details", self.details.as_deref(), LONG_TEXT_MAX)?,
            due_on: optional_date("due_on", self.due_on.as_deref())?,
            priority: choice("priority", &self.priority, PRIORITIES)?,
            assignees: self.assignees.clone(),
            person_id: optional_id(self.person_id.as_deref()),
            proposal_id: optional_id(self.proposal_id.as_deref()),
            household: optional_text("household", self.household.as_deref(), SHORT_TEXT_MAX)?,
        })
    }
}

/// Progress on a task (the payload of an `update`): a note, a new status, or both.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskProgress {
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl TaskProgress {
    pub fn checked(&self) -> Result<TaskProgress, Reason> {
        let status = match self.status.as_deref().filter(|s| !s.is_empty()) {
            Some(status) => Some(choice("status", status, STATUSES)?),
            None => None,
        };
        let note = optional_text("note", self.note.as_deref(), LONG_TEXT_MAX)?;
        if status.is_none() && note.is_none() {
            return Err(invalid("note", FieldRule::Required));
        }
        Ok(TaskProgress { status, note })
    }
}

/// Whether `role` may move a task from `from` to `to`. Council members do the work
/// (start, finish); the inspector or the chair checks it (verify, return) or cancels it.
pub fn may_move(role: Role, from: &str, to: &str) -> bool {
    if from == to {
        return true;
    }
    let checker = matches!(role, Role::Inspector | Role::CouncilChair);
    let worker = checker || role == Role::CouncilMember;
    match (from, to) {
        ("new", "in_progress") | ("new", "done") | ("in_progress", "done") => worker,
        ("done", "verified") | ("done", "in_progress") => checker,
        ("new" | "in_progress" | "done", "cancelled") => checker,
        _ => false,
    }
}

/// Open tasks still need work.
pub fn is_open(status: &str) -> bool {
    matches!(status, "new" | "in_progress" | "done")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_work_checkers_verify_and_closed_tasks_stay_closed() {
        assert!(may_move(Role::CouncilMember, "new", "in_progress"));
        assert!(may_move(Role::CouncilMember, "in_progress", "done"));
        assert!(!may_move(Role::CouncilMember, "done", "verified"));
        assert!(!may_move(Role::CouncilMember, "new", "cancelled"));
        assert!(may_move(Role::Inspector, "done", "verified"));
        assert!(may_move(Role::CouncilChair, "done", "in_progress"));
        for role in [Role::Inspector, Role::CouncilChair, Role::CouncilMember] {
            assert!(!may_move(role, "verified", "in_progress"));
            assert!(!may_move(role, "cancelled", "new"));
        }
        assert!(!may_move(Role::Akimat, "new", "in_progress"));
    }

    #[test]
    fn progress_needs_a_note_or_a_status() {
        assert_eq!(
            TaskProgress::default().checked(),
            Err(invalid("note", FieldRule::Required))
        );
        let done = TaskProgress {
            status: Some("done".into()),
            note: Some("  ".into()),
        };
        assert_eq!(done.checked().unwrap().note, None);
        let odd = TaskProgress {
            status: Some("finished".into()),
            note: None,
        };
        assert_eq!(
            odd.checked(),
            Err(invalid("status", FieldRule::UnknownChoice))
        );
    }

    #[test]
    fn a_new_task_needs_a_title_and_a_known_priority() {
        let task = NewTask {
            village_id: "v".into(),
            title: " Қорадағы шам 💡 ".into(),
            priority: "high".into(),
            ..NewTask::default()
        };
        assert_eq!(task.checked().unwrap().title, "Қорадағы шам 💡");
        let untitled = NewTask {
            title: String::new(),
            ..task.clone()
        };
        assert_eq!(
            untitled.checked(),
            Err(invalid("title", FieldRule::Required))
        );
        let bad_due = NewTask {
            due_on: Some("31.12.2026".into()),
            ..task
        };
        assert_eq!(
            bad_due.checked(),
            Err(invalid("due_on", FieldRule::NotADate))
        );
    }
}
