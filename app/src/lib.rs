//! Shared by the server (feature `ssr`) and the browser (feature `hydrate`): domain types and
//! their rules, Leptos pages and components, and the server functions behind them.
//!
//! One folder per domain area (`places`, `councils`, …), each with its types, its server side
//! (under `ssr`) and its views, so a rule is found in the same place from every crate.
#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod access;
pub mod accounts;
pub mod areas;
pub mod audit;
pub mod councils;
pub mod dates;
#[cfg(feature = "ssr")]
pub mod db;
pub mod errors;
pub mod events;
pub mod fields;
pub mod home;
mod http_status;
pub mod hydration;
pub mod ids;
#[cfg(feature = "ssr")]
pub mod kinds;
pub mod map;
pub mod meetings;
pub mod names;
pub mod offences;
pub mod persons;
pub mod places;
pub mod preferences;
pub mod proposals;
pub mod refusals;
pub mod reports;
pub mod shell;
pub mod stored;
pub mod sync;
pub mod tasks;
pub mod ui;
pub mod visits;

pub use shell::{shell, App, AssetLinks, LANGUAGE_COOKIE};
