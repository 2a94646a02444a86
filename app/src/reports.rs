//! Program results (docs/program-results.md): is the program working, where, and how sure are
//! we. Offences and repeats per village against population, before and after joining, against
//! comparison villages; charts drawn as SVG on the server; every table exported as CSV and XLSX.
mod api;
pub mod chart;
pub mod closing;
#[cfg(feature = "ssr")]
pub mod compute;
#[cfg(feature = "ssr")]
pub mod export;
pub mod kept;
pub mod membership;
pub mod months;
pub mod stats;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;
#[cfg(feature = "ssr")]
pub mod work;

#[cfg(feature = "ssr")]
pub use api::server;
pub use api::{get_overview, get_trend};
pub use types::*;
pub use views::{BulletinPage, ClosingPage, MembershipPage, ReportsPage, TrendPage};
