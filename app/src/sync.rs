//! Offline-first sync (DESIGN §4): the contract both sides speak, the server's side of it,
//! and the device's side — the IndexedDB store, the outbox, the sync loop and its views.
pub mod contract;
#[cfg(feature = "ssr")]
pub mod places;
#[cfg(feature = "ssr")]
pub mod server;
