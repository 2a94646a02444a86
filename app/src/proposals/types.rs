//! Residents' proposals: what travels, and the rules a new one must meet.
use crate::fields::{choice, invalid, past_date, required_text, LONG_TEXT_MAX, SHORT_TEXT_MAX};
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
        if self.village_id.trim().is_empty() {
            return Err(invalid("village_id", FieldRule::Required));
        }
        Ok(NewProposal {
            village_id: self.village_id.trim().to_owned(),
            author: required_text("author", &self.author, SHORT_TEXT_MAX)?,
            category: choice("category", &self.category, CATEGORIES)?,
            body: required_text("body", &self.body, LONG_TEXT_MAX)?,
            submitted_on: past_date("submitted_on", &self.submitted_on, today)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
