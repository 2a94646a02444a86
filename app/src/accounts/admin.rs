//! The admin's server functions: list, create, disable and re-enable accounts, reset
//! passwords. Every one asks the policy (accounts are the admin's alone) and is audited.
//! Linking an account to a council member is in `member_link`.
use super::types::{AccountSummary, NewAccount};
use crate::errors::AppError;
use leptos::prelude::*;

#[server(endpoint = "admin/list_accounts")]
pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
    server::list_accounts().await
}

/// Creates an account; returns its id.
#[server(endpoint = "admin/create_account")]
pub async fn create_account(account: NewAccount) -> Result<String, AppError> {
    server::create_account(account).await
}

/// Disables (`enabled = false`) or re-enables an account. Disabling ends its sessions.
#[server(endpoint = "admin/set_account_enabled")]
pub async fn set_account_enabled(account_id: String, enabled: bool) -> Result<(), AppError> {
    server::set_account_enabled(account_id, enabled).await
}

/// Sets a new password chosen by the admin (told to the person in person) and ends the
/// account's sessions.
#[server(endpoint = "admin/reset_password")]
pub async fn reset_password(account_id: String, new_password: String) -> Result<(), AppError> {
    server::reset_password(account_id, new_password).await
}

#[cfg(feature = "ssr")]
pub(super) mod server {
    use super::super::fields::{Login, NewPassword};
    use super::super::gate::admin;
    use super::super::member_link::server::{attach, linkable_of, wanted};
    use super::super::password;
    use super::super::session;
    use super::super::store::{self, InsertError, NewAccountRow};
    use super::super::types::{takes_member, MemberChoice};
    use super::{AccountSummary, NewAccount};
    use crate::access::{Action, Role, Scope};
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    use crate::db::BeginWrite;
    use crate::errors::{refuse, AppError};
    use crate::stored::StoredEnum;
    use std::collections::HashMap;

    #[derive(sqlx::FromRow)]
    struct AccountRow {
        id: String,
        login: String,
        display_name: String,
        role: String,
        scope_kind: String,
        district: Option<String>,
        villages: Option<String>,
        disabled: bool,
        member_id: Option<String>,
        member: Option<String>,
        village_count: i64,
        village_id: Option<String>,
    }

    pub async fn list_accounts() -> Result<Vec<AccountSummary>, AppError> {
        admin(Action::List)?;
        let pool = crate::db::pool()?;
        let rows: Vec<AccountRow> = sqlx::query_as(
            "SELECT a.id, a.login, a.display_name, a.role, a.scope_kind, d.name_ru AS district, \
                 (SELECT string_agg(v.name_ru, ', ') FROM account_villages av \
                  JOIN villages v ON v.id = av.village_id WHERE av.account_id = a.id) AS villages, \
                 a.disabled, a.member_id, m.full_name AS member, \
                 (SELECT COUNT(DISTINCT av.village_id) FROM account_villages av \
                  WHERE av.account_id = a.id) AS village_count, \
                 (SELECT MIN(av.village_id) FROM account_villages av \
                  WHERE av.account_id = a.id) AS village_id \
                 FROM accounts a LEFT JOIN districts d ON d.id = a.district_id \
                 LEFT JOIN council_members m ON m.id = a.member_id \
                 ORDER BY a.login",
        )
        .fetch_all(&pool)
        .await?;
        // Each village's free members, read once however many of its accounts need them.
        let mut conn = pool.acquire().await?;
        let mut free: HashMap<String, Vec<MemberChoice>> = HashMap::new();
        let mut list = Vec::with_capacity(rows.len());
        for row in rows {
            let Ok(role) = Role::parse(&row.role) else {
                continue;
            };
            let member_village_id = row
                .village_id
                .filter(|_| takes_member(role) && row.scope_kind == "villages")
                .filter(|_| row.village_count == 1);
            let linkable = match (&member_village_id, &row.member_id) {
                (Some(village), None) => {
                    if !free.contains_key(village) {
                        let members = linkable_of(&mut conn, village).await?;
                        free.insert(village.clone(), members);
                    }
                    free[village].clone()
                }
                _ => Vec::new(),
            };
            let scope = match row.scope_kind.as_str() {
                "region" => "region".to_owned(),
                "district" => row.district.unwrap_or_default(),
                _ => row.villages.unwrap_or_default(),
            };
            list.push(AccountSummary {
                id: row.id,
                login: row.login,
                display_name: row.display_name,
                role,
                scope,
                disabled: row.disabled,
                member_id: row.member_id,
                member: row.member,
                member_village_id,
                linkable,
            });
        }
        Ok(list)
    }

