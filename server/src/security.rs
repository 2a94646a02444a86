//! Protections every response gets: security headers (with a per-page CSP nonce), refusal of
//! cross-site writes (CSRF), and a cap on request bodies. Refusals carry a translated message.
use app::i18n::Locale;
use app::refusals::Refusal;
use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use leptos::nonce::Nonce;

/// Largest request body accepted (bigger ones get 413): generous for forms, small enough that
/// nobody can fill the server's memory. Endpoints that need more set their own limit.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// The policy for server-rendered pages: scripts only from this origin or carrying the page's
/// nonce (Leptos puts it on its hydration and streaming scripts), wasm allowed to compile.
pub fn page_csp(nonce: &Nonce) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// For the service worker script: it fetches and caches this origin's files, nothing else.
pub const WORKER_CSP: &str =
    "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// For everything that is not a page (files, API answers): nothing may run or frame it.
const OTHER_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Adds the security headers a response does not already have.
pub async fn security_headers(request: Request, next: Next, https: bool) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let mut set = |name: header::HeaderName, value: &'static str| {
        headers
            .entry(name)
            .or_insert(HeaderValue::from_static(value));
    };
    set(header::CONTENT_SECURITY_POLICY, OTHER_CSP);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    set(header::X_FRAME_OPTIONS, "DENY");
    set(
        header::HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        header::HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(self)",
    );
    if https {
        set(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=31536000; includeSubDomains",
        );
    }
    response
}

/// Refuses state-changing requests that a browser sent from another site, and reads that
/// write an audit line (persons of attention) when another site asked for them.
///
/// Browsers send `Origin` with every cross-site POST, and `Sec-Fetch-Site` with every request;
/// a write is let through only when one of them says it comes from this very origin. A request
/// with neither did not come from a browser page, so it cannot ride a user's cookies.
///
/// A plain link or image on another site is a GET that carries the cookie too (SameSite=Lax
/// lets top-level links through): pointed at a person's page or the sensitive pull — or at a
/// form whose person picker reads the persons once the page runs — it would fill an
/// inspector's audit trail with reads he never made. So the app's pages (but the home page and
/// sign-in) and the pull need a request from this site, or one the person typed in
/// (`Sec-Fetch-Site: none`); a link followed from elsewhere lands on the home page instead.
pub async fn refuse_cross_site(request: Request, next: Next) -> Response {
    let headers = request.headers();
    let allowed = if is_safe(request.method()) {
        !private_read(request.uri().path()) || !fetched_by_another_site(headers)
    } else {
        comes_from_this_origin(headers)
    };
    if allowed {
        return next.run(request).await;
    }
    tracing::warn!(method = %request.method(), path = %request.uri().path(), "cross-site request refused");
    let navigation = headers
        .get("sec-fetch-mode")
        .is_some_and(|mode| mode == "navigate");
    if is_safe(request.method()) && navigation {
        return axum::response::Redirect::to("/").into_response();
    }
    let locale = preferred_locale(headers);
    refusal_response(StatusCode::FORBIDDEN, Refusal::CrossSite, locale)
}

/// The app's data is for the app (docs/offline-unlock.md): whoever holds a signed-in phone
/// must not read it by typing an API address into the browser. An `/api/` address opened as a
/// page (`Sec-Fetch-Mode: navigate` or `Sec-Fetch-Dest: document`) is refused, but for the
/// reports' downloads, which are links and carry counts only; the sync endpoints also need the
/// header the app's own requests carry.
pub async fn app_only(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let headers = request.headers();
    let refused = path.starts_with("/api/")
        && ((opened_as_page(headers) && !path.starts_with("/api/v1/reports/"))
            || (path.starts_with("/api/v1/sync/")
                && !headers.contains_key(app::sync::contract::APP_VERSION_HEADER)));
    if !refused {
        return next.run(request).await;
    }
    tracing::warn!(path = %path, "API request not made by the app refused");
    refusal_response(
        StatusCode::FORBIDDEN,
        Refusal::AppOnly,
        preferred_locale(headers),
    )
}

fn opened_as_page(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-mode")
        .is_some_and(|mode| mode == "navigate")
        || headers
            .get("sec-fetch-dest")
            .is_some_and(|dest| dest == "document" || dest == "iframe")
}

/// GETs that read the app's records: every page but the home page and sign-in (what a page is
/// decides the session layer), and the pull.
fn private_read(path: &str) -> bool {
    path == "/api/v1/sync/pull"
        || (crate::sessions::is_page(path) && path != "/" && path != "/sign-in")
}

