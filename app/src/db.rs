//! Access to the database from server functions (server only).
//!
//! The server puts its `SqlitePool` into the Leptos context of every request, so server
//! functions ask for it here rather than holding a global.
use leptos::prelude::*;
use sqlx::SqlitePool;

/// The request's database pool.
pub fn pool() -> Result<SqlitePool, ServerFnError> {
    use_context::<SqlitePool>()
        .ok_or_else(|| ServerFnError::new("database pool missing from the request context"))
}

/// Logs a database failure with its cause and hands the browser a message without internals.
pub fn internal(error: sqlx::Error) -> ServerFnError {
    tracing::error!(%error, "database query failed");
    ServerFnError::new("database error")
}
