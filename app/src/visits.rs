//! Visits and preventive talks: the record, its rules, its server side and its pages.
mod labels;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use labels::kind_label;
pub use types::*;
pub use views::{EditVisitPage, NewVisitPage, VisitsPage};
