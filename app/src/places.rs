//! Districts and villages of the program: who is in it, since when, and where.
mod admin;
mod admin_views;
mod api;
#[cfg(feature = "ssr")]
pub mod reference;
#[cfg(feature = "ssr")]
pub mod store;
mod types;
mod views;
mod village_results;

pub use admin::{
    list_districts, place_village, save_district, save_village, village_for_edit, DistrictEntry,
    DistrictForm, EditedVillage, VillageForm,
};
pub use admin_views::PlacesAdminPage;
pub use api::{get_village, get_village_results, list_villages};
pub use types::{LocalizedName, ProgramStatus, VillageDetails, VillageResults, VillageSummary};
pub use views::{
    status_label, HomePage, ProgramVillages, VillagePage, VillagePicker, VillagesResource,
};
