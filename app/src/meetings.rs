//! Council meetings and the decisions they take: the records, their rules, their server side
//! and their pages. A decision may also stand alone (taken before the app was used).
mod decisions;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use decisions::{DecisionsPage, EditDecisionPage, NewDecisionPage};
pub use types::*;
pub use views::{EditMeetingPage, MeetingPage, MeetingsPage, NewMeetingPage};
