//! What the server forgets, and when: sign-in counters past their window, devices that never
//! synced and are gone, audit events older than the retention period, expired sessions, and
//! tombstones devices no longer need. Runs at start and then every hour; each pruning is
//! logged with its counts (never with names).
use crate::limits::AccountRate;
use app::accounts::session::AuthSettings;
use app::db::{BeginWrite, DbPool};
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
    let sessions = delete_in_batches(
        pool,
        "DELETE FROM sessions WHERE token_hash IN (SELECT token_hash FROM sessions \
         WHERE last_seen_at < $1 OR created_at < $2 LIMIT $3)",
        &[
            Value::Int(now - auth.idle_timeout_secs),
            Value::Int(now - auth.absolute_timeout_secs),
        ],
    )
    .await?;
    let devices = forget_devices(pool, now - i64::from(retention.device_days) * 86_400).await?;
    let audit_events = delete_in_batches(
        pool,
        "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $1 LIMIT $2)",
        &[Value::Text(app::db::utc_days_ago(retention.audit_days))],
    )
    .await?;
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
    delete_in_batches(
        pool,
        "DELETE FROM devices WHERE id IN (SELECT d.id FROM devices d WHERE d.kind = 'browser' \
         AND COALESCE(d.last_seen_at, 0) < $1 \
         AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.device_id = d.id) \
         AND NOT EXISTS (SELECT 1 FROM devices sync WHERE sync.browser_id = d.id) \
         AND NOT EXISTS (SELECT 1 FROM sync_mutations m WHERE m.device_id = d.id) LIMIT $2)",
        &[Value::Int(cutoff)],
    )
    .await
}

/// A value bound to a pruning statement.
enum Value {
    Int(i64),
    Text(String),
}

/// Runs a `DELETE … IN (SELECT … LIMIT $n)` until it deletes fewer rows than its limit, `$n`
/// being the placeholder after `values`. Each statement is a short write transaction of its
/// own: a first pruning of a year's rows never holds the write lock against sync pushes for
/// long (DESIGN §4.8). The writers' lock matters on PostgreSQL: there a sign-in's new session
/// could otherwise slip under a device being forgotten, between the check and the delete.
async fn delete_in_batches(
    pool: &DbPool,
    statement: &str,
    values: &[Value],
) -> Result<u64, sqlx::Error> {
    const ROWS_A_STATEMENT: i64 = 1000;
    let mut gone = 0;
    loop {
        let mut query = sqlx::query(statement);
        for value in values {
            query = match value {
                Value::Int(number) => query.bind(*number),
                Value::Text(text) => query.bind(text.as_str()),
            };
        }
        let mut tx = pool.begin_write().await?;
        let deleted = query
            .bind(ROWS_A_STATEMENT)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        tx.commit().await?;
        gone += deleted;
        if deleted < ROWS_A_STATEMENT as u64 {
            return Ok(gone);
        }
    }
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
