//! This device's copy (browser only): one IndexedDB database, `zq`, through rexie.
//!
//! - `outbox`: every change made here, keyed by its seq, until the server has settled it;
//!   rejected and conflicting entries stay until the person fixes or discards them.
//! - `records`: the records of the person's scope, keyed `entity:id`, as last pulled or as
//!   changed here (with the state of that change).
//! - `meta`: the device id and next seq, the pull cursors, the last sync time, reference data,
//!   the server's epoch and the journal of the last entries the server settled (DESIGN §4.9).
//! - `drafts`: half-filled forms, saved as the person types.
//!
//! Values are JSON text, so what is stored is exactly what travels. The outbox entry, the
//! record it changes and the next seq are written in one transaction: an entry is never
//! half-saved. On the server side of the build these functions answer `NoBrowser`.
// The server build compiles the same API (views call it from effects, which run only in the
// browser) without the IndexedDB half.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code, unused_imports))]
use super::contract::{Answer, Change, Entity, Mutation, Op, Reason, Status, Stream};
use crate::ids::new_id;
use crate::stored::StoredEnum;
use serde::{Deserialize, Serialize};

/// Where an entry of the outbox stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryState {
    /// Waiting to be sent (or sent without an answer yet).
    Pending,
    Rejected,
    Conflict,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    pub mutation: Mutation,
    pub state: EntryState,
    #[serde(default)]
    pub reason: Option<Reason>,
    #[serde(default)]
    pub server_record: Option<serde_json::Value>,
    /// When it was made (ms since 1970, the device's clock).
    pub made_at: f64,
}

/// Where a cached record stands relative to the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordState {
    Synced,
    Pending,
    Rejected,
    Conflict,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LocalRecord {
    pub entity: Entity,
    pub id: String,
    pub state: RecordState,
    pub record: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocalError {
    #[error("no browser storage here")]
    NoBrowser,
    #[error("browser storage failed: {0}")]
    Storage(String),
    /// A person's entry cannot be kept: the persons cache is not open to encrypt it.
    #[error("the persons cache is locked")]
    Sealed,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) struct DeviceMeta {
    pub(super) device_id: String,
    pub(super) next_seq: u64,
}

pub(super) const OUTBOX: &str = "outbox";
pub(super) const RECORDS: &str = "records";
pub(super) const META: &str = "meta";
const DRAFTS: &str = "drafts";
pub(super) const DEVICE_KEY: &str = "device";
/// How many entries the server settled stay in the journal (`meta`, keys `sent:…`), to be
/// sent again if the server loses them (DESIGN §4.9): about two months of an inspector's work.
pub(super) const JOURNAL_KEEP: u64 = 2000;

/// The journal's key of a settled entry; zero-padded, so keys sort as seqs do.
pub(super) fn journal_key(seq: u64) -> String {
    format!("sent:{seq:020}")
}
pub const DATABASE: &str = "zq";

pub(super) fn record_key(entity: Entity, id: &str) -> String {
    format!("{}:{id}", entity.as_str())
}

pub(super) fn cursor_key(stream: Stream) -> &'static str {
    match stream {
        Stream::Records => "cursor:records",
        Stream::Sensitive => "cursor:sensitive",
    }
}

#[cfg(feature = "hydrate")]
pub(super) mod idb {
    use super::*;
    use rexie::{ObjectStore, Rexie, TransactionMode};
    use wasm_bindgen::JsValue;

    impl From<rexie::Error> for LocalError {
        fn from(error: rexie::Error) -> Self {
            LocalError::Storage(error.to_string())
        }
    }

    thread_local! {
        // One connection for the page's life: opening costs a round trip.
        static CONNECTION: std::cell::RefCell<Option<std::rc::Rc<Rexie>>> =
            const { std::cell::RefCell::new(None) };
    }

