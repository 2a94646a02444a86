//! The server's side of the device lock (server only; docs/offline-unlock.md). A session reads
//! persons only while `unlocked_until` lies ahead: sign-in sets it (the password was typed),
//! and so does a proof that the device's cache is open, which only a PIN, the password or an
//! unlocked tab opens. The proof answers a nonce of the session with HMAC-SHA-256 under the
//! device's proof key, made on the device from its cache key and registered while the session
//! was unlocked. Wrong proofs are counted on the device; enough of them revoke it.
use super::session::{self, AuthSettings, SignedIn};
use crate::db::{BeginWrite, DbPool};
use crate::errors::AppError;
use hmac::{Hmac, Mac};

/// Wrong proofs in a row after which no proof is taken until the password is typed again.
pub const MAX_WRONG_PROOFS: i64 = super::fields::MAX_WRONG_SECRETS as i64;

/// Refuses a read of persons by a session whose device has not proved an unlock lately.
pub fn require(who: &SignedIn) -> Result<(), AppError> {
    if who.unlocked {
        Ok(())
    } else {
        Err(AppError::Locked)
    }
}

/// A nonce to answer, and whether the device has a proof key yet.
#[derive(Debug, serde::Serialize)]
pub struct Challenge {
    pub nonce: String,
    pub registered: bool,
}

