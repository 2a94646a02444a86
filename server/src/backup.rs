//! `server backup --to FILE`: a consistent copy of the SQLite database, taken while the server
//! keeps serving. SQLite's `VACUUM INTO` reads one snapshot of the database (WAL readers do not
//! block writers) and writes it, compacted, to a new file that is a database of its own: a
//! restore is copying it back while the server is stopped (README, "Backup and restore").
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no database at {0}")]
    NoDatabase(String),
    #[error("{} exists already: a backup never overwrites a file; name a new one", .0.display())]
    Exists(PathBuf),
    #[error("the folder of {} does not exist", .0.display())]
    NoFolder(PathBuf),
    #[error("the backup file name {} is not valid UTF-8", .0.display())]
    BadName(PathBuf),
    #[error("cannot open the database {0}: {1}")]
    Open(String, #[source] sqlx::Error),
    #[error("cannot write the backup {}: {}", .0.display(), .1)]
    Write(PathBuf, #[source] sqlx::Error),
}

/// Writes the database at `location` (a path or a `sqlite:` URL) to the new file `to`;
/// returns the copy's size in bytes. Nothing is created or changed at `location`.
pub async fn backup(location: &str, to: &Path) -> Result<u64, BackupError> {
    if to.exists() {
        return Err(BackupError::Exists(to.to_path_buf()));
    }
    if let Some(folder) = to.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !folder.is_dir() {
            return Err(BackupError::NoFolder(to.to_path_buf()));
        }
    }
    let target = to
        .to_str()
        .ok_or_else(|| BackupError::BadName(to.to_path_buf()))?;
    let options = if location.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(location)
            .map_err(|e| BackupError::Open(location.to_owned(), e))?
    } else {
        if !Path::new(location).is_file() {
            return Err(BackupError::NoDatabase(location.to_owned()));
        }
        SqliteConnectOptions::new().filename(location)
    };
    // The running server may hold the write lock for a moment: wait for it as the server does.
    let mut connection = options
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(ref db) if db.code().as_deref() == Some("14") => {
                BackupError::NoDatabase(location.to_owned())
            }
            other => BackupError::Open(location.to_owned(), other),
        })?;
    // The copy holds every person and password hash: readable by the server's user alone.
    // VACUUM INTO writes into an empty file it is given, keeping the file's permissions.
    owner_only_file(to).map_err(|e| BackupError::Write(to.to_path_buf(), sqlx::Error::Io(e)))?;
    if let Err(e) = sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&mut connection)
        .await
    {
        let _ = std::fs::remove_file(to);
        return Err(BackupError::Write(to.to_path_buf(), e));
    }
    connection
        .close()
        .await
        .map_err(|e| BackupError::Open(location.to_owned(), e))?;
    // The copy is marked as one: a server that opens it gives it a new epoch (DESIGN §4.9).
    let mut copy = SqliteConnectOptions::new()
        .filename(to)
        .create_if_missing(false)
        .connect()
        .await
        .map_err(|e| BackupError::Write(to.to_path_buf(), e))?;
    // A database older than the epoch gets one when a server first migrates it: a new one.
    let has_epoch: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'installation')",
    )
    .fetch_one(&mut copy)
    .await
    .map_err(|e| BackupError::Write(to.to_path_buf(), e))?;
    if has_epoch {
        app::sync::history::mark_copy(&mut copy)
            .await
            .map_err(|e| BackupError::Write(to.to_path_buf(), e))?;
    }
    copy.close()
        .await
        .map_err(|e| BackupError::Write(to.to_path_buf(), e))?;
    Ok(std::fs::metadata(to).map(|m| m.len()).unwrap_or(0))
}

/// Creates `path` empty, readable and writable by this user only (0600 on Unix).
fn owner_only_file(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_backup_holds_the_rows_and_never_overwrites_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("zq.sqlite");
        let pool = crate::db::connect(database.to_str().unwrap())
            .await
            .unwrap();
        sqlx::query("INSERT INTO districts (id, name_ru, name_kk) VALUES ('d1', 'Район', NULL)")
            .execute(&pool)
            .await
            .unwrap();
        let copy = dir.path().join("copy.sqlite");
        let bytes = backup(database.to_str().unwrap(), &copy).await.unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&copy).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "only the server's user reads a backup");
        }
        assert!(bytes > 0);
        let copied = crate::db::connect(copy.to_str().unwrap()).await.unwrap();
        let name: String = sqlx::query_scalar("SELECT name_ru FROM districts WHERE id = 'd1'")
            .fetch_one(&copied)
            .await
            .unwrap();
        assert_eq!(name, "Район");
        let again = backup(database.to_str().unwrap(), &copy).await.unwrap_err();
        assert!(matches!(again, BackupError::Exists(_)), "{again:?}");
    }

    async fn epoch(pool: &sqlx::SqlitePool) -> String {
        sqlx::query_scalar("SELECT epoch FROM installation")
            .fetch_one(pool)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn a_restored_copy_has_an_epoch_of_its_own_each_time_it_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("zq.sqlite");
        let live = crate::db::connect(database.to_str().unwrap())
            .await
            .unwrap();
        let before = epoch(&live).await;
        let copy = dir.path().join("copy.sqlite");
        backup(database.to_str().unwrap(), &copy).await.unwrap();
        assert_eq!(
            epoch(&live).await,
            before,
            "the live database keeps its epoch"
        );
        // Restored twice from the same file: each restore is a history of its own.
        let mut seen = vec![before];
        for restore in ["first.sqlite", "second.sqlite"] {
            let restored = dir.path().join(restore);
            std::fs::copy(&copy, &restored).unwrap();
            let pool = crate::db::connect(restored.to_str().unwrap())
                .await
                .unwrap();
            let renewed = epoch(&pool).await;
            assert!(!seen.contains(&renewed), "{renewed} seen before: {seen:?}");
            pool.close().await;
            // Opened again (a restart), it keeps the epoch it got.
            let pool = crate::db::connect(restored.to_str().unwrap())
                .await
                .unwrap();
            assert_eq!(epoch(&pool).await, renewed);
            seen.push(renewed);
        }
    }

    #[tokio::test]
    async fn a_missing_database_is_not_created() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.sqlite");
        let error = backup(missing.to_str().unwrap(), &dir.path().join("copy.sqlite"))
            .await
            .unwrap_err();
        assert!(matches!(error, BackupError::NoDatabase(_)), "{error:?}");
        assert!(!missing.exists());
    }
}
