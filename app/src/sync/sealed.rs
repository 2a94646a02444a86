//! Sensitive records (persons of attention) on the device, encrypted at rest (browser only).
//!
//! Each record is stored as AES-GCM ciphertext under a random cache key (the DEK). The DEK is
//! kept only wrapped (AES-GCM key wrap) by a key derived from two halves: the person's PIN
//! (PBKDF2-SHA-256) and a random share the server keeps for this device (HKDF-SHA-256 over
//! both). So a copy of the browser profile is unreadable without the PIN *and* the server's
//! share, and revoking the device on the server withholds the share for good.
//!
//! The DEK lives in memory only, from a PIN entry made with a connection until the page is
//! left; while it is absent, the sensitive stream is not pulled (the rest of sync goes on).
use super::contract::Stream;
use super::local;
use crate::accounts::device::{hex, random_bytes};
use js_sys::{Object, Reflect, Uint8Array};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

const KEY_META: &str = "cache_key";
/// PBKDF2 rounds for the PIN half: slows guessing a 4-digit PIN without the share.
const PIN_ROUNDS: u32 = 210_000;

thread_local! {
    static CACHE_KEY: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SealError {
    /// No connection: the server's share cannot be had now.
    Offline,
    /// The server refused this device its share (revoked): the cache was dropped.
    Revoked,
    Crypto,
    Storage,
}

/// The wrapped DEK as stored in `meta`.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct WrappedKey {
    salt: String,
    iv: String,
    wrapped: String,
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn subtle() -> Option<web_sys::SubtleCrypto> {
    Some(web_sys::window()?.crypto().ok()?.subtle())
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(name), value);
    }
    object
}

fn usages(list: &[&str]) -> JsValue {
    list.iter()
        .map(|u| JsValue::from_str(u))
        .collect::<js_sys::Array>()
        .into()
}

fn buffer(bytes: &[u8]) -> JsValue {
    Uint8Array::from(bytes).into()
}

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, SealError> {
    JsFuture::from(promise.map_err(|_| SealError::Crypto)?)
        .await
        .map_err(|_| SealError::Crypto)
}

fn gcm(iv: &[u8]) -> Object {
    object(&[("name", "AES-GCM".into()), ("iv", buffer(iv))])
}

/// The wrapping key from the PIN and the server's share.
async fn wrapping_key(pin: &str, salt: &[u8], share: &[u8]) -> Result<CryptoKey, SealError> {
    let subtle = subtle().ok_or(SealError::Crypto)?;
    let pin_key: CryptoKey = call(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(pin.as_bytes()),
        "PBKDF2",
        false,
        &usages(&["deriveBits"]),
    ))
    .await?
    .unchecked_into();
    let pbkdf2 = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", buffer(salt)),
        ("iterations", PIN_ROUNDS.into()),
    ]);
    let pin_bits =
        Uint8Array::new(&call(subtle.derive_bits_with_object(&pbkdf2, &pin_key, 256)).await?)
            .to_vec();
    let mut material = pin_bits;
    material.extend_from_slice(share);
    let base: CryptoKey = call(subtle.import_key_with_str(
        "raw",
        &Uint8Array::from(material.as_slice()),
        "HKDF",
        false,
        &usages(&["deriveKey"]),
    ))
    .await?
    .unchecked_into();
    let hkdf = object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", buffer(salt)),
        ("info", buffer(b"ziyaly-qauym cache key")),
    ]);
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    Ok(call(subtle.derive_key_with_object_and_object(
        &hkdf,
        &base,
        &aes,
        false,
        &usages(&["wrapKey", "unwrapKey"]),
    ))
    .await?
    .unchecked_into())
}

