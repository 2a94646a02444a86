//! The one way a change made on this device enters the outbox (DESIGN §3, "one write path").
//! A person typed here waits encrypted under the cache key, like the persons pulled (DESIGN
//! §7): no outbox entry holds a person in clear.
use super::contract::{Entity, Op};
use super::local::{self, LocalError};

/// Queues a change and keeps the record as it now looks in the local copy; returns its seq.
pub async fn enqueue(
    entity: Entity,
    op: Op,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    shown: serde_json::Value,
) -> Result<u64, LocalError> {
    // Sealed before the outbox transaction, which must not wait on anything else.
    #[cfg(feature = "hydrate")]
    let payload = if entity.sensitive() && !super::sealed::is_sealed(&payload) {
        super::sealed::seal(&payload)
            .await
            .ok_or(LocalError::Sealed)?
    } else {
        payload
    };
    local::enqueue_sealed(entity, op, record_id, base_version, payload, shown).await
}

/// An outbox entry's payload (or the server's copy it conflicted with) in clear: a person's is
/// opened with the cache key (`None` while the cache is locked).
pub async fn opened_payload(payload: serde_json::Value) -> Option<serde_json::Value> {
    #[cfg(feature = "hydrate")]
    if super::sealed::is_sealed(&payload) {
        return super::sealed::open(&payload).await;
    }
    Some(payload)
}
