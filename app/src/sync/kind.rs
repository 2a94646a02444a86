//! What a record kind gives sync to take part in it (server only, DESIGN §4): its entity,
//! how a pushed create, update or delete is written, and what a caller may read of a record.
//! Each kind implements [`SyncedKind`] in its own `store.rs`; the list of kinds is named once,
//! in `crate::kinds` (which implements [`SyncedKinds`]), and sync's core applies and hands out
//! records without naming any.
use super::contract::{Applied, Entity, Mutation, Op, Reason};
use super::write::{WriteError, WriteResult};
use crate::access::{can, Action, Place, Target};
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use std::future::Future;

pub trait SyncedKind: serde::Serialize + Send + Sized {
    const ENTITY: Entity;

    fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> impl Future<Output = WriteResult<Applied>> + Send;

    fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> impl Future<Output = WriteResult<Applied>> + Send;

    /// Most kinds are never deleted through sync (a record is closed or cancelled instead).
    fn delete(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
    ) -> impl Future<Output = WriteResult<Applied>> + Send {
        let _ = (conn, who, id, base_version);
        async { Err(WriteError::Refused(Reason::Unsupported)) }
    }

    /// The record as the caller may read it in `place`, or `None`: for most kinds the
    /// caller's role in the record's village decides ([`read_in_village`]); some kinds weigh
    /// each record (assigned, shared).
    fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> impl Future<Output = Result<Option<serde_json::Value>, sqlx::Error>> + Send;
}

/// The record as sync hands it out, if the caller's role in `place` lets them read records
/// of entity `K` there; `load` runs only then.
pub async fn read_in_village<K, F>(
    who: &SignedIn,
    place: &Place,
    load: F,
) -> Result<Option<serde_json::Value>, sqlx::Error>
where
    K: SyncedKind,
    F: Future<Output = Result<Option<K>, sqlx::Error>>,
{
    let target = Target {
        place: Some(place),
        ..Default::default()
    };
    if !can(&who.principal, Action::Read, K::ENTITY.kind(), &target) {
        return Ok(None);
    }
    Ok(load
        .await?
        .and_then(|record| serde_json::to_value(record).ok()))
}

/// One mutation of kind `K`, by its operation.
pub async fn apply<K: SyncedKind>(
    conn: &mut DbConnection,
    who: &SignedIn,
    mutation: &Mutation,
    now: &str,
) -> WriteResult<Applied> {
    let id = mutation.record_id.as_str();
    let payload = mutation.payload.clone();
    match mutation.op {
        Op::Create => K::create(conn, who, id, payload, now).await,
        Op::Update => K::update(conn, who, id, mutation.base_version, payload, now).await,
        Op::Delete => K::delete(conn, who, id, mutation.base_version).await,
        // The core answers a skipped entry itself (`server::apply`) and never hands it here.
        Op::Skip => Err(WriteError::Refused(Reason::Unsupported)),
    }
}

/// Every kind that syncs, as the core sees them: the one place that dispatches on the entity
/// (implemented by `crate::kinds::Kinds`).
pub trait SyncedKinds: Sync {
    fn apply(
        &self,
        conn: &mut DbConnection,
        who: &SignedIn,
        mutation: &Mutation,
        now: &str,
    ) -> impl Future<Output = WriteResult<Applied>> + Send;

    fn readable(
        &self,
        conn: &mut DbConnection,
        who: &SignedIn,
        entity: Entity,
        id: &str,
        place: &Place,
    ) -> impl Future<Output = Result<Option<serde_json::Value>, sqlx::Error>> + Send;
}