    pub async fn create_account(form: NewAccount) -> Result<String, AppError> {
        let who = admin(Action::Create)?;
        let pool = crate::db::pool()?;
        let login = Login::parse(&form.login).map_err(|e| AppError::from(e).respond())?;
        let display_name = form.display_name.trim().to_owned();
        if display_name.is_empty() || display_name.chars().count() > 120 {
            return refuse(AppError::InvalidField("display_name".into()));
        }
        let Ok(role) = Role::parse(&form.role) else {
            return refuse(AppError::InvalidField("role".into()));
        };
        let villages: Vec<String> = form
            .village_ids
            .split(',')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(str::to_owned)
            .collect();
        let district = form.district_id.trim();
        let scope = match form.scope.as_str() {
            "region" => Scope::Region,
            "district" if !district.is_empty() => Scope::District(district.to_owned()),
            "villages" if !villages.is_empty() => Scope::Villages(villages),
            _ => return refuse(AppError::InvalidField("scope".into())),
        };
        let now = crate::db::now_rfc3339();
        let member = wanted(&form, role, &scope, &display_name, &now[..10])?;
        let new_password =
            NewPassword::parse(&form.password).map_err(|e| AppError::from(e).respond())?;
        let hash = password::hash_off_thread(new_password.expose().to_owned()).await?;

        // All or nothing: the account, its villages, its member (made here when new) and the
        // audit lines.
        let mut tx = pool.begin_write().await?;
        let row = NewAccountRow {
            login: &login,
            display_name: &display_name,
            role,
            scope: &scope,
            password_hash: &hash,
        };
        let id = match store::insert(&mut tx, row).await {
            Ok(id) => id,
            Err(InsertError::LoginTaken) => return refuse(AppError::LoginTaken),
            Err(InsertError::UnknownDistrict) => {
                return refuse(AppError::InvalidField("district_id".into()))
            }
            Err(InsertError::UnknownVillage) => {
                return refuse(AppError::InvalidField("village_ids".into()))
            }
            Err(InsertError::Database(error)) => return Err(error.into()),
        };
        audit::record(
            &mut *tx,
            Entry::by(&who, AuditAction::Create, "account").record(&id),
        )
        .await?;
        attach(&mut tx, &who, &id, member, &now).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn set_account_enabled(account_id: String, enabled: bool) -> Result<(), AppError> {
        let who = admin(Action::Update)?;
        if account_id == who.principal.account_id && !enabled {
            // An admin who disables themselves may leave nobody able to undo it.
            return refuse(AppError::InvalidField("account_id".into()));
        }
        let pool = crate::db::pool()?;
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(!enabled)
            .bind(&account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return refuse(AppError::NotFound);
        }
        let action = if enabled {
            AuditAction::AccountEnabled
        } else {
            AuditAction::AccountDisabled
        };
        audit::record(
            &mut *tx,
            Entry::by(&who, action, "account").record(&account_id),
        )
        .await?;
        if !enabled {
            session::end_all_for(&mut *tx, &account_id, None).await?;
            super::super::devices::server::revoke_all(&mut *tx, &account_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn reset_password(account_id: String, new_password: String) -> Result<(), AppError> {
        let who = admin(Action::Update)?;
        let pool = crate::db::pool()?;
        let new_password =
            NewPassword::parse(&new_password).map_err(|e| AppError::from(e).respond())?;
        let hash = password::hash_off_thread(new_password.expose().to_owned()).await?;
        let mut tx = pool.begin_write().await?;
        let changed = sqlx::query("UPDATE accounts SET password_hash = $1 WHERE id = $2")
            .bind(&hash)
            .bind(&account_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return refuse(AppError::NotFound);
        }
        audit::record(
            &mut *tx,
            Entry::by(&who, AuditAction::PasswordReset, "account").record(&account_id),
        )
        .await?;
        session::end_all_for(&mut *tx, &account_id, None).await?;
        // A reset follows a lost phone or a forgotten password: what the account's devices
        // hold goes either way, and the person signs in anew on each.
        super::super::devices::server::revoke_all(&mut *tx, &account_id).await?;
        tx.commit().await?;
        Ok(())
    }
}
