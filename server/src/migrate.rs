//! `server migrate --from sqlite:FILE --to postgres://…` (issue 18, DESIGN §3.4): moves an
//! installation from its SQLite file onto an empty PostgreSQL database, every row as it is,
//! so devices carry on without noticing: the same sessions, the same devices with their
//! applied seqs and stored answers, the same change versions (their pull cursors), the same
//! epoch. Everything is written in one transaction: a failure leaves the target empty.
//!
//! Rows are copied by table and column name, so the two schemas may order columns as they
//! like; a table or column the target lacks stops the move before anything is written. The
//! target's triggers are off for the copy (inside the transaction, so no server ever sees
//! them off): the change feed and the monthly counts arrive as the source has them, not
//! derived anew, and the feed's sequence is set past the highest version the source gave.
use futures_util::TryStreamExt;
use sqlx::postgres::PgArguments;
use sqlx::sqlite::{SqliteConnectOptions, SqliteRow};
use sqlx::{ConnectOptions, Connection, PgConnection, Row, SqliteConnection};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Single-row tables the target's migrations fill; the source's row replaces theirs.
const PREFILLED: [&str; 2] = ["installation", "sync_horizon"];
/// Columns only a SQLite file has: the mark a move leaves on it (PostgreSQL is never moved).
const SQLITE_ONLY: [(&str, &str); 2] = [("installation", "moved_at"), ("installation", "moved_to")];
/// PostgreSQL takes at most 65,535 parameters per statement.
const MAX_PARAMETERS: usize = 60_000;
const MAX_ROWS: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("--from must name the SQLite file as sqlite:PATH, not {0:?}")]
    BadSource(String),
    #[error("--to must be a postgres:// URL")]
    BadTarget,
    #[error("cannot open the SQLite database {0}: {1}")]
    Source(String, #[source] sqlx::Error),
    #[error("cannot bring the SQLite database {0} up to date: {1}")]
    SourceSchema(String, #[source] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Target(#[from] crate::db::DbError),
    #[error(
        "the PostgreSQL database already holds data (table {0}): migrate into a new, empty \
         database, before any server has started on it"
    )]
    NotEmpty(String),
    #[error("the PostgreSQL schema has no {0}: is this server older than the SQLite file's?")]
    Missing(String),
    #[error("column {0} has the type {1}, which the move does not know how to copy")]
    UnknownType(String, String),
    #[error("copying {0} failed: {1}")]
    Copy(String, #[source] sqlx::Error),
    #[error(
        "this SQLite database was moved to {to} at {at} already; a second move would leave two \
         installations (`server reopen` first, if the move was undone)"
    )]
    AlreadyMoved { at: String, to: String },
    #[error(
        "everything was copied, but the SQLite file could not be marked as moved ({0}): do not \
         start a server on it again"
    )]
    Unmarked(#[source] sqlx::Error),
}

/// How many rows of each table were copied, in the order they were written.
pub struct Report(pub Vec<(String, u64)>);

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rows: u64 = self.0.iter().map(|(_, n)| n).sum();
        write!(f, "{rows} rows in {} tables:", self.0.len())?;
        for (table, n) in &self.0 {
            write!(f, " {table} {n},")?;
        }
        Ok(())
    }
}

/// One target column and how its values are read from SQLite's.
struct Column {
    name: String,
    kind: Kind,
}

#[derive(Clone, Copy)]
enum Kind {
    Integer,
    /// SQLite's 0 and 1.
    Flag,
    Real,
    Text,
    Bytes,
}

