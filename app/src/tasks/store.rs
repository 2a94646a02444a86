//! Tasks in the database, changed only through sync pushes (server only).
use super::types::{may_move, NewTask, Task, TaskProgress};
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::fields::invalid;
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::contract::{FieldRule, Reason};
use crate::sync::kind::SyncedKind;
use crate::sync::write::{decode, may_create_in, village_place};
use crate::sync::write::{WriteError, WriteResult};

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Task>, sqlx::Error> {
    let found: Option<Task> = sqlx::query_as(
        "SELECT id, village_id, title, details, due_on, priority, status, person_id, proposal_id, \
         household, version, updated_at FROM tasks WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(mut task) = found else {
        return Ok(None);
    };
    task.assignees = sqlx::query_scalar(
        "SELECT member_id FROM task_assignees WHERE task_id = $1 ORDER BY member_id",
    )
    .bind(&task.id)
    .fetch_all(&mut *conn)
    .await?;
    task.last_note = sqlx::query_scalar(
        "SELECT note FROM task_updates WHERE task_id = $1 AND note IS NOT NULL \
         ORDER BY created_at DESC, id DESC LIMIT 1",
    )
    .bind(&task.id)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(Some(task))
}

/// The task as `who` may see it: the linked person's id only for someone who may read that
/// person. A task goes to everyone in its village; a person's id must not (issue 14).
pub async fn as_seen_by(
    conn: &mut DbConnection,
    who: &SignedIn,
    mut task: Task,
) -> Result<Task, sqlx::Error> {
    if let Some(person) = task.person_id.as_deref() {
        if !crate::persons::store::readable_on(conn, who, person).await? {
            task.person_id = None;
        }
    }
    Ok(task)
}

/// What the policy needs about a stored task and the reader.
pub fn target<'a>(task: &Task, place: &'a Place, who: &SignedIn) -> Target<'a> {
    Target {
        place: Some(place),
        assigned_to_me: who
            .member_id
            .as_ref()
            .is_some_and(|member| task.assignees.contains(member)),
        ..Target::default()
    }
}

impl SyncedKind for Task {
    const ENTITY: Entity = Entity::Task;

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
        let readable = load(conn, id).await?.filter(|task| {
            can(
                &who.principal,
                Action::Read,
                RecordKind::Task,
                &target(task, place, who),
            )
        });
        match readable {
            Some(task) => Ok(serde_json::to_value(as_seen_by(conn, who, task).await?).ok()),
            None => Ok(None),
        }
    }
}

pub async fn create(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let draft = decode::<NewTask>(payload)?.checked()?;
    may_create_in(conn, who, RecordKind::Task, &draft.village_id).await?;
    for member in &draft.assignees {
        let of_village: bool = sqlx::query_scalar(
            "SELECT EXISTS(SELECT 1 FROM council_members m JOIN councils c ON c.id = m.council_id \
             WHERE m.id = $1 AND c.village_id = $2 AND m.left_on IS NULL)",
        )
        .bind(member)
        .bind(&draft.village_id)
        .fetch_one(&mut *conn)
        .await?;
        if !of_village {
            return Err(invalid("assignees", FieldRule::UnknownChoice).into());
        }
    }
    if draft.person_id.is_some() && !crate::access::may_link_person(who.principal.role) {
        return Err(Reason::Forbidden.into());
    }
    crate::persons::store::check_links(conn, who, "person_id", draft.person_id.as_slice()).await?;
    if let Some(proposal) = &draft.proposal_id {
        let same_village = crate::proposals::store::load(conn, proposal)
            .await?
            .is_some_and(|p| p.village_id == draft.village_id);
        if !same_village {
            return Err(invalid("proposal_id", FieldRule::UnknownChoice).into());
        }
    }
    sqlx::query(
        "INSERT INTO tasks (id, village_id, title, details, creator_id, due_on, priority, status, \
         person_id, proposal_id, household, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'new', $9, $10, $11, 1, $8, $8)",
    )
    .bind(record_id)
    .bind(&draft.village_id)
    .bind(&draft.title)
    .bind(&draft.details)
    .bind(&who.principal.account_id)
    .bind(&draft.due_on)
    .bind(&draft.priority)
    .bind(now)
    .bind(&draft.person_id)
    .bind(&draft.proposal_id)
    .bind(&draft.household)
    .execute(&mut *conn)
    .await?;
    for member in &draft.assignees {
        sqlx::query("INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
            .bind(record_id)
            .bind(member)
            .execute(&mut *conn)
            .await?;
    }
    Ok(Applied { version: 1 })
}

pub async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let Some(task) = load(conn, record_id).await? else {
        return Err(Reason::NotFound.into());
    };
    let Some(place) = village_place(conn, &task.village_id).await? else {
        return Err(Reason::NotFound.into());
    };
    let target = target(&task, &place, who);
    if !can(&who.principal, Action::Read, RecordKind::Task, &target) {
        return Err(Reason::NotFound.into());
    }
    if !can(&who.principal, Action::Update, RecordKind::Task, &target) {
        return Err(Reason::Forbidden.into());
    }
    let progress = decode::<TaskProgress>(payload)?.checked()?;
    // Checked before the status rule: a change made on an old copy is shown to the person
    // beside the current record, whatever it would have done.
    if base_version != Some(task.version) {
        let seen = as_seen_by(conn, who, task).await?;
        return Err(WriteError::Conflict(
            serde_json::to_value(&seen).unwrap_or_default(),
        ));
    }
    let status = progress
        .status
        .clone()
        .unwrap_or_else(|| task.status.clone());
    if !may_move(who.principal.role, &task.status, &status) {
        return Err(Reason::Transition {
            from: task.status,
            to: status,
        }
        .into());
    }
    let version = task.version + 1;
    sqlx::query("UPDATE tasks SET status = $1, version = $2, updated_at = $3 WHERE id = $4")
        .bind(&status)
        .bind(version)
        .bind(now)
        .bind(record_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO task_updates (id, task_id, author_id, status, note, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(crate::ids::new_id())
    .bind(record_id)
    .bind(&who.principal.account_id)
    .bind(progress.status.as_ref())
    .bind(&progress.note)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(Applied { version })
}

/// How many of the village's tasks still need work (`types::is_open`).
pub async fn open_count(conn: &mut DbConnection, village_id: &str) -> Result<i64, sqlx::Error> {
    let statuses: Vec<&str> = super::types::STATUSES
        .iter()
        .copied()
        .filter(|s| super::types::is_open(s))
        .collect();
    let mut count = 0;
    for status in statuses {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM tasks WHERE village_id = $1 AND status = $2")
                .bind(village_id)
                .bind(status)
                .fetch_one(&mut *conn)
                .await?;
        count += n;
    }
    Ok(count)
}
