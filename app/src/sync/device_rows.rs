//! How many sync ids one browser keeps on the server (server only; docs/offline-unlock.md).
//! Each wipe of a browser's storage makes it a new sync id at its next key share or push; one
//! that never pushed holds nothing that exactly-once needs (its applied seq is 0), so beyond
//! the newest few they go, and a session cannot fill the table with ids of its own making.
use crate::db::DbConnection;

/// Never-used sync ids kept per browser, the newest; the one being registered among them.
pub const UNUSED_SYNC_IDS_KEPT: i64 = 8;

/// Deletes this browser's never-used sync ids but `registered` (the one just made) and the
/// newest others, `UNUSED_SYNC_IDS_KEPT` in all.
pub async fn prune_unused(
    conn: &mut DbConnection,
    browser_id: &str,
    registered: &str,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "DELETE FROM devices WHERE kind = 'sync' AND browser_id = $1 AND applied_seq = 0 \
         AND id != $2 \
         AND NOT EXISTS (SELECT 1 FROM sync_mutations m WHERE m.device_id = devices.id) \
         AND id NOT IN (SELECT k.id FROM devices k WHERE k.kind = 'sync' \
         AND k.browser_id = $1 AND k.applied_seq = 0 AND k.id != $2 \
         ORDER BY k.created_at DESC, k.id DESC LIMIT $3)",
    )
    .bind(browser_id)
    .bind(registered)
    .bind(UNUSED_SYNC_IDS_KEPT - 1)
    .execute(&mut *conn)
    .await?
    .rows_affected())
}
