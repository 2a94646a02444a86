//! What the status bar and the outbox page show about sync, shared through the Leptos
//! context; the loop that runs sync is `runner`.
use leptos::prelude::*;

pub use super::failure::SyncFailure;

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
    pub(super) again: RwSignal<bool>,
    pub(super) failures_in_a_row: RwSignal<u32>,
    /// What runs one sync, attached by `runner::attach` (the loop lives above this state,
    /// which it updates, so the state does not name it).
    pub(super) runner: StoredValue<Option<fn(SyncState)>>,
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
            runner: StoredValue::new(None),
        }
    }

    /// Something changed in the local copy: lists and counts read it again, and sync runs.
    pub fn changed(self) {
        self.revision.update(|r| *r += 1);
        self.sync_now();
    }

    /// Runs sync now (or right after the one running).
    pub fn sync_now(self) {
        if self.running.get_untracked() {
            self.again.set(true);
            return;
        }
        if let Some(run) = self.runner.get_value() {
            run(self);
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
