//! The Zĭyaly Qauym server: configuration, the SQLite store and its migrations, reference and
//! demo data, the PWA files, and the HTTP application that serves the Leptos app.
pub mod accounts;
pub mod api;
#[cfg(not(feature = "postgres"))]
pub mod backup;
pub mod config;
pub mod db;
pub mod limits;
pub mod map;
#[cfg(feature = "postgres")]
pub mod migrate;
pub mod pwa;
pub mod reports;
pub mod retention;
pub mod security;
pub mod seed;
pub mod sessions;
pub mod startup;
pub mod sync;
pub mod telemetry;
pub mod unlock;

pub use config::Config;
pub use startup::Application;
