//! Server functions of the places area. Their bodies run on the server only.
use super::types::{VillageDetails, VillageSummary};
use leptos::prelude::*;

/// All villages, grouped by district, for the picker and the home page.
#[server(endpoint = "list_villages")]
pub async fn list_villages() -> Result<Vec<VillageSummary>, ServerFnError> {
    let pool = crate::db::pool()?;
    super::store::list_villages(&pool)
        .await
        .map_err(crate::db::internal)
}

/// One village with its council; `None` when there is no such village.
#[server(endpoint = "get_village")]
pub async fn get_village(id: String) -> Result<Option<VillageDetails>, ServerFnError> {
    let pool = crate::db::pool()?;
    let village = super::store::village_details(&pool, &id)
        .await
        .map_err(crate::db::internal)?;
    if village.is_none() {
        crate::http_status::not_found();
    }
    Ok(village)
}
