//! Proposals in the database, written through sync pushes (server only).
use super::types::{may_move, NewProposal, Proposal, ProposalReview};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::contract::Reason;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::WriteResult;
use crate::sync::write::{changeable, decode, may_create_in};

const COLUMNS: &str = "SELECT id, village_id, author, category, body, status, answer, \
     submitted_on, version, updated_at FROM proposals";

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Proposal>, sqlx::Error> {
    sqlx::query_as(&format!("{COLUMNS} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await
}

crate::changeable_record!(Proposal);

impl SyncedKind for Proposal {
    const ENTITY: Entity = Entity::Proposal;

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
    let draft = decode::<NewProposal>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Proposal, &draft.village_id).await?;
    sqlx::query(
        "INSERT INTO proposals (id, village_id, author, category, body, status, submitted_on, \
         version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 'submitted', $6, 1, $7, $7)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.author)
    .bind(&draft.category)
    .bind(&draft.body)
    .bind(&draft.submitted_on)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(Applied { version: 1 })
}

/// A review: a new status and the answer, on the version the reviewer saw.
pub async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Proposal, loaded, base_version).await?;
    let review = decode::<ProposalReview>(payload)?.checked()?;
    if !may_move(who.principal.role, &current.status, &review.status) {
        return Err(Reason::Transition {
            from: current.status,
            to: review.status,
        }
        .into());
    }
    let version = current.version + 1;
    sqlx::query(
        "UPDATE proposals SET status = $1, answer = COALESCE($2, answer), version = $3, \
         updated_at = $4 WHERE id = $5",
    )
    .bind(&review.status)
    .bind(&review.answer)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}

/// The village's latest proposals, newest first.
pub async fn recent(
    conn: &mut DbConnection,
    village_id: &str,
    limit: i64,
) -> Result<Vec<Proposal>, sqlx::Error> {
    // One statement for the list: the village page runs under load (issue 16).
    sqlx::query_as(&format!(
        "{COLUMNS} WHERE village_id = $1 ORDER BY submitted_on DESC, id DESC LIMIT $2"
    ))
    .bind(village_id)
    .bind(limit)
    .fetch_all(conn)
    .await
}
