//! Server functions of the places area. Their bodies run on the server only.
use super::types::{VillageDetails, VillageResults, VillageSummary};
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

/// How many records of each list the village page shows.
#[cfg(feature = "ssr")]
const RECENT: i64 = 5;

/// The village's results. Offence figures are counts, shown to every signed-in account (the
/// program makes each village's results public to its people); the lists only to roles that
/// may list that kind there.
#[server(endpoint = "village_results")]
pub async fn get_village_results(id: String) -> Result<VillageResults, AppError> {
    use crate::access::{can, Action, Place, RecordKind, Target};
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    // Not the village's details (three statements): the page asks for those separately.
    let Some((district_id, joined_on)) = super::store::village_program(&pool, &id).await? else {
        return crate::errors::refuse(AppError::NotFound);
    };
    let place = Place {
        village_id: id.clone(),
        district_id,
    };
    let may_list = |kind| {
        can(
            &who.principal,
            Action::List,
            kind,
            &Target {
                place: Some(&place),
                ..Target::default()
            },
        )
    };
    // Periods ("this month", "this year") end at the region's midnight, as the reports' do.
    let today = crate::dates::region_today();
    let figures =
        crate::offences::store::village_figures(&pool, &id, joined_on.as_deref(), &today).await?;
    let mut conn = pool.acquire().await?;
    let open_tasks = if may_list(RecordKind::Task) {
        Some(crate::tasks::store::open_count(&mut conn, &id).await?)
    } else {
        None
    };
    let proposals = if may_list(RecordKind::Proposal) {
        crate::proposals::store::recent(&mut conn, &id, RECENT).await?
    } else {
        Vec::new()
    };
    let events = if may_list(RecordKind::Event) {
        crate::events::store::recent(&mut conn, &id, RECENT).await?
    } else {
        Vec::new()
    };
    let decisions = if may_list(RecordKind::Decision) {
        crate::meetings::store::recent_decisions(&mut conn, &id, RECENT).await?
    } else {
        Vec::new()
    };
    Ok(VillageResults {
        figures,
        joined_on,
        open_tasks,
        proposals,
        events,
        decisions,
    })
}
