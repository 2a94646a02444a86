//! What the server forgets, and when: sign-in counters past their window, devices that never
//! synced and are gone, audit events older than the retention period, expired sessions, and
//! tombstones devices no longer need. Runs at start and then every hour; each pruning is
//! logged with its counts (never with names).
use crate::limits::AccountRate;
use app::accounts::session::AuthSettings;
use app::db::BeginWrite;
use app::db::DbPool;
use std::time::Duration;

#[derive(Clone, Copy, Debug)]
pub struct Retention {
    pub audit_days: u32,
    pub device_days: u32,
    pub tombstone_days: u32,
}

/// How many rows each step removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub throttle: u64,
    pub sessions: u64,
    pub devices: u64,
    pub audit_events: u64,
    pub tombstones: u64,
}

pub async fn prune(
    pool: &DbPool,
    retention: Retention,
    auth: &AuthSettings,
) -> Result<Pruned, sqlx::Error> {
    let now = app::accounts::session::now_secs();
    let throttle = app::accounts::throttle::prune(pool, auth, now).await?;
    let sessions = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
        .bind(now - auth.idle_timeout_secs)
        .bind(now - auth.absolute_timeout_secs)
        .execute(pool)
        .await?
        .rows_affected();
    let devices = forget_devices(pool, now - i64::from(retention.device_days) * 86_400).await?;
    let audit_events = sqlx::query("DELETE FROM audit_events WHERE at < $1")
        .bind(app::db::utc_days_ago(retention.audit_days))
        .execute(pool)
        .await?
        .rows_affected();
    let tombstones = app::sync::server::prune_tombstones(pool, retention.tombstone_days).await?;
    Ok(Pruned {
        throttle,
        sessions,
        devices,
        audit_events,
        tombstones,
    })
}

/// Browsers that never pushed anything, have no session and have not been seen since
/// `cutoff` (each sign-in from a fresh browser leaves one). A device that ever synced is kept:
/// its applied seq is what makes its pushes exactly-once if it comes back.
async fn forget_devices(pool: &DbPool, cutoff: i64) -> Result<u64, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let forgettable = "SELECT d.id FROM devices d WHERE d.kind = 'browser' \
         AND COALESCE(d.last_seen_at, 0) < $1 \
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id) \
         AND NOT EXISTS (SELECT 1 FROM devices sync WHERE sync.browser_id = d.id) \
         AND NOT EXISTS (SELECT 1 FROM sync_mutations m WHERE m.device_id = d.id)";
    let gone = sqlx::query(&format!("DELETE FROM devices WHERE id IN ({forgettable})"))
        .bind(cutoff)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    tx.commit().await?;
    Ok(gone)
}

/// Prunes now and then every hour, for as long as the server runs.
pub fn spawn(pool: DbPool, retention: Retention, auth: AuthSettings, rate: AccountRate) {
    tokio::spawn(async move {
        let mut hourly = tokio::time::interval(Duration::from_secs(3600));
        loop {
            hourly.tick().await;
            rate.forget_quiet();
            match prune(&pool, retention, &auth).await {
                Ok(pruned) if pruned != Pruned::default() => {
                    tracing::info!(?pruned, "retention: old rows pruned");
                }
                Ok(_) => {}
                Err(error) => tracing::warn!(%error, "retention: pruning failed"),
            }
        }
    });
}
