//! When the server lost history (DESIGN §4.9): restored from an older backup, or cut off by a
//! power failure before its last commits reached the disk. The device noticed it by the
//! server's epoch, or by the server asking for a seq the device has sent long ago. It sends
//! again, in order and under the same mutation ids, what the server settled after the point
//! it went back to: from the journal of settled entries, and the refused and conflicting ones
//! still in the outbox. The server applies what it lacks and answers what it has from its
//! stored answers. Seqs the device no longer holds go as skips, so the queue moves on. The
//! pull cursors start again from nothing, since the restored server may hand out versions the
//! device has seen before for other changes.
use super::contract::{Entity, Mutation, Op, Stream};
use super::local::idb::*;
use super::local::{
    cursor_key, journal_key, record_key, DeviceMeta, EntryState, LocalError, LocalRecord,
    OutboxEntry, RecordState, DEVICE_KEY, META, OUTBOX, RECORDS,
};
use crate::ids::new_id;
use wasm_bindgen::JsValue;

/// Where the epoch of the server this device last synced with is kept.
const EPOCH_KEY: &str = "epoch";

/// Whether `epoch` names another history than the one this device last synced with. The
/// first epoch a device sees is remembered; an empty one (an older server) says nothing.
pub async fn is_new_history(epoch: &str) -> Result<bool, LocalError> {
    if epoch.is_empty() {
        return Ok(false);
    }
    match super::local::meta::<String>(EPOCH_KEY).await? {
        Some(known) => Ok(known != epoch),
        None => {
            super::local::set_meta(EPOCH_KEY, &epoch).await?;
            Ok(false)
        }
    }
}

/// Puts back in line every entry after `applied` (the server's applied seq for this device):
/// settled ones from the journal, refused and conflicting ones in the outbox, as pending; their
/// records wait with them. Then forgets the synced records and the pull cursors, and remembers
/// `epoch`. One transaction: a device closed half-way finds everything as it was. Returns how
/// many entries go again.
pub async fn resend_after(applied: u64, epoch: Option<&str>) -> Result<usize, LocalError> {
    let db = open().await?;
    let tx = tx(&db, &[OUTBOX, RECORDS, META], Mode::ReadWrite)?;
    let outbox = tx.store(OUTBOX)?;
    let records = tx.store(RECORDS)?;
    let meta = tx.store(META)?;
    let mut again: Vec<OutboxEntry> = Vec::new();
    for value in outbox.get_all(None, None).await? {
        if let Some(entry) = parse::<OutboxEntry>(Some(value)) {
            if entry.mutation.seq > applied && entry.state != EntryState::Pending {
                again.push(entry);
            }
        }
    }
    let after = JsValue::from_str(&journal_key(applied + 1));
    let end = JsValue::from_str(&format!("{}\u{ffff}", journal_key(u64::MAX)));
    let range = rexie::KeyRange::bound(&after, &end, Some(false), Some(true))
        .map_err(|e| LocalError::Storage(e.to_string()))?;
    for (_, value) in meta.scan(Some(range), None, None, None).await? {
        if let Some(entry) = parse::<OutboxEntry>(Some(value)) {
            again.push(entry);
        }
    }
    for entry in &mut again {
        entry.state = EntryState::Pending;
        entry.reason = None;
        entry.server_record = None;
        outbox
            .put(&text(&entry), Some(&seq_key(entry.mutation.seq)))
            .await?;
    }
    // Each record keeps its state: pending where its entry goes again, so neither the reset
    // below nor the next pull drops or overwrites it.
    // A skip writes nothing: its record (if any) is not waiting for it.
    let waiting: std::collections::HashSet<String> = again
        .iter()
        .filter(|e| e.mutation.op != Op::Skip)
        .map(|e| record_key(e.mutation.entity, &e.mutation.record_id))
        .collect();
    for value in records.get_all(None, None).await? {
        let Some(mut local) = parse::<LocalRecord>(Some(value)) else {
            continue;
        };
        let key = record_key(local.entity, &local.id);
        if waiting.contains(&key) {
            local.state = RecordState::Pending;
            records
                .put(&text(&local), Some(&JsValue::from_str(&key)))
                .await?;
        } else if local.state == RecordState::Synced {
            records.delete(JsValue::from_str(&key)).await?;
        }
    }
    for stream in [Stream::Records, Stream::Sensitive] {
        meta.put(&text(&0i64), Some(&JsValue::from_str(cursor_key(stream))))
            .await?;
    }
    if let Some(epoch) = epoch {
        meta.put(&text(&epoch), Some(&JsValue::from_str(EPOCH_KEY)))
            .await?;
    }
    tx.done().await?;
    Ok(again.len())
}

/// The server asks for `expected`, a seq this device made but no longer holds (its journal
/// keeps only the last entries, and refused entries the person dismissed were never kept):
/// every seq from there on that is not in the outbox goes as a skip, all in one go, so a run
/// meets at most one such gap. `false` when `expected` is not a seq this device made.
pub async fn fill_gap(expected: u64) -> Result<bool, LocalError> {
    let db = open().await?;
    let tx = tx(&db, &[OUTBOX, META], Mode::ReadWrite)?;
    let outbox = tx.store(OUTBOX)?;
    let device: Option<DeviceMeta> =
        parse(tx.store(META)?.get(JsValue::from_str(DEVICE_KEY)).await?);
    let next_seq = device.map_or(1, |d| d.next_seq);
    if expected == 0 || expected >= next_seq || outbox.get(seq_key(expected)).await?.is_some() {
        return Ok(false);
    }
    for seq in expected..next_seq {
        if outbox.get(seq_key(seq)).await?.is_some() {
            continue;
        }
        let skip = OutboxEntry {
            mutation: Mutation {
                id: new_id(),
                seq,
                entity: Entity::Task,
                op: Op::Skip,
                record_id: new_id(),
                base_version: None,
                payload: serde_json::Value::Null,
            },
            state: EntryState::Pending,
            reason: None,
            server_record: None,
            made_at: js_sys::Date::now(),
        };
        outbox.put(&text(&skip), Some(&seq_key(seq))).await?;
    }
    tx.done().await?;
    Ok(true)
}
