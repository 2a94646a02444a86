//! The audit view's server function.
use super::types::{AuditFilter, AuditRow};
use crate::errors::AppError;
use leptos::prelude::*;

/// The newest 200 audit events the caller may read (admin and region coordinator: all; a
/// district supervisor: their district's records), filtered.
#[server(endpoint = "list_audit")]
pub async fn list_audit(filter: AuditFilter) -> Result<Vec<AuditRow>, AppError> {
    use crate::access::{can, Action, RecordKind, Target};
    let who = crate::accounts::signed_in()?;
    if !can(
        &who.principal,
        Action::List,
        RecordKind::AuditEvent,
        &Target::default(),
    ) {
        return crate::errors::refuse(AppError::Forbidden);
    }
    let pool = crate::db::pool()?;
    Ok(super::store::list(&pool, &who.principal.scope, &filter, 200).await?)
}
