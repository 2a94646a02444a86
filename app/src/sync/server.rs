//! The server's side of sync (DESIGN §4): applying pushed mutations exactly once, and
//! handing each device the changes in its scope.
use super::contract::{
    Answer, Change, Entity, Mutation, Op, Outcome, PullPage, PushRequest, PushResponse, Reason,
    Status, Stream, PULL_PAGE_MAX, PUSH_BATCH_MAX,
};
use super::kind::SyncedKinds;
use super::write::WriteError;
use crate::access::Place;
use crate::accounts::session::SignedIn;
use crate::audit::store::{record as audit, Entry};
use crate::audit::AuditAction;
use crate::db::BeginWrite;
use crate::db::{DbConnection, DbPool};
use crate::stored::StoredEnum;

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("the device belongs to another account")]
    NotYourDevice,
    #[error("the device was revoked")]
    Revoked,
    #[error("the batch is malformed: {0}")]
    Malformed(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Applies a batch in order. Each mutation's writes, its answer and the device's seq are
/// written in one transaction, so a crash leaves either all of it or none, and a replay (same
/// mutation id) gets the stored answer instead of a second write.
pub async fn push(
    pool: &DbPool,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    request: PushRequest,
    now: &str,
    hold: std::time::Duration,
) -> Result<PushResponse, PushError> {
    if request.mutations.len() > PUSH_BATCH_MAX {
        return Err(PushError::Malformed("too many mutations"));
    }
    if !valid_id(&request.device_id) {
        return Err(PushError::Malformed("device id"));
    }
    // A savepoint per mutation costs two statements, and statements are what a push pays for
    // (each is a round trip to SQLite's thread, issue 16). It is needed only when a mutation
    // breaks a constraint the checks missed, which is rare: the batch runs without them first
    // and, on such an error, is rolled back and run again with them.
    // IMMEDIATE takes the write lock at once: two pushes of one device queue up instead of
    // both reading the same applied seq.
    let mut tx = pool.begin_write().await?;
    let response = match apply_batch(&mut tx, kinds, who, &request, now, Guard::Optimistic).await? {
        Some(response) => response,
        None => {
            tx.rollback().await?;
            tx = pool.begin_write().await?;
            apply_batch(&mut tx, kinds, who, &request, now, Guard::Savepoints)
                .await?
                .ok_or_else(|| {
                    sqlx::Error::Protocol("a guarded batch asked to be run again".into())
                })?
        }
    };
    if !hold.is_zero() {
        tokio::time::sleep(hold).await;
    }
    let response = PushResponse {
        epoch: super::history::epoch(&mut tx).await?,
        ..response
    };
    tx.commit().await?;
    Ok(response)
}

/// How a mutation that breaks a constraint is contained.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guard {
    /// No savepoint: such a mutation stops the batch, which the caller runs again guarded.
    Optimistic,
    /// Each mutation in a savepoint: such a mutation is rolled back and refused.
    Savepoints,
}

/// The batch's answers, or `None` when an optimistic run hit a broken constraint.
async fn apply_batch(
    tx: &mut DbConnection,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    request: &PushRequest,
    now: &str,
    guard: Guard,
) -> Result<Option<PushResponse>, PushError> {
    let device_id = request.device_id.as_str();
    let mut applied_seq = claim_device(tx, who, device_id, now).await?;
    // The answers given before are read in one query and this batch's are written in one at
    // the end.
    let mut earlier = stored_answers(tx, device_id, &request.mutations).await?;
    let mut answers = Vec::with_capacity(request.mutations.len());
    let mut settled = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        if let Some(original) = earlier.get(&mutation.id) {
            // The first answer may never have arrived, and with it the record as stored: the
            // next pull brings it back after all.
            forget_own_change(tx, device_id, mutation).await?;
            answers.push(Answer {
                duplicate: true,
                ..original.clone()
            });
            continue;
        }
        if mutation.seq <= applied_seq {
            answers.push(answer(mutation, Outcome::Rejected(Reason::SeqReused)));
            continue;
        }
        if mutation.seq > applied_seq + 1 {
            // Nothing after a gap can be applied in order: the device sends again from here.
            answers.push(Answer {
                status: Status::Gap,
                expected: Some(applied_seq + 1),
                ..answer(mutation, Outcome::Skipped)
            });
            break;
        }
        let outcome = if !valid_id(&mutation.record_id) {
            // Refused and recorded like any bad mutation, so it never blocks the queue.
            Outcome::Rejected(crate::fields::invalid(
                "record_id",
                super::contract::FieldRule::UnknownChoice,
            ))
        } else {
            match apply_guarded(tx, kinds, who, mutation, now, guard).await? {
                Some(outcome) => outcome,
                None => return Ok(None),
            }
        };
        let mut answer = answer(mutation, outcome);
        // Stored as given, before the record is added: a replay is answered without it.
        earlier.insert(mutation.id.clone(), answer.clone());
        if answer.status == Status::Applied && !mutation.entity.sensitive() {
            answer.server_record = mark_own_change(tx, kinds, who, device_id, mutation).await?;
        }
        applied_seq = mutation.seq;
        settled.push(mutation);
        answers.push(answer);
    }
    store_answers(tx, device_id, &settled, &earlier, now).await?;
    sqlx::query("UPDATE devices SET applied_seq = $1, last_sync_at = $2 WHERE id = $3")
        .bind(applied_seq as i64)
        .bind(now)
        .bind(device_id)
        .execute(&mut *tx)
        .await?;
    Ok(Some(PushResponse {
        answers,
        applied_seq,
        epoch: String::new(),
    }))
}

