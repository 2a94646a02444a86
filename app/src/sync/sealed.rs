//! Sensitive records (persons of attention) on the device, encrypted at rest (browser only;
//! the design and its limits: `docs/offline-unlock.md`).
//!
//! Each record, and each person's entry waiting in the outbox, is AES-GCM ciphertext under a
//! random cache key `K`. `K` is kept only wrapped, four ways:
//! - online: by the PIN's key material and the server's share for this device (fetched at each
//!   PIN entry made with a connection, never stored); a revoked device gets no share and its
//!   cache is dropped;
//! - offline: by the PIN's key material alone, with the end of the offline window bound in, so
//!   a PIN opens the cache with no signal until then (renewed at each online unlock);
//! - by the password's key material, written at sign-in, for after the window;
//! - for the page loads of a tab that is unlocked (`keep_for_tab`), until the lock.
//!
//! The PIN's and password's key material come from `keys::derive`: argon2id, then PBKDF2 keyed
//! by this device's non-extractable key, so each guess must run on this phone.
use super::contract::Stream;
use super::keys::{self, hex, random_bytes, Derived, KeyError, Wrapped};
use super::local;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use web_sys::CryptoKey;

const ONLINE_WRAP: &str = "cache_key";
const OFFLINE_WRAP: &str = "cache_key_offline";
const PASSWORD_WRAP: &str = "cache_key_password";
/// `sessionStorage`: the password's key material from the sign-in, until the first unlock of
/// this tab writes the password wrap with it (the page load after sign-in drops memory).
const PENDING_PASSWORD: &str = "zq.password_wrap";
/// `sessionStorage`: the cache key wrapped for this tab's next page loads (see `keep_for_tab`).
const TAB_WRAP: &str = "zq.cache_tab";

thread_local! {
    static CACHE_KEY: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
    /// Goes up at every lock: an unlock that started before a lock must not open the cache
    /// once its awaits are over.
    static LOCKS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn locks() -> u64 {
    LOCKS.with(std::cell::Cell::get)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
    /// The wrap needed is not on this device: no connection and no offline wrap, or no
    /// password wrap.
    Offline,
    /// The app was locked while the unlock was under way.
    Locked,
    /// No connection, and the offline window has passed: the password opens the cache.
    WindowPassed,
    /// The server refused this device its share (revoked): the cache was dropped.
    Revoked,
    /// The server answered but refused the session (ended, signed out): a refusal is not "no
    /// signal", so the offline wrap stays shut (docs/offline-unlock.md).
    Refused,
    /// The password typed does not open the cache.
    WrongPassword,
    Crypto,
    Storage,
}

impl From<KeyError> for SealError {
    fn from(error: KeyError) -> Self {
        match error {
            KeyError::Storage => SealError::Storage,
            KeyError::NoDeviceKey | KeyError::Crypto => SealError::Crypto,
        }
    }
}

/// The online wrap: its HKDF salt beside the wrapped key.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct OnlineWrap {
    salt: String,
    #[serde(flatten)]
    key: Wrapped,
}

/// The offline wrap: the window's end (ms since 1970) is bound into the ciphertext, so editing
/// it breaks the wrap.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct OfflineWrap {
    until_ms: f64,
    #[serde(flatten)]
    key: Wrapped,
}

/// The password wrap: the salt its key material was derived with.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PasswordWrap {
    salt: String,
    #[serde(flatten)]
    key: Wrapped,
}

/// How the cache was opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Opened {
    Online,
    /// With no signal, inside the offline window.
    Offline,
}

fn session() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn window_aad(until_ms: f64) -> Vec<u8> {
    format!("offline until {until_ms}").into_bytes()
}

async fn stored<T: for<'de> Deserialize<'de>>(key: &str) -> Option<T> {
    local::meta::<T>(key).await.ok().flatten()
}

async fn store<T: Serialize>(key: &str, value: &T) -> Result<(), SealError> {
    local::set_meta(key, value)
        .await
        .map_err(|_| SealError::Storage)
}

/// Opens the cache, unless the app was locked since `started` (the value of `locks()` when
/// the unlock began).
fn open_now(key: CryptoKey, started: u64) -> Result<(), SealError> {
    if locks() != started {
        return Err(SealError::Locked);
    }
    CACHE_KEY.with(|k| *k.borrow_mut() = Some(key));
    Ok(())
}

