//! Opening and closing the encrypted persons cache (DESIGN §7): with the PIN, online or
//! within the offline window, or with the account password after it; locking it; reopening
//! it in a tab that had it open. Does nothing on the server.
#[cfg(feature = "hydrate")]
use super::sealed;
use super::{keys, state};

/// After a correct PIN: opens the encrypted cache of sensitive records (online with the
/// server's share, or offline within the window) and pulls them. Does nothing on the server.
pub async fn unlock_cache(sync: state::SyncState, pin: keys::Derived) {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Set;
        use state::PersonsCache;
        let outcome = sealed::unlock_with_pin(&pin).await;
        // A PIN typed at the lock screen before the page's chunk arrived: the page hydrates
        // with the cache as the server rendered it, then opens (DESIGN §3.2).
        crate::hydration::until_page_live().await;
        // With no signal the PIN's key material waits in memory (like the cache key would), so
        // the cache opens by itself once the connection is back (`retry_unlock`).
        if matches!(
            outcome,
            Err(sealed::SealError::Offline | sealed::SealError::WindowPassed)
        ) {
            WAITING_PIN.with(|waiting| *waiting.borrow_mut() = Some(pin.clone()));
        }
        sync.persons.set(match outcome {
            Ok(_) => PersonsCache::Open,
            // Refused (the session is over): the sync asks to sign in again.
            Err(sealed::SealError::Locked | sealed::SealError::Refused) => PersonsCache::Locked,
            Err(sealed::SealError::WindowPassed) if sealed::has_password_wrap().await => {
                PersonsCache::NeedsPassword
            }
            Err(_) => PersonsCache::NeedsConnection,
        });
        if outcome.is_ok() {
            super::proof::prove_soon();
        }
        // A revoked device learns it at this sync and is wiped (`runner`).
        if matches!(outcome, Ok(_) | Err(sealed::SealError::Revoked)) {
            sync.changed();
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (sync, pin);
}

#[cfg(feature = "hydrate")]
thread_local! {
    static WAITING_PIN: std::cell::RefCell<Option<keys::Derived>> =
        const { std::cell::RefCell::new(None) };
}

/// Before each sync run: a PIN typed with no signal opens the cache now, if it can.
#[cfg(feature = "hydrate")]
pub(crate) async fn retry_unlock(sync: state::SyncState) {
    if sealed::ready() {
        WAITING_PIN.with(|waiting| waiting.borrow_mut().take());
        return;
    }
    if let Some(pin) = WAITING_PIN.with(|waiting| waiting.borrow_mut().take()) {
        unlock_cache(sync, pin).await;
    }
}

/// What typing the account password on a persons page did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordUnlock {
    Opened,
    /// The password does not open the cache (counts as a wrong secret).
    Wrong,
    /// Something else failed (storage, crypto, a lock meanwhile): not the password's fault.
    Failed,
}

/// Opens the encrypted cache with the account password (no signal, window passed).
pub async fn unlock_cache_with_password(
    sync: state::SyncState,
    password: String,
) -> PasswordUnlock {
    #[cfg(feature = "hydrate")]
    {
        use leptos::prelude::Set;
        match sealed::unlock_with_password(&password).await {
            Ok(()) => {
                super::proof::prove_soon();
                sync.persons.set(state::PersonsCache::Open);
                sync.changed();
                PasswordUnlock::Opened
            }
            Err(sealed::SealError::WrongPassword) => PasswordUnlock::Wrong,
            Err(_) => PasswordUnlock::Failed,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (sync, password);
        PasswordUnlock::Failed
    }
}

/// Whether a new PIN may be set now without losing the persons cache (`sealed::pin_may_change`).
pub async fn pin_may_change() -> bool {
    #[cfg(feature = "hydrate")]
    {
        sealed::pin_may_change().await
    }
    #[cfg(not(feature = "hydrate"))]
    true
}

/// The lock: the cache key leaves memory and this tab, and so does a PIN waiting for the
/// signal to come back.
pub fn lock_cache() {
    #[cfg(feature = "hydrate")]
    {
        sealed::forget();
        WAITING_PIN.with(|waiting| waiting.borrow_mut().take());
    }
}

/// At a page load: opens the persons cache again if this tab had it open and the device is not
/// to be locked (`locked`: the lock screen shows, and the kept key is dropped).
pub async fn reopen_cache(sync: state::SyncState, locked: bool) {
    #[cfg(feature = "hydrate")]
    if sealed::reopen_for_tab(locked).await {
        use leptos::prelude::Set;
        super::proof::prove_soon();
        sync.persons.set(state::PersonsCache::Open);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (sync, locked);
}

/// The password was typed on this device (sign-in, password change): it will open the cache
/// after the offline window.
pub async fn remember_password(password: String) {
    #[cfg(feature = "hydrate")]
    sealed::remember_password(&password).await;
    #[cfg(not(feature = "hydrate"))]
    let _ = password;
}
