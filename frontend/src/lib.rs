//! The browser entry point: hydrates the server-rendered page and registers the service
//! worker that keeps the app shell available without signal.
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    register_service_worker();
}

fn register_service_worker() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // The promise's outcome is only of interest when it fails; the browser reports that in
    // the console itself.
    let _ = container.register("/sw.js");
}