pub async fn migrate(from: &str, to: &str) -> Result<Report, MigrateError> {
    if !from.starts_with("sqlite:") {
        return Err(MigrateError::BadSource(from.to_owned()));
    }
    if !to.starts_with("postgres://") && !to.starts_with("postgresql://") {
        return Err(MigrateError::BadTarget);
    }
    let mut source = open_source(from).await?;
    // Creates the target's tables (as a server's start would) and checks nothing is in them.
    let target_pool = crate::db::connect(to).await?;
    let mut target = target_pool
        .acquire()
        .await
        .map_err(|e| MigrateError::Copy("the connection".into(), e))?;
    let columns = target_columns(&mut target).await?;
    let tables = tables_in_order(&mut source, &mut target, &columns).await?;

    let fail = |table: &str| {
        let table = table.to_owned();
        move |e| MigrateError::Copy(table, e)
    };
    // The source's write lock, held to the end: a server still running on the file takes no
    // entry while the copy runs (its push waits, then fails, and the device sends it again),
    // but would take them after it; hence "stop the server first" (README). The mark at the
    // end stops servers started on the file later. One snapshot of the source, one transaction on the
    // target.
    let mut read = sqlx::Connection::begin_with(&mut source, "BEGIN IMMEDIATE")
        .await
        .map_err(fail("the source (is a server still running on it?)"))?;
    if let Some((at, to)) = crate::db::moved(&mut read)
        .await
        .map_err(fail("installation"))?
    {
        return Err(MigrateError::AlreadyMoved { at, to });
    }
    let mut tx = target.begin().await.map_err(fail("the target"))?;
    // The servers' write lock: a server starting on the target meanwhile loads nothing until
    // this commits, and then finds the loads done; a second move waits, then finds data.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(app::db::WRITE_LOCK)
        .execute(&mut *tx)
        .await
        .map_err(fail("the target's write lock"))?;
    for table in tables.iter().filter(|t| !PREFILLED.contains(&t.as_str())) {
        let any: bool = sqlx::query_scalar(&format!("SELECT EXISTS (SELECT 1 FROM {table})"))
            .fetch_one(&mut *tx)
            .await
            .map_err(fail(table))?;
        if any {
            return Err(MigrateError::NotEmpty(table.clone()));
        }
    }
    for table in PREFILLED {
        sqlx::query(&format!("DELETE FROM {table}"))
            .execute(&mut *tx)
            .await
            .map_err(fail(table))?;
    }
    // Foreign keys stay on; the one that may point within its own table (a device at its
    // browser) is checked at the commit.
    sqlx::query("SET CONSTRAINTS ALL DEFERRED")
        .execute(&mut *tx)
        .await
        .map_err(fail("the target"))?;
    let triggers = |on: &str, table: &str| format!("ALTER TABLE {table} {on} TRIGGER USER");
    for table in &tables {
        sqlx::query(&triggers("DISABLE", table))
            .execute(&mut *tx)
            .await
            .map_err(fail(table))?;
    }
    let mut report = Vec::new();
    for table in &tables {
        let rows = copy_table(&mut read, &mut tx, table, &columns[table]).await?;
        report.push((table.clone(), rows));
    }
    // The deferred checks now, as a table with checks pending cannot be altered.
    sqlx::query("SET CONSTRAINTS ALL IMMEDIATE")
        .execute(&mut *tx)
        .await
        .map_err(fail("the references between devices"))?;
    for table in &tables {
        sqlx::query(&triggers("ENABLE", table))
            .execute(&mut *tx)
            .await
            .map_err(fail(table))?;
    }
    // The next change gets a version above every one the source gave, deleted rows' included:
    // a device's cursor stays below it, so its next pull goes on from where it was.
    let highest: i64 = sqlx::query_scalar(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'sync_changes'), 0)",
    )
    .fetch_one(&mut *read)
    .await
    .map_err(fail("sqlite_sequence"))?;
    sqlx::query("SELECT setval('sync_version', GREATEST($1, 1), $1 > 0)")
        .bind(highest)
        .execute(&mut *tx)
        .await
        .map_err(fail("sync_version"))?;
    // Where the database lives, so that a dump of it restored elsewhere is recognised as a
    // restore from the first start on (DESIGN §4.9).
    sqlx::query(&format!(
        "UPDATE installation SET home_database = ({})",
        app::sync::history::HOME_DATABASE
    ))
    .execute(&mut *tx)
    .await
    .map_err(fail("installation"))?;
    tx.commit().await.map_err(fail("the target"))?;
    // The old file says where the installation went, still under its write lock: a server
    // started on it afterwards refuses (`db::sqlite`), so no entry lands where nobody reads.
    sqlx::query("UPDATE installation SET moved_at = $1, moved_to = $2")
        .bind(app::db::now_rfc3339())
        .bind(crate::db::shown(to))
        .execute(&mut *read)
        .await
        .map_err(MigrateError::Unmarked)?;
    read.commit().await.map_err(MigrateError::Unmarked)?;
    drop(target);
    target_pool.close().await;
    Ok(Report(report))
}

