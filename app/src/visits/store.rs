//! Visits in the database, written through sync pushes (server only).
use super::types::{NewVisit, Visit};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::WriteResult;
use crate::sync::write::{changeable, decode, may_create_in};

const SELECT: &str = "SELECT id, village_id, person_id, household, kind, \
    visited_at AS visited_on, outcome, note, lat, lon, version, updated_at FROM visits";

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Visit>, sqlx::Error> {
    sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// A person's visits and talks, newest first.
pub async fn of_person(
    conn: &mut DbConnection,
    person_id: &str,
) -> Result<Vec<Visit>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{SELECT} WHERE person_id = $1 ORDER BY visited_at DESC"
    ))
    .bind(person_id)
    .fetch_all(conn)
    .await
}

crate::changeable_record!(Visit);

impl SyncedKind for Visit {
    const ENTITY: Entity = Entity::Visit;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update(conn, who, id, base_version, payload, now).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load(conn, id)).await
    }
}

pub async fn create(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewVisit>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Visit, &draft.village_id).await?;
    crate::persons::store::check_links(conn, who, "person_id", draft.person_id.as_slice()).await?;
    sqlx::query(
        "INSERT INTO visits (id, village_id, person_id, household, visitor_id, kind, visited_at, \
         outcome, note, lat, lon, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $11, $12, 1, $10, $10)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.person_id)
    .bind(&draft.household)
    .bind(&who.principal.account_id)
    .bind(&draft.kind)
    .bind(&draft.visited_on)
    .bind(&draft.outcome)
    .bind(&draft.note)
    .bind(now)
    .bind(draft.lat)
    .bind(draft.lon)
    .execute(conn)
    .await?;
    Ok(Applied { version: 1 })
}

/// A correction (the outcome written up later, a wrong date); the visit stays in its village.
pub async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Visit, loaded, base_version).await?;
    let draft = decode::<NewVisit>(payload)?.checked(&now[..10])?;
    crate::sync::write::stays_in(&current.village_id, &draft.village_id)?;
    crate::persons::store::check_links(conn, who, "person_id", draft.person_id.as_slice()).await?;
    let version = current.version + 1;
    sqlx::query(
        "UPDATE visits SET person_id = $1, household = $2, kind = $3, visited_at = $4, \
         outcome = $5, note = $6, lat = $7, lon = $8, version = $9, updated_at = $10 \
         WHERE id = $11",
    )
    .bind(&draft.person_id)
    .bind(&draft.household)
    .bind(&draft.kind)
    .bind(&draft.visited_on)
    .bind(&draft.outcome)
    .bind(&draft.note)
    .bind(draft.lat)
    .bind(draft.lon)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}
