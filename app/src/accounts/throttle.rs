//! Limits on failed sign-ins (server only), per account login and per client address
//! (ASVS 2.2.1). After too many failures within a window the key is locked for a while; a
//! successful sign-in clears the account's count. Kept in the database, so restarting the
//! server does not lift a lockout.
use super::session::AuthSettings;
use sqlx::SqlitePool;

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

pub async fn load(pool: &SqlitePool, key: &str) -> Result<Option<Record>, sqlx::Error> {
    sqlx::query_as(
        "SELECT failures, first_failure, locked_until FROM login_throttle WHERE key = $1",
    )
    .bind(key)
    .fetch_optional(pool)
    .await
}

pub async fn record_failure(
    pool: &SqlitePool,
    key: &str,
    limit: i64,
    settings: &AuthSettings,
    now: i64,
) -> Result<(), sqlx::Error> {
    let next = after_failure(load(pool, key).await?, now, limit, settings);
    sqlx::query(
        "INSERT INTO login_throttle (key, failures, first_failure, locked_until) \
         VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, \
         first_failure = excluded.first_failure, locked_until = excluded.locked_until",
    )
    .bind(key)
    .bind(next.failures)
    .bind(next.first_failure)
    .bind(next.locked_until)
    .execute(pool)
    .await?;
    Ok(())
}

pub async fn clear(pool: &SqlitePool, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_throttle WHERE key = $1")
        .bind(key)
        .execute(pool)
        .await?;
    Ok(())
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
