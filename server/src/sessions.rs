//! The session layer: for every page and API request, finds the account behind the session cookie (and the
//! client's address) and hands them to the app in the request's extensions. Pages other than
//! sign-in need a session: without one the browser is sent to sign in, with the page to come
//! back to. Pages are `no-store`, so after sign-out the back button cannot show a private page
//! from the browser's cache.
use crate::limits::AccountRate;
use app::accounts::session::{self, AuthSettings, ClientAddress, Invalid};
use app::db::DbPool;
use axum::extract::{ConnectInfo, Request};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::net::SocketAddr;

/// Pages anyone may open.
const PUBLIC_PAGES: &[&str] = &["/sign-in"];
/// The sign-in function: a revoked browser, wiped, signs in again as a new device.
const SIGN_IN_FUNCTION: &str = "/api/sign_in";

/// Whether the path is one of the app's pages (not a file, a server function or the worker).
pub(crate) fn is_page(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !(path.starts_with("/api/")
        || path.starts_with("/pkg/")
        || path == "/healthz"
        || last.contains('.'))
}

fn client_address(request: &Request, settings: &AuthSettings) -> String {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string());
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .collect();
    forwarded_client(&forwarded, settings.trusted_proxy_hops)
        .or(peer)
        .unwrap_or_else(|| "unknown".into())
}

/// The client's address in `X-Forwarded-For` behind `hops` proxies. Each proxy appends the
/// address it was connected from, so only the last `hops` entries were written by proxies we
/// trust; anything left of them came from the client and may be forged. The entry `hops`
/// places from the right is therefore the one our outermost proxy saw. Fewer entries than
/// hops means a proxy did not set the header: the peer address is used instead.
pub fn forwarded_client(headers: &[&str], hops: u8) -> Option<String> {
    if hops == 0 {
        return None;
    }
    let entries: Vec<&str> = headers
        .iter()
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let index = entries.len().checked_sub(usize::from(hops))?;
    entries
        .get(index)
        .filter(|entry| entry.parse::<std::net::IpAddr>().is_ok())
        .map(|entry| (*entry).to_owned())
}

