//! Accounts on the server: creating the first admin of an empty database.
use app::access::{Role, Scope};
use app::accounts::store::{self, InsertError, NewAccountRow};
use app::accounts::{AccountFieldError, Login, NewPassword};
use app::db::{BeginWrite, DbPool};
use app::stored::StoredEnum;

#[derive(Debug, thiserror::Error)]
pub enum CreateAdminError {
    #[error("{0}")]
    Field(#[from] AccountFieldError),
    #[error("this database already has an admin; sign in as that admin to create more accounts")]
    AdminExists,
    #[error("the login {0:?} is taken")]
    LoginTaken(String),
    #[error("the password could not be hashed: {0}")]
    Hash(String),
    #[error("the database refused the account: {0}")]
    Database(#[from] sqlx::Error),
}

/// Creates the first admin (region scope). Refused once any admin exists, so the command
/// cannot be used to take over a running installation.
pub async fn create_first_admin(
    pool: &DbPool,
    login: &str,
    display_name: &str,
    password: &str,
) -> Result<String, CreateAdminError> {
    let login = Login::parse(login)?;
    let password = NewPassword::parse(password)?;
    // Hash outside the transaction: argon2 takes a noticeable moment by design.
    let hash = app::accounts::password::hash(password.expose())
        .map_err(|e| CreateAdminError::Hash(e.to_string()))?;

    let mut tx = pool.begin_write().await?;
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE role = $1")
        .bind(Role::Admin.as_str())
        .fetch_one(&mut *tx)
        .await?;
    if admins > 0 {
        return Err(CreateAdminError::AdminExists);
    }
    let id = store::insert(
        &mut tx,
        NewAccountRow {
            login: &login,
            display_name: display_name.trim(),
            role: Role::Admin,
            scope: &Scope::Region,
            password_hash: &hash,
        },
    )
    .await
    .map_err(|error| match error {
        InsertError::Database(error) => CreateAdminError::Database(error),
        _ => CreateAdminError::LoginTaken(login.as_str().to_owned()),
    })?;
    tx.commit().await?;
    Ok(id)
}
