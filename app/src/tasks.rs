//! Council tasks: the record, its rules, its server side and its pages.
mod form;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use form::NewTaskPage;
pub use types::*;
pub use views::{status_label, TaskPage, TasksPage};
