//! The device key and the keys derived from a PIN or a password (browser only; the design and
//! its limits are in `docs/offline-unlock.md`).
//!
//! The device key `D` is a WebCrypto key made here and never extractable: script can use it
//! but not read its bytes, so a guess at a PIN or a password can only be tried on this device.
//! Every secret typed here goes through argon2id (memory-hard, against a copy of `D`'s bytes
//! taken from a decrypted disk) and then through PBKDF2 keyed by `D` (on this device only, at
//! the browser's native speed): that second step is what a thief with the phone pays per guess.
use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::CryptoKey;

/// `meta` key of the device key (a `CryptoKey` object, stored as it is, not as JSON text).
const DEVICE_KEY_META: &str = "device_key";
/// PBKDF2 rounds through the device key: about half a second per guess on a budget phone.
const DEVICE_ROUNDS: u32 = 600_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// This device has no device key (never made, or wiped).
    NoDeviceKey,
    Crypto,
    Storage,
}

/// Key material derived from something typed (PIN or password) on this device; held in memory
/// only, for as long as one unlock takes.
#[derive(Clone)]
pub struct Derived(Vec<u8>);

/// Bytes as lowercase hex, the way this device stores salts, hashes and keys.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `n` bytes from the browser's cryptographic random source.
pub fn random_bytes(n: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    web_sys::window()?
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes)
}

pub fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn subtle() -> Result<web_sys::SubtleCrypto, KeyError> {
    Ok(web_sys::window()
        .ok_or(KeyError::Crypto)?
        .crypto()
        .map_err(|_| KeyError::Crypto)?
        .subtle())
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

async fn call(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, KeyError> {
    JsFuture::from(promise.map_err(|_| KeyError::Crypto)?)
        .await
        .map_err(|_| KeyError::Crypto)
}

/// AES-GCM with this IV, and with `aad` bound to the ciphertext (changing it breaks opening).
fn gcm(iv: &[u8], aad: &[u8]) -> Object {
    object(&[
        ("name", "AES-GCM".into()),
        ("iv", buffer(iv)),
        ("additionalData", buffer(aad)),
    ])
}

fn aes256() -> Object {
    object(&[("name", "AES-GCM".into()), ("length", 256.into())])
}

/// The device key; made now if `create` and there is none.
async fn device_key(create: bool) -> Result<CryptoKey, KeyError> {
    use super::local;
    if let Ok(Some(key)) = local::meta_object(DEVICE_KEY_META).await {
        if let Ok(key) = key.dyn_into::<CryptoKey>() {
            return Ok(key);
        }
    }
    if !create {
        return Err(KeyError::NoDeviceKey);
    }
    let bytes = random_bytes(32).ok_or(KeyError::Crypto)?;
    let key: CryptoKey = call(subtle()?.import_key_with_str(
        "raw",
        &Uint8Array::from(bytes.as_slice()),
        "PBKDF2",
        false,
        &usages(&["deriveBits"]),
    ))
    .await?
    .unchecked_into();
    local::set_meta_object(DEVICE_KEY_META, &key)
        .await
        .map_err(|_| KeyError::Storage)?;
    Ok(key)
}

/// argon2id, 19 MiB and two passes: the memory-hard half of `derive`, which is what a guess
/// costs someone who has copied the device key's bytes off a decrypted disk.
fn argon2id(secret: &str, salt: &[u8]) -> Result<Vec<u8>, KeyError> {
    use argon2::{Algorithm, Argon2, Params, Version};
    let params = Params::new(19 * 1024, 2, 1, Some(32)).map_err(|_| KeyError::Crypto)?;
    let mut out = vec![0u8; 32];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(secret.as_bytes(), salt, &mut out)
        .map_err(|_| KeyError::Crypto)?;
    Ok(out)
}

/// The key material of a PIN or a password on this device: argon2id, then PBKDF2 keyed by
/// the device key. `create` makes the device key if there is none (at sign-in).
pub async fn derive(secret: &str, salt: &[u8], create: bool) -> Result<Derived, KeyError> {
    let device = device_key(create).await?;
    let mut stretched_salt = argon2id(secret, salt)?;
    stretched_salt.extend_from_slice(salt);
    let pbkdf2 = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", buffer(&stretched_salt)),
        ("iterations", DEVICE_ROUNDS.into()),
    ]);
    let bits = call(subtle()?.derive_bits_with_object(&pbkdf2, &device, 256)).await?;
    Ok(Derived(Uint8Array::new(&bits).to_vec()))
}

