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
    // The server shows the admin which version each device runs.
    let _ = headers.set(
        super::contract::APP_VERSION_HEADER,
        env!("CARGO_PKG_VERSION"),
    );
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

/// The server's answer to a session whose device was revoked (`AppError::DeviceRevoked`).
fn revoked(body: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|answer| answer.get("error")?.as_str().map(str::to_owned))
        .is_some_and(|error| error == crate::errors::AppError::DeviceRevoked.to_string())
}