/// A page load drops the key from memory, and asking the PIN at every load would make the app
/// unusable; so an unlocked tab keeps the key wrapped by a key from the device key and a salt
/// only this tab's `sessionStorage` holds. The lock (idle, or the app opened anew) drops it.
async fn keep_for_tab(key: &CryptoKey) {
    let (Some(storage), Some(salt)) = (session(), random_bytes(16)) else {
        return;
    };
    let Ok(kek) = keys::tab_key(&salt).await else {
        return;
    };
    if let Ok(wrapped) = keys::wrap(key, &kek, b"tab").await {
        let kept =
            serde_json::json!({ "salt": hex(&salt), "iv": wrapped.iv, "wrapped": wrapped.wrapped });
        let _ = storage.set_item(TAB_WRAP, &kept.to_string());
    }
}

/// Opens the cache again after a page load in a tab that was unlocked; `false` if it has no
/// key kept (or the app is to be locked, in which case the kept key is dropped).
pub async fn reopen_for_tab(locked: bool) -> bool {
    if locked {
        forget();
        return false;
    }
    let started = locks();
    let Some(kept) = session()
        .and_then(|storage| storage.get_item(TAB_WRAP).ok().flatten())
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    else {
        return false;
    };
    let text = |name: &str| {
        kept.get(name)
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_owned()
    };
    let Some(salt) = keys::unhex(&text("salt")) else {
        return false;
    };
    let wrapped = Wrapped {
        iv: text("iv"),
        wrapped: text("wrapped"),
    };
    let Ok(kek) = keys::tab_key(&salt).await else {
        return false;
    };
    match keys::unwrap(&wrapped, &kek, b"tab").await {
        Ok(key) => open_now(key, started).is_ok(),
        Err(_) => false,
    }
}

/// The proof key of the open cache (`keys::proof_key`); `None` while it is closed.
pub async fn proof_key() -> Option<Vec<u8>> {
    let key = CACHE_KEY.with(|k| k.borrow().clone())?;
    keys::proof_key(&key).await.ok()
}

/// Drops every wrap and the sealed records: what was sealed can no longer be opened.
async fn drop_cache() {
    clear_key();
    let _ = local::reset(Stream::Sensitive).await;
    for wrap in [ONLINE_WRAP, OFFLINE_WRAP, PASSWORD_WRAP] {
        let _ = local::set_meta(wrap, &serde_json::Value::Null).await;
    }
}

/// Opens the cache with the PIN's key material: online with the server's share (making the
/// cache key the first time, renewing the offline window), otherwise from the offline wrap
/// while the window lasts. A revoked device's cache is dropped.
pub async fn unlock_with_pin(pin: &Derived) -> Result<Opened, SealError> {
    let started = locks();
    let device_id = local::ensure_device_id()
        .await
        .map_err(|_| SealError::Storage)?;
    let body = serde_json::json!({ "device_id": device_id }).to_string();
    let answer = super::transport::fetch("POST", "/api/v1/sync/key", Some(body)).await;
    match answer {
        Ok((403, _)) | Err(super::state::SyncFailure::DeviceRevoked) => {
            drop_cache().await;
            Err(SealError::Revoked)
        }
        Ok((401, _)) | Err(super::state::SyncFailure::SignInNeeded) => Err(SealError::Refused),
        Ok((200, text)) => {
            let answer: serde_json::Value =
                serde_json::from_str(&text).map_err(|_| SealError::Crypto)?;
            let share = answer
                .get("share")
                .and_then(|s| keys::unhex(s.as_str()?))
                .ok_or(SealError::Crypto)?;
            let window_secs = answer
                .get("offline_window_secs")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.0);
            let key = open_online(pin, &share).await?;
            let until_ms = now_ms() + window_secs * 1000.0;
            let kek = pin.wrapping_key("offline", &[], &[]).await?;
            let wrap = keys::wrap(&key, &kek, &window_aad(until_ms)).await?;
            store(
                OFFLINE_WRAP,
                &OfflineWrap {
                    until_ms,
                    key: wrap,
                },
            )
            .await?;
            keep_for_tab(&key).await;
            open_now(key, started)?;
            write_pending_password().await;
            Ok(Opened::Online)
        }
        _ => {
            let wrap: OfflineWrap = stored(OFFLINE_WRAP).await.ok_or(SealError::Offline)?;
            if now_ms() > wrap.until_ms {
                // Seen to have passed, the wrap goes: setting the clock back afterwards opens
                // nothing (before, it would; see docs/offline-unlock.md).
                let _ = local::set_meta(OFFLINE_WRAP, &serde_json::Value::Null).await;
                return Err(SealError::WindowPassed);
            }
            let kek = pin.wrapping_key("offline", &[], &[]).await?;
            let aad = window_aad(wrap.until_ms);
            let key = match keys::unwrap(&wrap.key, &kek, &aad).await {
                Ok(key) => key,
                // The PIN was changed with no signal in a tab that holds the key: the offline
                // wrap follows it (same window).
                Err(error) => {
                    let key = CACHE_KEY.with(|k| k.borrow().clone()).ok_or(error)?;
                    let rewrapped = keys::wrap(&key, &kek, &aad).await?;
                    store(
                        OFFLINE_WRAP,
                        &OfflineWrap {
                            until_ms: wrap.until_ms,
                            key: rewrapped,
                        },
                    )
                    .await?;
                    key
                }
            };
            keep_for_tab(&key).await;
            open_now(key, started)?;
            write_pending_password().await;
            Ok(Opened::Offline)
        }
    }
}