    pub async fn open() -> Result<std::rc::Rc<Rexie>, LocalError> {
        if let Some(db) = CONNECTION.with(|c| c.borrow().clone()) {
            return Ok(db);
        }
        let db = std::rc::Rc::new(
            Rexie::builder(DATABASE)
                .version(1)
                .add_object_store(ObjectStore::new(OUTBOX))
                .add_object_store(ObjectStore::new(RECORDS))
                .add_object_store(ObjectStore::new(META))
                .add_object_store(ObjectStore::new(DRAFTS))
                .build()
                .await?,
        );
        CONNECTION.with(|c| *c.borrow_mut() = Some(db.clone()));
        Ok(db)
    }

    pub fn text<T: Serialize>(value: &T) -> JsValue {
        JsValue::from_str(&serde_json::to_string(value).unwrap_or_default())
    }

    pub fn parse<T: for<'de> Deserialize<'de>>(value: Option<JsValue>) -> Option<T> {
        serde_json::from_str(&value?.as_string()?).ok()
    }

    pub fn seq_key(seq: u64) -> JsValue {
        JsValue::from_f64(seq as f64)
    }

    pub use rexie::TransactionMode as Mode;
    pub fn tx(
        db: &Rexie,
        stores: &[&str],
        mode: TransactionMode,
    ) -> Result<rexie::Transaction, LocalError> {
        // After a sign-out began, nothing more is written on this page (see `stop_sync_writes`).
        if matches!(mode, TransactionMode::ReadWrite) && super::writes_stopped() {
            return Err(LocalError::Storage("signing out".into()));
        }
        Ok(db.transaction(stores, mode)?)
    }
}

/// Saves a change made on this device: takes the next seq, puts the entry in the outbox and
/// the record as it now looks into the cache, in one transaction. Returns the seq. A
/// sensitive payload comes here already sealed: every change enters through
/// `queue::enqueue`, which seals it.
pub(super) async fn enqueue_sealed(
    entity: Entity,
    op: Op,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    shown: serde_json::Value,
) -> Result<u64, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[META, OUTBOX, RECORDS], Mode::ReadWrite)?;
        let meta_store = tx.store(META)?;
        let mut device: DeviceMeta =
            parse(meta_store.get(JsValue::from_str(DEVICE_KEY)).await?).unwrap_or_default();
        if device.device_id.is_empty() {
            device = DeviceMeta {
                device_id: new_id(),
                next_seq: 1,
            };
        }
        let seq = device.next_seq;
        let entry = OutboxEntry {
            mutation: Mutation {
                id: new_id(),
                seq,
                entity,
                op,
                record_id: record_id.to_owned(),
                base_version,
                payload,
            },
            state: EntryState::Pending,
            reason: None,
            server_record: None,
            made_at: js_sys::Date::now(),
        };
        device.next_seq += 1;
        meta_store
            .put(&text(&device), Some(&JsValue::from_str(DEVICE_KEY)))
            .await?;
        tx.store(OUTBOX)?
            .put(&text(&entry), Some(&seq_key(seq)))
            .await?;
        // A sensitive record is never cached in clear: the server's copy comes back sealed
        // through the sensitive stream once the entry is sent.
        if !entity.sensitive() {
            let local = LocalRecord {
                entity,
                id: record_id.to_owned(),
                state: RecordState::Pending,
                record: shown,
            };
            tx.store(RECORDS)?
                .put(
                    &text(&local),
                    Some(&JsValue::from_str(&record_key(entity, record_id))),
                )
                .await?;
        }
        tx.done().await?;
        Ok(seq)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (entity, op, record_id, base_version, payload, shown);
        Err(LocalError::NoBrowser)
    }
}

/// This device's sync id, once it has made its first change.
pub async fn device_id() -> Result<Option<String>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadOnly)?;
        let device: Option<DeviceMeta> = parse(
            tx.store(META)?
                .get(wasm_bindgen::JsValue::from_str(DEVICE_KEY))
                .await?,
        );
        Ok(device.map(|d| d.device_id).filter(|id| !id.is_empty()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(LocalError::NoBrowser)
    }
}