impl Derived {
    /// As hex, to carry across one page load in this tab's `sessionStorage` (see `sealed`).
    pub fn to_hex(&self) -> String {
        hex(&self.0)
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        unhex(text).filter(|bytes| bytes.len() == 32).map(Derived)
    }

    /// A value to compare a later derivation with (stored; opens nothing by itself).
    pub async fn check_value(&self) -> Result<String, KeyError> {
        let base = self.hkdf_base(&[]).await?;
        let hkdf = hkdf(b"", b"ziyaly-qauym pin check");
        let bits = call(subtle()?.derive_bits_with_object(&hkdf, &base, 256)).await?;
        Ok(hex(&Uint8Array::new(&bits).to_vec()))
    }

    /// A key that wraps the cache key, for one `purpose`, with `extra` bytes mixed in (the
    /// server's share for the online wrap) and this `salt`.
    pub async fn wrapping_key(
        &self,
        purpose: &str,
        extra: &[u8],
        salt: &[u8],
    ) -> Result<CryptoKey, KeyError> {
        let base = self.hkdf_base(extra).await?;
        let info = format!("ziyaly-qauym cache key: {purpose}");
        Ok(call(subtle()?.derive_key_with_object_and_object(
            &hkdf(salt, info.as_bytes()),
            &base,
            &aes256(),
            false,
            &usages(&["wrapKey", "unwrapKey"]),
        ))
        .await?
        .unchecked_into())
    }

    async fn hkdf_base(&self, extra: &[u8]) -> Result<CryptoKey, KeyError> {
        let mut material = self.0.clone();
        material.extend_from_slice(extra);
        Ok(call(subtle()?.import_key_with_str(
            "raw",
            &Uint8Array::from(material.as_slice()),
            "HKDF",
            false,
            &usages(&["deriveKey", "deriveBits"]),
        ))
        .await?
        .unchecked_into())
    }
}

fn hkdf(salt: &[u8], info: &[u8]) -> Object {
    object(&[
        ("name", "HKDF".into()),
        ("hash", "SHA-256".into()),
        ("salt", buffer(salt)),
        ("info", buffer(info)),
    ])
}

/// A key for what one tab keeps across its page loads (the cache key, the password's key
/// material until it is used), from the device key and the tab's random `salt`: it opens them
/// only with the device key, and only while the tab keeps the salt.
pub async fn tab_key(salt: &[u8]) -> Result<CryptoKey, KeyError> {
    let device = device_key(false).await?;
    let pbkdf2 = object(&[
        ("name", "PBKDF2".into()),
        ("hash", "SHA-256".into()),
        ("salt", buffer(salt)),
        ("iterations", 1.into()),
    ]);
    let bits = call(subtle()?.derive_bits_with_object(&pbkdf2, &device, 256)).await?;
    Ok(call(subtle()?.import_key_with_object(
        "raw",
        &js_sys::Object::from(bits),
        &aes256(),
        false,
        &usages(&["wrapKey", "unwrapKey", "encrypt", "decrypt"]),
    ))
    .await?
    .unchecked_into())
}

/// A wrapped cache key as stored: hex IV and ciphertext.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Wrapped {
    pub iv: String,
    pub wrapped: String,
}

