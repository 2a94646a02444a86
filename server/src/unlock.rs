//! The unlock endpoints (docs/offline-unlock.md): thin HTTP wrappers around
//! `app::accounts::unlock`, under `/api/v1/sync/` so they too need the app's header.
//!
//! - `GET /api/v1/sync/unlock?device=ID`: a nonce, and whether the device has a proof key;
//! - `POST /api/v1/sync/unlock` `{device_id, nonce, proof}`: the nonce's HMAC under the proof key;
//!   the session reads persons for the unlock window;
//! - `POST /api/v1/sync/unlock/key` `{device_id, key}`: registers the proof key (a session
//!   whose password was typed within the window only);
//! - `POST /api/v1/sync/lock`: the app locked or was put away; the session's unlock ends.
use crate::api::{json_body, Account, Reader, Refusal};
use app::accounts::session::AuthSettings;
use app::accounts::unlock::{self, UnlockError};
use app::db::DbPool;
use app::errors::AppError;
use axum::extract::{Query, Request};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

pub fn routes<S: Clone + Send + Sync + 'static>(pool: DbPool, auth: AuthSettings) -> Router<S> {
    let (ask_pool, prove_pool, key_pool) = (pool.clone(), pool.clone(), pool.clone());
    Router::new()
        .route(
            "/api/v1/sync/unlock",
            get(
                move |query: Query<DeviceQuery>, who: Account, reader: Reader| {
                    challenge(ask_pool.clone(), query, who, reader)
                },
            )
            .post(move |who: Account, reader: Reader, request: Request| {
                prove(prove_pool.clone(), auth, who, reader, request)
            }),
        )
        .route(
            "/api/v1/sync/unlock/key",
            post(move |who: Account, reader: Reader, request: Request| {
                register(key_pool.clone(), auth, who, reader, request)
            }),
        )
        .route(
            "/api/v1/sync/lock",
            post(move |Account(who): Account, reader: Reader| {
                let pool = pool.clone();
                async move {
                    unlock::lock(&pool, &who)
                        .await
                        .map(|()| StatusCode::NO_CONTENT)
                        .map_err(|error| Refusal::database(reader, error, "lock"))
                }
            }),
        )
}

#[derive(Deserialize)]
struct DeviceQuery {
    device: String,
}

#[derive(Deserialize)]
struct ProofRequest {
    device_id: String,
    nonce: String,
    proof: String,
}

#[derive(Deserialize)]
struct KeyRequest {
    device_id: String,
    key: String,
}

fn refusal(reader: Reader, error: UnlockError) -> Refusal {
    match error {
        UnlockError::NotYourDevice => Refusal::new(reader, AppError::Forbidden),
        UnlockError::Malformed(what) => Refusal::new(reader, AppError::InvalidField(what.into())),
        UnlockError::Locked => Refusal::new(reader, AppError::Locked),
        // The device reads this answer as the order to wipe (`sync::transport`).
        UnlockError::Revoked => Refusal::new(reader, AppError::DeviceRevoked),
        UnlockError::SignInAgain => Refusal::new(reader, AppError::SignInAgain),
        // Asked again at once: another tab's nonce took this one's place.
        UnlockError::Stale => Refusal::new(reader, AppError::Busy { seconds: 1 }),
        UnlockError::Database(error) => Refusal::database(reader, error, "unlock"),
    }
}

async fn challenge(
    pool: DbPool,
    Query(query): Query<DeviceQuery>,
    Account(who): Account,
    reader: Reader,
) -> Result<Json<unlock::Challenge>, Refusal> {
    unlock::challenge(&pool, &who, &query.device)
        .await
        .map(Json)
        .map_err(|error| refusal(reader, error))
}

async fn prove(
    pool: DbPool,
    auth: AuthSettings,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<Json<serde_json::Value>, Refusal> {
    let ProofRequest {
        device_id,
        nonce,
        proof,
    } = json_body(reader, request.into_body(), 4096, "proof").await?;
    let until = unlock::prove(&pool, &who, &auth, &device_id, &nonce, &proof)
        .await
        .map_err(|error| refusal(reader, error))?;
    Ok(Json(serde_json::json!({ "unlocked_until": until })))
}

async fn register(
    pool: DbPool,
    auth: AuthSettings,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<StatusCode, Refusal> {
    let KeyRequest { device_id, key } = json_body(reader, request.into_body(), 4096, "key").await?;
    unlock::register(&pool, &who, &auth, &device_id, &key)
        .await
        .map(|()| StatusCode::NO_CONTENT)
        .map_err(|error| refusal(reader, error))
}
