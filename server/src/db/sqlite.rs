//! The embedded SQLite store: open (creating the file), WAL mode, foreign keys, migrations.
use super::{DbError, PoolSettings};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Opens the database named by `location`, creating it when missing, and applies migrations.
pub async fn connect(location: &str) -> Result<SqlitePool, DbError> {
    connect_with(location, PoolSettings::default()).await
}

/// `connect` with the pool's size and wait set by the configuration.
pub async fn connect_with(location: &str, settings: PoolSettings) -> Result<SqlitePool, DbError> {
    let options = options(location)?;
    let pool = SqlitePoolOptions::new()
        .max_connections(settings.size)
        .acquire_timeout(settings.acquire_timeout)
        .after_release(|conn, meta| Box::pin(super::released_clean(conn, meta.age)))
        .connect_with(options)
        .await
        .map_err(|e| classify_open_error(location, e))?;

    sqlx::migrate!("./migrations/sqlite")
        .run(&pool)
        .await
        .map_err(|e| match e {
            sqlx::migrate::MigrateError::Execute(inner) if is_not_a_database(&inner) => {
                DbError::NotADatabase(location.to_owned())
            }
            other => DbError::Migrate(location.to_owned(), other),
        })?;
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| classify_open_error(location, e))?;
    // A file moved to PostgreSQL: entries taken here would never reach the installation.
    if let Some((at, to)) = super::moved(&mut conn)
        .await
        .map_err(|e| classify_open_error(location, e))?
    {
        return Err(DbError::Moved {
            location: location.to_owned(),
            at,
            to,
        });
    }
    if app::sync::history::renew_if_copy(&mut conn)
        .await
        .map_err(|e| classify_open_error(location, e))?
    {
        // Devices that synced after the copy was taken will send again what they hold.
        tracing::warn!("this database is a restored backup: it has a new epoch");
    }
    drop(conn);
    Ok(pool)
}

/// Undoes `server migrate`'s mark on the file, so servers start on it again, and gives it a
/// new epoch: devices that synced with PostgreSQL since the move hold entries this file lacks,
/// and send them again as after a restore (DESIGN §4.9). Returns the new epoch.
pub async fn reopen(location: &str) -> Result<String, DbError> {
    let open = |e: sqlx::Error| classify_open_error(location, e);
    let mut conn: sqlx::SqliteConnection =
        sqlx::Connection::connect_with(&options(location)?.create_if_missing(false))
            .await
            .map_err(open)?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&mut conn)
        .await
        .map_err(|e| DbError::Migrate(location.to_owned(), e))?;
    // The mark and the old epoch go together or not at all: a file open again under the epoch
    // PostgreSQL kept would have devices keep cursors past its versions and never send again.
    let mut tx = sqlx::Connection::begin_with(&mut conn, "BEGIN IMMEDIATE")
        .await
        .map_err(open)?;
    if super::moved(&mut tx).await.map_err(open)?.is_none() {
        return Err(DbError::NotMoved(location.to_owned()));
    }
    sqlx::query("UPDATE installation SET moved_at = NULL, moved_to = NULL")
        .execute(&mut *tx)
        .await
        .map_err(open)?;
    let epoch = app::sync::history::renew(&mut tx).await.map_err(open)?;
    tx.commit().await.map_err(open)?;
    sqlx::Connection::close(conn).await.map_err(open)?;
    Ok(epoch)
}

/// One connection of its own for the health check, opened after `connect_with` made the
/// database ready. It still proves the file answers, but a queue of requests in the shared
/// pool (a region's morning sync) does not make a working server look dead to whatever
/// watches `/healthz` and would restart it in the middle of that sync.
pub async fn health_connection(location: &str) -> Result<SqlitePool, DbError> {
    SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_with(options(location)?)
        .await
        .map_err(|e| classify_open_error(location, e))
}

fn options(location: &str) -> Result<SqliteConnectOptions, DbError> {
    let options = if location.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(location)
            .map_err(|e| DbError::BadLocation(location.to_owned(), e))?
    } else {
        let path = Path::new(location);
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| DbError::Folder(folder.to_path_buf(), e))?;
        }
        SqliteConnectOptions::new().filename(path)
    };
    let options = options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // NORMAL is durable across application crashes in WAL mode; only power loss can
        // drop the last transactions, which devices send again from their journals (DESIGN
        // §4.9).
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(super::BUSY_TIMEOUT);
    Ok(options)
}

fn is_not_a_database(error: &sqlx::Error) -> bool {
    // SQLITE_NOTADB (26) and SQLITE_CORRUPT (11).
    matches!(error, sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("26") | Some("11")))
}

fn classify_open_error(location: &str, error: sqlx::Error) -> DbError {
    if is_not_a_database(&error) {
        DbError::NotADatabase(location.to_owned())
    } else {
        DbError::Open(location.to_owned(), error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_new_file_is_created_migrated_in_wal_mode_with_foreign_keys() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/zq.sqlite");
        let pool = connect(path.to_str().unwrap()).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(&pool)
            .await
            .unwrap();
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        assert_eq!(fk, 1);
        assert!(path.exists());
    }

    #[tokio::test]
    async fn a_file_that_is_not_sqlite_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("broken.sqlite");
        std::fs::write(&path, vec![b'x'; 8192]).unwrap();
        let error = connect(path.to_str().unwrap()).await.unwrap_err();
        assert!(matches!(error, DbError::NotADatabase(_)), "{error:?}");
        assert!(error.to_string().contains("not a SQLite database"));
    }

    #[tokio::test]
    async fn a_folder_that_cannot_be_created_gives_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, b"").unwrap();
        let error = connect(blocker.join("sub/zq.sqlite").to_str().unwrap())
            .await
            .unwrap_err();
        assert!(matches!(error, DbError::Folder(..)), "{error:?}");
    }
}