pub async fn layer(
    pool: DbPool,
    settings: AuthSettings,
    rate: AccountRate,
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

    let token = cookie_of(&request, settings.session_cookie()).filter(|token| !token.is_empty());
    let mut invalid = None;
    // The device wiped itself (sign-out, too many wrong PINs), maybe with no signal: the
    // session its cookie names ends now, before anything is served with it.
    let signed_out_cookie = if settings.secure_cookies {
        app::accounts::device::SECURE_SIGNED_OUT_COOKIE
    } else {
        app::accounts::device::SIGNED_OUT_COOKIE
    };
    let signed_out = cookie_of(&request, signed_out_cookie).is_some();
    let token = match (token, signed_out) {
        (Some(token), true) => {
            if let Err(error) = app::accounts::device_end::end_signed_out(&pool, &token).await {
                return crate::api::database_failure(request.headers(), error, "sign-out");
            }
            invalid = Some(Invalid::Unknown);
            None
        }
        (token, _) => token,
    };
    if let Some(token) = token {
        let headers = request.headers();
        let app_version = headers
            .get(app::sync::contract::APP_VERSION_HEADER)
            .and_then(|value| value.to_str().ok());
        let activity = match headers.get(app::sync::contract::LOCK_HEADER) {
            Some(value) if value == "locked" => session::Activity::Locked,
            _ => session::Activity::InUse,
        };
        let now = session::now_secs();
        match session::resolve(&pool, &token, &settings, now, app_version, activity).await {
            Ok(Ok(signed_in)) => {
                request.extensions_mut().insert(signed_in);
            }
            Ok(Err(why)) => invalid = Some(why),
            Err(error) => {
                return crate::api::database_failure(request.headers(), error, "session lookup")
            }
        }
    }
    // A device revoked after its sessions ended (idle, signed out, its account disabled) is
    // still told, by its device cookie, on every request but sign-in itself: otherwise it
    // would keep what it holds until someone signs in on it (docs/offline-unlock.md).
    if invalid != Some(Invalid::Revoked)
        && request.extensions().get::<session::SignedIn>().is_none()
        && path != "/sign-in"
        && path != SIGN_IN_FUNCTION
    {
        let cookie = cookie_of(&request, session::DEVICE_COOKIE);
        match app::accounts::device_end::device_revoked(&pool, cookie.as_deref()).await {
            Ok(true) => invalid = Some(Invalid::Revoked),
            Ok(false) => {}
            Err(error) => {
                return crate::api::database_failure(request.headers(), error, "device lookup")
            }
        }
    }
    let account = request
        .extensions()
        .get::<session::SignedIn>()
        .map(|who| who.principal.account_id.clone());
    if let (Some(account), false) = (&account, page) {
        if let Err(seconds) = rate.check(account) {
            return crate::api::refuse(
                request.headers(),
                app::errors::AppError::TooManyRequests { seconds },
            );
        }
    }
    let signed_in = account.is_some();
    let navigation = matches!(*request.method(), Method::GET | Method::HEAD);

    let mut response = if invalid == Some(Invalid::Revoked) && !page {
        // The device's sync loop reads this answer and wipes the device.
        crate::api::refuse(request.headers(), app::errors::AppError::DeviceRevoked)
    } else if page && navigation && !signed_in && !PUBLIC_PAGES.contains(&path.as_str()) {
        let mut target = format!("/sign-in?next={}", encode(&path_and_query(&request)));
        match invalid {
            Some(Invalid::Expired) => target.push_str("&expired=1"),
            // The sign-in page wipes the device's data when it sees this.
            Some(Invalid::Revoked) => target.push_str("&revoked=1"),
            _ => {}
        }
        Redirect::to(&target).into_response()
    } else if page && navigation && signed_in && path == "/sign-in" && !signing_in_again(&request) {
        Redirect::to("/").into_response()
    } else {
        next.run(request).await
    };

    // A revoked session's cookie stays: it is what tells the device, at each request, to wipe.
    // A response that sets a new session (sign-in) keeps it.
    let sets_session = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|value| {
            value
                .as_bytes()
                .starts_with(settings.session_cookie().as_bytes())
        });
    if signed_out {
        let secure = if settings.secure_cookies {
            "; Secure"
        } else {
            ""
        };
        let done = format!("{signed_out_cookie}=; Path=/; Max-Age=0; SameSite=Lax{secure}");
        if let Ok(value) = HeaderValue::from_str(&done) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    if invalid.is_some_and(|why| why != Invalid::Revoked) && !sets_session {
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
    if page && app::persons::private_page(&path) {
        // `no-store` keeps it out of the browser's cache; this keeps it out of the worker's.
        response.headers_mut().insert(
            app::persons::PRIVATE_PAGE_HEADER,
            HeaderValue::from_static("1"),
        );
    }
    response
}

/// The sign-in page asked for by a signed-in session: the device must confirm the password
/// (its unlock key is new to the server; docs/offline-unlock.md).
fn signing_in_again(request: &Request) -> bool {
    request
        .uri()
        .query()
        .is_some_and(|query| query.split('&').any(|pair| pair == "again=1"))
}

fn cookie_of(request: &Request, name: &str) -> Option<String> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookies| session::read_cookie(cookies, name))
        .map(str::to_owned)
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
    fn the_client_address_is_the_one_the_outermost_trusted_proxy_saw() {
        let forged = ["6.6.6.6, 10.0.0.7"];
        assert_eq!(
            forwarded_client(&forged, 0),
            None,
            "no proxy: header ignored"
        );
        assert_eq!(forwarded_client(&forged, 1).as_deref(), Some("10.0.0.7"));
        assert_eq!(forwarded_client(&forged, 2).as_deref(), Some("6.6.6.6"));
        assert_eq!(forwarded_client(&forged, 3), None, "too few entries");
        let split = ["1.2.3.4", "10.0.0.9"];
        assert_eq!(forwarded_client(&split, 1).as_deref(), Some("10.0.0.9"));
        assert_eq!(forwarded_client(&["junk"], 1), None, "not an address");
    }

    #[test]
    fn the_return_address_is_encoded() {
        assert_eq!(
            encode("/persons?village=a b&x=1"),
            "/persons%3Fvillage%3Da%20b%26x%3D1"
        );
    }
}
