//! Server-side sessions (server only). The cookie holds a random 256-bit token; the database
//! holds its SHA-256, the account, the device, and two times that decide expiry: an idle
//! timeout (no request for a while) and an absolute one (hours since sign-in), ASVS 3.3.
use crate::access::{Principal, Role, Scope};
use crate::db::{DbConnection, DbExecutor, DbPool};
use crate::stored::StoredEnum;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

pub const SESSION_COOKIE: &str = "zq_session";
/// Over HTTPS the session cookie carries the `__Host-` prefix: browsers then accept it only
/// with `Secure`, `Path=/` and no `Domain`, so no other host can set or shadow it (ASVS 3.4.4).
pub const SECURE_SESSION_COOKIE: &str = "__Host-zq_session";
/// Names this browser as a device of the account across sessions (`id.secret`): the id for the
/// audit trail and the admin's device list, the secret (kept hashed) so that only this browser
/// counts its sign-in attempts under its own device.
pub const DEVICE_COOKIE: &str = "zq_device";

/// How long sessions live and how sign-in failures are limited. Set from the server's
/// command line; the defaults are the production values.
#[derive(Clone, Copy, Debug)]
pub struct AuthSettings {
    pub idle_timeout_secs: i64,
    pub absolute_timeout_secs: i64,
    /// Cookies get `Secure` when the site is served over HTTPS.
    pub secure_cookies: bool,
    pub account_failure_limit: i64,
    pub address_failure_limit: i64,
    /// Failures older than this are forgotten.
    pub failure_window_secs: i64,
    pub lockout_secs: i64,
    /// Reverse proxies in front of the server, each appending to `X-Forwarded-For`; 0 when
    /// browsers connect directly.
    pub trusted_proxy_hops: u8,
    /// How long a session reads persons after its sign-in or its device's last unlock proof
    /// (docs/offline-unlock.md).
    pub unlock_window_secs: i64,
}

impl AuthSettings {
    /// The session cookie's name for this site.
    pub fn session_cookie(&self) -> &'static str {
        if self.secure_cookies {
            SECURE_SESSION_COOKIE
        } else {
            SESSION_COOKIE
        }
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            idle_timeout_secs: 30 * 60,
            absolute_timeout_secs: 12 * 60 * 60,
            secure_cookies: false,
            account_failure_limit: 5,
            address_failure_limit: 30,
            failure_window_secs: 15 * 60,
            lockout_secs: 15 * 60,
            trusted_proxy_hops: 0,
            unlock_window_secs: 5 * 60,
        }
    }
}

/// The caller's address as the server sees it, put into the request by the server.
#[derive(Clone, Debug)]
pub struct ClientAddress(pub String);

/// The account behind a valid session, put into the request by the server's session layer.
#[derive(Clone, Debug)]
pub struct SignedIn {
    pub principal: Principal,
    pub login: String,
    pub display_name: String,
    /// The council member record of a council chair or member account.
    pub member_id: Option<String>,
    pub device_id: String,
    pub token_hash: String,
    /// Whether the device proved lately that it was unlocked (sign-in counts): persons are
    /// read only then (`accounts::unlock`).
    pub unlocked: bool,
    /// When the password was typed for this session (seconds since 1970).
    pub signed_in_at: i64,
}

pub fn now_secs() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// A fresh random token (for the cookie) and its hash (for the database).
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let token = hex::encode(bytes);
    let hash = hash_token(&token);
    (token, hash)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Opens a session; returns the cookie token. A new token every time: a token planted before
/// sign-in is never promoted (session fixation, ASVS 3.2.1). The password just typed counts as
/// an unlock for `unlocked_until`.
pub async fn start(
    conn: &mut DbConnection,
    account_id: &str,
    device_id: &str,
    now: i64,
    unlocked_until: i64,
) -> Result<String, sqlx::Error> {
    let (token, hash) = new_token();
    sqlx::query(
        "INSERT INTO sessions (token_hash, account_id, device_id, created_at, last_seen_at, \
         unlocked_until) VALUES ($1, $2, $3, $4, $4, $5)",
    )
    .bind(&hash)
    .bind(account_id)
    .bind(device_id)
    .bind(now)
    .bind(unlocked_until)
    .execute(&mut *conn)
    .await?;
    seen(conn, device_id, now, None).await?;
    Ok(token)
}

