//! This device's side of being signed in (browser only; the functions are called from event
//! handlers and effects, never while rendering on the server).
//!
//! After an online sign-in the profile is kept in `localStorage`, so the app can reopen with no
//! signal and still know who works on it. A PIN protects a shared tablet: it is set after
//! sign-in, asked when the app is opened again and after inactivity, and too many wrong PINs
//! wipe the device's data so only a new online sign-in opens it. The PIN is stored only as a
//! check value that can be compared on this device alone (`sync::keys`).
use super::types::Profile;
use crate::sync::keys::{self, hex, random_bytes, Derived, KeyError};

const PROFILE_KEY: &str = "zq.profile";
const PIN_KEY: &str = "zq.pin";
const LAST_ACTIVE_KEY: &str = "zq.last_active";
const UNLOCKED_KEY: &str = "zq.unlocked";
/// Local keys of this app start with this, so a wipe removes them all and nothing else.
const KEY_PREFIX: &str = "zq.";
/// Set when a wipe starts and removed when it ends: a wipe a closed tab cut short is finished
/// at the next start, before the app shows anything (docs/offline-unlock.md).
const WIPE_PENDING_KEY: &str = "zq.wipe_pending";
/// A cookie the device sets the moment it wipes (sign-out, five wrong PINs, revocation): the
/// server ends the session it names at the browser's next request, with signal or without it
/// now. Not `HttpOnly`, so the page can write it; it carries no secret. Over HTTPS it has the
/// `__Host-` prefix, so no other host can set it. A finder who deletes it before the next
/// request keeps the session until it idles out (docs/offline-unlock.md): the device holds
/// nothing by then.
pub const SIGNED_OUT_COOKIE: &str = "zq_signed_out";
pub const SECURE_SIGNED_OUT_COOKIE: &str = "__Host-zq_signed_out";
/// The wipe mark's value when the server is to be told (a sign-out), not only the device
/// cleared (another account signed in on it).
const SIGNING_OUT: &str = "signed-out";

/// After this long without a touch or a key, the PIN is asked again.
pub const LOCK_AFTER_MS: f64 = 5.0 * 60.0 * 1000.0;
/// Wrong PINs or passwords in a row that wipe the device's data.
pub use super::fields::MAX_WRONG_SECRETS;

/// A PIN is 4 to 8 digits: typed on a phone's number pad.
pub fn valid_pin(pin: &str) -> bool {
    (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit())
}

#[derive(serde::Serialize, serde::Deserialize)]
struct StoredPin {
    account_id: String,
    salt: String,
    /// Compared with the PIN's key material (`keys::Derived::check_value`): testing a guess
    /// needs this device's key, which the browser never hands out (only a copy of a decrypted
    /// disk has its bytes; `docs/offline-unlock.md`).
    check: String,
    failures: u32,
}

