//! Which history the database holds (DESIGN §4.9). A server restored from a backup has
//! forgotten what devices sent after the copy was taken; the epoch and the change counter let
//! each device notice that on its own, and send again what it still holds.
use crate::db::DbConnection;

/// The epoch of this database: the same for every request until the database is replaced.
pub async fn epoch(conn: &mut DbConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT epoch FROM installation WHERE id = 1")
        .fetch_one(conn)
        .await
}

/// What a pull checks its cursor against, read in one statement.
#[derive(sqlx::FromRow)]
pub struct FeedBounds {
    /// Tombstones below it were pruned (DESIGN §4.5, "Reset").
    pub horizon: i64,
    /// The highest change version this database ever handed out. A device's cursor past it was
    /// given by a history this database does not hold (a restore, or a power cut that lost the
    /// last commits), so that device must pull from nothing.
    pub highest: i64,
    pub epoch: String,
}

pub async fn feed_bounds(conn: &mut DbConnection) -> Result<FeedBounds, sqlx::Error> {
    sqlx::query_as(&format!(
        "SELECT (SELECT pruned_below FROM sync_horizon WHERE id = 1) AS horizon, \
         COALESCE(({HIGHEST_VERSION}), 0) AS highest, \
         (SELECT epoch FROM installation WHERE id = 1) AS epoch"
    ))
    .fetch_one(conn)
    .await
}

/// The highest version given: SQLite keeps AUTOINCREMENT's in `sqlite_sequence`, PostgreSQL's
/// feed draws from the sequence `sync_version` (nothing drawn yet: 0).
#[cfg(not(feature = "postgres"))]
const HIGHEST_VERSION: &str = "SELECT seq FROM sqlite_sequence WHERE name = 'sync_changes'";
#[cfg(feature = "postgres")]
const HIGHEST_VERSION: &str =
    "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM sync_version";

/// 32 random hex digits, in each backend's words.
#[cfg(not(feature = "postgres"))]
const NEW_EPOCH: &str = "lower(hex(randomblob(16)))";
#[cfg(feature = "postgres")]
const NEW_EPOCH: &str = "replace(gen_random_uuid()::text, '-', '')";

/// A copy made by `server backup` gets an epoch of its own the first time a server opens it,
/// so devices that synced after the copy was taken recognise the restore. Returns whether it
/// was a copy.
#[cfg(not(feature = "postgres"))]
pub async fn renew_if_copy(conn: &mut DbConnection) -> Result<bool, sqlx::Error> {
    let renewed = sqlx::query(&format!(
        "UPDATE installation SET epoch = {NEW_EPOCH}, copy = FALSE WHERE id = 1 AND copy = TRUE"
    ))
    .execute(conn)
    .await?
    .rows_affected();
    Ok(renewed > 0)
}

/// On PostgreSQL a restore is `pg_restore` into a database made for it, which PostgreSQL gives
/// an oid of its own, often in another cluster (another system identifier): the installation
/// remembers where it lives, and a server that finds itself elsewhere gives the database a new
/// epoch. The first server to start records the place (a database `server migrate` filled has
/// it already); instances starting at once agree, as the row's lock makes the second one see
/// the first one's.
#[cfg(feature = "postgres")]
pub async fn renew_if_copy(conn: &mut DbConnection) -> Result<bool, sqlx::Error> {
    let renewed: Option<bool> = sqlx::query_scalar(&format!(
        "WITH here AS (SELECT ({HOME_DATABASE}) AS home), \
              was AS (SELECT copy OR home_database <> (SELECT home FROM here) AS restored \
                      FROM installation WHERE id = 1) \
         UPDATE installation \
         SET epoch = CASE WHEN (SELECT restored FROM was) THEN {NEW_EPOCH} ELSE epoch END, \
             copy = FALSE, home_database = (SELECT home FROM here) \
         WHERE id = 1 AND (copy OR home_database IS DISTINCT FROM (SELECT home FROM here)) \
         RETURNING COALESCE((SELECT restored FROM was), FALSE)"
    ))
    .fetch_optional(conn)
    .await?;
    Ok(renewed.unwrap_or(false))
}

/// The cluster's system identifier and the database's oid (postgres migration 0002).
#[cfg(feature = "postgres")]
pub const HOME_DATABASE: &str = "SELECT (SELECT system_identifier::text FROM pg_control_system()) \
     || '/' || (SELECT oid::text FROM pg_database WHERE datname = current_database())";

/// A new epoch whatever the database holds (`server new-epoch`, after a restore the server
/// cannot recognise on its own); returns it.
pub async fn renew(conn: &mut DbConnection) -> Result<String, sqlx::Error> {
    sqlx::query_scalar(&format!(
        "UPDATE installation SET epoch = {NEW_EPOCH}, copy = FALSE WHERE id = 1 RETURNING epoch"
    ))
    .fetch_one(conn)
    .await
}

/// Marks a database just written by `server backup` as a copy (see `renew_if_copy`).
pub async fn mark_copy(conn: &mut DbConnection) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE installation SET copy = TRUE WHERE id = 1")
        .execute(conn)
        .await?;
    Ok(())
}
