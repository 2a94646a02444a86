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
