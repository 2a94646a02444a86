//! Server functions for signing in and out and changing one's own password.
use super::types::Profile;
use crate::errors::AppError;
use leptos::prelude::*;

/// Signs in with login and password. Sets the session cookie (a new session every time) and
/// the device cookie. Refused with 401 for a wrong login or password or a disabled account
/// (one answer for all three) and 429 while the account or the address is locked out.
#[server(endpoint = "sign_in")]
pub async fn sign_in(login: String, password: String) -> Result<Profile, AppError> {
    server::sign_in(login, password).await
}

/// Ends this browser's session on the server and deletes its cookie. Signing out twice is
/// harmless.
#[server(endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    server::sign_out().await
}

/// The signed-in account, or `None`.
#[server(endpoint = "current_profile")]
pub async fn current_profile() -> Result<Option<Profile>, AppError> {
    Ok(super::session_account().map(|who| server::profile(&who)))
}

/// The signed-in account while the server renders a page (`None` in the browser, which is
/// handed the server's answer with the page).
pub fn profile_now() -> Option<Profile> {
    #[cfg(feature = "ssr")]
    return super::session_account().map(|who| server::profile(&who));
    #[cfg(not(feature = "ssr"))]
    None
}

/// Changes the signed-in account's password and ends its other sessions.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current: String,
    new_password: String,
    confirm: String,
) -> Result<(), AppError> {
    server::change_password(current, new_password, confirm).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::fields::{Login, NewPassword};
    use super::super::session::{self, AuthSettings, ClientAddress, SignedIn};
    use super::super::sign_in::{self as attempt, Attempt};
    use super::super::{password, signed_in, throttle};
    use super::Profile;
    use crate::access::{can, Action, RecordKind, Target};
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    use crate::db::BeginWrite;
    use crate::errors::{refuse, AppError};
    use http::header::{COOKIE, SET_COOKIE};
    use http::HeaderValue;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use std::sync::LazyLock;

    /// Checked when the login does not exist, so a wrong login takes as long as a wrong
    /// password and the timing does not tell which logins exist.
    static STAND_IN_HASH: LazyLock<String> = LazyLock::new(|| {
        password::hash("stand-in for a login that does not exist").unwrap_or_default()
    });

    const DEVICE_COOKIE_MAX_AGE: i64 = 10 * 365 * 24 * 60 * 60;

    pub fn profile(who: &SignedIn) -> Profile {
        Profile {
            account_id: who.principal.account_id.clone(),
            login: who.login.clone(),
            display_name: who.display_name.clone(),
            role: who.principal.role,
            device_id: who.device_id.clone(),
            member_id: who.member_id.clone(),
        }
    }

    fn settings() -> AuthSettings {
        use_context::<AuthSettings>().unwrap_or_default()
    }

    fn request_cookie(name: &str) -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let header = parts.headers.get(COOKIE)?.to_str().ok()?;
        session::read_cookie(header, name).map(str::to_owned)
    }

    fn client_address() -> String {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ClientAddress>().cloned())
            .map(|address| address.0)
            .unwrap_or_else(|| "unknown".into())
    }

    fn set_cookie(value: String) {
        if let (Some(response), Ok(value)) = (
            use_context::<ResponseOptions>(),
            HeaderValue::from_str(&value),
        ) {
            response.append_header(SET_COOKIE, value);
        }
    }

    fn minutes(seconds: i64) -> u32 {
        u32::try_from((seconds + 59) / 60)
            .unwrap_or(u32::MAX)
            .max(1)
    }

    pub async fn sign_in(login: String, password: String) -> Result<Profile, AppError> {
        // A place at the password workers first: a flood is answered "busy" before it costs
        // a database write.
        let slot = password::workers::reserve()?;
        let pool = crate::db::pool()?;
        let settings = settings();
        let now = session::now_secs();
        // A login that cannot exist is still counted (per address too), under at most 64
        // characters of it, so junk cannot grow the throttle table without bound.
        let login = Login::parse(&login)
            .map(|login| login.as_str().to_owned())
            .unwrap_or_else(|_| login.trim().to_lowercase().chars().take(64).collect());

        let account: Option<(String, String, bool)> =
            sqlx::query_as("SELECT id, password_hash, disabled FROM accounts WHERE login = $1")
                .bind(&login)
                .fetch_optional(&pool)
                .await?;
        let device_cookie = request_cookie(session::DEVICE_COOKIE);
        let device = match &account {
            Some((id, _, _)) => attempt::own_device(&pool, id, device_cookie.as_deref())
                .await?
                .map(|(device, _)| device),
            None => None,
        };
        let limits = attempt_limits(&login, device.as_deref(), &settings);
        if let Some(seconds) = throttle::attempt(&pool, &limits, &settings, now).await? {
            return refuse(AppError::TooManyAttempts {
                minutes: minutes(seconds),
            });
        }
        // Counted: from here the attempt runs to its end even if the phone loses signal.
        let started = Attempt {
            pool,
            account,
            password,
            slot,
            limits,
            old_session: request_cookie(settings.session_cookie()),
            device_cookie,
            label: user_agent(),
            now,
            unlock_window_secs: settings.unlock_window_secs,
            stand_in_hash: STAND_IN_HASH.as_str(),
        }
        .finish_detached()
        .await
        .map_err(AppError::respond)?;
        set_cookie(session::cookie(
            settings.session_cookie(),
            &started.token,
            Some(settings.absolute_timeout_secs),
            settings.secure_cookies,
        ));
        set_cookie(session::cookie(
            session::DEVICE_COOKIE,
            &started.device_cookie,
            Some(DEVICE_COOKIE_MAX_AGE),
            settings.secure_cookies,
        ));
        let account = started.account;
        Ok(Profile {
            account_id: started.account_id,
            login: account.login,
            display_name: account.display_name,
            role: account.principal.role,
            device_id: started.device_id,
            member_id: account.member_id,
        })
    }

    /// The browser's own name, cut to 120 characters, for a new device row.
    fn user_agent() -> String {
        use_context::<http::request::Parts>()
            .and_then(|parts| parts.headers.get(http::header::USER_AGENT).cloned())
            .and_then(|agent| {
                agent
                    .to_str()
                    .ok()
                    .map(|s| s.chars().take(120).collect::<String>())
            })
            .unwrap_or_default()
    }

    /// The keys this attempt counts against (the scheme is explained in `throttle`).
    fn attempt_limits(
        login: &str,
        own_device: Option<&str>,
        settings: &AuthSettings,
    ) -> Vec<throttle::Limit> {
        match own_device {
            Some(device) => vec![throttle::Limit {
                key: throttle::device_key(device),
                attempts: settings.account_failure_limit,
                shared: false,
            }],
            None => vec![
                throttle::Limit {
                    key: throttle::account_key(login),
                    attempts: settings.account_failure_limit,
                    shared: false,
                },
                throttle::Limit {
                    key: throttle::address_key(&client_address()),
                    attempts: settings.address_failure_limit,
                    shared: true,
                },
            ],
        }
    }

    pub async fn sign_out() -> Result<(), AppError> {
        let pool = crate::db::pool()?;
        let settings = settings();
        if let Some(who) = super::super::session_account() {
            let mut tx = pool.begin_write().await?;
            session::end(&mut *tx, &who.token_hash).await?;
            audit::record(
                &mut *tx,
                Entry::by(&who, AuditAction::SignOut, "account").record(&who.principal.account_id),
            )
            .await?;
            tx.commit().await?;
        }
        set_cookie(session::cookie(
            settings.session_cookie(),
            "",
            Some(0),
            settings.secure_cookies,
        ));
        Ok(())
    }

    pub async fn change_password(
        current: String,
        new_password: String,
        confirm: String,
    ) -> Result<(), AppError> {
        let who = signed_in()?;
        let own = Target {
            own: true,
            ..Target::default()
        };
        if !can(&who.principal, Action::Update, RecordKind::Account, &own) {
            return refuse(AppError::Forbidden);
        }
        let pool = crate::db::pool()?;
        let settings = settings();
        let now = session::now_secs();
        // Counted before the check, like a sign-in; a right current password takes it back.
        let limits = [throttle::Limit {
            key: throttle::account_key(&who.login),
            attempts: settings.account_failure_limit,
            shared: false,
        }];
        let new_password =
            NewPassword::parse(&new_password).map_err(|e| AppError::from(e).respond())?;
        if new_password.expose() != confirm {
            return refuse(AppError::PasswordsDiffer);
        }
        let slot = password::workers::reserve()?;
        if let Some(seconds) = throttle::attempt(&pool, &limits, &settings, now).await? {
            return refuse(AppError::TooManyAttempts {
                minutes: minutes(seconds),
            });
        }
        let stored: String = sqlx::query_scalar("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(&who.principal.account_id)
            .fetch_one(&pool)
            .await?;
        let hashed = slot
            .run(move || {
                password::verify(&current, &stored)
                    .then(|| password::hash(new_password.expose()).ok())
                    .flatten()
            })
            .await?;
        let Some(hash) = hashed else {
            return refuse(AppError::WrongCurrentPassword);
        };
        let mut tx = pool.begin_write().await?;
        throttle::succeeded(&mut tx, &limits).await?;
        sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(&who.principal.account_id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut *tx,
            Entry::by(&who, AuditAction::PasswordChanged, "account")
                .record(&who.principal.account_id),
        )
        .await?;
        session::end_all_for(&mut *tx, &who.principal.account_id, Some(&who.token_hash)).await?;
        tx.commit().await?;
        Ok(())
    }
}
