//! What the server learns of a device's end without a live session (server only;
//! docs/offline-unlock.md): a browser that wiped itself says so with the signed-out cookie, and
//! a browser whose device was revoked is known by its device cookie after its sessions ended.
use super::session::hash_token;
use crate::audit::store::{self as audit, Entry};
use crate::audit::AuditAction;
use crate::db::{BeginWrite, DbPool};

/// Ends the session of this token, which the device says it wiped itself out of (sign-out
/// made with no signal, too many wrong PINs), and notes the sign-out in the audit trail.
pub async fn end_signed_out(pool: &DbPool, token: &str) -> Result<(), sqlx::Error> {
    let hash = hash_token(token);
    let mut tx = pool.begin_write().await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT account_id, device_id FROM sessions WHERE token_hash = $1")
            .bind(&hash)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((account_id, device_id)) = row else {
        tx.commit().await?;
        return Ok(());
    };
    super::session::end(&mut *tx, &hash).await?;
    audit::record(
        &mut *tx,
        Entry::on_account(&account_id, &device_id, AuditAction::SignOut)
            .detail("wiped on the device".into()),
    )
    .await?;
    tx.commit().await
}

/// Whether the device cookie (`id.secret`) names a browser device an administrator revoked
/// (checked when the request has no live session; the secret must match, as at sign-in).
pub async fn device_revoked(pool: &DbPool, cookie: Option<&str>) -> Result<bool, sqlx::Error> {
    let Some((id, secret)) = cookie.and_then(|cookie| cookie.split_once('.')) else {
        return Ok(false);
    };
    sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM devices WHERE id = $1 AND kind = 'browser' \
         AND revoked_at IS NOT NULL AND cookie_hash = $2)",
    )
    .bind(id)
    .bind(hash_token(secret))
    .fetch_one(pool)
    .await
}
