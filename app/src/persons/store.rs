//! Reading persons of attention (server only). The store hands every candidate to the
//! policy; only what `can` allows leaves this module.
use super::types::Person;
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::db::{DbExecutor, DbPool};

/// A stored person with what the policy needs to judge a read.
pub struct Candidate {
    pub person: Person,
    pub place: Place,
    /// A task assigned to the reader (as a council member) links to this person and is open.
    pub shared_with_reader: bool,
}

impl Candidate {
    pub fn readable_by(&self, who: &SignedIn) -> bool {
        can(
            &who.principal,
            Action::Read,
            RecordKind::Person,
            &Target {
                place: Some(&self.place),
                shared_with_me: self.shared_with_reader,
                ..Target::default()
            },
        )
    }
}

/// A person as stored, with the village's district and name, and whether the person is shared
/// with the reader (`select`).
#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    village_id: String,
    district_id: String,
    village_name: String,
    full_name: String,
    birth_year: Option<i64>,
    household: Option<String>,
    /// A JSON list of category codes.
    categories: String,
    register_basis: Option<String>,
    status: String,
    note: Option<String>,
    demo: bool,
    version: i64,
    shared: bool,
}

/// Persons with their village and whether they are shared with the member bound as `$1`.
fn select() -> String {
    format!(
        "SELECT p.id, p.village_id, v.district_id, v.name_ru AS village_name, p.full_name, \
         p.birth_year, p.household, p.categories, p.register_basis, p.status, p.note, p.demo, \
         p.version, p.id IN ({}) AS shared FROM persons p JOIN villages v ON v.id = p.village_id",
        crate::access::shared_with_member("$1")
    )
}

fn candidate(row: Row) -> Candidate {
    Candidate {
        place: Place {
            village_id: row.village_id.clone(),
            district_id: row.district_id,
        },
        person: Person {
            id: row.id,
            village_id: row.village_id,
            village_name: row.village_name,
            full_name: row.full_name,
            birth_year: row.birth_year,
            household: row.household,
            categories: serde_json::from_str(&row.categories).unwrap_or_default(),
            register_basis: row.register_basis,
            status: row.status,
            note: row.note,
            demo: row.demo,
            version: row.version,
        },
        shared_with_reader: row.shared,
    }
}

/// Every person (optionally of one village) with the reader's sharing flag.
pub async fn candidates(
    pool: &DbPool,
    reader: &SignedIn,
    village_id: Option<&str>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let member = reader.member_id.clone().unwrap_or_default();
    let rows: Vec<Row> = match village_id {
        Some(village) => {
            sqlx::query_as(&format!(
                "{} WHERE p.village_id = $2 ORDER BY p.full_name",
                select()
            ))
            .bind(member)
            .bind(village)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!("{} ORDER BY v.name_ru, p.full_name", select()))
                .bind(member)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.into_iter().map(candidate).collect())
}

/// One person with the reader's sharing flag; on whatever connection the caller already holds
/// (a pull reads many on one, never waiting for a second from the pool).
pub async fn candidate_by_id<'e>(
    executor: impl DbExecutor<'e>,
    reader: &SignedIn,
    id: &str,
) -> Result<Option<Candidate>, sqlx::Error> {
    let member = reader.member_id.clone().unwrap_or_default();
    let row: Option<Row> = sqlx::query_as(&format!("{} WHERE p.id = $2", select()))
        .bind(member)
        .bind(id)
        .fetch_optional(executor)
        .await?;
    Ok(row.map(candidate))
}

/// Refuses a record's links (`field`) to persons its writer may not read; an unknown id
/// answers the same as one out of reach.
pub async fn check_links(
    conn: &mut crate::db::DbConnection,
    who: &SignedIn,
    field: &str,
    persons: &[String],
) -> crate::sync::write::WriteResult<()> {
    for person in persons {
        if !readable_on(conn, who, person).await? {
            return Err(crate::fields::invalid(
                field,
                crate::sync::contract::FieldRule::UnknownChoice,
            )
            .into());
        }
    }
    Ok(())
}

/// Whether `who` may read the person.
pub async fn readable_on(
    conn: &mut crate::db::DbConnection,
    who: &SignedIn,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let member = who.member_id.clone().unwrap_or_default();
    let row: Option<Row> = sqlx::query_as(&format!("{} WHERE p.id = $2", select()))
        .bind(member)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(candidate).is_some_and(|c| c.readable_by(who)))
}

