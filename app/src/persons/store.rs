//! Reading persons of attention (server only). The store hands every candidate to the
//! policy; only what `can` allows leaves this module.
use super::types::Person;
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use sqlx::SqlitePool;

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

type Row = (
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<String>,
    String,
    Option<String>,
    String,
    Option<String>,
    bool,
    bool,
);

const SELECT: &str = "SELECT p.id, p.village_id, v.district_id, v.name_ru, p.full_name, \
    p.birth_year, p.household, p.categories, p.register_basis, p.status, p.note, p.demo, \
    EXISTS(SELECT 1 FROM tasks t JOIN task_assignees ta ON ta.task_id = t.id \
           WHERE t.person_id = p.id AND ta.member_id = $1 \
           AND t.status NOT IN ('verified', 'cancelled')) \
    FROM persons p JOIN villages v ON v.id = p.village_id";

fn candidate(row: Row) -> Candidate {
    let (
        id,
        village_id,
        district_id,
        village_name,
        full_name,
        birth_year,
        household,
        categories,
        register_basis,
        status,
        note,
        demo,
        shared,
    ) = row;
    Candidate {
        place: Place {
            village_id: village_id.clone(),
            district_id,
        },
        person: Person {
            id,
            village_id,
            village_name,
            full_name,
            birth_year,
            household,
            categories: serde_json::from_str(&categories).unwrap_or_default(),
            register_basis,
            status,
            note,
            demo,
        },
        shared_with_reader: shared,
    }
}

/// Every person (optionally of one village) with the reader's sharing flag.
pub async fn candidates(
    pool: &SqlitePool,
    reader: &SignedIn,
    village_id: Option<&str>,
) -> Result<Vec<Candidate>, sqlx::Error> {
    let member = reader.member_id.clone().unwrap_or_default();
    let rows: Vec<Row> = match village_id {
        Some(village) => {
            sqlx::query_as(&format!(
                "{SELECT} WHERE p.village_id = $2 ORDER BY p.full_name"
            ))
            .bind(member)
            .bind(village)
            .fetch_all(pool)
            .await?
        }
        None => {
            sqlx::query_as(&format!("{SELECT} ORDER BY v.name_ru, p.full_name"))
                .bind(member)
                .fetch_all(pool)
                .await?
        }
    };
    Ok(rows.into_iter().map(candidate).collect())
}

pub async fn candidate_by_id(
    pool: &SqlitePool,
    reader: &SignedIn,
    id: &str,
) -> Result<Option<Candidate>, sqlx::Error> {
    let member = reader.member_id.clone().unwrap_or_default();
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.id = $2"))
        .bind(member)
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(candidate))
}

/// Whether `who` may read the person: a record may link only to persons its writer may see
/// (an unknown id answers the same as one out of reach).
pub async fn readable_on(
    conn: &mut sqlx::SqliteConnection,
    who: &SignedIn,
    id: &str,
) -> Result<bool, sqlx::Error> {
    let member = who.member_id.clone().unwrap_or_default();
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE p.id = $2"))
        .bind(member)
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(candidate).is_some_and(|c| c.readable_by(who)))
}
