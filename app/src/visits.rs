//! Visits and preventive talks: the record, its rules, its server side and its pages.
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use types::*;
pub use views::{kind_label, EditVisitPage, NewVisitPage, VisitsPage};
