//! Access to the database from server functions (server only).
//!
//! The server puts its `SqlitePool` into the Leptos context of every request, so server
//! functions ask for it here rather than holding a global.
use crate::errors::AppError;
use leptos::prelude::*;
use sqlx::SqlitePool;

/// The current time as record columns store it (RFC 3339, UTC).
pub fn now_rfc3339() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time always formats as RFC 3339")
}

/// The request's database pool.
pub fn pool() -> Result<SqlitePool, AppError> {
    use_context::<SqlitePool>().ok_or_else(|| {
        tracing::error!("database pool missing from the request context");
        AppError::Internal.respond()
    })
}