/// Opens (or, the first time, makes) the cache key with the PIN and the server's share.
/// Needs a connection. A refused share (revoked device) drops the sensitive cache.
pub async fn unlock(pin: &str) -> Result<(), SealError> {
    let device_id = local::ensure_device_id()
        .await
        .map_err(|_| SealError::Storage)?;
    let body = serde_json::json!({ "device_id": device_id }).to_string();
    let (status, text) = super::engine::fetch("POST", "/api/v1/sync/key", Some(body))
        .await
        .map_err(|_| SealError::Offline)?;
    if status == 403 {
        forget();
        let _ = local::reset(Stream::Sensitive).await;
        let _ = local::set_meta(KEY_META, &serde_json::Value::Null).await;
        return Err(SealError::Revoked);
    }
    if status != 200 {
        return Err(SealError::Offline);
    }
    let share = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| unhex(v.get("share")?.as_str()?))
        .ok_or(SealError::Crypto)?;
    let stored: Option<WrappedKey> = local::meta(KEY_META).await.ok().flatten();
    let subtle = subtle().ok_or(SealError::Crypto)?;
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    if let Some(stored) = &stored {
        let (Some(salt), Some(iv), Some(wrapped)) = (
            unhex(&stored.salt),
            unhex(&stored.iv),
            unhex(&stored.wrapped),
        ) else {
            return Err(SealError::Crypto);
        };
        let kek = wrapping_key(pin, &salt, &share).await?;
        let opened = call(subtle.unwrap_key_with_u8_array_and_object_and_object(
            "raw",
            &wrapped,
            &kek,
            &gcm(&iv),
            &aes,
            false,
            &usages(&["encrypt", "decrypt"]),
        ))
        .await;
        if let Ok(key) = opened {
            CACHE_KEY.with(|k| *k.borrow_mut() = Some(key.unchecked_into()));
            return Ok(());
        }
        // The PIN or the share changed since: what was sealed cannot be opened any more.
        let _ = local::reset(Stream::Sensitive).await;
    }
    let salt = random_bytes(16).ok_or(SealError::Crypto)?;
    let iv = random_bytes(12).ok_or(SealError::Crypto)?;
    let kek = wrapping_key(pin, &salt, &share).await?;
    let key: CryptoKey =
        call(subtle.generate_key_with_object(&aes, true, &usages(&["encrypt", "decrypt"])))
            .await?
            .unchecked_into();
    let wrapped =
        Uint8Array::new(&call(subtle.wrap_key_with_object("raw", &key, &kek, &gcm(&iv))).await?)
            .to_vec();
    let record = WrappedKey {
        salt: hex(&salt),
        iv: hex(&iv),
        wrapped: hex(&wrapped),
    };
    local::set_meta(KEY_META, &record)
        .await
        .map_err(|_| SealError::Storage)?;
    CACHE_KEY.with(|k| *k.borrow_mut() = Some(key));
    Ok(())
}

/// Drops the key from memory (the cache stays sealed on the device).
pub fn forget() {
    CACHE_KEY.with(|k| *k.borrow_mut() = None);
}

/// Whether sensitive records can be sealed now.
pub fn ready() -> bool {
    CACHE_KEY.with(|k| k.borrow().is_some())
}

/// The stored form of a sensitive record: `{"sealed": hex(iv ‖ ciphertext)}`; `None` when the
/// key is not open (the record is then not kept).
pub async fn seal(record: &serde_json::Value) -> Option<serde_json::Value> {
    let key = CACHE_KEY.with(|k| k.borrow().clone())?;
    let iv = random_bytes(12)?;
    let plain = serde_json::to_vec(record).ok()?;
    let cipher = call(subtle()?.encrypt_with_object_and_u8_array(&gcm(&iv), &key, &plain))
        .await
        .ok()?;
    let mut sealed = iv;
    sealed.extend(Uint8Array::new(&cipher).to_vec());
    Some(serde_json::json!({ "sealed": hex(&sealed) }))
}

/// The record inside a sealed value, while the key is open.
pub async fn open(stored: &serde_json::Value) -> Option<serde_json::Value> {
    let key = CACHE_KEY.with(|k| k.borrow().clone())?;
    let bytes = unhex(stored.get("sealed")?.as_str()?)?;
    let (iv, cipher) = bytes.split_at_checked(12)?;
    let plain = call(subtle()?.decrypt_with_object_and_u8_array(&gcm(iv), &key, cipher))
        .await
        .ok()?;
    serde_json::from_slice(&Uint8Array::new(&plain).to_vec()).ok()
}