/// The device id, made now if this device has none yet (for the key share before any change).
pub async fn ensure_device_id() -> Result<String, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadWrite)?;
        let store = tx.store(META)?;
        let device: Option<DeviceMeta> = parse(store.get(JsValue::from_str(DEVICE_KEY)).await?);
        let device = match device.filter(|d| !d.device_id.is_empty()) {
            Some(device) => device,
            None => {
                let device = DeviceMeta {
                    device_id: new_id(),
                    next_seq: 1,
                };
                store
                    .put(&text(&device), Some(&JsValue::from_str(DEVICE_KEY)))
                    .await?;
                device
            }
        };
        tx.done().await?;
        Ok(device.device_id)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(LocalError::NoBrowser)
    }
}

/// Every entry of the outbox, oldest first.
pub async fn outbox() -> Result<Vec<OutboxEntry>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[OUTBOX], Mode::ReadOnly)?;
        let values = tx.store(OUTBOX)?.get_all(None, None).await?;
        Ok(values.into_iter().filter_map(|v| parse(Some(v))).collect())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Err(LocalError::NoBrowser)
    }
}

/// Applies the server's answers to the entries sent: settled ones leave the outbox (and
/// their records become synced), rejected and conflicting ones stay with the reason.
pub async fn settle(answers: &[Answer]) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[OUTBOX, RECORDS, META], Mode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        let records = tx.store(RECORDS)?;
        let journal = tx.store(META)?;
        let waiting: Vec<OutboxEntry> = outbox
            .get_all(None, None)
            .await?
            .into_iter()
            .filter_map(|v| parse(Some(v)))
            .collect();
        // A later change of the same record still waits: the cached record shows it, not the
        // server's copy from before it.
        let edited_after = |answer: &Answer, entry: &OutboxEntry| {
            waiting.iter().any(|other| {
                other.mutation.seq > answer.seq
                    && other.mutation.entity == entry.mutation.entity
                    && other.mutation.record_id == entry.mutation.record_id
            })
        };
        for answer in answers {
            let Some(mut entry) = parse::<OutboxEntry>(outbox.get(seq_key(answer.seq)).await?)
            else {
                continue;
            };
            if entry.mutation.id != answer.id {
                continue;
            }
            let key = JsValue::from_str(&record_key(
                entry.mutation.entity,
                &entry.mutation.record_id,
            ));
            let mut local: Option<LocalRecord> = parse(records.get(key.clone()).await?);
            match answer.status {
                Status::Gap => continue,
                Status::Applied | Status::Skipped => {
                    outbox.delete(seq_key(answer.seq)).await?;
                    // Kept as it was sent (a person's still sealed), in case the server loses
                    // it (DESIGN §4.9).
                    journal
                        .put(
                            &text(&entry),
                            Some(&JsValue::from_str(&journal_key(answer.seq))),
                        )
                        .await?;
                    // Everything that old or older, not only that one key: the entry at that
                    // seq may have been settled before this one or never (discarded), and
                    // the journal must not grow with every such gap.
                    if let Some(old) = answer.seq.checked_sub(JOURNAL_KEEP) {
                        let older = rexie::KeyRange::bound(
                            &JsValue::from_str(&journal_key(0)),
                            &JsValue::from_str(&journal_key(old)),
                            Some(false),
                            Some(false),
                        )
                        .map_err(|e| LocalError::Storage(e.to_string()))?;
                        journal.delete(older.into()).await?;
                    }
                    // The record as the server stored it (names tidied, who and when): the
                    // pull will not bring it back.
                    if let Some(record) = answer
                        .server_record
                        .clone()
                        .filter(|_| !edited_after(answer, &entry))
                    {
                        local = Some(LocalRecord {
                            entity: entry.mutation.entity,
                            id: entry.mutation.record_id.clone(),
                            state: RecordState::Synced,
                            record,
                        });
                    } else if let (Some(local), Some(version)) = (local.as_mut(), answer.version) {
                        local.state = RecordState::Synced;
                        if let Some(object) = local.record.as_object_mut() {
                            object.insert("version".into(), version.into());
                        }
                    }
                }
                Status::Rejected => {
                    entry.state = EntryState::Rejected;
                    entry.reason = answer.reason.clone();
                    outbox
                        .put(&text(&entry), Some(&seq_key(answer.seq)))
                        .await?;
                    if let Some(local) = local.as_mut() {
                        local.state = RecordState::Rejected;
                    }
                }
                Status::Conflict => {
                    entry.state = EntryState::Conflict;
                    entry.server_record = answer.server_record.clone();
                    outbox
                        .put(&text(&entry), Some(&seq_key(answer.seq)))
                        .await?;
                    if let Some(local) = local.as_mut() {
                        local.state = RecordState::Conflict;
                    }
                }
            }
            if let Some(local) = local {
                records.put(&text(&local), Some(&key)).await?;
            }
        }
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = answers;
        Err(LocalError::NoBrowser)
    }
}

