//! How the device speaks to the server (browser only): same-origin requests with the session
//! cookie, gzip for large bodies, and the answers every caller obeys alike — a revoked device,
//! "too many requests", "busy" — as failures of one kind.
use super::failure::SyncFailure;
use leptos::prelude::window;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A same-origin request with the session cookie; the status and the body text. Answers that
/// every caller must obey the same way are failures here: a revoked device (wipe), and "too
/// many requests" or "busy" with the seconds to wait (`Retry-After`).
pub async fn fetch(
    method: &str,
    address: &str,
    body: Option<String>,
) -> Result<(u16, String), SyncFailure> {
    let body = body.map(|text| (wasm_bindgen::JsValue::from_str(&text), None));
    send(method, address, body).await
}

/// As `fetch`, with the JSON body gzip-compressed in the browser (`CompressionStream`): a push
/// of many entries shrinks about sixfold on a slow link. A browser without it sends plain JSON;
/// the server takes both.
pub async fn fetch_gzipped(
    method: &str,
    address: &str,
    body: String,
) -> Result<(u16, String), SyncFailure> {
    let body = match gzip(&body).await {
        Some(bytes) => (bytes.into(), Some("gzip")),
        None => (wasm_bindgen::JsValue::from_str(&body), None),
    };
    send(method, address, Some(body)).await
}

// web-sys has `CompressionStream` only behind `--cfg web_sys_unstable_apis`, which would
// change the build flags of every crate; the three members used are bound here.
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, wasm_bindgen::JsValue>;
    #[wasm_bindgen(method, getter)]
    fn readable(this: &CompressionStream) -> web_sys::ReadableStream;
    #[wasm_bindgen(method, getter)]
    fn writable(this: &CompressionStream) -> web_sys::WritableStream;
}

async fn gzip(text: &str) -> Option<js_sys::Uint8Array> {
    let supported = js_sys::Reflect::has(&js_sys::global(), &"CompressionStream".into());
    if !supported.unwrap_or(false) {
        return None;
    }
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).ok()?;
    let compressor = CompressionStream::new("gzip").ok()?;
    let pair = web_sys::ReadableWritablePair::new(&compressor.readable(), &compressor.writable());
    let compressed = blob.stream().pipe_through(&pair);
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&compressed)).ok()?;
    let buffer = JsFuture::from(response.array_buffer().ok()?).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer))
}

/// Whether the server answered that the session must prove the device is unlocked before it
/// reads persons (docs/offline-unlock.md; `AppError::Locked`).
pub fn asks_unlock(status: u16, body: &str) -> bool {
    status == 401
        && error_code(body)
            .is_some_and(|error| error == crate::errors::AppError::Locked.to_string())
}

async fn send(
    method: &str,
    address: &str,
    body: Option<(wasm_bindgen::JsValue, Option<&str>)>,
) -> Result<(u16, String), SyncFailure> {
    let init = web_sys::RequestInit::new();
    init.set_method(method);
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let headers = web_sys::Headers::new().map_err(|_| SyncFailure::Offline)?;
    let _ = headers.set("accept", "application/json");
    // The server shows the admin which version each device runs; the sync endpoints answer
    // only requests that carry it (docs/offline-unlock.md).
    let _ = headers.set(
        super::contract::APP_VERSION_HEADER,
        env!("CARGO_PKG_VERSION"),
    );
    // Behind the lock screen the app's requests are not the person's activity.
    if LOCK_SHOWN.with(std::cell::Cell::get) {
        let _ = headers.set(super::contract::LOCK_HEADER, "locked");
    }
    if let Some((body, encoding)) = body {
        let _ = headers.set("content-type", "application/json");
        if let Some(encoding) = encoding {
            let _ = headers.set("content-encoding", encoding);
        }
        init.set_body(&body);
    }
    init.set_headers(&headers);
    let request = web_sys::Request::new_with_str_and_init(address, &init)
        .map_err(|_| SyncFailure::Offline)?;
    let response = JsFuture::from(window().fetch_with_request(&request))
        .await
        .map_err(|_| SyncFailure::Offline)?;
    let response: web_sys::Response = response.unchecked_into();
    let status = response.status();
    let text = match response.text() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .map_err(|_| SyncFailure::Offline)?
            .as_string()
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    if status == 403 && revoked(&text) {
        return Err(SyncFailure::DeviceRevoked);
    }
    if status == 429 || status == 503 {
        let seconds = response
            .headers()
            .get("retry-after")
            .ok()
            .flatten()
            .and_then(|value| value.trim().parse::<u32>().ok());
        if let Some(seconds) = seconds {
            return Err(SyncFailure::Busy(seconds));
        }
    }
    Ok((status, text))
}

thread_local! {
    static LOCK_SHOWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the lock screen shows now (set by the lock screen): requests then say so.
pub fn set_lock_shown(shown: bool) {
    LOCK_SHOWN.with(|flag| flag.set(shown));
}

/// Tells the server the app locked or was put away (`POST /api/v1/sync/lock`): the session
/// reads no person until the device proves an unlock again (docs/offline-unlock.md). Sent with
/// `keepalive`, so it leaves even as the page goes; with no signal it is lost, and the lock
/// header of the app's next request says the same.
pub fn lock_server() {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // (web-sys has no setter for it without its unstable APIs.)
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    if let Ok(headers) = web_sys::Headers::new() {
        let _ = headers.set(
            super::contract::APP_VERSION_HEADER,
            env!("CARGO_PKG_VERSION"),
        );
        let _ = headers.set(super::contract::LOCK_HEADER, "locked");
        init.set_headers(&headers);
    }
    let _ = window().fetch_with_str_and_init("/api/v1/sync/lock", &init);
}

/// The server's answer to a session whose device was revoked (`AppError::DeviceRevoked`).
fn revoked(body: &str) -> bool {
    error_code(body)
        .is_some_and(|error| error == crate::errors::AppError::DeviceRevoked.to_string())
}

/// The `error` of a refusal's JSON body.
fn error_code(body: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|answer| answer.get("error")?.as_str().map(str::to_owned))
}
