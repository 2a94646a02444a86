//! What the status bar and the outbox page show about sync, shared through the Leptos
//! context; and the loop that runs sync (browser only): at start, when the network comes
//! back, on a timer that backs off after failures, and when the person asks.
use leptos::prelude::*;

/// Why the last sync attempt did not finish.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SyncFailure {
    /// The server could not be reached.
    Offline,
    /// The session ended: changes wait on the device until the person signs in again.
    SignInNeeded,
    /// The server refused this device (revoked, or another account's).
    DeviceRefused,
    /// An administrator revoked this device: its data is wiped and the person signs in again.
    DeviceRevoked,
    /// A person's entry waits encrypted and the persons cache is not open: it, and what
    /// follows it in the outbox, goes once the PIN (or password) opens the cache.
    PersonsLocked,
    /// The server asked to wait this many seconds (too many requests, or busy).
    Busy(u32),
    /// The server answered with an error status.
    Server(u16),
    /// The browser's storage failed.
    Storage(String),
}

/// Where this device's encrypted persons cache stands in this tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonsCache {
    /// No PIN entered in this tab yet.
    Locked,
    Open,
    /// No signal, and no offline copy of the key here (never unlocked online).
    NeedsConnection,
    /// No signal and the offline window has passed: the password (or a connection) opens it.
    NeedsPassword,
}

#[derive(Clone, Copy)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub struct SyncState {
    pub online: RwSignal<bool>,
    /// Entries waiting to be sent.
    pub pending: RwSignal<usize>,
    /// Rejected and conflicting entries waiting for the person.
    pub problems: RwSignal<usize>,
    /// When the last sync finished (ms since 1970).
    pub last_sync: RwSignal<Option<f64>>,
    pub running: RwSignal<bool>,
    /// Records received in this pull and about how many are left.
    pub progress: RwSignal<Option<(usize, i64)>>,
    pub failure: RwSignal<Option<SyncFailure>>,
    /// Whether the browser promised to keep this site's storage; `None` until it answered.
    pub storage_kept: RwSignal<Option<bool>>,
    /// Goes up whenever the local copy changes, so lists read it again.
    pub revision: RwSignal<u64>,
    pub persons: RwSignal<PersonsCache>,
    /// A sync was asked for while one was running: run again after it.
    again: RwSignal<bool>,
    failures_in_a_row: RwSignal<u32>,
}

impl SyncState {
    fn new() -> Self {
        Self {
            online: RwSignal::new(true),
            pending: RwSignal::new(0),
            problems: RwSignal::new(0),
            last_sync: RwSignal::new(None),
            running: RwSignal::new(false),
            progress: RwSignal::new(None),
            failure: RwSignal::new(None),
            storage_kept: RwSignal::new(None),
            revision: RwSignal::new(0),
            persons: RwSignal::new(PersonsCache::Locked),
            again: RwSignal::new(false),
            failures_in_a_row: RwSignal::new(0),
        }
    }

    /// Something changed in the local copy: lists and counts read it again, and sync runs.
    pub fn changed(self) {
        self.revision.update(|r| *r += 1);
        self.sync_now();
    }

    /// Runs sync now (or right after the one running).
    pub fn sync_now(self) {
        #[cfg(feature = "hydrate")]
        {
            if self.running.get_untracked() {
                self.again.set(true);
                return;
            }
            leptos::task::spawn_local(runner::run(self));
        }
    }
}

/// The sync state of the page, made by the layout.
pub fn provide_sync_state() -> SyncState {
    let state = SyncState::new();
    provide_context(state);
    state
}

pub fn use_sync() -> SyncState {
    use_context::<SyncState>().unwrap_or_else(SyncState::new)
}

/// The delay before the next automatic sync: a minute after a success; after failures 5 s,
/// 10 s, 20 s … up to 5 minutes, so a dead network is not hammered and a brief loss of
/// signal is caught up quickly.
pub fn next_delay_ms(failures_in_a_row: u32) -> u32 {
    if failures_in_a_row == 0 {
        60_000
    } else {
        (5_000u32 << (failures_in_a_row - 1).min(6)).min(300_000)
    }
}

/// Starts the loop once per page: counts, the storage promise, the online/offline events,
/// a first sync and the timer.
pub fn start(state: SyncState) {
    #[cfg(feature = "hydrate")]
    runner::start(state);
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[cfg(feature = "hydrate")]
mod runner {
    use super::*;
    use crate::sync::{engine, local};
    use leptos::ev;
    use std::time::Duration;

    pub fn start(state: SyncState) {
        state.online.set(window().navigator().on_line());
        let _ = window_event_listener(ev::online, move |_| {
            state.online.set(true);
            state.failures_in_a_row.set(0);
            state.sync_now();
        });
        let _ = window_event_listener(ev::offline, move |_| state.online.set(false));
        leptos::task::spawn_local(async move {
            if let Ok(Some(at)) = local::meta::<f64>("last_sync").await {
                state.last_sync.set(Some(at));
            }
            refresh_counts(state).await;
            state
                .storage_kept
                .set(Some(engine::persist_storage().await));
        });
        state.sync_now();
    }

    pub async fn refresh_counts(state: SyncState) {
        if let Ok(entries) = local::outbox().await {
            let pending = entries
                .iter()
                .filter(|e| e.state == local::EntryState::Pending)
                .count();
            state.pending.set(pending);
            state.problems.set(entries.len() - pending);
        }
    }

    pub async fn run(state: SyncState) {
        state.running.set(true);
        loop {
            state.again.set(false);
            crate::sync::retry_unlock(state).await;
            let result = engine::sync(state).await;
            refresh_counts(state).await;
            state.revision.update(|r| *r += 1);
            match result {
                Ok(()) => {
                    state.failures_in_a_row.set(0);
                    state.failure.set(None);
                    let now = js_sys::Date::now();
                    state.last_sync.set(Some(now));
                    let _ = local::set_meta("last_sync", &now).await;
                }
                Err(SyncFailure::DeviceRevoked) => {
                    crate::accounts::device::wipe().await;
                    let _ = window().location().replace("/sign-in?revoked=1");
                    state.running.set(false);
                    return;
                }
                Err(failure) => {
                    state.failures_in_a_row.update(|n| *n += 1);
                    if failure == SyncFailure::Offline {
                        state.online.set(window().navigator().on_line());
                    }
                    state.failure.set(Some(failure));
                }
            }
            if !state.again.get_untracked() {
                break;
            }
        }
        state.progress.set(None);
        state.running.set(false);
        let mut delay = next_delay_ms(state.failures_in_a_row.get_untracked());
        // The server said when to come back: never earlier than that.
        if let Some(SyncFailure::Busy(seconds)) = state.failure.get_untracked() {
            delay = delay.max(seconds.saturating_mul(1000));
        }
        let scheduled = state.revision.get_untracked();
        set_timeout(
            move || {
                // Only if nothing else ran sync in the meantime (each run schedules its own).
                if state.revision.get_untracked() == scheduled && !state.running.get_untracked() {
                    state.sync_now();
                }
            },
            Duration::from_millis(u64::from(delay)),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::next_delay_ms;

    #[test]
    fn sync_backs_off_after_failures_up_to_five_minutes() {
        assert_eq!(next_delay_ms(0), 60_000);
        assert_eq!(next_delay_ms(1), 5_000);
        assert_eq!(next_delay_ms(2), 10_000);
        assert_eq!(next_delay_ms(3), 20_000);
        assert_eq!(next_delay_ms(7), 300_000);
        assert_eq!(next_delay_ms(40), 300_000);
    }
}