/// The person gives up an entry. A rejected or conflicting one was settled by the server:
/// it simply leaves (the record goes back to the server's copy, or away if it was new). A
/// pending one may already be on its way, so it stays in line as a `skip` that writes
/// nothing: its seq is kept and nothing is lost or doubled either way.
pub async fn discard(seq: u64) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[OUTBOX, RECORDS], Mode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        let records = tx.store(RECORDS)?;
        let Some(mut entry) = parse::<OutboxEntry>(outbox.get(seq_key(seq)).await?) else {
            return Ok(());
        };
        let key = JsValue::from_str(&record_key(
            entry.mutation.entity,
            &entry.mutation.record_id,
        ));
        match entry.state {
            EntryState::Pending => {
                entry.mutation.op = Op::Skip;
                entry.mutation.payload = serde_json::Value::Null;
                outbox.put(&text(&entry), Some(&seq_key(seq))).await?;
            }
            EntryState::Rejected | EntryState::Conflict => {
                outbox.delete(seq_key(seq)).await?;
            }
        }
        match entry.server_record.clone() {
            Some(server) => {
                let local = LocalRecord {
                    entity: entry.mutation.entity,
                    id: entry.mutation.record_id.clone(),
                    state: RecordState::Synced,
                    record: server,
                };
                records.put(&text(&local), Some(&key)).await?;
            }
            None if entry.mutation.op == Op::Create || entry.mutation.op == Op::Skip => {
                let local: Option<LocalRecord> = parse(records.get(key.clone()).await?);
                // A new record that never reached the server leaves with its entry.
                if local.is_some_and(|l| l.state != RecordState::Synced) {
                    records.delete(key).await?;
                }
            }
            None => {}
        }
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = seq;
        Err(LocalError::NoBrowser)
    }
}

/// The cached records of one kind.
pub async fn records(entity: Entity) -> Result<Vec<LocalRecord>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[RECORDS], Mode::ReadOnly)?;
        let prefix = format!("{}:", entity.as_str());
        // Keys sort as text: every key of this kind lies between "task:" and "task;".
        let upper = format!("{};", entity.as_str());
        let range = rexie::KeyRange::bound(
            &wasm_bindgen::JsValue::from_str(&prefix),
            &wasm_bindgen::JsValue::from_str(&upper),
            Some(false),
            Some(true),
        )
        .map_err(|e| LocalError::Storage(e.to_string()))?;
        let values = tx.store(RECORDS)?.get_all(Some(range), None).await?;
        Ok(values.into_iter().filter_map(|v| parse(Some(v))).collect())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = entity;
        Err(LocalError::NoBrowser)
    }
}

pub async fn record(entity: Entity, id: &str) -> Result<Option<LocalRecord>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[RECORDS], Mode::ReadOnly)?;
        let key = wasm_bindgen::JsValue::from_str(&record_key(entity, id));
        Ok(parse(tx.store(RECORDS)?.get(key).await?))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (entity, id);
        Err(LocalError::NoBrowser)
    }
}

