//! The PostgreSQL store (issue 18): a pool over a `postgres://` URL and the migrations of
//! `migrations/postgres`. Several servers may open the same database at once: sqlx's migrator
//! holds an advisory lock while it runs, so only the first one migrates.
use super::{shown, DbError, PoolSettings};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::str::FromStr;
use std::time::Duration;

/// Opens the database at `location` (a `postgres://` URL) and applies migrations.
pub async fn connect(location: &str) -> Result<PgPool, DbError> {
    connect_with(location, PoolSettings::default()).await
}

/// `connect` with the pool's size and wait set by the configuration.
pub async fn connect_with(location: &str, settings: PoolSettings) -> Result<PgPool, DbError> {
    let pool = PgPoolOptions::new()
        .max_connections(settings.size)
        .acquire_timeout(settings.acquire_timeout)
        .after_release(|conn, meta| Box::pin(super::released_clean(conn, meta.age)))
        .connect_with(options(location)?)
        .await
        .map_err(|e| DbError::Open(shown(location), e))?;
    sqlx::migrate!("./migrations/postgres")
        .run(&pool)
        .await
        .map_err(|e| DbError::Migrate(shown(location), e))?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| DbError::Open(shown(location), e))?;
    if app::sync::history::renew_if_copy(&mut conn)
        .await
        .map_err(|e| DbError::Open(shown(location), e))?
    {
        tracing::warn!("this database is a restored backup: it has a new epoch");
    }
    drop(conn);
    Ok(pool)
}

/// The health check's own connection (see the SQLite store's).
pub async fn health_connection(location: &str) -> Result<PgPool, DbError> {
    PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(options(location)?)
        .await
        .map_err(|e| DbError::Open(shown(location), e))
}

fn options(location: &str) -> Result<PgConnectOptions, DbError> {
    PgConnectOptions::from_str(location).map_err(|e| DbError::BadLocation(shown(location), e))
}
