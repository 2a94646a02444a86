//! Writing accounts (server only): the one insert that the admin's page and the `create-admin`
//! command share, so both check the same things (a free login, a known district, known
//! villages) inside the caller's transaction.
use super::fields::Login;
use crate::access::{Role, Scope};
use crate::db::DbConnection;
use crate::stored::StoredEnum;

/// An account about to be written.
pub struct NewAccountRow<'a> {
    pub login: &'a Login,
    pub display_name: &'a str,
    pub role: Role,
    pub scope: &'a Scope,
    pub password_hash: &'a str,
}

#[derive(Debug, thiserror::Error)]
pub enum InsertError {
    #[error("the login is taken")]
    LoginTaken,
    #[error("no such district")]
    UnknownDistrict,
    #[error("no such village")]
    UnknownVillage,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

async fn exists(
    conn: &mut DbConnection,
    query: &'static str,
    value: &str,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar(query).bind(value).fetch_one(conn).await
}

/// Inserts the account and its villages; returns its id. Nothing is written when a check
/// fails, as long as the caller drops its transaction on the error.
pub async fn insert(
    conn: &mut DbConnection,
    account: NewAccountRow<'_>,
) -> Result<String, InsertError> {
    let login = account.login.as_str();
    if exists(
        conn,
        "SELECT EXISTS(SELECT 1 FROM accounts WHERE login = $1)",
        login,
    )
    .await?
    {
        return Err(InsertError::LoginTaken);
    }
    let (scope_kind, district_id, villages): (_, Option<&str>, &[String]) = match account.scope {
        Scope::Region => ("region", None, &[]),
        Scope::District(district) => ("district", Some(district), &[]),
        Scope::Villages(villages) => ("villages", None, villages),
    };
    if let Some(district) = district_id {
        if !exists(
            conn,
            "SELECT EXISTS(SELECT 1 FROM districts WHERE id = $1)",
            district,
        )
        .await?
        {
            return Err(InsertError::UnknownDistrict);
        }
    }
    let id = crate::ids::new_id();
    sqlx::query(
        "INSERT INTO accounts (id, login, display_name, role, scope_kind, district_id, \
         language, password_hash, created_at, demo) \
         VALUES ($1, $2, $3, $4, $5, $6, 'ru', $7, $8, FALSE)",
    )
    .bind(&id)
    .bind(login)
    .bind(account.display_name)
    .bind(account.role.as_str())
    .bind(scope_kind)
    .bind(district_id)
    .bind(account.password_hash)
    .bind(crate::db::now_rfc3339())
    .execute(&mut *conn)
    .await?;
    for village in villages {
        if !exists(
            conn,
            "SELECT EXISTS(SELECT 1 FROM villages WHERE id = $1)",
            village,
        )
        .await?
        {
            return Err(InsertError::UnknownVillage);
        }
        sqlx::query("INSERT INTO account_villages (account_id, village_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(village)
            .execute(&mut *conn)
            .await?;
    }
    Ok(id)
}