/// Notes when the device was last seen and the app version it said it runs (for the admin's
/// device list).
pub async fn seen<'e>(
    executor: impl DbExecutor<'e>,
    device_id: &str,
    now: i64,
    app_version: Option<&str>,
) -> Result<(), sqlx::Error> {
    let version = app_version.map(|v| v.chars().take(40).collect::<String>());
    sqlx::query(
        "UPDATE devices SET last_seen_at = $1, app_version = COALESCE($2, app_version) \
         WHERE id = $3",
    )
    .bind(now)
    .bind(version)
    .bind(device_id)
    .execute(executor)
    .await?;
    Ok(())
}

/// Why a presented token is not (or no longer) a session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    Unknown,
    Expired,
    /// The session's device was revoked by an administrator: the device must wipe its data.
    Revoked,
}

/// What a request says of the person behind it (the app's lock header).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activity {
    /// A page, or the app in use: the session's idle time starts again.
    InUse,
    /// The app's lock screen shows (its background sync): not the person's activity, and the
    /// session's unlock is over (docs/offline-unlock.md).
    Locked,
}

/// Looks the token up; an expired session is deleted on the spot. A live one has its
/// `last_seen_at` moved forward when it is in use (at most once a minute, to spare the disk).
/// Its unlock never slides: it lasts the window from the sign-in or the last proof, and the app
/// proves again when it needs to (docs/offline-unlock.md).
pub async fn resolve(
    pool: &DbPool,
    token: &str,
    settings: &AuthSettings,
    now: i64,
    app_version: Option<&str>,
    activity: Activity,
) -> Result<Result<SignedIn, Invalid>, sqlx::Error> {
    let hash = hash_token(token);
    let row: Option<(String, String, i64, i64, bool, Option<i64>)> = sqlx::query_as(
        "SELECT s.account_id, s.device_id, s.created_at, s.last_seen_at, \
         d.revoked_at IS NOT NULL, s.unlocked_until FROM sessions s \
         JOIN devices d ON d.id = s.device_id WHERE s.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(pool)
    .await?;
    let Some((account_id, device_id, created_at, last_seen_at, revoked, unlocked_until)) = row
    else {
        return Ok(Err(Invalid::Unknown));
    };
    if revoked {
        // Kept (until retention drops it once expired), so every request of the session is
        // told, not only the first: whichever one the device makes next, it learns to wipe.
        return Ok(Err(Invalid::Revoked));
    }
    if is_expired(created_at, last_seen_at, now, settings) {
        end(pool, &hash).await?;
        return Ok(Err(Invalid::Expired));
    }
    let Some(account) = load_account(&mut *pool.acquire().await?, &account_id).await? else {
        // Disabled since: its sessions are over.
        end(pool, &hash).await?;
        return Ok(Err(Invalid::Unknown));
    };
    let mut unlocked = unlocked_until.is_some_and(|until| until > now);
    match activity {
        Activity::Locked if unlocked_until.is_some() => {
            sqlx::query("UPDATE sessions SET unlocked_until = NULL WHERE token_hash = $1")
                .bind(&hash)
                .execute(pool)
                .await?;
            unlocked = false;
        }
        Activity::Locked => {}
        Activity::InUse if now - last_seen_at >= 60 => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
                .bind(now)
                .bind(&hash)
                .execute(pool)
                .await?;
            seen(pool, &device_id, now, app_version).await?;
        }
        Activity::InUse => {}
    }
    Ok(Ok(SignedIn {
        principal: account.principal,
        login: account.login,
        display_name: account.display_name,
        member_id: account.member_id,
        device_id,
        token_hash: hash,
        unlocked,
        signed_in_at: created_at,
    }))
}

