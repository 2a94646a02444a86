//! The reports' server functions: who may read which villages' figures (DESIGN §1: the
//! coordinator the region, the supervisor a district, the inspector his villages, the chair
//! and the akimat their village, counts only), and the reading itself.
use super::types::{Overview, Trend};
use crate::errors::AppError;
use leptos::prelude::*;

/// The overview of the villages the reader may see, filtered to one district when asked.
#[server(endpoint = "reports/overview")]
pub async fn get_overview(district: Option<String>) -> Result<Overview, AppError> {
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    server::overview(&pool, &who, district)
        .await
        .map_err(AppError::respond)
}

/// One village's trend: months, the year before and the control chart.
#[server(endpoint = "reports/trend")]
pub async fn get_trend(village_id: String) -> Result<Trend, AppError> {
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    match server::trend(&pool, &who, &village_id)
        .await
        .map_err(AppError::respond)?
    {
        Some(trend) => Ok(trend),
        None => crate::errors::refuse(AppError::NotFound),
    }
}

#[cfg(feature = "ssr")]
pub mod server {
    use super::super::compute::{self, earliest_month, Facts};
    use super::super::store::{self, ReportVillage};
    use super::super::types::{Overview, Trend};
    use crate::access::{Place, Role};
    use crate::accounts::session::SignedIn;
    use crate::errors::AppError;
    use sqlx::SqlitePool;

    /// Roles that read reports: every role but a council member, who sees his tasks.
    pub fn may_read(who: &SignedIn) -> Result<(), AppError> {
        if who.principal.role == Role::CouncilMember {
            return Err(AppError::Forbidden);
        }
        Ok(())
    }

    fn covers(who: &SignedIn, village: &ReportVillage) -> bool {
        who.principal.scope.covers(&Place {
            village_id: village.id.clone(),
            district_id: village.district_id.clone(),
        })
    }

    async fn facts_from(
        pool: &SqlitePool,
    ) -> Result<
        (
            Vec<ReportVillage>,
            store::Counts,
            std::collections::HashSet<(String, super::super::months::Month)>,
            std::collections::HashMap<String, String>,
            String,
        ),
        AppError,
    > {
        let now = crate::db::now_rfc3339();
        let villages = store::villages(pool).await?;
        let today = &now[..10];
        let last = super::super::months::Month::of(today)
            .ok_or(AppError::Internal)?
            .plus(-1);
        let from = earliest_month(&villages, last);
        let counts = store::counts(pool, from).await?;
        let closings = store::closings(pool, from).await?;
        let last_offences = store::last_offences(pool, today).await?;
        Ok((villages, counts, closings, last_offences, now))
    }

    pub async fn overview(
        pool: &SqlitePool,
        who: &SignedIn,
        district: Option<String>,
    ) -> Result<Overview, AppError> {
        may_read(who)?;
        let (villages, counts, closings, last_offences, now) = facts_from(pool).await?;
        let facts = Facts::new(
            &villages,
            &counts,
            &closings,
            &last_offences,
            &now[..10],
            now.clone(),
        );
        let mut districts: Vec<(String, crate::places::LocalizedName)> = Vec::new();
        for village in villages.iter().filter(|village| covers(who, village)) {
            if !districts.iter().any(|(id, _)| *id == village.district_id) {
                districts.push((village.district_id.clone(), village.district.clone()));
            }
        }
        // A district outside the reader's reach filters to nothing rather than erroring: the
        // filter is a form field anyone can edit.
        let district = district.filter(|id| !id.is_empty());
        let shown = |village: &ReportVillage| {
            covers(who, village)
                && district
                    .as_deref()
                    .is_none_or(|id| village.district_id == id)
        };
        Ok(compute::overview(
            &facts,
            &shown,
            district.clone(),
            districts,
        ))
    }

    pub async fn trend(
        pool: &SqlitePool,
        who: &SignedIn,
        village_id: &str,
    ) -> Result<Option<Trend>, AppError> {
        may_read(who)?;
        let (villages, counts, closings, last_offences, now) = facts_from(pool).await?;
        let Some(village) = villages
            .iter()
            .find(|village| village.id == village_id && covers(who, village))
        else {
            return Ok(None);
        };
        let facts = Facts::new(
            &villages,
            &counts,
            &closings,
            &last_offences,
            &now[..10],
            now.clone(),
        );
        Ok(Some(compute::trend(&facts, village)))
    }
}
