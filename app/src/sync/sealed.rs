//! Sensitive records (persons of attention) on the device (browser only).
//!
//! Not built yet: with no cache key, `ready` is false, the sensitive stream is not pulled and
//! nothing sensitive is stored on the device. The planned key: AES-GCM, unlocked by the PIN
//! and wrapped with the server's share (`POST /api/v1/sync/key`).

/// Whether sensitive records can be stored encrypted now.
pub fn ready() -> bool {
    false
}

/// The stored (encrypted) form of a sensitive record; `None` leaves it out of the cache.
pub async fn seal(_record: &serde_json::Value) -> Option<serde_json::Value> {
    None
}