/// The SQLite file, brought up to this server's schema the way a SQLite server's start would.
async fn open_source(from: &str) -> Result<SqliteConnection, MigrateError> {
    let options = SqliteConnectOptions::from_str(from)
        .map_err(|e| MigrateError::Source(from.to_owned(), e))?
        .create_if_missing(false);
    let mut conn = options
        .connect()
        .await
        .map_err(|e| MigrateError::Source(from.to_owned(), e))?;
    sqlx::migrate!("./migrations/sqlite")
        .run(&mut conn)
        .await
        .map_err(|e| MigrateError::SourceSchema(from.to_owned(), e))?;
    Ok(conn)
}

/// Every table of the target with its columns and their kinds.
async fn target_columns(
    target: &mut PgConnection,
) -> Result<BTreeMap<String, Vec<Column>>, MigrateError> {
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&mut *target)
    .await
    .map_err(|e| MigrateError::Copy("information_schema".into(), e))?;
    let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for (table, name, data_type) in rows {
        let kind = match data_type.as_str() {
            "bigint" | "integer" | "smallint" => Kind::Integer,
            "boolean" => Kind::Flag,
            "double precision" | "real" => Kind::Real,
            "text" => Kind::Text,
            "bytea" => Kind::Bytes,
            other => {
                return Err(MigrateError::UnknownType(
                    format!("{table}.{name}"),
                    other.into(),
                ))
            }
        };
        tables.entry(table).or_default().push(Column { name, kind });
    }
    Ok(tables)
}

/// The source's tables, parents before the tables whose rows point at them (the target's
/// foreign keys); a table or column the target lacks stops the move here.
async fn tables_in_order(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    columns: &BTreeMap<String, Vec<Column>>,
) -> Result<Vec<String>, MigrateError> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&mut *source)
    .await
    .map_err(|e| MigrateError::Copy("sqlite_master".into(), e))?;
    for table in &names {
        let Some(target_columns) = columns.get(table) else {
            return Err(MigrateError::Missing(format!("table {table}")));
        };
        let source_columns: Vec<String> =
            sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
                .bind(table)
                .fetch_all(&mut *source)
                .await
                .map_err(|e| MigrateError::Copy(table.clone(), e))?;
        if let Some(lacking) = source_columns
            .iter()
            .filter(|c| !SQLITE_ONLY.contains(&(table.as_str(), c.as_str())))
            .find(|c| !target_columns.iter().any(|t| &t.name == *c))
        {
            return Err(MigrateError::Missing(format!("column {table}.{lacking}")));
        }
    }
    let links: Vec<(String, String)> = sqlx::query_as(
        "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint \
         WHERE contype = 'f' AND connamespace = current_schema()::regnamespace",
    )
    .fetch_all(&mut *target)
    .await
    .map_err(|e| MigrateError::Copy("pg_constraint".into(), e))?;
    Ok(parents_first(&names, &links))
}

/// Orders `tables` so that each comes after every other table it points at (`links` are
/// (child, parent) pairs; a table pointing at itself has that key checked at the commit).
fn parents_first(tables: &[String], links: &[(String, String)]) -> Vec<String> {
    let mut placed: Vec<String> = Vec::new();
    let mut waiting: BTreeSet<&String> = tables.iter().collect();
    while !waiting.is_empty() {
        let ready: Vec<&String> = waiting
            .iter()
            .copied()
            .filter(|table| {
                links.iter().all(|(child, parent)| {
                    child != *table || parent == *table || !waiting.contains(parent)
                })
            })
            .collect();
        // A cycle of foreign keys (none in this schema) would leave nothing ready: the rest go
        // in name order and the target's constraints decide.
        let ready = if ready.is_empty() {
            waiting.iter().copied().collect()
        } else {
            ready
        };
        for table in ready {
            waiting.remove(table);
            placed.push(table.clone());
        }
    }
    placed
}

