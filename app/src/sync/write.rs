//! The write gate (server only): what every record kind checks before it writes a synced
//! record — the payload decoded, the village known, the policy asked, the version current —
//! and the one error a write returns, so a kind's write reads as a few lines of `?`.
use super::contract::{Applied, FieldRule, Outcome, Reason};
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::fields::invalid;

/// Why a synced write did not happen. Refusals and conflicts are answers to the device
/// (DESIGN §4); a database error fails the whole push, which the device sends again.
#[derive(Debug)]
pub enum WriteError {
    /// The mutation is refused with a reason the device shows; the queue moves on.
    Refused(Reason),
    /// The change was made on an older version: the server's current record, to compare.
    Conflict(serde_json::Value),
    Database(sqlx::Error),
}

pub type WriteResult<T> = Result<T, WriteError>;

impl From<Reason> for WriteError {
    fn from(reason: Reason) -> Self {
        Self::Refused(reason)
    }
}

impl From<sqlx::Error> for WriteError {
    fn from(error: sqlx::Error) -> Self {
        Self::Database(error)
    }
}

impl WriteError {
    /// The answer for the device, or the database error that stops the push.
    pub fn into_outcome(result: WriteResult<Applied>) -> Result<Outcome, sqlx::Error> {
        match result {
            Ok(applied) => Ok(Outcome::Applied(applied)),
            Err(Self::Refused(reason)) => Ok(Outcome::Rejected(reason)),
            Err(Self::Conflict(record)) => Ok(Outcome::Conflict(record)),
            Err(Self::Database(error)) => Err(error),
        }
    }
}

/// The village and its district, or `None` for an unknown village.
pub async fn village_place(
    conn: &mut DbConnection,
    village_id: &str,
) -> Result<Option<Place>, sqlx::Error> {
    let district: Option<String> =
        sqlx::query_scalar("SELECT district_id FROM villages WHERE id = $1")
            .bind(village_id)
            .fetch_optional(conn)
            .await?;
    Ok(district.map(|district_id| Place {
        village_id: village_id.to_owned(),
        district_id,
    }))
}

/// A mutation's payload as the kind's type; a payload of another shape is refused.
pub fn decode<T: serde::de::DeserializeOwned>(payload: serde_json::Value) -> Result<T, Reason> {
    serde_json::from_value(payload).map_err(|_| invalid("payload", FieldRule::Required))
}

/// Refuses a new record of `kind` in a village that does not exist, or where the caller may
/// not create it.
pub async fn may_create_in(
    conn: &mut DbConnection,
    who: &SignedIn,
    kind: RecordKind,
    village_id: &str,
) -> WriteResult<()> {
    let Some(place) = village_place(conn, village_id).await? else {
        return Err(invalid("village_id", FieldRule::UnknownChoice).into());
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if can(&who.principal, Action::Create, kind, &target) {
        Ok(())
    } else {
        Err(Reason::Forbidden.into())
    }
}

/// The checks before a stored record is changed: the caller must see it (or it is "not
/// found", as for a missing id), may change it there, and must have made the change on the
/// current version — otherwise the person gets the server's record to compare (`Conflict`).
pub async fn may_update(
    conn: &mut DbConnection,
    who: &SignedIn,
    kind: RecordKind,
    village_id: &str,
    base_version: Option<i64>,
    current_version: i64,
    server_record: impl serde::Serialize,
) -> WriteResult<()> {
    let Some(place) = village_place(conn, village_id).await? else {
        return Err(Reason::NotFound.into());
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if !can(&who.principal, Action::Read, kind, &target) {
        return Err(Reason::NotFound.into());
    }
    if !can(&who.principal, Action::Update, kind, &target) {
        return Err(Reason::Forbidden.into());
    }
    if base_version != Some(current_version) {
        let record = serde_json::to_value(server_record).unwrap_or_default();
        return Err(WriteError::Conflict(record));
    }
    Ok(())
}

/// A synced record as the update gate sees it: where it lives and which version it is.
pub trait Changeable: serde::Serialize {
    fn village_id(&self) -> &str;
    fn version(&self) -> i64;
}

/// Implements [`Changeable`] for a record type with `village_id` and `version` fields; each
/// kind says so in its own `store.rs`.
#[macro_export]
macro_rules! changeable_record {
    ($kind:ty) => {
        impl $crate::sync::write::Changeable for $kind {
            fn village_id(&self) -> &str {
                &self.village_id
            }
            fn version(&self) -> i64 {
                self.version
            }
        }
    };
}

/// The stored record a change is for (`loaded`), when the caller may make it on
/// `base_version`; otherwise not found, forbidden, or a conflict (`may_update`).
pub async fn changeable<T: Changeable>(
    conn: &mut DbConnection,
    who: &SignedIn,
    kind: RecordKind,
    loaded: Option<T>,
    base_version: Option<i64>,
) -> WriteResult<T> {
    let Some(current) = loaded else {
        return Err(Reason::NotFound.into());
    };
    may_update(
        conn,
        who,
        kind,
        current.village_id(),
        base_version,
        current.version(),
        &current,
    )
    .await?;
    Ok(current)
}

/// A correction keeps the record in its village: moving a record between villages (and so
/// between scopes) is not a correction.
pub fn stays_in(current_village: &str, draft_village: &str) -> Result<(), Reason> {
    if current_village == draft_village {
        Ok(())
    } else {
        Err(invalid("village_id", FieldRule::UnknownChoice))
    }
}