/// Applies one mutation under `guard`; `None` when an optimistic run must start again guarded.
async fn apply_guarded(
    tx: &mut DbConnection,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    mutation: &Mutation,
    now: &str,
    guard: Guard,
) -> Result<Option<Outcome>, sqlx::Error> {
    // A constraint the checks missed, or a value the database cannot store: the mutation is
    // bad, not the server, and sending it again would fail again.
    use crate::errors::is_refused_data;
    if guard == Guard::Optimistic {
        return match apply(tx, kinds, who, mutation, now).await {
            Ok(outcome) => Ok(Some(outcome)),
            Err(error) if is_refused_data(&error) => Ok(None),
            Err(error) => Err(error),
        };
    }
    let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
    match apply(&mut savepoint, kinds, who, mutation, now).await {
        Ok(outcome) => {
            savepoint.commit().await?;
            Ok(Some(outcome))
        }
        Err(error) if is_refused_data(&error) => {
            // Logged: a refusal that comes from the server's own SQL is a bug to find.
            tracing::warn!(%error, entity = ?mutation.entity, "a mutation's values refused by the database");
            savepoint.rollback().await?;
            Ok(Some(Outcome::Rejected(Reason::Unsupported)))
        }
        Err(error) => Err(error),
    }
}

/// Ids are UUIDs: short, printable, no room for anything else.
pub(super) fn valid_id(id: &str) -> bool {
    (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// The device's applied seq, registering the device on its first push. A sync id belongs to
/// the account and to the browser (session device) that first used it: another browser's
/// session, even of the same account, cannot push or take a key share as it, and revoking
/// the browser revokes it.
pub(super) async fn claim_device(
    conn: &mut DbConnection,
    who: &SignedIn,
    device_id: &str,
    now: &str,
) -> Result<u64, PushError> {
    let row: Option<(String, Option<String>, i64, Option<String>)> = sqlx::query_as(
        "SELECT account_id, revoked_at, applied_seq, browser_id FROM devices WHERE id = $1",
    )
    .bind(device_id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some((account, ..)) if account != who.principal.account_id => Err(PushError::NotYourDevice),
        Some((_, Some(_), ..)) => Err(PushError::Revoked),
        Some((_, None, _, Some(browser))) if browser != who.device_id => {
            Err(PushError::NotYourDevice)
        }
        Some((_, None, seq, browser)) => {
            if browser.is_none() {
                // Registered before devices were tied to browsers: tied on first use now.
                sqlx::query("UPDATE devices SET browser_id = $1 WHERE id = $2")
                    .bind(&who.device_id)
                    .bind(device_id)
                    .execute(&mut *conn)
                    .await?;
            }
            Ok(seq.max(0) as u64)
        }
        None => {
            sqlx::query(
                "INSERT INTO devices (id, account_id, label, kind, created_at, browser_id) \
                 VALUES ($1, $2, 'sync', 'sync', $3, $4)",
            )
            .bind(device_id)
            .bind(&who.principal.account_id)
            .bind(now)
            .bind(&who.device_id)
            .execute(&mut *conn)
            .await?;
            Ok(0)
        }
    }
}

/// The answers this device was given before for any mutation of the batch, by mutation id.
async fn stored_answers(
    conn: &mut DbConnection,
    device_id: &str,
    mutations: &[Mutation],
) -> Result<std::collections::HashMap<String, Answer>, sqlx::Error> {
    let mut found = std::collections::HashMap::new();
    if mutations.is_empty() {
        return Ok(found);
    }
    let mut query = sqlx::QueryBuilder::<crate::db::Db>::new(
        "SELECT mutation_id, answer FROM sync_mutations WHERE device_id = ",
    );
    query.push_bind(device_id).push(" AND mutation_id IN (");
    let mut ids = query.separated(", ");
    for mutation in mutations {
        ids.push_bind(&mutation.id);
    }
    query.push(")");
    let rows: Vec<(String, String)> = query.build_query_as().fetch_all(conn).await?;
    for (id, json) in rows {
        if let Ok(answer) = serde_json::from_str(&json) {
            found.insert(id, answer);
        }
    }
    Ok(found)
}

/// Records the answers of the mutations settled by this push, in one statement.
async fn store_answers(
    conn: &mut DbConnection,
    device_id: &str,
    mutations: &[&Mutation],
    answers: &std::collections::HashMap<String, Answer>,
    now: &str,
) -> Result<(), sqlx::Error> {
    if mutations.is_empty() {
        return Ok(());
    }
    let mut query = sqlx::QueryBuilder::<crate::db::Db>::new(
        "INSERT INTO sync_mutations (device_id, seq, mutation_id, entity, record_id, status, \
         answer, at) ",
    );
    query.push_values(mutations, |mut row, mutation| {
        let answer = &answers[&mutation.id];
        row.push_bind(device_id)
            .push_bind(mutation.seq as i64)
            .push_bind(&mutation.id)
            .push_bind(mutation.entity.as_str())
            .push_bind(&mutation.record_id)
            .push_bind(answer.status.as_str())
            .push_bind(serde_json::to_string(answer).unwrap_or_default())
            .push_bind(now);
    });
    query.build().execute(conn).await?;
    Ok(())
}

/// The record as stored after this device's change, for the answer, and its change row marked
/// as this device's own, so the device's next pull does not bring it back (issue 16: a pull
/// repeated every record just pushed). Any later write replaces the row (the change triggers
/// delete and insert it) and so clears the mark. Sensitive records are not answered this way:
/// the device keeps them sealed, and each copy handed out is audited by the pull.
async fn mark_own_change(
    conn: &mut DbConnection,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    device_id: &str,
    mutation: &Mutation,
) -> Result<Option<serde_json::Value>, sqlx::Error> {
    // Marked even when the caller may not read the record back: a pull would leave it out too.
    let place: Option<(String, Option<String>)> = sqlx::query_as(
        "UPDATE sync_changes SET origin_device = $1 \
         WHERE entity = $2 AND record_id = $3 AND deleted = FALSE \
         RETURNING village_id, (SELECT district_id FROM villages \
                                WHERE villages.id = sync_changes.village_id)",
    )
    .bind(device_id)
    .bind(mutation.entity.as_str())
    .bind(&mutation.record_id)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(place) = place.and_then(known_place) else {
        return Ok(None);
    };
    kinds
        .readable(conn, who, mutation.entity, &mutation.record_id, &place)
        .await
}

/// Undoes [`mark_own_change`] for a replayed mutation: its stored answer carries no record.
async fn forget_own_change(
    conn: &mut DbConnection,
    device_id: &str,
    mutation: &Mutation,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE sync_changes SET origin_device = NULL \
         WHERE entity = $1 AND record_id = $2 AND origin_device = $3",
    )
    .bind(mutation.entity.as_str())
    .bind(&mutation.record_id)
    .bind(device_id)
    .execute(conn)
    .await?;
    Ok(())
}

fn answer(mutation: &Mutation, outcome: Outcome) -> Answer {
    let mut answer = Answer {
        id: mutation.id.clone(),
        seq: mutation.seq,
        status: Status::Applied,
        duplicate: false,
        version: None,
        reason: None,
        server_record: None,
        expected: None,
    };
    match outcome {
        Outcome::Applied(applied) => answer.version = Some(applied.version),
        Outcome::Rejected(reason) => {
            answer.status = Status::Rejected;
            answer.reason = Some(reason);
        }
        Outcome::Conflict(record) => {
            answer.status = Status::Conflict;
            answer.server_record = Some(record);
        }
        Outcome::Skipped => answer.status = Status::Skipped,
    }
    answer
}

/// One mutation, handed to its kind; a create first checks that no record of its entity has
/// that id yet.
async fn apply(
    conn: &mut DbConnection,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    mutation: &Mutation,
    now: &str,
) -> Result<Outcome, sqlx::Error> {
    match mutation.op {
        Op::Skip => return Ok(Outcome::Skipped),
        Op::Create => {
            let taken: bool = sqlx::query_scalar(
                "SELECT EXISTS(SELECT 1 FROM sync_changes WHERE entity = $1 AND record_id = $2)",
            )
            .bind(mutation.entity.as_str())
            .bind(&mutation.record_id)
            .fetch_one(&mut *conn)
            .await?;
            if taken {
                return Ok(Outcome::Rejected(Reason::IdTaken));
            }
        }
        Op::Update | Op::Delete => {}
    }
    WriteError::into_outcome(kinds.apply(conn, who, mutation, now).await)
}

#[derive(Debug, thiserror::Error)]
pub enum PullError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// One page of the changes after `since` that the caller may read. Records the caller may not
/// read are left out; sensitive ones they may no longer read come as tombstones, so a device
/// drops what it should not keep. Every sensitive record handed out is audited.
///
/// The whole pull runs on one pooled connection: a request that held one connection while
/// waiting for a second froze the server once as many pulls ran as the pool had connections
/// (DESIGN §4, "under load").
pub async fn pull(
    pool: &DbPool,
    kinds: &impl SyncedKinds,
    who: &SignedIn,
    since: i64,
    stream: Stream,
    limit: i64,
    device: Option<&str>,
) -> Result<PullPage, PullError> {
    let mut conn = pool.acquire().await?;
    let limit = limit.clamp(1, PULL_PAGE_MAX);
    let bounds = super::history::feed_bounds(&mut conn).await?;
    let epoch = bounds.epoch;
    // Below the horizon a deletion may have been missed; past the highest version ever given,
    // the cursor came from a history this database does not hold (DESIGN §4.9).
    if since > 0 && (since < bounds.horizon || since > bounds.highest) {
        return Ok(reset_page(epoch));
    }
    // The rows the caller may be told of at all: the same for the page and for `remaining`.
    let reach = super::reach::condition(who, stream);
    // The device's own changes, already answered with the stored record, are left out, except
    // for a device starting from nothing (a wiped cache must get everything back). Only a
    // device of the caller's account counts: naming someone else's would tell which of the
    // records the caller may read that device wrote.
    let own: String = match device.filter(|_| since > 0) {
        Some(id) => sqlx::query_scalar("SELECT id FROM devices WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(&who.principal.account_id)
            .fetch_optional(&mut *conn)
            .await?
            .unwrap_or_default(),
        None => String::new(),
    };
    // The village's district comes with each row: one statement less per change.
    let rows: Vec<(i64, String, String, String, bool, Option<String>)> = sqlx::query_as(&format!(
        "SELECT version, entity, record_id, village_id, deleted, \
         (SELECT district_id FROM villages WHERE villages.id = sync_changes.village_id) \
         FROM sync_changes \
         WHERE version > $1 AND {reach} AND origin_device IS DISTINCT FROM $3 \
         ORDER BY version LIMIT $2"
    ))
    .bind(since)
    .bind(limit)
    .bind(&own)
    .fetch_all(&mut *conn)
    .await?;
    // A batch of tombstone pruning that committed since the bounds were read may have taken
    // deletions this page should have carried: the device starts again rather than miss one.
    let horizon: i64 = sqlx::query_scalar("SELECT pruned_below FROM sync_horizon WHERE id = 1")
        .fetch_one(&mut *conn)
        .await?;
    if since > 0 && since < horizon {
        return Ok(reset_page(epoch));
    }
    let more = rows.len() as i64 == limit;
    let cursor = rows.last().map_or(since, |row| row.0);
    let mut changes = Vec::with_capacity(rows.len());
    let mut handed_out = Vec::new();
    for (version, entity, record_id, village_id, deleted, district_id) in rows {
        let Ok(entity) = Entity::parse(&entity) else {
            continue;
        };
        let record = match known_place((village_id.clone(), district_id)) {
            Some(place) if !deleted => {
                kinds
                    .readable(&mut conn, who, entity, &record_id, &place)
                    .await?
            }
            _ => None,
        };
        if record.is_none() && !deleted && !entity.sensitive() {
            continue;
        }
        if record.is_some() && entity.sensitive() {
            handed_out.push((record_id.clone(), village_id));
        }
        changes.push(Change {
            entity,
            deleted: record.is_none(),
            record_id,
            server_version: version,
            record,
        });
    }
    let remaining: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM sync_changes WHERE version > $1 AND {reach} \
         AND origin_device IS DISTINCT FROM $2"
    ))
    .bind(cursor)
    .bind(&own)
    .fetch_one(&mut *conn)
    .await?;
    audit_handed_out(conn, who, &handed_out).await?;
    Ok(PullPage {
        changes,
        cursor,
        more,
        remaining,
        reset: false,
        epoch,
    })
}

