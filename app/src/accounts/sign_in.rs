//! What a sign-in does once its attempt is counted (server only): the password check and, when
//! it matches, everything a right password writes, in one transaction (DESIGN §4.8).
//!
//! It runs in a task of its own that finishes even when the phone loses signal and the request
//! is dropped: an attempt is counted before the check (`throttle`), so a right password whose
//! request was cut would otherwise stay counted as a failure, and five cuts on a weak link
//! would lock the owner out. It reads nothing from the request: what it needs is handed over.
use super::password::workers::Slot;
use super::session::{self, AccountRecord};
use super::throttle;
use crate::audit::store::{self as audit, Entry};
use crate::audit::AuditAction;
use crate::db::{BeginWrite, DbConnection, DbExecutor, DbPool};
use crate::errors::AppError;

/// A counted sign-in attempt, with what the request said.
pub struct Attempt {
    pub pool: DbPool,
    /// The account's id, password hash and disabled flag as read before the attempt was
    /// counted; `None` for a login that does not exist.
    pub account: Option<(String, String, bool)>,
    pub password: String,
    pub slot: Slot,
    pub limits: Vec<throttle::Limit>,
    /// The session token the browser still sent, if any: ended, since sign-in starts anew.
    pub old_session: Option<String>,
    /// The device cookie the browser sent, if any.
    pub device_cookie: Option<String>,
    /// The browser's own name (User-Agent, cut to 120 characters) for a new device row.
    pub label: String,
    pub now: i64,
    /// The password counts as an unlock for this long (`AuthSettings::unlock_window_secs`).
    pub unlock_window_secs: i64,
    /// Checked when the login does not exist, so the timing does not tell which logins exist.
    pub stand_in_hash: &'static str,
}

/// A right password's outcome: the new session's token, the device and its cookie, the account.
pub struct Started {
    pub token: String,
    pub device_id: String,
    pub device_cookie: String,
    pub account_id: String,
    pub account: AccountRecord,
}

impl Attempt {
    /// Runs the attempt to its end whatever becomes of the request that asked for it.
    pub async fn finish_detached(self) -> Result<Started, AppError> {
        tokio::spawn(self.finish())
            .await
            .unwrap_or(Err(AppError::Internal))
    }

    async fn finish(self) -> Result<Started, AppError> {
        let stored = self.account.as_ref().map(|(_, hash, _)| hash.clone());
        let stand_in = self.stand_in_hash;
        let password = self.password;
        let matches = self
            .slot
            .run(move || super::password::verify(&password, stored.as_deref().unwrap_or(stand_in)))
            .await?;
        let (account_id, hash) = match self.account {
            Some((id, hash, false)) if matches => (id, hash),
            other => {
                let account_id = other.map(|(id, _, _)| id);
                let mut entry = Entry {
                    account_id: account_id.as_deref(),
                    device_id: None,
                    action: AuditAction::SignInFailed,
                    entity: "account",
                    record_id: account_id.as_deref(),
                    village_id: None,
                    allowed: false,
                    detail: None,
                };
                if account_id.is_none() {
                    entry.detail = Some("unknown login".into());
                }
                audit::record(&self.pool, entry).await?;
                return Err(AppError::WrongCredentials);
            }
        };
        // One turn at the write lock for all a right password writes, not six.
        let mut tx = self.pool.begin_write().await?;
        // Read again under the lock: an admin who disabled the account or reset its password
        // while the hash was being checked wins, and no session outlives that change.
        let current: Option<(String, bool)> =
            sqlx::query_as("SELECT password_hash, disabled FROM accounts WHERE id = $1")
                .bind(&account_id)
                .fetch_optional(&mut *tx)
                .await?;
        if current != Some((hash, false)) {
            tx.rollback().await?;
            return Err(AppError::WrongCredentials);
        }
        throttle::succeeded(&mut tx, &self.limits).await?;
        if let Some(old) = &self.old_session {
            session::end(&mut *tx, &session::hash_token(old)).await?;
        }
        let (device_id, device_cookie) =
            known_device(&mut tx, &account_id, self.device_cookie, self.label).await?;
        let token = session::start(
            &mut tx,
            &account_id,
            &device_id,
            self.now,
            self.now + self.unlock_window_secs,
        )
        .await?;
        let Some(account) = session::load_account(&mut tx, &account_id).await? else {
            tx.rollback().await?;
            return Err(AppError::WrongCredentials);
        };
        audit::record(
            &mut *tx,
            Entry::on_account(&account_id, &device_id, AuditAction::SignIn),
        )
        .await?;
        tx.commit().await?;
        Ok(Started {
            token,
            device_id,
            device_cookie,
            account_id,
            account,
        })
    }
}

/// The browser device the device cookie proves, when it is a device of the account that is not
/// revoked (it signed in here before): its id and the cookie. The cookie is `id.secret` and
/// only the secret's hash is kept: a device id is shown in the audit trail, so knowing one must
/// not let anyone count attempts under it (and lock its owner's phone).
pub async fn own_device<'e>(
    executor: impl DbExecutor<'e>,
    account_id: &str,
    cookie: Option<&str>,
) -> Result<Option<(String, String)>, sqlx::Error> {
    let Some((id, secret)) = cookie.and_then(|cookie| cookie.split_once('.')) else {
        return Ok(None);
    };
    let known: bool = sqlx::query_scalar(
        "SELECT EXISTS(SELECT 1 FROM devices WHERE id = $1 AND account_id = $2 \
         AND kind = 'browser' AND revoked_at IS NULL AND cookie_hash = $3)",
    )
    .bind(id)
    .bind(account_id)
    .bind(session::hash_token(secret))
    .fetch_one(executor)
    .await?;
    Ok(known.then(|| (id.to_owned(), format!("{id}.{secret}"))))
}

/// This browser's device for the account and its cookie value: the one its cookie proves if
/// that device belongs to the account and is not revoked, else a new one.
async fn known_device(
    conn: &mut DbConnection,
    account_id: &str,
    cookie: Option<String>,
    label: String,
) -> Result<(String, String), sqlx::Error> {
    if let Some(known) = own_device(&mut *conn, account_id, cookie.as_deref()).await? {
        return Ok(known);
    }
    let id = crate::ids::new_id();
    let (secret, secret_hash) = session::new_token();
    sqlx::query(
        "INSERT INTO devices (id, account_id, label, created_at, cookie_hash) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(&id)
    .bind(account_id)
    .bind(label)
    .bind(crate::db::now_rfc3339())
    .bind(secret_hash)
    .execute(conn)
    .await?;
    Ok((id.clone(), format!("{id}.{secret}")))
}
