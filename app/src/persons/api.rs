//! Server functions for persons of attention.
use super::types::Person;
use crate::errors::AppError;
use leptos::prelude::*;

/// The persons the caller may read, optionally of one village. The list is audited (with
/// the ids it showed); a caller whose role never reads persons gets 403, also audited.
#[server(endpoint = "list_persons")]
pub async fn list_persons(village_id: Option<String>) -> Result<Vec<Person>, AppError> {
    server::list_persons(village_id).await
}

/// One person. Outside the caller's reach it is 404 — the same answer as for an id that does
/// not exist, so a guessed id tells nothing — and the attempt is audited as refused.
#[server(endpoint = "get_person")]
pub async fn get_person(id: String) -> Result<Person, AppError> {
    server::get_person(id).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::store;
    use super::Person;
    use crate::access::{can, Action, RecordKind, Target};
    use crate::accounts::signed_in;
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    use crate::errors::{refuse, AppError};

    const ENTITY: &str = "person";

    pub async fn list_persons(village_id: Option<String>) -> Result<Vec<Person>, AppError> {
        let who = signed_in()?;
        let pool = crate::db::pool()?;
        let village_id = village_id.filter(|id| !id.is_empty());
        let may_list = can(
            &who.principal,
            Action::List,
            RecordKind::Person,
            &Target::default(),
        );
        if !may_list {
            audit::record(
                &pool,
                Entry::by(&who, AuditAction::List, ENTITY)
                    .village(village_id.as_deref())
                    .denied(),
            )
            .await?;
            return refuse(AppError::Forbidden);
        }
        let persons: Vec<Person> = store::candidates(&pool, &who, village_id.as_deref())
            .await?
            .into_iter()
            .filter(|candidate| candidate.readable_by(&who))
            .map(|candidate| candidate.person)
            .collect();
        let ids: Vec<&str> = persons.iter().map(|p| p.id.as_str()).collect();
        audit::record(
            &pool,
            Entry::by(&who, AuditAction::List, ENTITY)
                .village(village_id.as_deref())
                .detail(format!("{} shown: {}", ids.len(), ids.join(","))),
        )
        .await?;
        Ok(persons)
    }

    pub async fn get_person(id: String) -> Result<Person, AppError> {
        let who = signed_in()?;
        let pool = crate::db::pool()?;
        match store::candidate_by_id(&pool, &who, &id).await? {
            Some(candidate) if candidate.readable_by(&who) => {
                audit::record(
                    &pool,
                    Entry::by(&who, AuditAction::Read, ENTITY)
                        .record(&candidate.person.id)
                        .village(Some(&candidate.place.village_id)),
                )
                .await?;
                Ok(candidate.person)
            }
            found => {
                let village = found.as_ref().map(|c| c.place.village_id.as_str());
                audit::record(
                    &pool,
                    Entry::by(&who, AuditAction::Read, ENTITY)
                        .record(&id)
                        .village(village)
                        .denied(),
                )
                .await?;
                refuse(AppError::NotFound)
            }
        }
    }
}