/// The answer to a cursor the feed can no longer serve: start again from nothing.
fn reset_page(epoch: String) -> PullPage {
    PullPage {
        changes: Vec::new(),
        cursor: 0,
        more: true,
        remaining: 0,
        reset: true,
        epoch,
    }
}

/// One audit line per sensitive record in the page, written in one transaction on the pull's
/// own connection before the page leaves the server: no audit, no data.
async fn audit_handed_out(
    conn: sqlx::pool::PoolConnection<crate::db::Db>,
    who: &SignedIn,
    handed_out: &[(String, String)],
) -> Result<(), sqlx::Error> {
    if handed_out.is_empty() {
        return Ok(());
    }
    let mut tx = crate::db::begin_on(conn).await?;
    for (record_id, village_id) in handed_out {
        audit(
            &mut *tx,
            Entry::by(who, AuditAction::Read, "person")
                .record(record_id)
                .village(Some(village_id))
                .detail("sync".into()),
        )
        .await?;
    }
    // What `reach` sends tombstones for once the caller may no longer read them.
    let mut handouts = sqlx::QueryBuilder::<crate::db::Db>::new(
        "INSERT INTO person_handouts (account_id, person_id) ",
    );
    handouts.push_values(handed_out, |mut row, (record_id, _)| {
        row.push_bind(&who.principal.account_id)
            .push_bind(record_id);
    });
    handouts.push(" ON CONFLICT DO NOTHING");
    handouts.build().execute(&mut *tx).await?;
    tx.commit().await
}

