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
    use super::super::months::Month;
    use super::super::store::{self, ReportVillage, Villages};
    use super::super::types::{Overview, Trend};
    use super::super::work;
    use crate::access::{Place, Role, Scope};
    use crate::accounts::session::SignedIn;
    use crate::db::DbPool;
    use crate::errors::AppError;
    use std::collections::{HashMap, HashSet};

    /// The fewest comparison villages whose sums a reader of a few villages is shown.
    const MIN_COMPARISON_VILLAGES: u32 = 3;

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

    /// What the reports read, as of now.
    struct Loaded {
        villages: Vec<ReportVillage>,
        counts: store::Counts,
        closings: HashSet<(String, Month)>,
        last_offences: HashMap<String, String>,
        data_start: Option<Month>,
        now: String,
        /// The region's date now (`dates::region_today`).
        today: String,
    }

    impl Loaded {
        fn facts(&self) -> Facts<'_> {
            Facts::new(
                &self.villages,
                &self.counts,
                &self.closings,
                &self.last_offences,
                &self.today,
                self.now.clone(),
                self.data_start,
            )
        }
    }

    /// Reads what a report of `villages` needs, with the repeats of its last `repeat_months`
    /// (the repeat rule reads a year before those, so fewer months read fewer links).
    async fn load(
        pool: &DbPool,
        villages: Villages<'_>,
        repeat_months: i32,
    ) -> Result<Loaded, AppError> {
        let now = crate::db::now_rfc3339();
        let list = store::villages(pool).await?;
        let today = crate::dates::region_today();
        let today = today.as_str();
        let last = Month::of(today).ok_or(AppError::Internal)?.plus(-1);
        let repeats_from = last.plus(-(repeat_months - 1));
        let from = earliest_month(&list, last);
        // Each reading's time at debug level, to tell where a slow report spends it.
        let started = std::time::Instant::now();
        let counts = store::counts(pool, from, repeats_from, villages).await?;
        let counted = started.elapsed();
        let closings = store::closings(pool, from, villages).await?;
        let last_offences = store::last_offences(pool, today).await?;
        let data_start = store::data_start(pool).await?;
        tracing::debug!(
            villages = list.len(),
            counts_ms = counted.as_millis() as u64,
            rest_ms = (started.elapsed() - counted).as_millis() as u64,
            "reports read"
        );
        Ok(Loaded {
            villages: list,
            counts,
            closings,
            last_offences,
            data_start,
            today: today.to_owned(),
            now,
        })
    }

    pub async fn overview(
        pool: &DbPool,
        who: &SignedIn,
        district: Option<String>,
    ) -> Result<Overview, AppError> {
        may_read(who)?;
        let loaded = load(pool, Villages::All, compute::OVERVIEW_MONTHS).await?;
        let mut districts: Vec<(String, crate::places::LocalizedName)> = Vec::new();
        for village in loaded
            .villages
            .iter()
            .filter(|village| covers(who, village))
        {
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
        let facts = loaded.facts();
        let last = facts.last_month();
        let first = last.plus(-(compute::OVERVIEW_MONTHS - 1));
        let everything = district.is_none() && who.principal.scope == Scope::Region;
        let ids: Vec<String> = loaded
            .villages
            .iter()
            .filter(|village| shown(village))
            .map(|village| village.id.clone())
            .collect();
        let started = std::time::Instant::now();
        let themes = store::themes(pool, first, last, (!everything).then_some(&ids[..])).await?;
        let themed = started.elapsed();
        let mut overview = compute::overview(&facts, &shown, district.clone(), districts, &themes);
        overview.whole_region = everything;
        tracing::debug!(
            themes_ms = themed.as_millis() as u64,
            compute_ms = (started.elapsed() - themed).as_millis() as u64,
            "overview computed"
        );
        // A reader of a few villages sees the comparison villages' sums only when enough of
        // them stand behind it that no single village's counts can be read off.
        if matches!(who.principal.scope, Scope::Villages(_))
            && overview.effect.comparison_villages < MIN_COMPARISON_VILLAGES
        {
            let effect = &mut overview.effect;
            effect.counts.comparison_before = 0;
            effect.counts.comparison_after = 0;
            effect.estimate = None;
            effect.withheld = true;
        }
        Ok(overview)
    }

    pub async fn trend(
        pool: &DbPool,
        who: &SignedIn,
        village_id: &str,
    ) -> Result<Option<Trend>, AppError> {
        may_read(who)?;
        let loaded = load(pool, Villages::One(village_id), compute::TREND_MONTHS).await?;
        let Some(village) = loaded
            .villages
            .iter()
            .find(|village| village.id == village_id && covers(who, village))
        else {
            return Ok(None);
        };
        let facts = loaded.facts();
        let mut trend = compute::trend(&facts, village);
        trend.council = work::council_work(
            pool,
            village_id,
            facts.last_month(),
            compute::OVERVIEW_MONTHS,
            facts.today,
        )
        .await?;
        Ok(Some(trend))
    }
}
