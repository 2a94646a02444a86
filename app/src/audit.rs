//! The audit trail: who read or changed what, when, from which device, and whether it was
//! allowed. Written by the server alone (DESIGN §2, §5); read by supervisors in scope.
mod api;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use api::*;
pub use types::*;
pub use views::AuditPage;
