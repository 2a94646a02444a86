//! What every kind's server side needs before it writes a synced record (server only):
//! the payload decoded, and where the record lives as the policy sees it.
use super::contract::{FieldRule, Reason};
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::fields::invalid;
use sqlx::SqliteConnection;

/// The village and its district, or `None` for an unknown village.
pub async fn village_place(
    conn: &mut SqliteConnection,
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
    conn: &mut SqliteConnection,
    who: &SignedIn,
    kind: RecordKind,
    village_id: &str,
) -> Result<Result<(), Reason>, sqlx::Error> {
    let Some(place) = village_place(conn, village_id).await? else {
        return Ok(Err(invalid("village_id", FieldRule::UnknownChoice)));
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if can(&who.principal, Action::Create, kind, &target) {
        Ok(Ok(()))
    } else {
        Ok(Err(Reason::Forbidden))
    }
}

/// The checks before a stored record is changed: the caller must see it (or it is "not
/// found", as for a missing id), may change it there, and must have made the change on the
/// current version — otherwise the person gets the server's record to compare (`Conflict`).
/// `Ok(None)` lets the change go ahead.
pub async fn may_update(
    conn: &mut SqliteConnection,
    who: &SignedIn,
    kind: RecordKind,
    village_id: &str,
    base_version: Option<i64>,
    current_version: i64,
    server_record: impl serde::Serialize,
) -> Result<Option<super::server::Outcome>, sqlx::Error> {
    use super::server::Outcome;
    let Some(place) = village_place(conn, village_id).await? else {
        return Ok(Some(Outcome::Rejected(Reason::NotFound)));
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if !can(&who.principal, Action::Read, kind, &target) {
        return Ok(Some(Outcome::Rejected(Reason::NotFound)));
    }
    if !can(&who.principal, Action::Update, kind, &target) {
        return Ok(Some(Outcome::Rejected(Reason::Forbidden)));
    }
    if base_version != Some(current_version) {
        let record = serde_json::to_value(server_record).unwrap_or_default();
        return Ok(Some(Outcome::Conflict(record)));
    }
    Ok(None)
}

/// A synced record as the update gate sees it: where it lives and which version it is.
pub trait Changeable: serde::Serialize {
    fn village_id(&self) -> &str;
    fn version(&self) -> i64;
}

macro_rules! changeable_records {
    ($($kind:ty),+) => {$(
        impl Changeable for $kind {
            fn village_id(&self) -> &str {
                &self.village_id
            }
            fn version(&self) -> i64 {
                self.version
            }
        }
    )+};
}

changeable_records!(
    crate::councils::Council,
    crate::councils::Member,
    crate::events::Event,
    crate::map::Feature,
    crate::meetings::Meeting,
    crate::meetings::Decision,
    crate::offences::Offence,
    crate::proposals::Proposal,
    crate::visits::Visit
);

/// The stored record a change is for (`loaded`), when the caller may make it on
/// `base_version`; otherwise the answer: not found, forbidden, or a conflict (`may_update`).
pub async fn changeable<T: Changeable>(
    conn: &mut SqliteConnection,
    who: &SignedIn,
    kind: RecordKind,
    loaded: Option<T>,
    base_version: Option<i64>,
) -> Result<Result<T, super::server::Outcome>, sqlx::Error> {
    let Some(current) = loaded else {
        return Ok(Err(super::server::Outcome::Rejected(Reason::NotFound)));
    };
    let gate = may_update(
        conn,
        who,
        kind,
        current.village_id(),
        base_version,
        current.version(),
        &current,
    )
    .await?;
    Ok(match gate {
        Some(stop) => Err(stop),
        None => Ok(current),
    })
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
