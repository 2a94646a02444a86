//! One-off data loads on start: the program's reference places (always) and demo data
//! (with `--demo-data true`). Each load runs in one transaction and is recorded in
//! `data_loads`, so a restart never loads twice and a failed load leaves nothing half-written.
//! `purge` takes the demo out again.
mod demo;
mod demo_map;
mod demo_results;
mod places;
pub mod purge;

use app::db::{BeginWrite, Db, DbPool};
use sqlx::Transaction;

pub use places::{ProgramPlaces, PLACES_JSON};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("the embedded places file is invalid: {0}")]
    Places(#[from] serde_json::Error),
    #[error("loading {0} failed: {1}")]
    Database(&'static str, #[source] sqlx::Error),
    #[error("hashing a demo password failed: {0}")]
    Password(String),
}

/// Loads what is missing: places always, demo data when `with_demo` is set.
pub async fn load(pool: &DbPool, with_demo: bool) -> Result<(), SeedError> {
    run_once(pool, "places", |tx| Box::pin(places::load(tx))).await?;
    if with_demo {
        let accounts = demo::hash_demo_passwords()?;
        run_once(pool, "demo", move |tx| Box::pin(demo::load(tx, accounts))).await?;
        run_once(pool, "demo-map", |tx| Box::pin(demo_map::load(tx))).await?;
        run_once(pool, "demo-results", |tx| Box::pin(demo_results::load(tx))).await?;
    }
    Ok(())
}

type LoadFuture<'a> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), SeedError>> + Send + 'a>>;

async fn run_once<F>(pool: &DbPool, name: &'static str, load: F) -> Result<(), SeedError>
where
    F: for<'t> FnOnce(&'t mut Transaction<'static, Db>) -> LoadFuture<'t>,
{
    let db = |e| SeedError::Database(name, e);
    // The write lock first: servers started at once over one PostgreSQL database load in turn,
    // and the later ones find the load done instead of failing on the first one's rows.
    let mut tx = pool.begin_write().await.map_err(db)?;
    let done: bool = sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM data_loads WHERE name = $1)")
        .bind(name)
        .fetch_one(&mut *tx)
        .await
        .map_err(db)?;
    if done {
        return Ok(());
    }
    load(&mut tx).await?;
    sqlx::query("INSERT INTO data_loads (name, loaded_at) VALUES ($1, $2)")
        .bind(name)
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
    tx.commit().await.map_err(db)?;
    tracing::info!(load = name, "data loaded");
    Ok(())
}

pub use app::db::now_rfc3339;
pub use app::ids::new_id;