/// The cache key from the online wrap. When that no longer opens because the PIN changed, the
/// same key is taken from memory (changed in an unlocked tab) or from the offline wrap (changed
/// with no signal) and wrapped again, so nothing sealed under it, outbox included, is lost. Only
/// when none opens (first unlock, or the share was replaced) is a new key made, and what the
/// old one sealed is dropped.
async fn open_online(pin: &Derived, share: &[u8]) -> Result<CryptoKey, SealError> {
    let online = stored::<OnlineWrap>(ONLINE_WRAP).await;
    if let Some(wrap) = &online {
        let salt = keys::unhex(&wrap.salt).ok_or(SealError::Crypto)?;
        let kek = pin.wrapping_key("online", share, &salt).await?;
        if let Ok(key) = keys::unwrap(&wrap.key, &kek, b"").await {
            return Ok(key);
        }
    }
    let key = match kept_key(pin).await {
        Some(key) => key,
        None => {
            if online.is_some() {
                drop_cache().await;
            }
            keys::new_cache_key().await?
        }
    };
    let salt = random_bytes(16).ok_or(SealError::Crypto)?;
    let kek = pin.wrapping_key("online", share, &salt).await?;
    let wrapped = keys::wrap(&key, &kek, b"").await?;
    store(
        ONLINE_WRAP,
        &OnlineWrap {
            salt: hex(&salt),
            key: wrapped,
        },
    )
    .await?;
    Ok(key)
}

/// The cache key as this tab holds it, or from the offline wrap with this PIN (the window is
/// not asked here: the server has just vouched for the device with its share).
async fn kept_key(pin: &Derived) -> Option<CryptoKey> {
    if let Some(key) = CACHE_KEY.with(|k| k.borrow().clone()) {
        return Some(key);
    }
    let wrap: OfflineWrap = stored(OFFLINE_WRAP).await?;
    let kek = pin.wrapping_key("offline", &[], &[]).await.ok()?;
    keys::unwrap(&wrap.key, &kek, &window_aad(wrap.until_ms))
        .await
        .ok()
}

/// Opens the cache with the account password (after the offline window, with no signal).
pub async fn unlock_with_password(password: &str) -> Result<(), SealError> {
    let started = locks();
    let wrap: PasswordWrap = stored(PASSWORD_WRAP).await.ok_or(SealError::Offline)?;
    let salt = keys::unhex(&wrap.salt).ok_or(SealError::Crypto)?;
    let material = keys::derive(password, &salt, false).await?;
    let kek = material.wrapping_key("password", &[], &[]).await?;
    let key = keys::unwrap(&wrap.key, &kek, b"")
        .await
        .map_err(|_| SealError::WrongPassword)?;
    keep_for_tab(&key).await;
    open_now(key, started)
}

/// Whether a new PIN can take over the cache: it can while the cache is open in this tab
/// (the key is wrapped again under it), or when there is no cache yet. Otherwise the new PIN
/// would open nothing, and the next online unlock would make a new key and lose what the old
/// one sealed, persons waiting in the outbox included.
pub async fn pin_may_change() -> bool {
    ready() || stored::<OnlineWrap>(ONLINE_WRAP).await.is_none()
}

/// Whether a password wrap is kept here (so the password can open the cache offline).
pub async fn has_password_wrap() -> bool {
    stored::<PasswordWrap>(PASSWORD_WRAP).await.is_some()
}