/// Copies one table's rows in statements of up to `MAX_ROWS` rows; returns how many.
async fn copy_table(
    source: &mut SqliteConnection,
    target: &mut PgConnection,
    table: &str,
    all_columns: &[Column],
) -> Result<u64, MigrateError> {
    let present: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1)")
        .bind(table)
        .fetch_all(&mut *source)
        .await
        .map_err(|e| MigrateError::Copy(table.into(), e))?;
    let columns: Vec<&Column> = all_columns
        .iter()
        .filter(|c| present.contains(&c.name))
        .collect();
    let names = columns
        .iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let per_statement = (MAX_PARAMETERS / columns.len().max(1)).clamp(1, MAX_ROWS);
    let select = format!("SELECT {names} FROM {table}");
    let mut rows = sqlx::query(&select).fetch(&mut *source);
    let mut batch: Vec<SqliteRow> = Vec::with_capacity(per_statement);
    let mut copied = 0;
    loop {
        let next = rows
            .try_next()
            .await
            .map_err(|e| MigrateError::Copy(table.into(), e))?;
        let done = next.is_none();
        batch.extend(next);
        if batch.len() == per_statement || (done && !batch.is_empty()) {
            insert(target, table, &names, &columns, &batch).await?;
            copied += batch.len() as u64;
            batch.clear();
        }
        if done {
            return Ok(copied);
        }
    }
}

async fn insert(
    target: &mut PgConnection,
    table: &str,
    names: &str,
    columns: &[&Column],
    rows: &[SqliteRow],
) -> Result<(), MigrateError> {
    let fail = |e| MigrateError::Copy(table.into(), e);
    let mut statement = sqlx::QueryBuilder::<sqlx::Postgres>::with_arguments(
        format!("INSERT INTO {table} ({names}) "),
        PgArguments::default(),
    );
    let mut failure = None;
    statement.push_values(rows, |mut values, row| {
        for (index, column) in columns.iter().enumerate() {
            // SQLite converts a stored value to the asked type, as its own columns' affinity
            // would; the target checks the rest (NOT NULL, CHECK, foreign keys).
            let bound = match column.kind {
                Kind::Integer => row.try_get_unchecked::<Option<i64>, _>(index).map(|v| {
                    values.push_bind(v);
                }),
                Kind::Flag => row.try_get_unchecked::<Option<i64>, _>(index).map(|v| {
                    values.push_bind(v.map(|v| v != 0));
                }),
                Kind::Real => row.try_get_unchecked::<Option<f64>, _>(index).map(|v| {
                    values.push_bind(v);
                }),
                Kind::Text => row.try_get_unchecked::<Option<String>, _>(index).map(|v| {
                    values.push_bind(v);
                }),
                Kind::Bytes => row.try_get_unchecked::<Option<Vec<u8>>, _>(index).map(|v| {
                    values.push_bind(v);
                }),
            };
            if let Err(error) = bound {
                failure.get_or_insert(error);
            }
        }
    });
    if let Some(error) = failure {
        return Err(fail(error));
    }
    statement
        .build()
        .execute(&mut *target)
        .await
        .map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_the_tables_that_point_at_them() {
        let tables: Vec<String> = ["sessions", "devices", "accounts", "districts"]
            .map(String::from)
            .to_vec();
        let links: Vec<(String, String)> = [
            ("sessions", "devices"),
            ("sessions", "accounts"),
            ("devices", "accounts"),
            ("devices", "devices"),
            ("accounts", "districts"),
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .to_vec();
        assert_eq!(
            parents_first(&tables, &links),
            ["districts", "accounts", "devices", "sessions"]
        );
    }
}
