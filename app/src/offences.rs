//! Offences: the record, the repeat-offence rule, a village's figures, the server side and the
//! pages.
pub mod figures;
mod labels;
pub mod repeat;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use labels::{category_code_label, category_label, kind_code_label, kind_label};
pub use types::*;
pub use views::{EditOffencePage, NewOffencePage, OffencePage, OffencesPage};
