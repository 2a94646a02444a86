//! Showing the server that this device is unlocked (browser only; docs/offline-unlock.md).
//! The server reads persons to a session only for a while after such a proof; when it answers
//! "locked", the transport proves and asks again. Only an open cache can prove: its key gives
//! the proof key, which the device registered while its session was unlocked.
use super::failure::SyncFailure;
use super::keys::{self, hex};
use super::transport::fetch;

type Proving =
    futures::future::Shared<futures::future::LocalBoxFuture<'static, Result<(), SyncFailure>>>;

thread_local! {
    static IN_FLIGHT: std::cell::RefCell<Option<Proving>> = const { std::cell::RefCell::new(None) };
}

/// Proves the unlock, once at a time: a caller arriving while a proof is under way waits for
/// that one (a second nonce would make the first proof stale).
pub async fn prove() -> Result<(), SyncFailure> {
    use futures::FutureExt;
    let proving = IN_FLIGHT.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| prove_once().boxed_local().shared())
            .clone()
    });
    let outcome = proving.await;
    IN_FLIGHT.with(|slot| slot.borrow_mut().take());
    outcome
}

/// After the cache opened (PIN, password, a reload of an unlocked tab): the server hears of
/// it now, and a device new to proofs registers its key while the sign-in still unlocks it.
pub fn prove_soon() {
    leptos::task::spawn_local(async {
        let _ = prove().await;
    });
}

/// Sends a request that reads or writes persons; when the server answers that the session
/// must prove the unlock first (the app was hidden, or the window passed), the open cache
/// proves it and the request goes once more.
pub async fn send_proving<F, Sent>(send: F) -> Result<(u16, String), SyncFailure>
where
    F: Fn() -> Sent,
    Sent: std::future::Future<Output = Result<(u16, String), SyncFailure>>,
{
    let (status, body) = send().await?;
    if !super::transport::asks_unlock(status, &body) {
        return Ok((status, body));
    }
    prove().await?;
    send().await
}

/// Registers the proof key if the server has none, then answers a fresh nonce with it.
async fn prove_once() -> Result<(), SyncFailure> {
    let Some(key) = super::sealed::proof_key().await else {
        return Err(SyncFailure::PersonsLocked);
    };
    let device_id = super::local::ensure_device_id()
        .await
        .map_err(|error| SyncFailure::Storage(error.to_string()))?;
    let address = format!("/api/v1/sync/unlock?device={device_id}");
    let (status, body) = fetch("GET", &address, None).await?;
    refused(status, &body)?;
    let answer: serde_json::Value =
        serde_json::from_str(&body).map_err(|_| SyncFailure::Server(status))?;
    let nonce = answer
        .get("nonce")
        .and_then(serde_json::Value::as_str)
        .ok_or(SyncFailure::Server(status))?;
    if answer.get("registered") != Some(&serde_json::Value::Bool(true)) {
        // Accepted only within the window after a password sign-in: a device that set its PIN
        // before the server asked for proofs signs in again once.
        let body = serde_json::json!({ "device_id": device_id, "key": hex(&key) }).to_string();
        let (status, answer) = fetch("POST", "/api/v1/sync/unlock/key", Some(body)).await?;
        refused(status, &answer)?;
    }
    let proof = keys::hmac_sha256(&key, nonce.as_bytes())
        .await
        .map_err(|_| SyncFailure::PersonsLocked)?;
    let body = serde_json::json!({ "device_id": device_id, "nonce": nonce, "proof": hex(&proof) })
        .to_string();
    let (status, answer) = fetch("POST", "/api/v1/sync/unlock", Some(body)).await?;
    refused(status, &answer)
}

fn refused(status: u16, body: &str) -> Result<(), SyncFailure> {
    match status {
        200 | 204 => Ok(()),
        // A key the server will not take, or a proof it finds wrong: only the password,
        // typed at a new sign-in, puts the key in place again.
        401 if body.contains(&crate::errors::AppError::SignInRequired.to_string()) => {
            Err(SyncFailure::SignInNeeded)
        }
        401 => Err(SyncFailure::SignInAgain),
        403 => Err(SyncFailure::DeviceRefused),
        other => Err(SyncFailure::Server(other)),
    }
}
