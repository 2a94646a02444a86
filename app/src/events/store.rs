//! Preventive events in the database, written through sync pushes (server only).
use super::types::{Event, NewEvent};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::WriteResult;
use crate::sync::write::{changeable, decode, may_create_in};

const COLUMNS: &str =
    "SELECT id, village_id, kind, title, held_on, attendance, version, updated_at FROM events";

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Event>, sqlx::Error> {
    sqlx::query_as(&format!("{COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

crate::changeable_record!(Event);

impl SyncedKind for Event {
    const ENTITY: Entity = Entity::Event;

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
    let draft = decode::<NewEvent>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Event, &draft.village_id).await?;
    sqlx::query(
        "INSERT INTO events (id, village_id, kind, title, held_on, attendance, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.kind)
    .bind(&draft.title)
    .bind(&draft.held_on)
    .bind(draft.attendance)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Applied { version: 1 })
}

/// The village's latest events, newest first.
pub async fn recent(
    conn: &mut DbConnection,
    village_id: &str,
    limit: i64,
) -> Result<Vec<Event>, sqlx::Error> {
    // One statement for the list: the village page runs under load (issue 16).
    sqlx::query_as(&format!(
        "{COLUMNS} WHERE village_id = $1 ORDER BY held_on DESC, id DESC LIMIT $2"
    ))
    .bind(village_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// A correction (often the attendance, counted afterwards); the event stays in its village.
pub async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Event, loaded, base_version).await?;
    let draft = decode::<NewEvent>(payload)?.checked(&now[..10])?;
    crate::sync::write::stays_in(&current.village_id, &draft.village_id)?;
    let version = current.version + 1;
    sqlx::query(
        "UPDATE events SET kind = $1, title = $2, held_on = $3, attendance = $4, version = $5, \
         updated_at = $6 WHERE id = $7",
    )
    .bind(&draft.kind)
    .bind(&draft.title)
    .bind(&draft.held_on)
    .bind(draft.attendance)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}