/// The password was typed (sign-in, password change): its key material is derived now, and
/// the password wrap is written at once if the cache is open, otherwise at the next unlock of
/// this tab.
pub async fn remember_password(password: &str) {
    let Some(salt) = random_bytes(16) else {
        return;
    };
    let Ok(material) = keys::derive(password, &salt, true).await else {
        return;
    };
    let Ok(kek) = material.wrapping_key("password", &[], &[]).await else {
        return;
    };
    if let Some(key) = CACHE_KEY.with(|k| k.borrow().clone()) {
        if let Ok(wrapped) = keys::wrap(&key, &kek, b"").await {
            let _ = store(
                PASSWORD_WRAP,
                &PasswordWrap {
                    salt: hex(&salt),
                    key: wrapped,
                },
            )
            .await;
        }
        return;
    }
    // Kept for this tab only, and sealed like the tab's cache key: with the password wrap it
    // would open the cache without a guess.
    let (Some(storage), Some(tab_salt)) = (session(), random_bytes(16)) else {
        return;
    };
    let Ok(tab) = keys::tab_key(&tab_salt).await else {
        return;
    };
    if let Some(sealed) = keys::encrypt(&tab, material.to_hex().as_bytes()).await {
        let pending = serde_json::json!({
            "salt": hex(&salt),
            "tab_salt": hex(&tab_salt),
            "material": sealed,
        });
        let _ = storage.set_item(PENDING_PASSWORD, &pending.to_string());
    }
}

async fn write_pending_password() {
    let Some(storage) = session() else {
        return;
    };
    let Some(pending) = storage
        .get_item(PENDING_PASSWORD)
        .ok()
        .flatten()
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
    else {
        return;
    };
    let _ = storage.remove_item(PENDING_PASSWORD);
    let text = |name: &str| pending.get(name).and_then(|v| v.as_str()).unwrap_or("");
    let salt = text("salt");
    let Some(tab_salt) = keys::unhex(text("tab_salt")) else {
        return;
    };
    let Ok(tab) = keys::tab_key(&tab_salt).await else {
        return;
    };
    let Some(material) = keys::decrypt(&tab, text("material"))
        .await
        .and_then(|plain| Derived::from_hex(std::str::from_utf8(&plain).ok()?))
    else {
        return;
    };
    let (Ok(kek), Some(key)) = (
        material.wrapping_key("password", &[], &[]).await,
        CACHE_KEY.with(|k| k.borrow().clone()),
    ) else {
        return;
    };
    if let Ok(wrapped) = keys::wrap(&key, &kek, b"").await {
        let _ = store(
            PASSWORD_WRAP,
            &PasswordWrap {
                salt: salt.to_owned(),
                key: wrapped,
            },
        )
        .await;
    }
}

/// Drops the key from memory and from this tab (the cache stays sealed on the device): the
/// lock. An unlock under way when it happens opens nothing.
pub fn forget() {
    LOCKS.with(|locks| locks.set(locks.get() + 1));
    clear_key();
}

fn clear_key() {
    CACHE_KEY.with(|k| *k.borrow_mut() = None);
    if let Some(storage) = session() {
        let _ = storage.remove_item(TAB_WRAP);
    }
}

/// Whether sensitive records can be sealed and opened now.
pub fn ready() -> bool {
    CACHE_KEY.with(|k| k.borrow().is_some())
}

/// The stored form of a sensitive record: `{"sealed": hex(iv ‖ ciphertext)}`; `None` when the
/// key is not open (the record is then not kept).
pub async fn seal(record: &serde_json::Value) -> Option<serde_json::Value> {
    let key = CACHE_KEY.with(|k| k.borrow().clone())?;
    let plain = serde_json::to_vec(record).ok()?;
    Some(serde_json::json!({ "sealed": keys::encrypt(&key, &plain).await? }))
}

/// The record inside a sealed value, while the key is open.
pub async fn open(stored: &serde_json::Value) -> Option<serde_json::Value> {
    let key = CACHE_KEY.with(|k| k.borrow().clone())?;
    let plain = keys::decrypt(&key, stored.get("sealed")?.as_str()?).await?;
    serde_json::from_slice(&plain).ok()
}

/// Whether a stored value is sealed (as opposed to a record kept in clear).
pub fn is_sealed(value: &serde_json::Value) -> bool {
    value
        .get("sealed")
        .is_some_and(serde_json::Value::is_string)
}