/// Writes of persons of attention, through sync pushes. Every write is audited (ids only,
/// never names), in the same transaction as the write itself.
pub mod writes {
    use super::super::types::NewPerson;
    use super::super::types::Person;
    use crate::access::Place;
    use crate::access::RecordKind;
    use crate::accounts::session::SignedIn;
    use crate::audit::store::{record as audit, Entry};
    use crate::audit::AuditAction;
    use crate::db::DbConnection;
    use crate::sync::contract::Reason;
    use crate::sync::contract::{Applied, Entity};
    use crate::sync::kind::SyncedKind;
    use crate::sync::write::WriteResult;
    use crate::sync::write::{decode, may_create_in, may_update};

    impl SyncedKind for Person {
        const ENTITY: Entity = Entity::Person;

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
            _place: &Place,
        ) -> Result<Option<serde_json::Value>, sqlx::Error> {
            // Weighed record by record (shared with a member, responsible inspector). The person if the caller may read them (the pull audits what is handed out).
            let Some(candidate) = super::candidate_by_id(&mut *conn, who, id).await? else {
                return Ok(None);
            };
            Ok(candidate
                .readable_by(who)
                .then(|| serde_json::to_value(candidate.person).ok())
                .flatten())
        }
    }

    pub async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        record_id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        let draft = decode::<NewPerson>(payload)?.checked(&now[..10])?;
        may_create_in(conn, who, RecordKind::Person, &draft.village_id).await?;
        sqlx::query(
            "INSERT INTO persons (id, village_id, full_name, birth_year, household, categories, \
             register_basis, responsible_inspector_id, status, note, version, created_at, \
             updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
        )
        .bind(record_id)
        .bind(&draft.village_id)
        .bind(&draft.full_name)
        .bind(draft.birth_year)
        .bind(&draft.household)
        .bind(serde_json::to_string(&draft.categories).unwrap_or_else(|_| "[]".into()))
        .bind(&draft.register_basis)
        .bind(&who.principal.account_id)
        .bind(&draft.status)
        .bind(&draft.note)
        .bind(now)
        .execute(&mut *conn)
        .await?;
        audit(
            &mut *conn,
            Entry::by(who, AuditAction::Create, "person")
                .record(record_id)
                .village(Some(&draft.village_id)),
        )
        .await?;
        Ok(Applied { version: 1 })
    }

    /// A correction or a closed file: the whole person as the inspector now has it. The
    /// person stays in their village (moving a file is an admin's work).
    pub async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        record_id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        let current: Option<(String, i64)> =
            sqlx::query_as("SELECT village_id, version FROM persons WHERE id = $1")
                .bind(record_id)
                .fetch_optional(&mut *conn)
                .await?;
        let Some((village_id, version)) = current else {
            return Err(Reason::NotFound.into());
        };
        // A conflict answer carries only id and version: the person's data stays out of the
        // device's outbox (it arrives sealed through the sensitive stream).
        let server_copy = serde_json::json!({ "id": record_id, "version": version });
        may_update(
            conn,
            who,
            RecordKind::Person,
            &village_id,
            base_version,
            version,
            &server_copy,
        )
        .await?;
        let draft = decode::<NewPerson>(payload)?.checked(&now[..10])?;
        crate::sync::write::stays_in(&village_id, &draft.village_id)?;
        let version = version + 1;
        sqlx::query(
            "UPDATE persons SET full_name = $1, birth_year = $2, household = $3, categories = $4, \
             register_basis = $5, status = $6, note = $7, version = $8, updated_at = $9 \
             WHERE id = $10",
        )
        .bind(&draft.full_name)
        .bind(draft.birth_year)
        .bind(&draft.household)
        .bind(serde_json::to_string(&draft.categories).unwrap_or_else(|_| "[]".into()))
        .bind(&draft.register_basis)
        .bind(&draft.status)
        .bind(&draft.note)
        .bind(version)
        .bind(now)
        .bind(record_id)
        .execute(&mut *conn)
        .await?;
        audit(
            &mut *conn,
            Entry::by(who, AuditAction::Update, "person")
                .record(record_id)
                .village(Some(&village_id)),
        )
        .await?;
        Ok(Applied { version })
    }
}
