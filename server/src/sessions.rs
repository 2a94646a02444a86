//! The session layer: for every page and API request, finds the account behind the session cookie (and the
//! client's address) and hands them to the app in the request's extensions. Pages other than
//! sign-in need a session: without one the browser is sent to sign in, with the page to come
//! back to. Pages are `no-store`, so after sign-out the back button cannot show a private page
//! from the browser's cache.
use app::accounts::session::{self, AuthSettings, ClientAddress, Invalid};
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use sqlx::SqlitePool;
use std::net::SocketAddr;

/// Pages anyone may open.
const PUBLIC_PAGES: &[&str] = &["/sign-in"];

/// Whether the path is one of the app's pages (not a file, a server function or the worker).
fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || last.contains('.'))
}

fn client_address(request: &Request, settings: &AuthSettings) -> String {
    let forwarded = settings
        .behind_proxy
        .then(|| request.headers().get("x-forwarded-for"))
        .flatten()
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(',').next())
        .map(|first| first.trim().to_owned())
        .filter(|first| !first.is_empty());
    forwarded
        .or_else(|| {
            request
                .extensions()
                .get::<ConnectInfo<SocketAddr>>()
                .map(|info| info.0.ip().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

pub async fn layer(
    pool: SqlitePool,
    settings: AuthSettings,
    mut request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let page = is_page(&path);
    // Build files, icons, the manifest and the worker are the same for everybody: no session
    // lookup (two queries) for each of them.
    if !page && !path.starts_with("/api/") {
        return next.run(request).await;
    }
    let address = client_address(&request, &settings);
    request.extensions_mut().insert(ClientAddress(address));

    let token = request
        .headers()
        .get(header::COOKIE)
        .and_then(|value| value.to_str().ok())
        .and_then(|cookies| session::read_cookie(cookies, settings.session_cookie()))
        .filter(|token| !token.is_empty())
        .map(str::to_owned);
    let mut invalid = None;
    if let Some(token) = token {
        match session::resolve(&pool, &token, &settings, session::now_secs()).await {
            Ok(Ok(signed_in)) => {
                request.extensions_mut().insert(signed_in);
            }
            Ok(Err(why)) => invalid = Some(why),
            Err(error) => {
                tracing::error!(%error, "session lookup failed");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        }
    }
    let signed_in = request.extensions().get::<session::SignedIn>().is_some();
    let navigation = matches!(*request.method(), Method::GET | Method::HEAD);

    let mut response = if page && navigation && !signed_in && !PUBLIC_PAGES.contains(&path.as_str())
    {
        let mut target = format!("/sign-in?next={}", encode(&path_and_query(&request)));
        if invalid == Some(Invalid::Expired) {
            target.push_str("&expired=1");
        }
        Redirect::to(&target).into_response()
    } else if page && navigation && signed_in && path == "/sign-in" {
        Redirect::to("/").into_response()
    } else {
        next.run(request).await
    };

    if invalid.is_some() {
        let gone = session::cookie(
            settings.session_cookie(),
            "",
            Some(0),
            settings.secure_cookies,
        );
        if let Ok(value) = HeaderValue::from_str(&gone) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn path_and_query(request: &Request) -> String {
    request
        .uri()
        .path_and_query()
        .map(|pq| pq.as_str().to_owned())
        .unwrap_or_else(|| "/".into())
}

/// Percent-encodes everything but unreserved characters (for the `next` parameter).
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_told_apart_from_files_and_functions() {
        assert!(is_page("/") && is_page("/persons/abc") && is_page("/sign-in"));
        assert!(!is_page("/api/sign_in") && !is_page("/pkg/app.wasm"));
        assert!(!is_page("/manifest.webmanifest") && !is_page("/sw.js") && !is_page("/healthz"));
    }

    #[test]
    fn the_return_address_is_encoded() {
        assert_eq!(
            encode("/persons?village=a b&x=1"),
            "/persons%3Fvillage%3Da%20b%26x%3D1"
        );
    }
}
