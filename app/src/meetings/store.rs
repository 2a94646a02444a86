//! Meetings and decisions in the database, written through sync pushes (server only).
use super::types::{Decision, Meeting, NewDecision, NewMeeting};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::councils::store::council_id_of;
use crate::db::DbConnection;
use crate::fields::invalid;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::contract::FieldRule;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::WriteResult;
use crate::sync::write::{changeable, decode, may_create_in};

pub async fn load_meeting(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<Meeting>, sqlx::Error> {
    sqlx::query_as(
        "SELECT m.id, c.village_id, m.held_on, m.attendees, COALESCE(m.agenda, '') AS agenda, \
         m.minutes, m.version, m.updated_at FROM meetings m JOIN councils c \
         ON c.id = m.council_id WHERE m.id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

crate::changeable_record!(Meeting);

impl SyncedKind for Meeting {
    const ENTITY: Entity = Entity::Meeting;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create_meeting(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update_meeting(conn, who, id, base_version, payload, now).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load_meeting(conn, id)).await
    }
}

crate::changeable_record!(Decision);

impl SyncedKind for Decision {
    const ENTITY: Entity = Entity::Decision;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create_decision(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update_decision(conn, who, id, base_version, payload, now).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load_decision(conn, id)).await
    }
}

pub async fn create_meeting(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewMeeting>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Meeting, &draft.village_id).await?;
    // A village without a council holds no council meetings.
    let Some(council) = council_id_of(conn, &draft.village_id).await? else {
        return Err(invalid("village_id", FieldRule::UnknownChoice).into());
    };
    sqlx::query(
        "INSERT INTO meetings (id, council_id, held_on, attendees, agenda, minutes, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)",
    )
    .bind(record_id)
    .bind(&council)
    .bind(&draft.held_on)
    .bind(&draft.attendees)
    .bind(&draft.agenda)
    .bind(&draft.minutes)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Applied { version: 1 })
}

/// Minutes written up afterwards, or a correction; the meeting stays in its village.
pub async fn update_meeting(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load_meeting(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Meeting, loaded, base_version).await?;
    let draft = decode::<NewMeeting>(payload)?.checked(&now[..10])?;
    crate::sync::write::stays_in(&current.village_id, &draft.village_id)?;
    let version = current.version + 1;
    sqlx::query(
        "UPDATE meetings SET held_on = $1, attendees = $2, agenda = $3, minutes = $4, \
         version = $5, updated_at = $6 WHERE id = $7",
    )
    .bind(&draft.held_on)
    .bind(&draft.attendees)
    .bind(&draft.agenda)
    .bind(&draft.minutes)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}

const DECISIONS: &str = "SELECT id, village_id, meeting_id, body, effective_on, version, \
    updated_at FROM decisions";

pub async fn load_decision(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<Decision>, sqlx::Error> {
    sqlx::query_as(&format!("{DECISIONS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// The village's latest decisions, newest first.
pub async fn recent_decisions(
    conn: &mut DbConnection,
    village_id: &str,
    limit: i64,
) -> Result<Vec<Decision>, sqlx::Error> {
    sqlx::query_as(&format!(
        "{DECISIONS} WHERE village_id = $1 \
         ORDER BY COALESCE(effective_on, substr(created_at, 1, 10)) DESC LIMIT $2"
    ))
    .bind(village_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}

/// Checks that a decision's meeting (if any) is one of its own village's.
async fn meeting_of_village(conn: &mut DbConnection, draft: &NewDecision) -> WriteResult<()> {
    let Some(meeting) = &draft.meeting_id else {
        return Ok(());
    };
    let same_village = load_meeting(conn, meeting)
        .await?
        .is_some_and(|m| m.village_id == draft.village_id);
    if !same_village {
        return Err(invalid("meeting_id", FieldRule::UnknownChoice).into());
    }
    Ok(())
}

/// A corrected decision (its wording, the date it takes effect); it stays in its village.
pub async fn update_decision(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load_decision(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Decision, loaded, base_version).await?;
    let draft = decode::<NewDecision>(payload)?.checked()?;
    crate::sync::write::stays_in(&current.village_id, &draft.village_id)?;
    meeting_of_village(conn, &draft).await?;
    let version = current.version + 1;
    sqlx::query(
        "UPDATE decisions SET meeting_id = $1, body = $2, effective_on = $3, version = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(&draft.meeting_id)
    .bind(&draft.body)
    .bind(&draft.effective_on)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}

pub async fn create_decision(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewDecision>(payload)?.checked()?;
    may_create_in(conn, who, RecordKind::Decision, &draft.village_id).await?;
    meeting_of_village(conn, &draft).await?;
    sqlx::query(
        "INSERT INTO decisions (id, village_id, meeting_id, body, effective_on, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.meeting_id)
    .bind(&draft.body)
    .bind(&draft.effective_on)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Applied { version: 1 })
}
