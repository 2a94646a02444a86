//! Residents' proposals: the record, its rules, its server side and its pages.
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use types::*;
pub use views::{category_label, status_label, NewProposalPage, ProposalPage, ProposalsPage};
