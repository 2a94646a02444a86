//! The sync endpoints of DESIGN §4 under `/api/v1/sync/`: thin HTTP wrappers around
//! `app::sync::server`, which holds the rules. Errors are JSON with a translated message.
use crate::security::preferred_locale;
use app::accounts::session::SignedIn;
use app::errors::AppError;
use app::kinds::Kinds;
use app::sync::contract::{PushRequest, Stream};
use app::sync::server::{self, PullError, PushError};
use axum::body::Bytes;
use axum::extract::{Query, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::SqlitePool;
use std::time::Duration;

/// What the sync routes are told at start.
#[derive(Clone, Copy)]
pub struct Settings {
    /// See `Config::sync_push_hold_ms`.
    pub push_hold: Duration,
    /// See `Config::offline_window_secs`; handed to each device with its key share.
    pub offline_window_secs: u64,
}

pub fn routes<S: Clone + Send + Sync + 'static>(pool: SqlitePool, settings: Settings) -> Router<S> {
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
            post(move |request: Request| push(push_pool.clone(), push_hold, request)),
        )
        .route(
            "/api/v1/sync/pull",
            get(move |query: Query<PullQuery>, request: Request| {
                pull(pull_pool.clone(), query, request)
            }),
        )
        .route(
            "/api/v1/sync/reference",
            get(move |request: Request| reference(reference_pool.clone(), request)),
        )
        .route(
            "/api/v1/sync/reads",
            post(move |request: Request| reads(reads_pool.clone(), request)),
        )
        .route(
            "/api/v1/sync/key",
            post(move |request: Request| key(pool.clone(), offline_window_secs, request)),
        )
}

/// An error as the app's JSON answers carry it: a code and a message in the reader's language
/// (shared by the sync and map routes).
pub(crate) fn refuse(headers: &HeaderMap, error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "error": error.to_string(),
        "message": error.message(preferred_locale(headers)),
    });
    let mut response = (status, Json(body)).into_response();
    if let Some(seconds) = error.retry_after() {
        response
            .headers_mut()
            .insert(axum::http::header::RETRY_AFTER, seconds.into());
    }
    response
}

/// A database failure behind a JSON route: a busy database (no free connection in time, the
/// write lock not free) is "busy, try again" (503), anything else a server error (logged, no
/// internals in the answer).
pub(crate) fn database_failure(headers: &HeaderMap, error: sqlx::Error, what: &str) -> Response {
    if app::errors::is_busy(&error) {
        tracing::warn!(%error, what, "database busy: answered busy");
        let seconds = app::errors::BUSY_RETRY_SECS;
        return refuse(headers, AppError::Busy { seconds });
    }
    tracing::error!(%error, what, "database failure");
    refuse(headers, AppError::Internal)
}

/// The account the session layer found for this request.
pub(crate) fn signed_in(request: &Request) -> Option<SignedIn> {
    request.extensions().get::<SignedIn>().cloned()
}

fn push_error(headers: &HeaderMap, error: PushError) -> Response {
    match error {
        PushError::NotYourDevice | PushError::Revoked => refuse(headers, AppError::Forbidden),
        PushError::Malformed(what) => refuse(headers, AppError::InvalidField(what.into())),
        PushError::Database(error) => database_failure(headers, error, "sync push"),
    }
}

async fn push(pool: SqlitePool, hold: Duration, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::security::MAX_BODY_BYTES).await else {
        return refuse(&parts.headers, AppError::InvalidField("body".into()));
    };
    let bytes = match decoded(&parts.headers, bytes) {
        Ok(bytes) => bytes,
        Err(BodyRefusal::TooLarge) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        Err(BodyRefusal::Unreadable(what)) => {
            return refuse(&parts.headers, AppError::InvalidField(what.into()))
        }
    };
    let batch: PushRequest = match parse(&bytes) {
        Some(batch) => batch,
        None => return refuse(&parts.headers, AppError::InvalidField("body".into())),
    };
    let now = app::db::now_rfc3339();
    match server::push(&pool, &Kinds, &who, batch, &now, hold).await {
        Ok(response) => Json(response).into_response(),
        Err(error) => push_error(&parts.headers, error),
    }
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

fn parse<T: serde::de::DeserializeOwned>(bytes: &Bytes) -> Option<T> {
    serde_json::from_slice(bytes).ok()
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

async fn pull(pool: SqlitePool, Query(query): Query<PullQuery>, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    let stream = query.stream.unwrap_or(Stream::Records);
    let limit = query.limit.unwrap_or(app::sync::contract::PULL_PAGE_MAX);
    let device = query.device.as_deref();
    match server::pull(&pool, &Kinds, &who, query.since, stream, limit, device).await {
        Ok(page) => Json(page).into_response(),
        Err(PullError::Database(error)) => database_failure(request.headers(), error, "sync pull"),
    }
}

async fn reference(pool: SqlitePool, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    match app::places::reference::reference(&pool, &who).await {
        Ok(reference) => Json(reference).into_response(),
        Err(error) => database_failure(request.headers(), error, "sync reference"),
    }
}

#[derive(Deserialize)]
struct KeyRequest {
    device_id: String,
}

/// Reads of persons made on a device from its encrypted cache, recorded as audit events.
async fn reads(pool: SqlitePool, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return refuse(&parts.headers, AppError::InvalidField("body".into()));
    };
    let Some(batch) = parse::<app::sync::reads::ReadsRequest>(&bytes) else {
        return refuse(&parts.headers, AppError::InvalidField("reads".into()));
    };
    match app::sync::reads::record(&pool, &who, &batch, &app::db::now_rfc3339()).await {
        Ok(count) => Json(serde_json::json!({ "recorded": count })).into_response(),
        Err(error) => push_error(&parts.headers, error),
    }
}

async fn key(pool: SqlitePool, offline_window_secs: u64, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 4096).await else {
        return refuse(&parts.headers, AppError::InvalidField("body".into()));
    };
    let Some(KeyRequest { device_id }) = parse(&bytes) else {
        return refuse(&parts.headers, AppError::InvalidField("device_id".into()));
    };
    match server::key_share(&pool, &who, &device_id, &app::db::now_rfc3339()).await {
        Ok(share) => Json(serde_json::json!({
            "share": share,
            "offline_window_secs": offline_window_secs,
        }))
        .into_response(),
        Err(error) => push_error(&parts.headers, error),
    }
}
