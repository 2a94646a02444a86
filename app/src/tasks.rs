//! Tasks: the record, its rules, its server side and its pages.
#[cfg(feature = "ssr")]
pub mod store;
mod types;

pub use types::*;
