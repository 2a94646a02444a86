//! Offences in the database, written through sync pushes; a village's figures (server only).
use super::figures::{figures, OffenceFact, OffenceFigures};
use super::repeat::{repeat_ids, OffenceDates};
use super::types::{NewOffence, Offence};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::db::{DbConnection, DbPool};
use crate::sync::contract::{Applied, Entity};
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::{changeable, decode, may_create_in, WriteResult};

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Offence>, sqlx::Error> {
    let found: Option<Offence> = sqlx::query_as(
        "SELECT id, village_id, occurred_at AS occurred_on, category, kind, description, \
         register_number, lat, lon, version, updated_at FROM offences WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut offence) = found else {
        return Ok(None);
    };
    offence.persons = persons_of(conn, &offence.id).await?;
    Ok(Some(offence))
}

async fn persons_of(conn: &mut DbConnection, id: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT person_id FROM offence_persons WHERE offence_id = $1 ORDER BY person_id",
    )
    .bind(id)
    .fetch_all(conn)
    .await
}

async fn link_persons(
    conn: &mut DbConnection,
    id: &str,
    persons: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM offence_persons WHERE offence_id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    for person in persons {
        sqlx::query("INSERT INTO offence_persons (offence_id, person_id) VALUES ($1, $2)")
            .bind(id)
            .bind(person)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

crate::changeable_record!(Offence);

impl SyncedKind for Offence {
    const ENTITY: Entity = Entity::Offence;

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load(conn, id)).await
    }

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
}

async fn create(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewOffence>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Offence, &draft.village_id).await?;
    crate::persons::store::check_links(conn, who, "persons", &draft.persons).await?;
    sqlx::query(
        "INSERT INTO offences (id, village_id, occurred_at, category, kind, description, \
         register_number, recorded_by, version, created_at, updated_at, lat, lon) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9, $10, $11)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.occurred_on)
    .bind(&draft.category)
    .bind(&draft.kind)
    .bind(&draft.description)
    .bind(&draft.register_number)
    .bind(&who.principal.account_id)
    .bind(now)
    .bind(draft.lat)
    .bind(draft.lon)
    .execute(&mut *conn)
    .await?;
    link_persons(conn, record_id, &draft.persons).await?;
    Ok(Applied { version: 1 })
}

/// A correction: the whole record as the inspector now has it.
async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Offence, loaded, base_version).await?;
    let draft = decode::<NewOffence>(payload)?.checked(&now[..10])?;
    if draft.village_id != current.village_id {
        may_create_in(conn, who, RecordKind::Offence, &draft.village_id).await?;
    }
    crate::persons::store::check_links(conn, who, "persons", &draft.persons).await?;
    let version = current.version + 1;
    sqlx::query(
        "UPDATE offences SET village_id = $1, occurred_at = $2, category = $3, kind = $4, \
         description = $5, register_number = $6, version = $7, updated_at = $8, lat = $10, \
         lon = $11 WHERE id = $9",
    )
    .bind(&draft.village_id)
    .bind(&draft.occurred_on)
    .bind(&draft.category)
    .bind(&draft.kind)
    .bind(&draft.description)
    .bind(&draft.register_number)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .bind(draft.lat)
    .bind(draft.lon)
    .execute(&mut *conn)
    .await?;
    link_persons(conn, record_id, &draft.persons).await?;
    Ok(Applied { version })
}

/// The village's offence figures as of `today`. Repeats are judged against every offence of
/// the persons involved, wherever in the region it happened.
pub async fn village_figures(
    pool: &DbPool,
    village_id: &str,
    joined_on: Option<&str>,
    today: &str,
) -> Result<OffenceFigures, sqlx::Error> {
    let rows: Vec<(String, String, Option<String>, bool)> = sqlx::query_as(
        "SELECT o.id, o.occurred_at, string_agg(op.person_id, ','), o.village_id = $1 \
         FROM offences o LEFT JOIN offence_persons op ON op.offence_id = o.id \
         WHERE o.village_id = $1 OR o.id IN ( \
             SELECT offence_id FROM offence_persons WHERE person_id IN ( \
                 SELECT op2.person_id FROM offence_persons op2 \
                 JOIN offences o2 ON o2.id = op2.offence_id WHERE o2.village_id = $1)) \
         GROUP BY o.id",
    )
    .bind(village_id)
    .fetch_all(pool)
    .await?;
    let persons: Vec<Vec<String>> = rows
        .iter()
        .map(|(_, _, persons, _)| {
            persons
                .as_deref()
                .map(|list| list.split(',').map(str::to_owned).collect())
                .unwrap_or_default()
        })
        .collect();
    let repeats = repeat_ids(
        rows.iter()
            .zip(&persons)
            .map(|((id, date, _, _), persons)| OffenceDates { id, date, persons }),
    );
    let facts: Vec<OffenceFact> = rows
        .iter()
        .filter(|(_, _, _, here)| *here)
        .map(|(id, date, _, _)| OffenceFact {
            date: date.clone(),
            repeat: repeats.contains(id),
        })
        .collect();
    Ok(figures(&facts, today, joined_on))
}
