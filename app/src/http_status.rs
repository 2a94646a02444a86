//! HTTP status of server-rendered pages. A missing record is a real 404 for browsers, crawlers
//! and tests alike, not a 200 page that happens to say "not found".

/// Marks the response being rendered as 404 Not Found (no effect in the browser).
pub fn not_found() {
    #[cfg(feature = "ssr")]
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
}