/// Stores a pulled page and its cursor in one transaction. A record changed here and not yet
/// settled keeps the local version: the person's change is never overwritten by a pull.
/// `seal` turns a sensitive record into what may be stored (encrypted); `None` leaves it out.
pub async fn apply_pull(
    stream: Stream,
    changes: Vec<(Change, Option<serde_json::Value>)>,
    cursor: i64,
) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[RECORDS, META], Mode::ReadWrite)?;
        let records = tx.store(RECORDS)?;
        for (change, stored) in changes {
            let key = JsValue::from_str(&record_key(change.entity, &change.record_id));
            let local: Option<LocalRecord> = parse(records.get(key.clone()).await?);
            if local.is_some_and(|l| l.state != RecordState::Synced) {
                continue;
            }
            match stored {
                Some(record) if !change.deleted => {
                    let local = LocalRecord {
                        entity: change.entity,
                        id: change.record_id.clone(),
                        state: RecordState::Synced,
                        record,
                    };
                    records.put(&text(&local), Some(&key)).await?;
                }
                _ => records.delete(key).await?,
            }
        }
        tx.store(META)?
            .put(&text(&cursor), Some(&JsValue::from_str(cursor_key(stream))))
            .await?;
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (stream, changes, cursor);
        Err(LocalError::NoBrowser)
    }
}

/// Forgets the synced records of a stream and its cursor (the server said "reset").
pub async fn reset(stream: Stream) -> Result<(), LocalError> {
    for entity in Entity::ALL.iter().copied().filter(|e| stream.includes(*e)) {
        for local in records(entity).await? {
            if local.state == RecordState::Synced {
                delete_record(entity, &local.id).await?;
            }
        }
    }
    set_meta(cursor_key(stream), &0i64).await
}

async fn delete_record(entity: Entity, id: &str) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[RECORDS], Mode::ReadWrite)?;
        tx.store(RECORDS)?
            .delete(wasm_bindgen::JsValue::from_str(&record_key(entity, id)))
            .await?;
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (entity, id);
        Err(LocalError::NoBrowser)
    }
}

pub async fn cursor(stream: Stream) -> Result<i64, LocalError> {
    Ok(meta::<i64>(cursor_key(stream)).await?.unwrap_or(0))
}

pub async fn meta<T: for<'de> Deserialize<'de>>(key: &str) -> Result<Option<T>, LocalError> {
    get(META, key).await
}

pub async fn set_meta<T: Serialize>(key: &str, value: &T) -> Result<(), LocalError> {
    put(META, key, value).await
}

/// A `meta` value kept as the object itself, not as JSON text: a `CryptoKey` can be stored
/// (structured clone) but not serialised, which is what keeps its bytes out of reach.
pub async fn meta_object(key: &str) -> Result<Option<wasm_bindgen::JsValue>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadOnly)?;
        let value = tx
            .store(META)?
            .get(wasm_bindgen::JsValue::from_str(key))
            .await?;
        Ok(value.filter(|v| !v.is_undefined() && !v.is_null()))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        Err(LocalError::NoBrowser)
    }
}

pub async fn set_meta_object(key: &str, value: &wasm_bindgen::JsValue) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadWrite)?;
        tx.store(META)?
            .put(value, Some(&wasm_bindgen::JsValue::from_str(key)))
            .await?;
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (key, value);
        Err(LocalError::NoBrowser)
    }
}

/// The `meta` values whose keys start with `prefix`, with their keys (a queue kept one value per
/// key, so two writers never overwrite each other).
pub async fn meta_with_prefix<T: for<'de> Deserialize<'de>>(
    prefix: &str,
) -> Result<Vec<(String, T)>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        use wasm_bindgen::JsValue;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadOnly)?;
        // Keys sort as text: every key with the prefix lies below the prefix followed by U+FFFF.
        let range = rexie::KeyRange::bound(
            &JsValue::from_str(prefix),
            &JsValue::from_str(&format!("{prefix}\u{ffff}")),
            Some(false),
            Some(true),
        )
        .map_err(|e| LocalError::Storage(e.to_string()))?;
        let pairs = tx.store(META)?.scan(Some(range), None, None, None).await?;
        Ok(pairs
            .into_iter()
            .filter_map(|(key, value)| Some((key.as_string()?, parse(Some(value))?)))
            .collect())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = prefix;
        Err(LocalError::NoBrowser)
    }
}

