//! Residents' proposals: what travels, and the rules a new one must meet.
use crate::access::Role;
use crate::fields::{
    choice, invalid, optional_text, past_date, required_text, village, LONG_TEXT_MAX,
    SHORT_TEXT_MAX,
};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

pub const CATEGORIES: &[&str] = &[
    "grazing",
    "cattle_theft",
    "internet_fraud",
    "alcohol",
    "youth",
    "lighting",
    "roads",
    "other",
];

pub const STATUSES: &[&str] = &[
    "submitted",
    "under_review",
    "accepted",
    "rejected",
    "implemented",
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct Proposal {
    pub id: String,
    pub village_id: String,
    pub author: String,
    pub category: String,
    pub body: String,
    pub status: String,
    pub answer: Option<String>,
    pub submitted_on: String,
    pub version: i64,
    pub updated_at: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewProposal {
    pub village_id: String,
    pub author: String,
    pub category: String,
    pub body: String,
    pub submitted_on: String,
}

impl NewProposal {
    pub fn checked(&self, today: &str) -> Result<NewProposal, Reason> {
        let village_id = village(&self.village_id)?;
        Ok(NewProposal {
            village_id,
            author: required_text("author", &self.author, SHORT_TEXT_MAX)?,
            category: choice("category", &self.category, CATEGORIES)?,
            body: required_text("body", &self.body, LONG_TEXT_MAX)?,
            submitted_on: past_date("submitted_on", &self.submitted_on, today)?,
        })
    }
}

/// The council's handling of a proposal (payload of an `update`): a new status and the
/// answer the residents get.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalReview {
    pub status: String,
    #[serde(default)]
    pub answer: Option<String>,
}

impl ProposalReview {
    /// A proposal accepted or turned down always gets an answer.
    pub fn checked(&self) -> Result<ProposalReview, Reason> {
        let status = choice("status", &self.status, STATUSES)?;
        let answer = optional_text("answer", self.answer.as_deref(), LONG_TEXT_MAX)?;
        if answer.is_none() && matches!(status.as_str(), "accepted" | "rejected") {
            return Err(invalid("answer", FieldRule::Required));
        }
        Ok(ProposalReview { status, answer })
    }
}

/// The proposal flow (DESIGN §2): submitted → under review → accepted or rejected, and an
/// accepted one → implemented. The council chair, the akimat and the inspector move it; the
/// same status again only changes the answer.
pub fn may_move(role: Role, from: &str, to: &str) -> bool {
    if !matches!(role, Role::CouncilChair | Role::Akimat | Role::Inspector) {
        return false;
    }
    from == to
        || matches!(
            (from, to),
            ("submitted", "under_review")
                | ("under_review", "accepted")
                | ("under_review", "rejected")
                | ("accepted", "implemented")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proposals_go_through_review_and_get_an_answer() {
        assert!(may_move(Role::CouncilChair, "submitted", "under_review"));
        assert!(may_move(Role::Akimat, "under_review", "accepted"));
        assert!(may_move(Role::Inspector, "accepted", "implemented"));
        assert!(!may_move(Role::CouncilChair, "submitted", "implemented"));
        assert!(!may_move(Role::CouncilChair, "rejected", "accepted"));
        assert!(!may_move(Role::CouncilMember, "submitted", "under_review"));
        let silent = ProposalReview {
            status: "rejected".into(),
            answer: Some(" ".into()),
        };
        assert_eq!(
            silent.checked(),
            Err(invalid("answer", FieldRule::Required))
        );
        let review = ProposalReview {
            status: "under_review".into(),
            answer: None,
        };
        assert!(review.checked().is_ok());
    }

    #[test]
    fn a_proposal_needs_author_text_and_a_past_date() {
        let proposal = NewProposal {
            village_id: "v".into(),
            author: "Әлия".into(),
            category: "lighting".into(),
            body: "Көшеге шам қою керек".into(),
            submitted_on: "2026-11-20".into(),
        };
        assert!(proposal.checked("2026-11-25").is_ok());
        let future = NewProposal {
            submitted_on: "2027-01-01".into(),
            ..proposal.clone()
        };
        assert_eq!(
            future.checked("2026-11-25"),
            Err(invalid("submitted_on", FieldRule::InFuture))
        );
        let empty = NewProposal {
            body: " ".into(),
            ..proposal
        };
        assert_eq!(
            empty.checked("2026-11-25"),
            Err(invalid("body", FieldRule::Required))
        );
    }
}
