//! Where a synced record lives, for the policy (server only).
use crate::access::Place;
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
