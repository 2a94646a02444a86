//! Access to the database from server functions (server only).
//!
//! The server puts its pool into the Leptos context of every request, so server functions ask
//! for it here rather than holding a global.
//!
//! The store speaks to one backend per build (issue 18, DESIGN §3.4): SQLite by default,
//! PostgreSQL with the `postgres` feature. Everything above names these aliases, never a
//! backend, so both builds compile the same queries and sqlx checks each against its driver.
use crate::errors::AppError;
use leptos::prelude::*;

#[cfg(not(feature = "postgres"))]
pub use sqlx::{
    Sqlite as Db, SqliteConnection as DbConnection, SqliteExecutor as DbExecutor,
    SqlitePool as DbPool,
};

#[cfg(feature = "postgres")]
pub use sqlx::{
    PgConnection as DbConnection, PgExecutor as DbExecutor, PgPool as DbPool, Postgres as Db,
};

/// Opens a transaction that reads and then writes as one step: a sign-in's count of failures,
/// a device's applied seq, a month closed. On SQLite `BEGIN IMMEDIATE` takes the write lock at
/// once, so two such transactions queue instead of both reading the same value. PostgreSQL
/// has no database-wide write lock, so each takes the same transaction-scoped advisory lock
/// first, which every instance over the database shares (DESIGN §3.4).
///
/// Every write transaction of the server starts here or in `begin_on`, and both are safe to
/// cancel (DESIGN §4.8): a phone that loses signal makes hyper drop the request's future wherever
/// it stands, and it must never leave a transaction open behind it.
pub trait BeginWrite {
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Db>, sqlx::Error>> + Send;
}

impl BeginWrite for DbPool {
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
        begin_owned(self.acquire().await?, Queue::Writers).await
    }
}

/// A transaction on a connection already held, for writes that need no queue on PostgreSQL
/// (inserts of their own rows); on SQLite it still takes the write lock at once, so it never
/// has to upgrade a read lock under a busy writer. The connection is the transaction's until it
/// ends, then goes back to the pool.
pub async fn begin_on(
    conn: sqlx::pool::PoolConnection<Db>,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    begin_owned(conn, Queue::None).await
}

/// Whether a write transaction queues behind the other writers on PostgreSQL.
#[derive(Clone, Copy)]
enum Queue {
    Writers,
    None,
}

/// Starts the transaction in a task of its own, which runs to its end even when the request
/// that asked for it is dropped, and hands it over; one nobody takes any more is rolled back
/// before its connection goes back to the pool.
///
/// Why a task: sqlx 0.8's begin with a statement of its own (`BEGIN IMMEDIATE`) awaits once
/// more after SQLite has begun. A request dropped at that point left the connection inside a
/// write transaction with no `Transaction` to end it: the write lock stayed held until the pool
/// closed the connection, minutes later, and writes made on it meanwhile were never committed
/// (DESIGN §4.8). The pool checks every connection on release as well (`server/src/db.rs`).
async fn begin_owned(
    conn: sqlx::pool::PoolConnection<Db>,
    queue: Queue,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    use tracing::Instrument;
    let (hand_over, taken) = tokio::sync::oneshot::channel();
    let begin = async move {
        if let Err(Ok(unclaimed)) = hand_over.send(start(conn, queue).await) {
            tracing::info!("the request went away while its transaction began: rolled back");
            if let Err(error) = unclaimed.rollback().await {
                tracing::error!(%error, "an unclaimed transaction could not be rolled back");
            }
        }
    };
    tokio::spawn(begin.instrument(tracing::Span::current()));
    taken.await.map_err(|_| sqlx::Error::WorkerCrashed)?
}

async fn start(
    conn: sqlx::pool::PoolConnection<Db>,
    queue: Queue,
) -> Result<sqlx::Transaction<'static, Db>, sqlx::Error> {
    #[cfg(not(feature = "postgres"))]
    {
        let _ = queue;
        sqlx::Transaction::begin(conn, Some("BEGIN IMMEDIATE".into())).await
    }
    #[cfg(feature = "postgres")]
    {
        let mut tx = sqlx::Transaction::begin(conn, None).await?;
        if let Queue::Writers = queue {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(WRITE_LOCK)
                .execute(&mut *tx)
                .await?;
        }
        Ok(tx)
    }
}

/// Adds ` AND {column} IN (…)` with one bound value per id (no ids: a condition that holds
/// for no row, since `IN ()` is not SQL everywhere).
pub fn push_in(query: &mut sqlx::QueryBuilder<'_, Db>, column: &str, ids: &[String]) {
    if ids.is_empty() {
        query.push(" AND 1 = 0");
        return;
    }
    query.push(" AND ").push(column).push(" IN (");
    let mut list = query.separated(", ");
    for id in ids {
        list.push_bind(id.clone());
    }
    query.push(")");
}

/// The key of the writers' lock on PostgreSQL; the change feed's lock is another key
/// (`server/migrations/postgres/0001_schema.sql`).
#[cfg(feature = "postgres")]
pub const WRITE_LOCK: i64 = 7318200;

/// The current time as record columns store it (RFC 3339, UTC).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time always formats as RFC 3339")
}

/// The time `days` days ago as the feed's and the audit's cut-offs compare it
/// (`YYYY-MM-DDTHH:MM:SSZ`, UTC), reckoned here so the SQL is the same on both backends.
pub fn utc_days_ago(days: u32) -> String {
    let then = time::OffsetDateTime::now_utc() - time::Duration::days(i64::from(days));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        then.year(),
        u8::from(then.month()),
        then.day(),
        then.hour(),
        then.minute(),
        then.second()
    )
}

/// The request's database pool.
pub fn pool() -> Result<DbPool, AppError> {
    use_context::<DbPool>().ok_or_else(|| {
        tracing::error!("database pool missing from the request context");
        AppError::Internal.respond()
    })
}
