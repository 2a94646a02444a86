//! One sync run (browser only): push the outbox in order, then pull each stream to its end,
//! then refresh the reference data. Stops at the first failure (but for a person's entry
//! waiting for the PIN, which holds back only the push); nothing is lost by stopping, since
//! every step is settled in IndexedDB before the next one starts.
use super::contract::{PullPage, PushRequest, PushResponse, Reference, Status, Stream};
use super::local::{self, EntryState};
use super::restore;
use super::state::{SyncFailure, SyncState};
use super::transport::{fetch, fetch_gzipped};
use leptos::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Entries per push, and the most JSON text per push (well under the server's 256 KB limit).
const BATCH_ENTRIES: usize = 100;
const BATCH_BYTES: usize = 192 * 1024;

pub async fn sync(state: SyncState) -> Result<(), SyncFailure> {
    // A person's entry waiting for the PIN holds back the entries behind it, not what the
    // device receives: the pull goes on, and the run ends with that failure.
    let mut held = held_back(push_all().await)?;
    // The audit of reads made here is not worth holding the pull back for, unless the server
    // refused the session or the device outright.
    if let Err(failure) = super::reads::send().await {
        if matches!(
            failure,
            SyncFailure::SignInNeeded | SyncFailure::DeviceRefused | SyncFailure::DeviceRevoked
        ) {
            return Err(failure);
        }
    }
    if let Pulled::Restart(epoch) = pull_streams(state).await? {
        // The server went back in time (DESIGN §4.9): what it lacks goes again, then every
        // stream is pulled from nothing.
        recover(&epoch).await?;
        held = held_back(push_all().await)?;
        pull_streams(state).await?;
    }
    let (status, body) = fetch("GET", "/api/v1/sync/reference", None).await?;
    check(status)?;
    if let Ok(reference) = serde_json::from_str::<Reference>(&body) {
        local::set_meta("reference", &reference)
            .await
            .map_err(storage)?;
    }
    if held {
        return Err(SyncFailure::PersonsLocked);
    }
    Ok(())
}

/// Whether a push stopped only at a person's entry the locked cache cannot open.
fn held_back(pushed: Result<(), SyncFailure>) -> Result<bool, SyncFailure> {
    match pushed {
        Ok(()) => Ok(false),
        Err(SyncFailure::PersonsLocked) => Ok(true),
        Err(failure) => Err(failure),
    }
}

fn storage(error: local::LocalError) -> SyncFailure {
    SyncFailure::Storage(error.to_string())
}

fn check(status: u16) -> Result<(), SyncFailure> {
    match status {
        200 => Ok(()),
        401 => Err(SyncFailure::SignInNeeded),
        403 => Err(SyncFailure::DeviceRefused),
        other => Err(SyncFailure::Server(other)),
    }
}

/// How a pull ended.
enum Pulled {
    Done,
    /// The server holds another history: its epoch.
    Restart(String),
}

async fn pull_streams(state: SyncState) -> Result<Pulled, SyncFailure> {
    if let Pulled::Restart(epoch) = pull(state, Stream::Records).await? {
        return Ok(Pulled::Restart(epoch));
    }
    if super::sealed::ready() {
        return pull(state, Stream::Sensitive).await;
    }
    Ok(Pulled::Done)
}

/// Asks the server which of this device's seqs it holds (a push of nothing), and puts what it
/// lacks back in line; the pull cursors start from nothing.
async fn recover(epoch: &str) -> Result<(), SyncFailure> {
    let applied = match local::device_id().await.map_err(storage)? {
        Some(device_id) => {
            let request = PushRequest {
                device_id,
                mutations: Vec::new(),
            };
            let body = serde_json::to_string(&request).unwrap_or_default();
            let (status, text) = fetch_gzipped("POST", "/api/v1/sync/push", body).await?;
            check(status)?;
            serde_json::from_str::<PushResponse>(&text)
                .map_err(|_| SyncFailure::Server(status))?
                .applied_seq
        }
        None => 0,
    };
    restore::resend_after(applied, Some(epoch))
        .await
        .map_err(storage)?;
    Ok(())
}

/// How often one push run may find the server behind before it gives up (each time puts
/// entries back in line or fills a missing seq, so more means something else is wrong).
const RECOVERIES_PER_RUN: usize = 3;

async fn push_all() -> Result<(), SyncFailure> {
    // No device id means nothing was ever made here, so nothing waits.
    let Some(device_id) = local::device_id().await.map_err(storage)? else {
        return Ok(());
    };
    let mut recoveries = 0;
    loop {
        let pending: Vec<_> = local::outbox()
            .await
            .map_err(storage)?
            .into_iter()
            .filter(|e| e.state == EntryState::Pending)
            .collect();
        if pending.is_empty() {
            return Ok(());
        }
        let mut batch = Vec::new();
        let mut bytes = 0;
        let mut unopenable = None;
        for mut entry in pending.into_iter().take(BATCH_ENTRIES) {
            // A person's entry waits encrypted: opened only to be sent. While the cache is
            // locked it cannot go, and the entries after it wait behind it, in order.
            if super::sealed::is_sealed(&entry.mutation.payload) {
                match super::sealed::open(&entry.mutation.payload).await {
                    Some(payload) => entry.mutation.payload = payload,
                    None => {
                        unopenable = Some(entry.mutation.seq);
                        break;
                    }
                }
            }
            let size = serde_json::to_string(&entry.mutation).map_or(0, |s| s.len());
            if !batch.is_empty() && bytes + size > BATCH_BYTES {
                break;
            }
            bytes += size;
            batch.push(entry.mutation);
        }
        if batch.is_empty() {
            match unopenable {
                // Sealed under a key this device no longer has (dropped when the server
                // replaced it): it can never be opened, so it goes as a skip and stops holding
                // the rest back.
                Some(seq) if super::sealed::ready() => {
                    local::discard(seq).await.map_err(storage)?;
                    continue;
                }
                Some(_) => return Err(SyncFailure::PersonsLocked),
                None => return Ok(()),
            }
        }
        let request = PushRequest {
            device_id: device_id.clone(),
            mutations: batch,
        };
        let body = serde_json::to_string(&request).unwrap_or_default();
        // A person's entry goes only with the unlock proved (docs/offline-unlock.md).
        let (status, text) =
            super::proof::send_proving(|| fetch_gzipped("POST", "/api/v1/sync/push", body.clone()))
                .await?;
        check(status)?;
        let mut response: PushResponse =
            serde_json::from_str(&text).map_err(|_| SyncFailure::Server(status))?;
        seal_sensitive_answers(&mut response, &request.mutations).await;
        let settled = response
            .answers
            .iter()
            .filter(|a| a.status != Status::Gap)
            .count();
        local::settle(&response.answers).await.map_err(storage)?;
        let expected = response.answers.iter().find_map(|a| a.expected);
        let new_history = restore::is_new_history(&response.epoch)
            .await
            .map_err(storage)?;
        if settled > 0 && !new_history {
            continue;
        }
        // The server went back in time (a new epoch), or asks for a seq this device sent
        // long ago (DESIGN §4.9): what it lacks goes again, from where it stands.
        let behind = expected.filter(|e| request.mutations.first().is_some_and(|m| *e < m.seq));
        if recoveries < RECOVERIES_PER_RUN && (new_history || behind.is_some()) {
            recoveries += 1;
            let epoch = Some(response.epoch.as_str()).filter(|_| new_history);
            restore::resend_after(response.applied_seq, epoch)
                .await
                .map_err(storage)?;
            if let Some(expected) = behind {
                restore::fill_gap(expected).await.map_err(storage)?;
            }
            continue;
        }
        // The server wants a seq this device never made: nothing more can go until someone
        // looks (shown as a server problem, the entries stay).
        return Err(SyncFailure::Server(409));
    }
}

/// A conflict over a person comes back with the server's copy of them: it is kept (in the
/// outbox, and in the cache if the entry is discarded) only sealed, or not at all.
async fn seal_sensitive_answers(response: &mut PushResponse, sent: &[super::contract::Mutation]) {
    for answer in &mut response.answers {
        let sensitive = sent
            .iter()
            .any(|m| m.seq == answer.seq && m.entity.sensitive());
        if !sensitive {
            continue;
        }
        if let Some(record) = answer.server_record.take() {
            answer.server_record = super::sealed::seal(&record).await;
        }
    }
}

async fn pull(state: SyncState, stream: Stream) -> Result<Pulled, SyncFailure> {
    let mut since = local::cursor(stream).await.map_err(storage)?;
    // Named so the server leaves out what this device pushed: the push answered it already.
    // Not while pulling from nothing (a new, wiped or reset copy): every page of that pull
    // must bring this device's own records back too, not only the first.
    let device = local::device_id().await.map_err(storage)?;
    let mut from_nothing = since == 0;
    let mut received = 0usize;
    loop {
        let address = format!(
            "/api/v1/sync/pull?since={since}&stream={}{}",
            match stream {
                Stream::Records => "records",
                Stream::Sensitive => "sensitive",
            },
            device
                .as_deref()
                .filter(|_| !from_nothing)
                .map(|d| format!("&device={d}"))
                .unwrap_or_default()
        );
        let (status, body) = super::proof::send_proving(|| fetch("GET", &address, None)).await?;
        check(status)?;
        let page: PullPage =
            serde_json::from_str(&body).map_err(|_| SyncFailure::Server(status))?;
        if restore::is_new_history(&page.epoch)
            .await
            .map_err(storage)?
        {
            return Ok(Pulled::Restart(page.epoch));
        }
        if page.reset {
            // A cursor before the pruned tombstones, or past the server's history: this stream
            // starts again from nothing. If the server lost history, the next push meets a gap
            // below what this device sent and sends it again (DESIGN §4.9).
            local::reset(stream).await.map_err(storage)?;
            since = 0;
            from_nothing = true;
            continue;
        }
        received += page.changes.len();
        if page.more || received > 0 {
            state.progress.set(Some((received, page.remaining)));
        }
        let mut changes = Vec::with_capacity(page.changes.len());
        for change in page.changes {
            let stored = match change.record.clone() {
                Some(record) if change.entity.sensitive() => {
                    match super::sealed::seal(&record).await {
                        Some(sealed) => Some(sealed),
                        // The cache was locked mid-pull: applying the page would drop the
                        // record and move the cursor past it. The next unlock pulls it again.
                        None => return Ok(Pulled::Done),
                    }
                }
                other => other,
            };
            changes.push((change, stored));
        }
        local::apply_pull(stream, changes, page.cursor)
            .await
            .map_err(storage)?;
        since = page.cursor;
        if !page.more {
            return Ok(Pulled::Done);
        }
    }
}

/// Asks the browser to keep this site's storage under pressure; `false` if it will not.
pub async fn persist_storage() -> bool {
    let storage = window().navigator().storage();
    if let Ok(promise) = storage.persisted() {
        if JsFuture::from(promise).await.ok().and_then(|v| v.as_bool()) == Some(true) {
            return true;
        }
    }
    match storage.persist() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}
