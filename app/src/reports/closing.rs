//! Monthly reporting: the inspector closes each ended month per village, confirming "no
//! offences" where there were none, so a zero in the reports is a report and not a gap.
//! Closing is online (a server function): a month is closed once, after its last day, from
//! what the server holds, so it waits until the outbox has delivered that month's offences.
use crate::errors::AppError;
use crate::places::LocalizedName;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How many ended months the closing page offers per village.
pub const OPEN_MONTHS: i32 = 12;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthState {
    /// YYYY-MM.
    pub month: String,
    /// Offences on record for the month now.
    pub offences: u64,
    /// When closed: the count confirmed then and the time.
    pub closed: Option<(u64, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VillageMonths {
    pub village_id: String,
    pub village: LocalizedName,
    /// Newest first.
    pub months: Vec<MonthState>,
}

/// The villages where the reader records offences, with their last 12 ended months.
#[server(endpoint = "reports/months")]
pub async fn list_months() -> Result<Vec<VillageMonths>, AppError> {
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    server::list(&pool, &who).await
}

#[server(endpoint = "reports/close_month")]
pub async fn close_month(village_id: String, month: String) -> Result<(), AppError> {
    let who = crate::accounts::signed_in()?;
    let pool = crate::db::pool()?;
    server::close(&pool, &who, &village_id, &month).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::{MonthState, VillageMonths, OPEN_MONTHS};
    use crate::access::{can, Action, Place, RecordKind, Target};
    use crate::accounts::session::SignedIn;
    use crate::audit::store::{record, Entry};
    use crate::audit::AuditAction;
    use crate::db::BeginWrite;
    use crate::db::DbPool;
    use crate::errors::{refuse, AppError};
    use crate::places::LocalizedName;
    use crate::reports::months::Month;
    use std::collections::HashMap;

    fn may_close(who: &SignedIn, village_id: &str, district_id: &str) -> bool {
        let place = Place {
            village_id: village_id.to_owned(),
            district_id: district_id.to_owned(),
        };
        can(
            &who.principal,
            Action::Create,
            RecordKind::Offence,
            &Target {
                place: Some(&place),
                ..Target::default()
            },
        )
    }

    fn current_month() -> Result<Month, AppError> {
        Month::of(&crate::dates::region_today()).ok_or(AppError::Internal)
    }

    pub async fn list(pool: &DbPool, who: &SignedIn) -> Result<Vec<VillageMonths>, AppError> {
        let villages: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
            "SELECT v.id, v.name_ru, v.name_kk, v.district_id FROM villages v \
             JOIN districts d ON d.id = v.district_id ORDER BY d.name_ru, v.name_ru",
        )
        .fetch_all(pool)
        .await?;
        let first = current_month()?.plus(-OPEN_MONTHS);
        let counts: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT village_id, month, offences FROM offence_months WHERE month >= $1",
        )
        .bind(first.to_string())
        .fetch_all(pool)
        .await?;
        let counts: HashMap<(String, String), u64> = counts
            .into_iter()
            .map(|(village, month, n)| ((village, month), n.max(0) as u64))
            .collect();
        let closed: Vec<(String, String, i64, String)> = sqlx::query_as(
            "SELECT village_id, month, offences, closed_at FROM month_closings WHERE month >= $1",
        )
        .bind(first.to_string())
        .fetch_all(pool)
        .await?;
        let closed: HashMap<(String, String), (u64, String)> = closed
            .into_iter()
            .map(|(village, month, n, at)| ((village, month), (n.max(0) as u64, at)))
            .collect();
        Ok(villages
            .into_iter()
            .filter(|(id, _, _, district)| may_close(who, id, district))
            .map(|(id, ru, kk, _)| {
                let months = (1..=OPEN_MONTHS)
                    .map(|back| {
                        let month = first.plus(OPEN_MONTHS - back).to_string();
                        let key = (id.clone(), month.clone());
                        MonthState {
                            offences: counts.get(&key).copied().unwrap_or(0),
                            closed: closed.get(&key).cloned(),
                            month,
                        }
                    })
                    .collect();
                VillageMonths {
                    village_id: id,
                    village: LocalizedName { ru, kk },
                    months,
                }
            })
            .collect())
    }

    pub async fn close(
        pool: &DbPool,
        who: &SignedIn,
        village_id: &str,
        month: &str,
    ) -> Result<(), AppError> {
        let Some(month) = Month::of(month).filter(|m| m.to_string() == month) else {
            return refuse(AppError::InvalidField("month".into()));
        };
        // Only an ended month, and not one older than the page offers.
        let current = current_month()?;
        if month >= current || month < current.plus(-OPEN_MONTHS) {
            return refuse(AppError::InvalidField("month".into()));
        }
        let mut tx = pool.begin_write().await?;
        let district: Option<String> =
            sqlx::query_scalar("SELECT district_id FROM villages WHERE id = $1")
                .bind(village_id)
                .fetch_optional(&mut *tx)
                .await?;
        if !district.is_some_and(|district| may_close(who, village_id, &district)) {
            return refuse(AppError::NotFound);
        }
        let offences: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM offences WHERE village_id = $1 AND substr(occurred_at, 1, 7) = $2",
        )
        .bind(village_id)
        .bind(month.to_string())
        .fetch_one(&mut *tx)
        .await?;
        // Closing twice is the same report: the first one stands.
        let inserted = sqlx::query(
            "INSERT INTO month_closings (village_id, month, offences, closed_by, closed_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (village_id, month) DO NOTHING",
        )
        .bind(village_id)
        .bind(month.to_string())
        .bind(offences)
        .bind(&who.principal.account_id)
        .bind(crate::db::now_rfc3339())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() > 0 {
            let closing = format!("{village_id}/{month}");
            record(
                &mut *tx,
                Entry::by(who, AuditAction::Create, "month_closing")
                    .record(&closing)
                    .village(Some(village_id))
                    .detail(format!("offences={offences}")),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
