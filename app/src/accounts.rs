//! Accounts: sign-in and sign-out with server-side sessions, password change, the admin's
//! account pages, and this device's side of being signed in (the profile kept for offline
//! use and the PIN lock).
mod admin;
mod admin_views;
mod api;
pub mod device;
#[cfg(feature = "ssr")]
pub mod device_end;
pub mod devices;
mod fields;
#[cfg(feature = "ssr")]
mod gate;
mod lock;
mod member_link;
mod new_account;
#[cfg(feature = "ssr")]
pub mod password;
mod redirect;
#[cfg(feature = "ssr")]
pub mod session;
#[cfg(feature = "ssr")]
mod sign_in;
#[cfg(feature = "ssr")]
pub mod store;
#[cfg(feature = "ssr")]
pub mod throttle;
mod types;
#[cfg(feature = "ssr")]
pub mod unlock;
mod views;

pub use admin::*;
pub use admin_views::AdminAccountsPage;
pub use api::*;
pub use fields::*;
pub use lock::{finish_interrupted_wipe, sign_out_and_wipe, AppLock, PinLock};
pub use member_link::*;
pub use types::*;
pub use views::{AccountPage, SetPinPage, SignInPage};

/// The account behind the request's session, if any (server only).
#[cfg(feature = "ssr")]
pub fn session_account() -> Option<session::SignedIn> {
    use leptos::prelude::use_context;
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<session::SignedIn>().cloned())
}

/// The account behind the request's session, or a 401 (server only).
#[cfg(feature = "ssr")]
pub fn signed_in() -> Result<session::SignedIn, crate::errors::AppError> {
    session_account().ok_or_else(|| crate::errors::AppError::SignInRequired.respond())
}

/// As `signed_in`, for reads of persons: the device must have proved lately that it was
/// unlocked, else a 401 `Locked` (server only; docs/offline-unlock.md).
#[cfg(feature = "ssr")]
pub fn signed_in_unlocked() -> Result<session::SignedIn, crate::errors::AppError> {
    let who = signed_in()?;
    unlock::require(&who).map_err(crate::errors::AppError::respond)?;
    Ok(who)
}
