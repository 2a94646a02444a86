//! Offline-first sync (DESIGN §4): the contract both sides speak, the server's side of it,
//! and the device's side — the IndexedDB store, the outbox, the sync loop and its views.
pub mod contract;
#[cfg(feature = "hydrate")]
mod engine;
pub mod form;
pub mod local;
#[cfg(feature = "ssr")]
pub mod places;
#[cfg(feature = "hydrate")]
mod sealed;
#[cfg(feature = "ssr")]
pub mod server;
pub mod state;
pub mod views;