fn fetched_by_another_site(headers: &HeaderMap) -> bool {
    headers
        .get("sec-fetch-site")
        .is_some_and(|site| site == "cross-site" || site == "same-site")
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn comes_from_this_origin(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => {
            // Compare authorities: the scheme is whatever the (possibly proxied) browser used.
            origin
                .split_once("://")
                .is_some_and(|(_, authority)| authority == host)
        }
        (Some(_), None) => false,
        (None, _) => match text("sec-fetch-site") {
            Some(site) => site == "same-origin" || site == "none",
            None => true,
        },
    }
}

/// Turns the bare 413 of the body limit into a translated message (a route with a larger
/// limit of its own, the map import, explains its 413 itself, as JSON).
pub async fn explain_payload_too_large(request: Request, next: Next) -> Response {
    let locale = preferred_locale(request.headers());
    let response = next.run(request).await;
    let explained = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/json"));
    if response.status() != StatusCode::PAYLOAD_TOO_LARGE || explained {
        return response;
    }
    let refusal = Refusal::TooLarge {
        limit_kb: MAX_BODY_BYTES / 1024,
    };
    refusal_response(StatusCode::PAYLOAD_TOO_LARGE, refusal, locale)
}

fn refusal_response(status: StatusCode, refusal: Refusal, locale: Locale) -> Response {
    let body = serde_json::json!({ "error": refusal.code(), "message": refusal.message(locale) });
    let mut response = (status, Json(body)).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The language for a message the app did not render: the language cookie the app sets, else
/// the browser's Accept-Language, else Russian.
pub fn preferred_locale(headers: &HeaderMap) -> Locale {
    let from_cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == app::LANGUAGE_COOKIE)
        .and_then(|(_, value)| locale_from_tag(value));
    let from_header = || {
        headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|list| {
                list.split(',')
                    .filter_map(|item| locale_from_tag(item.split(';').next()?.trim()))
                    .next()
            })
    };
    from_cookie.or_else(from_header).unwrap_or(Locale::ru)
}

pub(crate) fn locale_from_tag(tag: &str) -> Option<Locale> {
    match tag.split('-').next()?.to_ascii_lowercase().as_str() {
        "ru" => Some(Locale::ru),
        "kk" => Some(Locale::kk),
        "en" => Some(Locale::en),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn private_reads_are_told_apart_and_other_sites_recognised() {
        assert!(private_read("/persons") && private_read("/persons/abc"));
        assert!(private_read("/offences/new") && private_read("/tasks"));
        assert!(private_read("/api/v1/sync/pull"));
        assert!(!private_read("/") && !private_read("/sign-in"));
        assert!(!private_read("/pkg/app.wasm") && !private_read("/sw.js"));
        assert!(!private_read("/healthz") && !private_read("/api/sign_in"));
        assert!(fetched_by_another_site(&headers(&[(
            "sec-fetch-site",
            "cross-site"
        )])));
        assert!(fetched_by_another_site(&headers(&[(
            "sec-fetch-site",
            "same-site"
        )])));
        assert!(!fetched_by_another_site(&headers(&[(
            "sec-fetch-site",
            "none"
        )])));
        assert!(!fetched_by_another_site(&headers(&[(
            "sec-fetch-site",
            "same-origin"
        )])));
        assert!(!fetched_by_another_site(&headers(&[])));
    }

    #[test]
    fn same_origin_writes_pass_and_cross_site_ones_do_not() {
        let ok = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        let evil = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "https://evil.example"),
        ]);
        let null = headers(&[("host", "127.0.0.1:3000"), ("origin", "null")]);
        let fetch_cross = headers(&[("host", "a"), ("sec-fetch-site", "cross-site")]);
        let fetch_same = headers(&[("host", "a"), ("sec-fetch-site", "same-origin")]);
        let no_browser = headers(&[("host", "a")]);
        assert!(comes_from_this_origin(&ok));
        assert!(!comes_from_this_origin(&evil));
        assert!(!comes_from_this_origin(&null));
        assert!(!comes_from_this_origin(&fetch_cross));
        assert!(comes_from_this_origin(&fetch_same));
        assert!(comes_from_this_origin(&no_browser));
    }

    #[test]
    fn the_language_comes_from_the_cookie_then_the_browser_then_russian() {
        let cookie = headers(&[
            ("cookie", "a=b; i18n_pref_locale=kk"),
            ("accept-language", "en"),
        ]);
        let browser = headers(&[("accept-language", "de-DE, en-GB;q=0.8")]);
        assert_eq!(preferred_locale(&cookie), Locale::kk);
        assert_eq!(preferred_locale(&browser), Locale::en);
        assert_eq!(preferred_locale(&HeaderMap::new()), Locale::ru);
    }

    #[test]
    fn the_page_policy_allows_only_nonced_inline_scripts() {
        let nonce = leptos::nonce::Nonce::new();
        let csp = page_csp(&nonce);
        assert!(csp.contains(&format!("'nonce-{nonce}'")));
        assert!(!csp.contains("unsafe-inline"));
        assert!(csp.contains("frame-ancestors 'none'"));
    }
}
