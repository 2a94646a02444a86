//! Where the persons pages and pickers read from (issue 14, item 1): this device's encrypted
//! cache and records cache while the cache is open, with each read queued for the audit
//! trail (`sync::reads`); the server (audited there) only while it is not, and then only
//! what the same scope would put in the cache. The pages are rendered in the browser, so no
//! page's HTML carries a person.
use super::api::{get_person, get_person_history, list_persons};
use super::types::{Person, PersonHistory};
use crate::errors::AppError;
use crate::sync::reads::{self, ReadKind};

/// Whether the device's cache is open now (always `false` on the server).
fn cache_open() -> bool {
    #[cfg(feature = "hydrate")]
    {
        crate::sync::sealed::ready()
    }
    #[cfg(not(feature = "hydrate"))]
    false
}

/// The persons this device holds in its encrypted cache, opened; none while the cache is
/// locked or on the server.
pub async fn sealed_persons() -> Vec<Person> {
    #[cfg(feature = "hydrate")]
    {
        use crate::sync::contract::Entity;
        let mut found: Vec<Person> = Vec::new();
        if !cache_open() {
            return found;
        }
        if let Ok(records) = crate::sync::local::records(Entity::Person).await {
            for record in records {
                if let Some(open) = crate::sync::sealed::open(&record.record).await {
                    found.extend(serde_json::from_value::<Person>(open).ok());
                }
            }
        }
        found
    }
    #[cfg(not(feature = "hydrate"))]
    Vec::new()
}

/// The persons list, optionally of one village, sorted by name.
pub async fn list(village_id: Option<String>) -> Result<Vec<Person>, AppError> {
    let village_id = village_id.filter(|id| !id.is_empty());
    if !cache_open() {
        return list_persons(village_id).await;
    }
    let mut persons: Vec<Person> = sealed_persons()
        .await
        .into_iter()
        .filter(|p| village_id.as_ref().is_none_or(|v| &p.village_id == v))
        .collect();
    persons.sort_by(|a, b| a.full_name.cmp(&b.full_name));
    reads::note(ReadKind::List, "").await;
    Ok(persons)
}

async fn from_cache(id: &str) -> Option<Person> {
    #[cfg(feature = "hydrate")]
    {
        use crate::sync::contract::Entity;
        let record = crate::sync::local::record(Entity::Person, id)
            .await
            .ok()??;
        serde_json::from_value(crate::sync::sealed::open(&record.record).await?).ok()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        None
    }
}

/// One person; "not found" when the cache does not hold them (outside the caller's scope).
pub async fn one(id: String) -> Result<Person, AppError> {
    if !cache_open() {
        return get_person(id).await;
    }
    let person = from_cache(&id).await.ok_or(AppError::NotFound)?;
    reads::note(ReadKind::Person, &id).await;
    Ok(person)
}

/// A person's history from the records this device holds: offences (repeats marked, judged
/// against the person's own offences as the server does), visits and tasks, newest first.
pub async fn history(id: String) -> Result<PersonHistory, AppError> {
    if !cache_open() {
        return get_person_history(id).await;
    }
    if from_cache(&id).await.is_none() {
        return Err(AppError::NotFound);
    }
    let history = history_on_device(&id).await;
    reads::note(ReadKind::History, &id).await;
    Ok(history)
}

async fn history_on_device(id: &str) -> PersonHistory {
    #[cfg(feature = "hydrate")]
    {
        use crate::offences::repeat::{repeat_ids, OffenceDates};
        use crate::offences::Offence;
        use crate::sync::contract::Entity;
        use crate::tasks::Task;
        use crate::visits::Visit;
        async fn cached<T: serde::de::DeserializeOwned>(entity: Entity) -> Vec<T> {
            crate::sync::local::records(entity)
                .await
                .unwrap_or_default()
                .into_iter()
                .filter_map(|r| serde_json::from_value(r.record).ok())
                .collect()
        }
        let mut offences: Vec<Offence> = cached::<Offence>(Entity::Offence)
            .await
            .into_iter()
            .filter(|o| o.persons.iter().any(|p| p == id))
            .collect();
        offences.sort_by(|a, b| b.occurred_on.cmp(&a.occurred_on));
        let only_this_person = vec![id.to_owned()];
        let repeats = repeat_ids(offences.iter().map(|o| OffenceDates {
            id: &o.id,
            date: &o.occurred_on,
            persons: &only_this_person,
        }));
        let mut visits: Vec<Visit> = cached::<Visit>(Entity::Visit)
            .await
            .into_iter()
            .filter(|v| v.person_id.as_deref() == Some(id))
            .collect();
        visits.sort_by(|a, b| b.visited_on.cmp(&a.visited_on));
        let mut tasks: Vec<Task> = cached::<Task>(Entity::Task)
            .await
            .into_iter()
            .filter(|t| t.person_id.as_deref() == Some(id))
            .collect();
        tasks.sort_by(|a, b| b.updated_at.cmp(&a.updated_at));
        PersonHistory {
            visits,
            offences: offences
                .into_iter()
                .map(|o| {
                    let repeat = repeats.contains(&o.id);
                    (o, repeat)
                })
                .collect(),
            tasks,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = id;
        PersonHistory {
            visits: Vec::new(),
            offences: Vec::new(),
            tasks: Vec::new(),
        }
    }
}