/// The outcome of typing a PIN on the lock screen.
#[derive(Clone)]
pub enum PinCheck {
    /// The PIN's key material, which opens the persons cache.
    Correct(Derived),
    Wrong {
        attempts_left: u32,
    },
    /// Too many wrong PINs: the device's data was wiped.
    Wiped,
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

pub fn remember_profile(profile: &Profile) {
    if let (Some(storage), Ok(json)) = (local(), serde_json::to_string(profile)) {
        let _ = storage.set_item(PROFILE_KEY, &json);
    }
}

pub fn remembered_profile() -> Option<Profile> {
    let json = local()?.get_item(PROFILE_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

fn stored_pin() -> Option<StoredPin> {
    let json = local()?.get_item(PIN_KEY).ok()??;
    serde_json::from_str(&json).ok()
}

fn store_pin(pin: &StoredPin) {
    if let (Some(storage), Ok(json)) = (local(), serde_json::to_string(pin)) {
        let _ = storage.set_item(PIN_KEY, &json);
    }
}

/// Whether this device has a PIN for the account.
pub fn has_pin(account_id: &str) -> bool {
    stored_pin().is_some_and(|pin| pin.account_id == account_id)
}

/// Sets the PIN for the signed-in account (making this device's key if it has none); its key
/// material, or `None` if it is not 4–8 digits or the browser has no random source, crypto or
/// storage.
pub async fn set_pin(account_id: &str, pin: &str) -> Option<Derived> {
    if !valid_pin(pin) {
        return None;
    }
    let salt = random_bytes(16)?;
    let material = keys::derive(pin, &salt, true).await.ok()?;
    let check = material.check_value().await.ok()?;
    store_pin(&StoredPin {
        account_id: account_id.to_owned(),
        salt: hex(&salt),
        check,
        failures: 0,
    });
    mark_unlocked();
    stored_pin().is_some().then_some(material)
}

pub async fn check_pin(pin: &str) -> PinCheck {
    let Some(mut stored) = stored_pin() else {
        return PinCheck::Wiped;
    };
    let salt = keys::unhex(&stored.salt).unwrap_or_default();
    let material = match keys::derive(pin, &salt, false).await {
        Ok(material) => material,
        // The device key is gone (storage cleared): the PIN can no longer be checked.
        Err(KeyError::NoDeviceKey) => {
            wipe_storage();
            return PinCheck::Wiped;
        }
        Err(_) => return wrong_secret(),
    };
    if material
        .check_value()
        .await
        .is_ok_and(|check| check == stored.check)
    {
        stored.failures = 0;
        store_pin(&stored);
        mark_unlocked();
        return PinCheck::Correct(material);
    }
    wrong_secret()
}

/// A right password on this device: the wrong secrets typed before no longer count.
pub fn secret_accepted() {
    if let Some(mut stored) = stored_pin() {
        stored.failures = 0;
        store_pin(&stored);
    }
}

/// Counts a wrong PIN or password typed on this device; the last allowed one wipes it.
pub fn wrong_secret() -> PinCheck {
    let Some(mut stored) = stored_pin() else {
        return PinCheck::Wiped;
    };
    stored.failures += 1;
    if stored.failures >= MAX_WRONG_SECRETS {
        wipe_storage();
        return PinCheck::Wiped;
    }
    let attempts_left = MAX_WRONG_SECRETS - stored.failures;
    store_pin(&stored);
    PinCheck::Wrong { attempts_left }
}

/// Notes a touch or a key press (only while someone is signed in on this device).
pub fn mark_active() {
    if remembered_profile().is_none() {
        return;
    }
    if let Some(storage) = local() {
        let _ = storage.set_item(LAST_ACTIVE_KEY, &now_ms().to_string());
    }
}

/// Time since the last touch; a clock set back before it counts as too long (it would
/// otherwise keep the app unlocked).
fn idle_ms() -> f64 {
    local()
        .and_then(|storage| storage.get_item(LAST_ACTIVE_KEY).ok().flatten())
        .and_then(|value| value.parse::<f64>().ok())
        .map(|last| now_ms() - last)
        .filter(|idle| *idle >= 0.0)
        .unwrap_or(f64::INFINITY)
}

fn mark_unlocked() {
    if let Some(storage) = session() {
        let _ = storage.set_item(UNLOCKED_KEY, "1");
    }
    mark_active();
}

/// Whether the lock screen must show now: a PIN is set for the remembered account, and the
/// app was opened anew (this tab never unlocked) or sat idle too long.
pub fn must_lock() -> bool {
    let Some(profile) = remembered_profile() else {
        return false;
    };
    if !has_pin(&profile.account_id) {
        return false;
    }
    let unlocked_here = session()
        .and_then(|storage| storage.get_item(UNLOCKED_KEY).ok().flatten())
        .is_some();
    !unlocked_here || idle_ms() > LOCK_AFTER_MS
}

/// Forgets the unlock of this tab (the lock screen shows), and the persons cache's key with
/// it: the PIN opens it again.
pub fn lock() {
    if let Some(storage) = session() {
        let _ = storage.remove_item(UNLOCKED_KEY);
    }
    crate::sync::lock_cache();
}

fn wipe_storage() {
    if let Some(storage) = session() {
        let _ = storage.clear();
    }
    if let Some(storage) = local() {
        let keys: Vec<String> = (0..storage.length().unwrap_or(0))
            .filter_map(|i| storage.key(i).ok().flatten())
            .filter(|key| key.starts_with(KEY_PREFIX) && key != WIPE_PENDING_KEY)
            .collect();
        for key in keys {
            let _ = storage.remove_item(&key);
        }
        let _ = storage.remove_item(WIPE_PENDING_KEY);
    }
}

/// Removes everything this device kept for the signed-in person: the profile, the PIN, the
/// IndexedDB copy (records, outbox, drafts, the device key) and the pages the service worker
/// kept. The device goes first and the server is told after (docs/offline-unlock.md): the
/// signed-out cookie tells it at the next request, and a wipe cut short by a closed tab is
/// finished by `finish_interrupted_wipe` at the next start.
pub async fn wipe() {
    mark_signed_out();
    clear(SIGNING_OUT).await;
}

/// As `wipe`, but the session goes on: another account just signed in on this device, and
/// the previous one's data goes (the sign-in ended that one's session already).
pub async fn wipe_for_another_account() {
    clear("local").await;
}

async fn clear(mark: &str) {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    if let Some(storage) = local() {
        let _ = storage.set_item(WIPE_PENDING_KEY, mark);
    }
    crate::sync::lock_cache();
    crate::sync::local::wipe().await;
    if let Some(caches) = web_sys::window().and_then(|window| window.caches().ok()) {
        if let Ok(keys) = JsFuture::from(caches.keys()).await {
            let keys: js_sys::Array = keys.unchecked_into();
            for key in keys.iter().filter_map(|key| key.as_string()) {
                if key.starts_with("zq-pages-") {
                    let _ = JsFuture::from(caches.delete(&key)).await;
                }
            }
        }
    }
    // Last, with the mark that says the wipe is done.
    wipe_storage();
}

/// The signed-out cookie (`SIGNED_OUT_COOKIE`), a year long: it waits for the next request.
fn mark_signed_out() {
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else {
        return;
    };
    let secure = window.location().protocol().is_ok_and(|p| p == "https:");
    let (name, flags) = if secure {
        (SECURE_SIGNED_OUT_COOKIE, "; Secure")
    } else {
        (SIGNED_OUT_COOKIE, "")
    };
    if let Some(document) = window
        .document()
        .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
    {
        let _ = document.set_cookie(&format!(
            "{name}=1; Path=/; Max-Age=31536000; SameSite=Lax{flags}"
        ));
    }
}

/// Finishes a wipe started here and never finished (the tab closed meanwhile), the way it
/// was started; `false` when there is none.
pub async fn finish_interrupted_wipe() -> bool {
    let Some(mark) = local().and_then(|storage| storage.get_item(WIPE_PENDING_KEY).ok().flatten())
    else {
        return false;
    };
    if mark == SIGNING_OUT {
        wipe().await;
    } else {
        wipe_for_another_account().await;
    }
    true
}

/// Whether a wipe was started here and never finished.
pub fn wipe_interrupted() -> bool {
    local()
        .and_then(|storage| storage.get_item(WIPE_PENDING_KEY).ok().flatten())
        .is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_four_to_eight_digits() {
        assert!(valid_pin("1234") && valid_pin("12345678"));
        assert!(!valid_pin("123") && !valid_pin("123456789"));
        assert!(!valid_pin("12a4") && !valid_pin("１２３４"));
    }
}
