//! Offline-first sync (DESIGN §4): the contract both sides speak, the server's side of it,
//! and the device's side — the IndexedDB store, the outbox, the sync loop and its views.
pub mod contract;
#[cfg(feature = "hydrate")]
pub mod engine;
pub mod failure;
#[cfg(feature = "ssr")]
pub mod history;
pub mod keys;
#[cfg(feature = "ssr")]
pub mod kind;
pub mod local;
#[cfg(feature = "hydrate")]
mod proof;
pub mod queue;
#[cfg(feature = "ssr")]
pub mod reach;
pub mod reads;
#[cfg(feature = "hydrate")]
mod restore;
pub mod runner;
#[cfg(feature = "hydrate")]
pub mod sealed;
#[cfg(feature = "ssr")]
pub mod server;
pub mod state;
pub mod status;
#[cfg(feature = "hydrate")]
pub mod transport;
mod unlock;
pub mod views;
#[cfg(feature = "ssr")]
pub mod write;

pub use unlock::{
    lock_cache, pin_may_change, remember_password, reopen_cache, unlock_cache,
    unlock_cache_with_password, PasswordUnlock,
};
