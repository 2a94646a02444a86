//! The browser entry point: hydrates the server-rendered page and registers the service
//! worker that keeps the app shell available without signal.
// The app's view type, nested once per element, outgrows the default query depth in release
// builds (debug builds erase component types).
#![recursion_limit = "512"]
use wasm_bindgen::prelude::wasm_bindgen;

#[wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A wipe cut short (the tab closed while it ran) ends before the page comes alive.
    if app::accounts::finish_interrupted_wipe() {
        return;
    }
    // Before anything else: the browser's install offer may come while the page loads.
    app::preferences::watch_install_prompt();
    // As `leptos::mount::hydrate_lazy`: the chunk of the page being opened is loaded before
    // that page hydrates. The layout is live earlier than the page inside it, so the page is
    // marked live only here, once all of it is; sync starts then.
    // (hydrate_from_async starts Leptos's executor; this outer task runs on wasm-bindgen's.)
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("a page has a body");
        let owner = leptos::mount::hydrate_from_async(body, app::App).await;
        owner.forget();
        app::hydration::page_hydrated();
    });
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
