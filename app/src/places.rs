//! Districts and villages of the program: who is in it, since when, and where.
mod api;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;

pub use api::{get_village, get_village_results, list_villages};
pub use types::{LocalizedName, ProgramStatus, VillageDetails, VillageResults, VillageSummary};
pub use views::{HomePage, VillagePage, VillagePicker, VillagesResource};