/// What went wrong with an unlock request.
#[derive(Debug, thiserror::Error)]
pub enum UnlockError {
    #[error("not this account's device, or not this browser's")]
    NotYourDevice,
    #[error("malformed {0}")]
    Malformed(&'static str),
    /// A wrong proof, no nonce, or no key registered: the session stays locked.
    #[error("locked")]
    Locked,
    /// The device was revoked.
    #[error("revoked")]
    Revoked,
    /// Registering a key, or proving after too many wrong proofs, needs the password typed
    /// within the window: the person signs in again.
    #[error("sign in again")]
    SignInAgain,
    /// The proof answered a nonce that is not the session's any more (another tab asked for
    /// one since): not counted; the device asks again.
    #[error("stale nonce")]
    Stale,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The sync device's proof key and wrong proofs, when it is this browser's and not revoked.
async fn own_key(
    conn: &mut crate::db::DbConnection,
    who: &SignedIn,
    device_id: &str,
) -> Result<(Option<String>, i64), UnlockError> {
    let row: Option<(Option<String>, Option<String>, i64)> = sqlx::query_as(
        "SELECT unlock_key, revoked_at, unlock_failures FROM devices \
         WHERE id = $1 AND account_id = $2 AND browser_id = $3",
    )
    .bind(device_id)
    .bind(&who.principal.account_id)
    .bind(&who.device_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        None => Err(UnlockError::NotYourDevice),
        Some((_, Some(_), _)) => Err(UnlockError::Revoked),
        Some((key, None, failures)) => Ok((key, failures)),
    }
}

/// A fresh nonce for the session (the last one asked for is the one that counts).
pub async fn challenge(
    pool: &DbPool,
    who: &SignedIn,
    device_id: &str,
) -> Result<Challenge, UnlockError> {
    let mut conn = pool.acquire().await?;
    let (key, _) = own_key(&mut conn, who, device_id).await?;
    let nonce = session::new_token().0;
    sqlx::query("UPDATE sessions SET unlock_nonce = $1 WHERE token_hash = $2")
        .bind(&nonce)
        .bind(&who.token_hash)
        .execute(&mut *conn)
        .await?;
    Ok(Challenge {
        nonce,
        registered: key.is_some(),
    })
}

/// Registers the device's proof key. Whoever holds a session, unlocked or not, must not put a
/// key of his own in place (he would unlock it for good): only a session whose password was
/// typed within the window may, whether the device had a key or not (a cache key made anew,
/// a device that set its PIN before proofs were asked for).
pub async fn register(
    pool: &DbPool,
    who: &SignedIn,
    settings: &AuthSettings,
    device_id: &str,
    key_hex: &str,
) -> Result<(), UnlockError> {
    if hex::decode(key_hex).map_or(true, |key| key.len() != 32) {
        return Err(UnlockError::Malformed("key"));
    }
    let mut tx = pool.begin_write().await?;
    own_key(&mut tx, who, device_id).await?;
    if session::now_secs() - who.signed_in_at >= settings.unlock_window_secs {
        return Err(UnlockError::SignInAgain);
    }
    sqlx::query("UPDATE devices SET unlock_key = $1, unlock_failures = 0 WHERE id = $2")
        .bind(key_hex)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks the device's answer to the session's nonce. Right: the session is unlocked for the
/// window, returned as its end. Wrong: counted; after the last allowed one no proof is taken
/// until the password is typed again (a key registered anew at sign-in clears the count).
pub async fn prove(
    pool: &DbPool,
    who: &SignedIn,
    settings: &AuthSettings,
    device_id: &str,
    nonce_answered: &str,
    proof_hex: &str,
) -> Result<i64, UnlockError> {
    let proof = hex::decode(proof_hex).map_err(|_| UnlockError::Malformed("proof"))?;
    let mut tx = pool.begin_write().await?;
    let (key, failures) = own_key(&mut tx, who, device_id).await?;
    // The nonce is used once, right or wrong.
    let nonce: Option<String> =
        sqlx::query_scalar("SELECT unlock_nonce FROM sessions WHERE token_hash = $1")
            .bind(&who.token_hash)
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
    sqlx::query("UPDATE sessions SET unlock_nonce = NULL WHERE token_hash = $1")
        .bind(&who.token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let Some(key) = key else {
        return Err(UnlockError::SignInAgain);
    };
    if failures >= MAX_WRONG_PROOFS {
        return Err(UnlockError::SignInAgain);
    }
    // A proof of another nonce (one asked for since, or used already) proves nothing and is
    // not counted either: two tabs may well ask at once.
    let Some(nonce) = nonce.filter(|nonce| nonce == nonce_answered) else {
        return Err(UnlockError::Stale);
    };
    let mut tx = pool.begin_write().await?;
    if !verifies(&key, &nonce, &proof) {
        sqlx::query("UPDATE devices SET unlock_failures = unlock_failures + 1 WHERE id = $1")
            .bind(device_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        tracing::warn!(device = %device_id, "wrong unlock proof");
        return Err(UnlockError::Locked);
    }
    let until = session::now_secs() + settings.unlock_window_secs;
    sqlx::query("UPDATE devices SET unlock_failures = 0 WHERE id = $1")
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE sessions SET unlocked_until = $1 WHERE token_hash = $2")
        .bind(until)
        .bind(&who.token_hash)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(until)
}

/// HMAC-SHA-256 of the nonce's text under the key, compared in constant time.
fn verifies(key_hex: &str, nonce: &str, proof: &[u8]) -> bool {
    let Ok(key) = hex::decode(key_hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(&key) else {
        return false;
    };
    mac.update(nonce.as_bytes());
    mac.verify_slice(proof).is_ok()
}

/// Ends the session's unlock now (the app locked, or was put away).
pub async fn lock(pool: &DbPool, who: &SignedIn) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET unlocked_until = NULL WHERE token_hash = $1")
        .bind(&who.token_hash)
        .execute(pool)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_proof_verifies_only_under_its_key_and_nonce() {
        let key = "11".repeat(32);
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&[0x11; 32]).unwrap();
        mac.update(b"nonce-1");
        let proof = mac.finalize().into_bytes();
        assert!(verifies(&key, "nonce-1", &proof));
        assert!(!verifies(&key, "nonce-2", &proof));
        assert!(!verifies(&"22".repeat(32), "nonce-1", &proof));
        assert!(!verifies(&key, "nonce-1", &proof[..31]));
    }
}