pub async fn delete_meta(keys: &[String]) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[META], Mode::ReadWrite)?;
        let store = tx.store(META)?;
        for key in keys {
            store.delete(wasm_bindgen::JsValue::from_str(key)).await?;
        }
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = keys;
        Err(LocalError::NoBrowser)
    }
}

pub async fn draft<T: for<'de> Deserialize<'de>>(key: &str) -> Result<Option<T>, LocalError> {
    get(DRAFTS, key).await
}

pub async fn save_draft<T: Serialize>(key: &str, value: &T) -> Result<(), LocalError> {
    put(DRAFTS, key, value).await
}

pub async fn drop_draft(key: &str) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[DRAFTS], Mode::ReadWrite)?;
        tx.store(DRAFTS)?
            .delete(wasm_bindgen::JsValue::from_str(key))
            .await?;
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = key;
        Err(LocalError::NoBrowser)
    }
}

async fn get<T: for<'de> Deserialize<'de>>(
    store: &str,
    key: &str,
) -> Result<Option<T>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[store], Mode::ReadOnly)?;
        Ok(parse(
            tx.store(store)?
                .get(wasm_bindgen::JsValue::from_str(key))
                .await?,
        ))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (store, key);
        Err(LocalError::NoBrowser)
    }
}

async fn put<T: Serialize>(store: &str, key: &str, value: &T) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[store], Mode::ReadWrite)?;
        tx.store(store)?
            .put(&text(value), Some(&wasm_bindgen::JsValue::from_str(key)))
            .await?;
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (store, key, value);
        Err(LocalError::NoBrowser)
    }
}

#[cfg(feature = "hydrate")]
thread_local! {
    static WRITES_STOPPED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Stops every write to the device's stores on this page but the wipe's own: a sign-out's
/// wipe then cannot be followed by a pull page, a key or a read report that was in flight
/// (the page loads the sign-in page right after, which starts afresh).
pub fn stop_sync_writes() {
    #[cfg(feature = "hydrate")]
    WRITES_STOPPED.with(|stopped| stopped.set(true));
}

#[cfg(feature = "hydrate")]
fn writes_stopped() -> bool {
    WRITES_STOPPED.with(std::cell::Cell::get)
}

/// Empties every store (sign-out, too many wrong PINs). Clearing, not deleting the database:
/// a deletion waits for every open connection, a sync in flight among them, and would hold
/// the sign-out back.
pub async fn wipe() {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let Ok(db) = open().await else {
            return;
        };
        // Not `tx`: the wipe is the one write a sign-out still makes.
        let Ok(tx) = db.transaction(&[OUTBOX, RECORDS, META, DRAFTS], Mode::ReadWrite) else {
            return;
        };
        for store in [OUTBOX, RECORDS, META, DRAFTS] {
            if let Ok(store) = tx.store(store) {
                let _ = store.clear().await;
            }
        }
        let _ = tx.done().await;
    }
}
/// Removes a settled (rejected or conflicting) entry that a new entry has replaced, leaving
/// the record as the new entry shows it.
pub async fn drop_settled(seq: u64) -> Result<(), LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[OUTBOX], Mode::ReadWrite)?;
        let outbox = tx.store(OUTBOX)?;
        let entry: Option<OutboxEntry> = parse(outbox.get(seq_key(seq)).await?);
        if entry.is_some_and(|e| e.state != EntryState::Pending) {
            outbox.delete(seq_key(seq)).await?;
        }
        tx.done().await?;
        Ok(())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = seq;
        Err(LocalError::NoBrowser)
    }
}

/// One outbox entry.
pub async fn outbox_entry(seq: u64) -> Result<Option<OutboxEntry>, LocalError> {
    #[cfg(feature = "hydrate")]
    {
        use idb::*;
        let db = open().await?;
        let tx = tx(&db, &[OUTBOX], Mode::ReadOnly)?;
        Ok(parse(tx.store(OUTBOX)?.get(seq_key(seq)).await?))
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = seq;
        Err(LocalError::NoBrowser)
    }
}
