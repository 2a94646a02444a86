//! Offline-first sync (DESIGN §4): the contract both sides speak, the server's side of it,
//! and the device's side — the IndexedDB store, the outbox, the sync loop and its views.
pub mod contract;
#[cfg(feature = "hydrate")]
pub mod engine;
pub mod filter;
pub mod form;
pub mod local;
#[cfg(feature = "ssr")]
pub mod places;
#[cfg(feature = "ssr")]
pub mod reach;
#[cfg(feature = "hydrate")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod server;
pub mod state;
pub mod views;

/// After a correct PIN: opens the encrypted cache of sensitive records (needs a connection
/// for the server's share) and pulls them. Does nothing on the server.
pub async fn unlock_cache(sync: state::SyncState, pin: String) {
    #[cfg(feature = "hydrate")]
    if sealed::unlock(&pin).await.is_ok() {
        sync.sync_now();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = (sync, pin);
}
