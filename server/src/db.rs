//! The store's opening: the embedded SQLite file by default (`sqlite.rs`: WAL mode, foreign
//! keys), PostgreSQL in a build with the `postgres` feature (`postgres.rs`); migrations per
//! backend (`migrations/sqlite`, `migrations/postgres`). Both give the same functions.
use std::path::PathBuf;
use std::time::Duration;

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(not(feature = "postgres"))]
mod sqlite;
#[cfg(feature = "postgres")]
pub use postgres::{connect, connect_with, health_connection};
#[cfg(not(feature = "postgres"))]
pub use sqlite::{connect, connect_with, health_connection, reopen};

/// Why the database could not be made ready. Each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database setting {0:?} is not a file path, a sqlite: or a postgres: URL ({1})")]
    BadLocation(String, #[source] sqlx::Error),
    #[error("cannot create the folder {} for the database: {}", .0.display(), .1)]
    Folder(PathBuf, #[source] std::io::Error),
    #[error(
        "the database file {0} is not a SQLite database or is damaged; restore it from a backup \
         or start with --database pointing at a new file"
    )]
    NotADatabase(String),
    #[error("cannot open the database {0}: {1}")]
    Open(String, #[source] sqlx::Error),
    #[error("cannot bring the database {0} up to date: {1}")]
    Migrate(String, #[source] sqlx::migrate::MigrateError),
    #[error(
        "the database {location} was moved to {to} at {at} (server migrate): start the server \
         with --database set to that URL. To work on this file again instead (the move undone; \
         nothing written since the move is in it), run: server --database {location} reopen"
    )]
    Moved {
        location: String,
        at: String,
        to: String,
    },
    #[error(
        "the database {0} was never moved (server migrate), so there is nothing to reopen; after \
         a restore by other means, server new-epoch is the command"
    )]
    NotMoved(String),
}

/// When and where (without a password) `server migrate` moved a SQLite file, if it did
/// (DESIGN §4.9).
pub async fn moved(
    conn: &mut sqlx::SqliteConnection,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let row: Option<(Option<String>, Option<String>)> =
        sqlx::query_as("SELECT moved_at, moved_to FROM installation")
            .fetch_optional(conn)
            .await?;
    Ok(row.and_then(|(at, to)| Some((at?, to.unwrap_or_default()))))
}

/// How long a SQLite statement waits for the write lock before it gives up ("database is
/// locked"). Nothing of the server may hold the lock this long (DESIGN §4.8).
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The pool's check of every connection that comes back to it (DESIGN §4.8): one still
/// inside a transaction is closed, which rolls the transaction back, instead of holding
/// SQLite's write lock (or PostgreSQL's locks) for whoever takes it next and keeping that
/// request's writes uncommitted. `app::db::begin_write` leaves none; this catches any other way.
pub(crate) async fn released_clean<C: sqlx::Connection>(
    conn: &mut C,
    age: Duration,
) -> Result<bool, sqlx::Error> {
    // On SQLite a dropped transaction's rollback is queued for the connection's own thread,
    // and the depth falls only once it ran: a ping waits for it, so a transaction still open
    // after it is one nothing ends. PostgreSQL's driver lowers the depth when it queues the
    // rollback, and sqlx's own ping after this check sends it: no round trip of ours.
    #[cfg(not(feature = "postgres"))]
    conn.ping().await?;
    if conn.is_in_transaction() {
        tracing::error!(
            connection_age_secs = age.as_secs(),
            "a connection came back to the pool inside a transaction: closed, which rolls it back"
        );
        return Ok(false);
    }
    Ok(true)
}

/// How many connections requests share and how long one waits for a free one.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    pub size: u32,
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        Self {
            size: 8,
            acquire_timeout: Duration::from_secs(10),
        }
    }
}

/// The URL without its password, for messages, logs and the mark a move leaves: the password
/// in the user part is masked (an `@` in it included) and the query, which may carry one
/// (`?password=`), is left out.
pub fn shown(location: &str) -> String {
    let location = location.split_once('?').map_or(location, |(url, _)| url);
    let Some((scheme, rest)) = location.split_once("://") else {
        return location.to_owned();
    };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{path}"),
            None => location.to_owned(),
        },
        None => location.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_reaches_a_message() {
        assert_eq!(
            shown("postgres://zq:s3cret@db.example:5432/zq"),
            "postgres://zq:***@db.example:5432/zq"
        );
        assert_eq!(shown("postgres://zq@db/zq"), "postgres://zq@db/zq");
        assert_eq!(
            shown("postgres://zq:p@ss:w@db:5432/zq?sslmode=require"),
            "postgres://zq:***@db:5432/zq"
        );
        assert_eq!(
            shown("postgres://db/zq?user=zq&password=s3cret"),
            "postgres://db/zq"
        );
        assert_eq!(shown("/srv/zq.sqlite"), "/srv/zq.sqlite");
    }
}
