//! Server functions of the places area. Their bodies run on the server only.
use super::types::{VillageDetails, VillageSummary};
use crate::errors::AppError;
use leptos::prelude::*;

/// All villages, grouped by district, for the picker and the home page; empty before
/// sign-in (the list of program villages is not confidential, but nothing is shown to
/// strangers, and the sign-in page must not fail for lack of it).
#[server(endpoint = "list_villages")]
pub async fn list_villages() -> Result<Vec<VillageSummary>, AppError> {
    if crate::accounts::session_account().is_none() {
        return Ok(Vec::new());
    }
    let pool = crate::db::pool()?;
    Ok(super::store::list_villages(&pool).await?)
}

/// One village; its council members (names, phones) only for accounts the policy lets read
/// that village's council. 404 when there is no such village.
#[server(endpoint = "get_village")]
pub async fn get_village(id: String) -> Result<VillageDetails, AppError> {
    use crate::access::{can, Action, Place, RecordKind, Target};
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    let Some(mut village) = super::store::village_details(&pool, &id).await? else {
        return crate::errors::refuse(AppError::NotFound);
    };
    let place = Place {
        village_id: village.id.clone(),
        district_id: village.district_id.clone(),
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if !can(&who.principal, Action::Read, RecordKind::Council, &target) {
        village.council_members.clear();
    }
    Ok(village)
}
