//! Writing and reading the audit trail (server only).
use super::types::{AuditAction, AuditFilter, AuditRow};
use crate::access::Scope;
use crate::accounts::session::SignedIn;
use crate::db::{Db, DbExecutor};
use crate::stored::StoredEnum;

/// One audited access. `record_id` and `detail` carry ids and counts, never names.
pub struct Entry<'a> {
    pub account_id: Option<&'a str>,
    pub device_id: Option<&'a str>,
    pub action: AuditAction,
    pub entity: &'a str,
    pub record_id: Option<&'a str>,
    pub village_id: Option<&'a str>,
    pub allowed: bool,
    pub detail: Option<String>,
}

impl<'a> Entry<'a> {
    /// An access by the signed-in account, from its device.
    pub fn by(who: &'a SignedIn, action: AuditAction, entity: &'a str) -> Self {
        Self {
            account_id: Some(&who.principal.account_id),
            device_id: Some(&who.device_id),
            action,
            entity,
            record_id: None,
            village_id: None,
            allowed: true,
            detail: None,
        }
    }

    /// Something that happened to an account on one of its devices where no session stands
    /// for it (sign-in, a sign-out the device made by wiping itself).
    pub fn on_account(account_id: &'a str, device_id: &'a str, action: AuditAction) -> Self {
        Self {
            account_id: Some(account_id),
            device_id: Some(device_id),
            action,
            entity: "account",
            record_id: Some(account_id),
            village_id: None,
            allowed: true,
            detail: None,
        }
    }

    pub fn record(mut self, id: &'a str) -> Self {
        self.record_id = Some(id);
        self
    }

    pub fn village(mut self, id: Option<&'a str>) -> Self {
        self.village_id = id;
        self
    }

    pub fn denied(mut self) -> Self {
        self.allowed = false;
        self
    }

    pub fn detail(mut self, detail: String) -> Self {
        self.detail = Some(detail);
        self
    }
}

pub async fn record<'e>(
    executor: impl DbExecutor<'e>,
    entry: Entry<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_events (id, at, account_id, device_id, action, entity, record_id, \
         village_id, outcome, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(crate::ids::new_id())
    .bind(crate::db::now_rfc3339())
    .bind(entry.account_id)
    .bind(entry.device_id)
    .bind(entry.action.as_str())
    .bind(entry.entity)
    // A guessed id is the caller's input: keep only as much as an id needs.
    .bind(
        entry
            .record_id
            .map(|id| id.chars().take(64).collect::<String>()),
    )
    .bind(entry.village_id)
    .bind(if entry.allowed { "allowed" } else { "denied" })
    .bind(entry.detail)
    .execute(executor)
    .await?;
    Ok(())
}

/// The newest events the scope covers (events on a village of the scope, and for region-wide
/// readers also those of no village: sign-ins, account changes), filtered.
pub async fn list<'e>(
    executor: impl DbExecutor<'e>,
    scope: &Scope,
    filter: &AuditFilter,
    limit: i64,
) -> Result<Vec<AuditRow>, sqlx::Error> {
    let mut query = sqlx::QueryBuilder::<Db>::new(
        "SELECT e.at, a.login AS account_login, e.device_id, e.action, e.entity, e.record_id, \
         e.village_id, e.outcome = 'allowed' AS allowed FROM audit_events e LEFT JOIN accounts a ON a.id = e.account_id \
         LEFT JOIN villages v ON v.id = e.village_id WHERE 1 = 1",
    );
    match scope {
        Scope::Region => {}
        Scope::District(district) => {
            query
                .push(" AND v.district_id = ")
                .push_bind(district.clone());
        }
        Scope::Villages(villages) => {
            crate::db::push_in(&mut query, "e.village_id", villages);
        }
    }
    let text = |value: &str| (!value.trim().is_empty()).then(|| value.trim().to_owned());
    if let Some(entity) = text(&filter.entity) {
        query.push(" AND e.entity = ").push_bind(entity);
    }
    if let Some(action) = text(&filter.action) {
        query.push(" AND e.action = ").push_bind(action);
    }
    if let Some(login) = text(&filter.login) {
        query
            .push(" AND a.login = ")
            .push_bind(login.to_lowercase());
    }
    if let Some(village) = text(&filter.village_id) {
        query.push(" AND e.village_id = ").push_bind(village);
    }
    if let Some(from) = text(&filter.from) {
        query.push(" AND e.at >= ").push_bind(from);
    }
    if let Some(to) = text(&filter.to) {
        // Inclusive: every time on that day sorts before the next character after the date.
        query.push(" AND e.at < ").push_bind(format!("{to}~"));
    }
    if filter.denied_only {
        query.push(" AND e.outcome = 'denied'");
    }
    query
        .push(" ORDER BY e.at DESC, e.id DESC LIMIT ")
        .push_bind(limit);
    query.build_query_as().fetch_all(executor).await
}
