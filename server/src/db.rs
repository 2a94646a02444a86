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

/// The URL without its password, for messages and logs.
pub fn shown(location: &str) -> String {
    match url_password(location) {
        Some(password) => location.replacen(&format!(":{password}@"), ":***@", 1),
        None => location.to_owned(),
    }
}

fn url_password(location: &str) -> Option<&str> {
    let rest = location.split_once("://")?.1;
    let credentials = rest.split_once('@')?.0;
    credentials.split_once(':').map(|(_, password)| password)
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
    }
}
