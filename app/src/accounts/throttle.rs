//! Limits on sign-in attempts (server only), ASVS 2.2.1. After too many attempts within a
//! window a key is locked for a while; a successful sign-in takes its attempt back. Kept in
//! the database, so restarting the server does not lift a lockout.
//!
//! Which keys count an attempt (the scheme, and why):
//! - From a browser that has signed in to this account before (its device cookie names a
//!   device of the account that is not revoked): only that device's key. A stranger who locks
//!   the login from elsewhere therefore never locks the inspector's own phone or the elder's
//!   tablet out; the stranger holds no such cookie.
//! - From any other browser: the login's key and the address's key. Guessing one login from
//!   many addresses is held at the login's limit; one address guessing many logins at the
//!   address's limit. A stranger can keep a login locked for new browsers only, never for the
//!   devices its owner uses, and an admin's password reset ends it.
//!
//! An attempt is counted before the password is checked, all keys in one `BEGIN IMMEDIATE`
//! transaction: forty guesses sent at once see the counts of each other and at most the
//! limit of them reach the password check.
use super::session::AuthSettings;
use crate::db::BeginWrite;
use crate::db::{DbConnection, DbExecutor, DbPool};

/// One key's record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Record {
    pub failures: i64,
    pub first_failure: i64,
    pub locked_until: Option<i64>,
}

/// Seconds until the key may try again, or `None` when it may try now.
pub fn locked_for(record: Option<Record>, now: i64) -> Option<i64> {
    let until = record?.locked_until?;
    (until > now).then_some(until - now)
}

/// The record after one more failure: failures in an old window are forgotten; reaching the
/// limit locks the key and starts the count again.
pub fn after_failure(
    record: Option<Record>,
    now: i64,
    limit: i64,
    settings: &AuthSettings,
) -> Record {
    let fresh = Record {
        failures: 0,
        first_failure: now,
        locked_until: None,
    };
    let current = match record {
        Some(r) if now - r.first_failure < settings.failure_window_secs => r,
        _ => fresh,
    };
    let failures = current.failures + 1;
    if failures >= limit {
        Record {
            failures: 0,
            first_failure: now,
            locked_until: Some(now + settings.lockout_secs),
        }
    } else {
        Record {
            failures,
            first_failure: current.first_failure,
            locked_until: None,
        }
    }
}

pub fn account_key(login: &str) -> String {
    format!("account:{login}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}

pub fn device_key(device_id: &str) -> String {
    format!("device:{device_id}")
}

/// A key and the attempts it allows within the window.
pub struct Limit {
    pub key: String,
    pub attempts: i64,
    /// Counts many people's attempts (an address: an office, a mobile operator's gateway):
    /// a right password takes its attempt back instead of clearing the count.
    pub shared: bool,
}

async fn load<'e>(executor: impl DbExecutor<'e>, key: &str) -> Result<Option<Record>, sqlx::Error> {
    sqlx::query_as(
        "SELECT failures, first_failure, locked_until FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(executor)
    .await
}

async fn store<'e>(
    executor: impl DbExecutor<'e>,
    key: &str,
    record: Record,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, first_failure, locked_until) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
         first_failure = excluded.first_failure, locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(record.failures)
    .bind(record.first_failure)
    .bind(record.locked_until)
    .execute(executor)
    .await?;
    Ok(())
}

/// Counts one attempt against every key, or — when any key is locked — none, answering the
/// seconds until the longest lock ends. One immediate transaction: parallel attempts queue on
/// SQLite's write lock and each sees the ones before it.
pub async fn attempt(
    pool: &DbPool,
    limits: &[Limit],
    settings: &AuthSettings,
    now: i64,
) -> Result<Option<i64>, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let mut records = Vec::with_capacity(limits.len());
    let mut longest = None;
    for limit in limits {
        let record = load(&mut *tx, &limit.key).await?;
        longest = longest.max(locked_for(record, now));
        records.push(record);
    }
    if longest.is_some() {
        tx.rollback().await?;
        return Ok(longest);
    }
    for (limit, record) in limits.iter().zip(records) {
        let next = after_failure(record, now, limit.attempts, settings);
        store(&mut *tx, &limit.key, next).await?;
    }
    tx.commit().await?;
    Ok(None)
}

/// After a right password: the person's keys start again, and the attempt is taken back from
/// the shared ones. In the caller's transaction, with the rest of what a right password writes.
pub async fn succeeded(conn: &mut DbConnection, limits: &[Limit]) -> Result<(), sqlx::Error> {
    for limit in limits {
        let statement = if limit.shared {
            "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0"
        } else {
            "DELETE FROM login_throttle WHERE key = $1"
        };
        sqlx::query(statement)
            .bind(&limit.key)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Forgets keys whose window and lock are over (they would only grow the table).
pub async fn prune(pool: &DbPool, settings: &AuthSettings, now: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM login_throttle WHERE first_failure < $1 \
         AND (locked_until IS NULL OR locked_until < $2)",
    )
    .bind(now - settings.failure_window_secs)
    .bind(now)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_in_the_window_locks_for_the_lockout_time() {
        let settings = AuthSettings::default();
        let mut record = None;
        for minute in 0..4 {
            record = Some(after_failure(record, minute * 60, 5, &settings));
            assert_eq!(locked_for(record, minute * 60), None);
        }
        let locked = after_failure(record, 300, 5, &settings);
        assert_eq!(locked_for(Some(locked), 300), Some(15 * 60));
        assert_eq!(
            locked_for(Some(locked), 300 + 15 * 60),
            None,
            "the lock ends"
        );
    }

    #[test]
    fn failures_spread_beyond_the_window_never_lock() {
        let settings = AuthSettings::default();
        let mut record = None;
        for n in 0..20 {
            let now = n * 16 * 60;
            record = Some(after_failure(record, now, 5, &settings));
            assert_eq!(locked_for(record, now), None);
        }
    }
}
