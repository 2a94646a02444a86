//! The sync endpoints of DESIGN §4 under `/api/v1/sync/`: thin HTTP wrappers around
//! `app::sync::server`, which holds the rules. Refusals are JSON with a translated message
//! (`crate::api`).
use crate::api::{json_body, Account, Reader, Refusal};
use app::db::DbPool;
use app::errors::AppError;
use app::kinds::Kinds;
use app::sync::contract::{PullPage, PushRequest, Reference, Stream};
use app::sync::server::{self, PullError, PushError};
use axum::body::Bytes;
use axum::extract::{Query, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::time::Duration;

/// What the sync routes are told at start.
#[derive(Clone, Copy)]
pub struct Settings {
    /// See `Config::sync_push_hold_ms`.
    pub push_hold: Duration,
    /// See `Config::offline_window_secs`; handed to each device with its key share.
    pub offline_window_secs: u64,
}

pub fn routes<S: Clone + Send + Sync + 'static>(pool: DbPool, settings: Settings) -> Router<S> {
    let Settings {
        push_hold,
        offline_window_secs,
    } = settings;
    let push_pool = pool.clone();
    let pull_pool = pool.clone();
    let reference_pool = pool.clone();
    let reads_pool = pool.clone();
    Router::new()
        .route(
            "/api/v1/sync/push",
            post(move |who: Account, reader: Reader, request: Request| {
                push(push_pool.clone(), push_hold, who, reader, request)
            }),
        )
        .route(
            "/api/v1/sync/pull",
            get(
                move |query: Query<PullQuery>, who: Account, reader: Reader| {
                    pull(pull_pool.clone(), query, who, reader)
                },
            ),
        )
        .route(
            "/api/v1/sync/reference",
            get(move |who: Account, reader: Reader| reference(reference_pool.clone(), who, reader)),
        )
        .route(
            "/api/v1/sync/reads",
            post(move |who: Account, reader: Reader, request: Request| {
                reads(reads_pool.clone(), who, reader, request)
            }),
        )
        .route(
            "/api/v1/sync/key",
            post(move |who: Account, reader: Reader, request: Request| {
                key(pool.clone(), offline_window_secs, who, reader, request)
            }),
        )
}

fn push_refusal(reader: Reader, error: PushError) -> Refusal {
    match error {
        PushError::NotYourDevice | PushError::Revoked => Refusal::new(reader, AppError::Forbidden),
        PushError::Malformed(what) => Refusal::new(reader, AppError::InvalidField(what.into())),
        PushError::Database(error) => Refusal::database(reader, error, "sync push"),
    }
}

async fn push(
    pool: DbPool,
    hold: Duration,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<Response, Refusal> {
    let invalid = |what: &str| Refusal::new(reader, AppError::InvalidField(what.into()));
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, crate::security::MAX_BODY_BYTES)
        .await
        .map_err(|_| invalid("body"))?;
    let bytes = match decoded(&parts.headers, bytes) {
        Ok(bytes) => bytes,
        Err(BodyRefusal::TooLarge) => return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response()),
        Err(BodyRefusal::Unreadable(what)) => return Err(invalid(what)),
    };
    let batch: PushRequest = serde_json::from_slice(&bytes).map_err(|_| invalid("body"))?;
    // Persons are written, like read, only by a device that proved it is unlocked.
    if batch.mutations.iter().any(|m| m.entity.sensitive()) {
        app::accounts::unlock::require(&who).map_err(|error| Refusal::new(reader, error))?;
    }
    let now = app::db::now_rfc3339();
    let response = server::push(&pool, &Kinds, &who, batch, &now, hold)
        .await
        .map_err(|error| push_refusal(reader, error))?;
    Ok(Json(response).into_response())
}

/// A push body as the browser sent it: plain, or gzip-compressed (README, "Light on a rural
/// phone"). The size limit holds for the decompressed JSON too, so a small compressed bomb is
/// refused (413, explained by the security layer) before it fills memory. Broken gzip or another
/// encoding is refused as any unreadable body is (422, translated).
enum BodyRefusal {
    TooLarge,
    /// The part that cannot be read: the body, or its content encoding.
    Unreadable(&'static str),
}

fn decoded(headers: &HeaderMap, bytes: Bytes) -> Result<Bytes, BodyRefusal> {
    use std::io::Read;
    let encoding = headers
        .get(axum::http::header::CONTENT_ENCODING)
        .map(|value| value.to_str().unwrap_or("?").trim().to_ascii_lowercase());
    match encoding.as_deref() {
        None | Some("identity") => Ok(bytes),
        Some("gzip") => {
            let limit = crate::security::MAX_BODY_BYTES as u64;
            let mut json = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..])
                .take(limit + 1)
                .read_to_end(&mut json)
                .map_err(|_| BodyRefusal::Unreadable("body"))?;
            if json.len() as u64 > limit {
                return Err(BodyRefusal::TooLarge);
            }
            Ok(json.into())
        }
        Some(_) => Err(BodyRefusal::Unreadable("content-encoding")),
    }
}

#[derive(Deserialize)]
pub struct PullQuery {
    #[serde(default)]
    since: i64,
    #[serde(default)]
    stream: Option<Stream>,
    #[serde(default)]
    limit: Option<i64>,
    /// The sync id of the asking device: its own changes are not sent back (issue 16).
    #[serde(default)]
    device: Option<String>,
}

async fn pull(
    pool: DbPool,
    Query(query): Query<PullQuery>,
    Account(who): Account,
    reader: Reader,
) -> Result<Json<PullPage>, Refusal> {
    let stream = query.stream.unwrap_or(Stream::Records);
    // Persons only to a device that proved lately it was unlocked (docs/offline-unlock.md).
    if stream == Stream::Sensitive {
        app::accounts::unlock::require(&who).map_err(|error| Refusal::new(reader, error))?;
    }
    let limit = query.limit.unwrap_or(app::sync::contract::PULL_PAGE_MAX);
    let device = query.device.as_deref();
    server::pull(&pool, &Kinds, &who, query.since, stream, limit, device)
        .await
        .map(Json)
        .map_err(|PullError::Database(error)| Refusal::database(reader, error, "sync pull"))
}

async fn reference(
    pool: DbPool,
    Account(who): Account,
    reader: Reader,
) -> Result<Json<Reference>, Refusal> {
    app::places::reference::reference(&pool, &who)
        .await
        .map(Json)
        .map_err(|error| Refusal::database(reader, error, "sync reference"))
}

#[derive(Deserialize)]
struct KeyRequest {
    device_id: String,
}

/// Reads of persons made on a device from its encrypted cache, recorded as audit events.
async fn reads(
    pool: DbPool,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<Json<serde_json::Value>, Refusal> {
    let batch: app::sync::reads::ReadsRequest =
        json_body(reader, request.into_body(), 64 * 1024, "reads").await?;
    let count = app::sync::reads::record(&pool, &who, &batch, &app::db::now_rfc3339())
        .await
        .map_err(|error| push_refusal(reader, error))?;
    Ok(Json(serde_json::json!({ "recorded": count })))
}

async fn key(
    pool: DbPool,
    offline_window_secs: u64,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<Json<serde_json::Value>, Refusal> {
    let KeyRequest { device_id } =
        json_body(reader, request.into_body(), 4096, "device_id").await?;
    let share = server::key_share(&pool, &who, &device_id, &app::db::now_rfc3339())
        .await
        .map_err(|error| push_refusal(reader, error))?;
    Ok(Json(serde_json::json!({
        "share": share,
        "offline_window_secs": offline_window_secs,
    })))
}