/// The timeout rule, in one place.
pub fn is_expired(created_at: i64, last_seen_at: i64, now: i64, settings: &AuthSettings) -> bool {
    now - last_seen_at >= settings.idle_timeout_secs
        || now - created_at >= settings.absolute_timeout_secs
}

pub async fn end<'e>(executor: impl DbExecutor<'e>, token_hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(executor)
        .await?;
    Ok(())
}

/// Ends every session of the account except `keep` (after a password change, a reset or a
/// disable).
pub async fn end_all_for<'e>(
    executor: impl DbExecutor<'e>,
    account_id: &str,
    keep: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash != COALESCE($2, '')")
        .bind(account_id)
        .bind(keep)
        .execute(executor)
        .await?;
    Ok(())
}

/// An enabled account as the policy and the pages need it.
pub struct AccountRecord {
    pub principal: Principal,
    pub login: String,
    pub display_name: String,
    pub member_id: Option<String>,
}

pub async fn load_account(
    conn: &mut DbConnection,
    account_id: &str,
) -> Result<Option<AccountRecord>, sqlx::Error> {
    #[derive(sqlx::FromRow)]
    struct Row {
        login: String,
        display_name: String,
        role: String,
        district_id: Option<String>,
        scope_kind: String,
        member_id: Option<String>,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT login, display_name, role, district_id, scope_kind, member_id \
         FROM accounts WHERE id = $1 AND disabled = FALSE",
    )
    .bind(account_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(Row {
        login,
        display_name,
        role,
        district_id,
        scope_kind,
        member_id,
    }) = row
    else {
        return Ok(None);
    };
    let Ok(role) = Role::parse(&role) else {
        return Ok(None);
    };
    let scope = match (scope_kind.as_str(), district_id) {
        ("region", _) => Scope::Region,
        ("district", Some(district)) => Scope::District(district),
        _ => Scope::Villages(
            sqlx::query_scalar(
                "SELECT village_id FROM account_villages WHERE account_id = $1 ORDER BY village_id",
            )
            .bind(account_id)
            .fetch_all(&mut *conn)
            .await?,
        ),
    };
    Ok(Some(AccountRecord {
        principal: Principal {
            account_id: account_id.to_owned(),
            role,
            scope,
        },
        login,
        display_name,
        member_id,
    }))
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax (sent on links from elsewhere, never on their
/// form posts), Path=/, Secure over HTTPS. `max_age` of `None` makes a browser-session
/// cookie; `Some(0)` deletes it.
pub fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> String {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    cookie
}

/// The value of cookie `name` in a `Cookie` request header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.trim().split_once('=')?;
        (key == name).then_some(value)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_expires_after_idling_or_at_its_absolute_limit() {
        let settings = AuthSettings::default();
        let start = 1_000_000;
        assert!(!is_expired(start, start + 100, start + 200, &settings));
        // Idle for the whole idle timeout.
        assert!(is_expired(start, start, start + 30 * 60, &settings));
        // Active all along, but past the absolute limit.
        let late = start + 12 * 60 * 60;
        assert!(is_expired(start, late - 5, late, &settings));
    }

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, hash_a) = new_token();
        let (b, _) = new_token();
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(hash_token(&a), hash_a);
        assert_ne!(a, hash_a);
    }

    #[test]
    fn cookies_are_http_only_same_site_and_secure_over_https() {
        let plain = cookie(SESSION_COOKIE, "t", None, false);
        assert_eq!(plain, "zq_session=t; Path=/; HttpOnly; SameSite=Lax");
        assert!(cookie(SESSION_COOKIE, "", Some(0), true).ends_with("Max-Age=0; Secure"));
        assert_eq!(
            read_cookie("a=1; zq_session=abc; b=2", SESSION_COOKIE),
            Some("abc")
        );
        assert_eq!(read_cookie("zq_sessionx=1", SESSION_COOKIE), None);
    }
}