/// A change row's village as a place, if the village still exists (its district is read in the
/// same statement as the row).
fn known_place((village_id, district_id): (String, Option<String>)) -> Option<Place> {
    district_id.map(|district_id| Place {
        village_id,
        district_id,
    })
}

/// Drops tombstones older than `days` and moves the horizon past them: devices whose cursor is
/// older must start again ("reset"), since they may have missed a deletion. Oldest first, a
/// bounded batch a transaction, the horizon moved with each: a year of deletions never holds
/// the write lock for long against the pushes waiting on it (DESIGN §4.8).
pub async fn prune_tombstones(pool: &DbPool, days: u32) -> Result<u64, sqlx::Error> {
    const TOMBSTONES_A_TURN: i64 = 500;
    let newest: Option<i64> = sqlx::query_scalar(
        "SELECT MAX(version) FROM sync_changes WHERE deleted = TRUE AND changed_at <= $1",
    )
    .bind(crate::db::utc_days_ago(days))
    .fetch_one(pool)
    .await?;
    let Some(newest) = newest else {
        return Ok(0);
    };
    let mut gone = 0;
    loop {
        let mut tx = pool.begin_write().await?;
        let last: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(version) FROM (SELECT version FROM sync_changes WHERE deleted = TRUE \
             AND version <= $1 ORDER BY version LIMIT $2) AS turn",
        )
        .bind(newest)
        .bind(TOMBSTONES_A_TURN)
        .fetch_one(&mut *tx)
        .await?;
        let Some(last) = last else {
            tx.rollback().await?;
            return Ok(gone);
        };
        let deleted =
            sqlx::query("DELETE FROM sync_changes WHERE deleted = TRUE AND version <= $1")
                .bind(last)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        gone += deleted;
        sqlx::query(
            "UPDATE sync_horizon SET pruned_below = CASE WHEN pruned_below > $1 THEN pruned_below \
             ELSE $1 + 1 END WHERE id = 1",
        )
        .bind(last)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if deleted < TOMBSTONES_A_TURN as u64 {
            return Ok(gone);
        }
    }
}

/// The server's share of this device's cache key, made on first request. Refused when the
/// device is revoked or belongs to someone else: its encrypted cache stays unreadable.
pub async fn key_share(
    pool: &DbPool,
    who: &SignedIn,
    device_id: &str,
    now: &str,
) -> Result<String, PushError> {
    if !valid_id(device_id) {
        return Err(PushError::Malformed("device id"));
    }
    let mut tx = pool.begin_write().await?;
    claim_device(&mut tx, who, device_id, now).await?;
    let share: Option<String> = sqlx::query_scalar("SELECT key_share FROM devices WHERE id = $1")
        .bind(device_id)
        .fetch_one(&mut *tx)
        .await?;
    let share = match share {
        Some(share) => share,
        None => {
            let share = crate::accounts::session::new_token().0;
            sqlx::query("UPDATE devices SET key_share = $1 WHERE id = $2")
                .bind(&share)
                .bind(device_id)
                .execute(&mut *tx)
                .await?;
            share
        }
    };
    tx.commit().await?;
    Ok(share)
}
