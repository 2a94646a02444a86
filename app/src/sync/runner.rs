//! The loop that runs sync (browser only): at start, when the network comes back, on a timer
//! that backs off after failures, and when the person asks (`SyncState::sync_now`).
use super::state::SyncState;

/// Lets the page's sync state run sync; done by the layout right after it made the state.
pub fn attach(state: SyncState) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::SetValue;
        state
            .runner
            .set_value(Some(|state| leptos::task::spawn_local(browser::run(state))));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

/// Starts the loop once per page: counts, the storage promise, the online/offline events,
/// a first sync and the timer.
pub fn start(state: SyncState) {
    #[cfg(feature = "hydrate")]
    browser::start(state);
    #[cfg(not(feature = "hydrate"))]
    let _ = state;
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::state::{next_delay_ms, SyncFailure, SyncState};
    use crate::sync::{engine, local};
    use leptos::ev;
    use leptos::prelude::*;
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
            crate::sync::unlock::retry_unlock(state).await;
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
                // The pull went on: the device is current, only the person (and what follows
                // it) waits for the PIN, which no retry brings sooner.
                Err(SyncFailure::PersonsLocked) => {
                    state.failures_in_a_row.set(0);
                    state.failure.set(Some(SyncFailure::PersonsLocked));
                    let now = js_sys::Date::now();
                    state.last_sync.set(Some(now));
                    let _ = local::set_meta("last_sync", &now).await;
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
