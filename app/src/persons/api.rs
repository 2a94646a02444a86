//! Server functions for persons of attention.
use super::types::{Person, PersonHistory};
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

/// A person's history, with the same reach as `get_person`; the read is audited.
#[server(endpoint = "get_person_history")]
pub async fn get_person_history(id: String) -> Result<PersonHistory, AppError> {
    server::get_person_history(id).await
}

#[cfg(feature = "ssr")]
mod server {
    use super::super::store;
    use super::{Person, PersonHistory};
    use crate::access::{can, Action, RecordKind, Target};
    use crate::accounts::signed_in_unlocked as signed_in;
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

    pub async fn get_person_history(id: String) -> Result<PersonHistory, AppError> {
        use crate::offences::repeat::{repeat_ids, OffenceDates};
        let who = signed_in()?;
        let pool = crate::db::pool()?;
        let candidate = match store::candidate_by_id(&pool, &who, &id).await? {
            Some(candidate) if candidate.readable_by(&who) => candidate,
            found => {
                let village = found.as_ref().map(|c| c.place.village_id.as_str());
                audit::record(
                    &pool,
                    Entry::by(&who, AuditAction::Read, ENTITY)
                        .record(&id)
                        .village(village)
                        .detail("history".into())
                        .denied(),
                )
                .await?;
                return refuse(AppError::NotFound);
            }
        };
        audit::record(
            &pool,
            Entry::by(&who, AuditAction::Read, ENTITY)
                .record(&id)
                .village(Some(&candidate.place.village_id))
                .detail("history".into()),
        )
        .await?;
        let target = Target {
            place: Some(&candidate.place),
            ..Target::default()
        };
        let may_list = |kind| can(&who.principal, Action::List, kind, &target);
        let mut conn = pool.acquire().await?;
        let visits = if may_list(RecordKind::Visit) {
            crate::visits::store::of_person(&mut conn, &id).await?
        } else {
            Vec::new()
        };
        let mut offences = Vec::new();
        if may_list(RecordKind::Offence) {
            let ids: Vec<String> = sqlx::query_scalar(
                "SELECT o.id FROM offences o JOIN offence_persons op ON op.offence_id = o.id \
                 WHERE op.person_id = $1 ORDER BY o.occurred_at DESC",
            )
            .bind(&id)
            .fetch_all(&mut *conn)
            .await?;
            for offence_id in ids {
                offences.extend(crate::offences::store::load(&mut conn, &offence_id).await?);
            }
        }
        let only_this_person = vec![id.clone()];
        let repeats =
            repeat_ids(
                offences
                    .iter()
                    .map(|o: &crate::offences::Offence| OffenceDates {
                        id: &o.id,
                        date: &o.occurred_on,
                        persons: &only_this_person,
                    }),
            );
        let offences = offences
            .into_iter()
            .map(|o| {
                let repeat = repeats.contains(&o.id);
                (o, repeat)
            })
            .collect();
        let task_ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM tasks WHERE person_id = $1 ORDER BY created_at DESC",
        )
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        let mut tasks = Vec::new();
        for task_id in task_ids {
            if let Some(task) = crate::tasks::store::load(&mut conn, &task_id).await? {
                let task_target = crate::tasks::store::target(&task, &candidate.place, &who);
                if can(&who.principal, Action::Read, RecordKind::Task, &task_target) {
                    tasks.push(task);
                }
            }
        }
        Ok(PersonHistory {
            visits,
            offences,
            tasks,
        })
    }
}
