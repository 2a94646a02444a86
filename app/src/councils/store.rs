//! Councils and members in the database, written through sync pushes and the members import
//! (server only). Every change leaves an audit line in the same transaction.
use super::types::{name_key, Council, Member, NewCouncil, NewMember};
use crate::access::Place;
use crate::access::RecordKind;
use crate::accounts::session::SignedIn;
use crate::audit::store::{record as audit, Entry};
use crate::audit::AuditAction;
use crate::db::DbConnection;
use crate::fields::invalid;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::contract::FieldRule;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::{changeable, decode, may_create_in, stays_in};
use crate::sync::write::{WriteError, WriteResult};

#[derive(sqlx::FromRow)]
struct CouncilRow {
    id: String,
    village_id: String,
    formed_on: Option<String>,
    version: i64,
    updated_at: String,
}

impl From<CouncilRow> for Council {
    fn from(row: CouncilRow) -> Self {
        Council {
            id: row.id,
            village_id: row.village_id,
            formed_on: row.formed_on,
            version: row.version,
            updated_at: row.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    village_id: String,
    full_name: String,
    role: String,
    phone: Option<String>,
    since: Option<String>,
    left_on: Option<String>,
    version: i64,
    updated_at: String,
}

impl From<MemberRow> for Member {
    fn from(row: MemberRow) -> Self {
        Member {
            id: row.id,
            village_id: row.village_id,
            full_name: row.full_name,
            role: row.role,
            phone: row.phone,
            since: row.since,
            left_on: row.left_on,
            version: row.version,
            updated_at: row.updated_at,
        }
    }
}

const MEMBERS: &str = "SELECT m.id, c.village_id, m.full_name, m.role, m.phone, m.since, \
    m.left_on, m.version, m.updated_at FROM council_members m \
    JOIN councils c ON c.id = m.council_id";

pub async fn load_council(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<Council>, sqlx::Error> {
    let row: Option<CouncilRow> = sqlx::query_as(
        "SELECT id, village_id, formed_on, version, updated_at FROM councils WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(Council::from))
}

pub async fn load_member(conn: &mut DbConnection, id: &str) -> Result<Option<Member>, sqlx::Error> {
    let row: Option<MemberRow> = sqlx::query_as(&format!("{MEMBERS} WHERE m.id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(Member::from))
}

/// The members of a village's council, those who left included, in name order.
pub async fn members_of(
    conn: &mut DbConnection,
    village_id: &str,
) -> Result<Vec<Member>, sqlx::Error> {
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "{MEMBERS} WHERE c.village_id = $1 ORDER BY m.full_name"
    ))
    .bind(village_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(Member::from).collect())
}

/// The council of a village, if it has one.
pub async fn council_id_of(
    conn: &mut DbConnection,
    village_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM councils WHERE village_id = $1")
        .bind(village_id)
        .fetch_optional(conn)
        .await
}

/// The council of a village, formed now (no date known) when it has none yet: the first
/// member recorded for a village makes its council exist.
pub async fn ensure_council(
    conn: &mut DbConnection,
    who: &SignedIn,
    village_id: &str,
    now: &str,
) -> Result<String, sqlx::Error> {
    if let Some(id) = council_id_of(conn, village_id).await? {
        return Ok(id);
    }
    let id = crate::ids::new_id();
    sqlx::query(
        "INSERT INTO councils (id, village_id, formed_on, version, updated_at) \
         VALUES ($1, $2, NULL, 1, $3)",
    )
    .bind(&id)
    .bind(village_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    audited(conn, who, AuditAction::Create, "council", &id, village_id).await?;
    Ok(id)
}

async fn audited(
    conn: &mut DbConnection,
    who: &SignedIn,
    action: AuditAction,
    entity: &str,
    id: &str,
    village_id: &str,
) -> Result<(), sqlx::Error> {
    audit(
        conn,
        Entry::by(who, action, entity)
            .record(id)
            .village(Some(village_id)),
    )
    .await
}

crate::changeable_record!(Council);

impl SyncedKind for Council {
    const ENTITY: Entity = Entity::Council;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create_council(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update_council(conn, who, id, base_version, payload, now).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load_council(conn, id)).await
    }
}

crate::changeable_record!(Member);

impl SyncedKind for Member {
    const ENTITY: Entity = Entity::Member;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create_member(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update_member(conn, who, id, base_version, payload, now).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load_member(conn, id)).await
    }
}

pub async fn create_council(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewCouncil>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Council, &draft.village_id).await?;
    // One council per village: a second one made on another device is a conflict with the
    // first, which the person compares with theirs.
    if let Some(existing) = council_id_of(conn, &draft.village_id).await? {
        let current = load_council(conn, &existing).await?;
        return Err(WriteError::Conflict(
            serde_json::to_value(current).unwrap_or_default(),
        ));
    }
    sqlx::query(
        "INSERT INTO councils (id, village_id, formed_on, version, updated_at) \
         VALUES ($1, $2, $3, 1, $4)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.formed_on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    audited(
        conn,
        who,
        AuditAction::Create,
        "council",
        record_id,
        &draft.village_id,
    )
    .await?;
    Ok(Applied { version: 1 })
}

pub async fn update_council(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load_council(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Council, loaded, base_version).await?;
    let draft = decode::<NewCouncil>(payload)?.checked(&now[..10])?;
    stays_in(&current.village_id, &draft.village_id)?;
    let version = current.version + 1;
    sqlx::query("UPDATE councils SET formed_on = $1, version = $2, updated_at = $3 WHERE id = $4")
        .bind(&draft.formed_on)
        .bind(version)
        .bind(now)
        .bind(record_id)
        .execute(&mut *conn)
        .await?;
    audited(
        conn,
        who,
        AuditAction::Update,
        "council",
        record_id,
        &current.village_id,
    )
    .await?;
    Ok(Applied { version })
}

/// Refuses a name already held by a current member of the council (`except` is the member
/// being corrected).
pub async fn unique_name(
    conn: &mut DbConnection,
    village_id: &str,
    full_name: &str,
    except: Option<&str>,
) -> WriteResult<()> {
    if name_taken(conn, village_id, full_name, except).await? {
        return Err(invalid("full_name", FieldRule::Duplicate).into());
    }
    Ok(())
}

/// Whether a current member of the village's council other than `except` has this name.
pub async fn name_taken(
    conn: &mut DbConnection,
    village_id: &str,
    full_name: &str,
    except: Option<&str>,
) -> Result<bool, sqlx::Error> {
    let key = name_key(full_name);
    Ok(members_of(conn, village_id)
        .await?
        .into_iter()
        .any(|m| m.current() && Some(m.id.as_str()) != except && name_key(&m.full_name) == key))
}

/// Writes a checked new member into the village's council (made if missing), audited.
pub async fn insert_member(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    draft: &NewMember,
    now: &str,
) -> Result<(), sqlx::Error> {
    let council = ensure_council(conn, who, &draft.village_id, now).await?;
    sqlx::query(
        "INSERT INTO council_members (id, council_id, full_name, role, phone, since, left_on, \
         version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8)",
    )
    .bind(record_id)
    .bind(&council)
    .bind(&draft.full_name)
    .bind(&draft.role)
    .bind(&draft.phone)
    .bind(&draft.since)
    .bind(&draft.left_on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    audited(
        conn,
        who,
        AuditAction::Create,
        "member",
        record_id,
        &draft.village_id,
    )
    .await
}

pub async fn create_member(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewMember>(payload)?.checked(&now[..10])?;
    may_create_in(conn, who, RecordKind::Council, &draft.village_id).await?;
    if draft.left_on.is_none() {
        unique_name(conn, &draft.village_id, &draft.full_name, None).await?;
    }
    insert_member(conn, who, record_id, &draft, now).await?;
    Ok(Applied { version: 1 })
}

/// A correction, or the member leaving (`left_on`): his record and his tasks' history stay;
/// open tasks still assigned to him show that they need another assignee.
pub async fn update_member(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load_member(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::Council, loaded, base_version).await?;
    let draft = decode::<NewMember>(payload)?.checked(&now[..10])?;
    stays_in(&current.village_id, &draft.village_id)?;
    if draft.left_on.is_none() {
        unique_name(conn, &draft.village_id, &draft.full_name, Some(record_id)).await?;
    }
    let version = current.version + 1;
    sqlx::query(
        "UPDATE council_members SET full_name = $1, role = $2, phone = $3, since = $4, \
         left_on = $5, version = $6, updated_at = $7 WHERE id = $8",
    )
    .bind(&draft.full_name)
    .bind(&draft.role)
    .bind(&draft.phone)
    .bind(&draft.since)
    .bind(&draft.left_on)
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(&mut *conn)
    .await?;
    audited(
        conn,
        who,
        AuditAction::Update,
        "member",
        record_id,
        &current.village_id,
    )
    .await?;
    if current.left_on.is_none() && draft.left_on.is_some() {
        unlink_leaver(conn, who, record_id, &current.village_id).await?;
    }
    Ok(Applied { version })
}

/// A member who leaves the council is no longer anyone's account: the account keeps its
/// sign-in but loses "my tasks" and what his tasks shared (the admin links it anew or
/// disables it). Audited as a change of the account.
async fn unlink_leaver(
    conn: &mut DbConnection,
    who: &SignedIn,
    member_id: &str,
    village_id: &str,
) -> Result<(), sqlx::Error> {
    let accounts: Vec<String> = sqlx::query_scalar(
        "UPDATE accounts SET member_id = NULL WHERE member_id = $1 RETURNING id",
    )
    .bind(member_id)
    .fetch_all(&mut *conn)
    .await?;
    for account in accounts {
        audit(
            &mut *conn,
            Entry::by(who, AuditAction::Update, "account")
                .record(&account)
                .village(Some(village_id))
                .detail("member left the council: unlinked".into()),
        )
        .await?;
    }
    Ok(())
}