/// A fresh cache key (AES-GCM 256; extractable only so it can be wrapped).
pub async fn new_cache_key() -> Result<CryptoKey, KeyError> {
    Ok(
        call(subtle()?.generate_key_with_object(&aes256(), true, &usages(&["encrypt", "decrypt"])))
            .await?
            .unchecked_into(),
    )
}

pub async fn wrap(key: &CryptoKey, kek: &CryptoKey, aad: &[u8]) -> Result<Wrapped, KeyError> {
    let iv = random_bytes(12).ok_or(KeyError::Crypto)?;
    let wrapped = call(subtle()?.wrap_key_with_object("raw", key, kek, &gcm(&iv, aad))).await?;
    Ok(Wrapped {
        iv: hex(&iv),
        wrapped: hex(&Uint8Array::new(&wrapped).to_vec()),
    })
}

/// The cache key inside `stored`; fails if the wrapping key or `aad` differ from the wrap's.
pub async fn unwrap(stored: &Wrapped, kek: &CryptoKey, aad: &[u8]) -> Result<CryptoKey, KeyError> {
    let (Some(iv), Some(wrapped)) = (unhex(&stored.iv), unhex(&stored.wrapped)) else {
        return Err(KeyError::Crypto);
    };
    Ok(
        call(subtle()?.unwrap_key_with_u8_array_and_object_and_object(
            "raw",
            &wrapped,
            kek,
            &gcm(&iv, aad),
            &aes256(),
            true,
            &usages(&["encrypt", "decrypt"]),
        ))
        .await?
        .unchecked_into(),
    )
}

/// The key this device proves its unlock with (docs/offline-unlock.md): 32 bytes only the
/// cache key gives, AES-GCM of zeros under a fixed, all-zero IV and a label. The same input
/// always gives the same bytes; no record is ever sealed under that IV (theirs are random, 96
/// bits), and the bytes tell nothing of the cache key itself.
pub async fn proof_key(cache: &CryptoKey) -> Result<Vec<u8>, KeyError> {
    let stream = call(subtle()?.encrypt_with_object_and_u8_array(
        &gcm(&[0u8; 12], b"zq unlock proof v1"),
        cache,
        &[0u8; 32],
    ))
    .await?;
    let mut bytes = Uint8Array::new(&stream).to_vec();
    bytes.truncate(32);
    Ok(bytes)
}

/// HMAC-SHA-256 of `data` under `key` (the answer to the server's unlock nonce).
pub async fn hmac_sha256(key: &[u8], data: &[u8]) -> Result<Vec<u8>, KeyError> {
    let algorithm = object(&[("name", "HMAC".into()), ("hash", "SHA-256".into())]);
    let key: CryptoKey = call(subtle()?.import_key_with_object(
        "raw",
        &Uint8Array::from(key),
        &algorithm,
        false,
        &usages(&["sign"]),
    ))
    .await?
    .unchecked_into();
    let mac = call(subtle()?.sign_with_str_and_u8_array("HMAC", &key, data)).await?;
    Ok(Uint8Array::new(&mac).to_vec())
}

/// `plain` encrypted under `key`: hex(IV ‖ ciphertext).
pub async fn encrypt(key: &CryptoKey, plain: &[u8]) -> Option<String> {
    let iv = random_bytes(12)?;
    let cipher = call(
        subtle()
            .ok()?
            .encrypt_with_object_and_u8_array(&gcm(&iv, b""), key, plain),
    )
    .await
    .ok()?;
    let mut sealed = iv;
    sealed.extend(Uint8Array::new(&cipher).to_vec());
    Some(hex(&sealed))
}

pub async fn decrypt(key: &CryptoKey, sealed: &str) -> Option<Vec<u8>> {
    let bytes = unhex(sealed)?;
    let (iv, cipher) = bytes.split_at_checked(12)?;
    let plain = call(
        subtle()
            .ok()?
            .decrypt_with_object_and_u8_array(&gcm(iv, b""), key, cipher),
    )
    .await
    .ok()?;
    Some(Uint8Array::new(&plain).to_vec())
}
