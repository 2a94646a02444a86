//! The reference data a device keeps for its forms (server only, DESIGN §4): the villages
//! in the caller's scope and, where the policy lets them read the council, its members.
use crate::access::{can, Action, Place, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::db::DbPool;
use crate::sync::contract::{Reference, ReferenceMember, ReferenceVillage};

/// The villages in the caller's scope and, where the policy lets them read the council, its
/// current members.
pub async fn reference(pool: &DbPool, who: &SignedIn) -> Result<Reference, sqlx::Error> {
    let mut reference = Reference::default();
    for village in super::store::list_villages(pool).await? {
        let id = village.id;
        let place = Place {
            village_id: id.clone(),
            district_id: village.district_id,
        };
        if !who.principal.scope.covers(&place) {
            continue;
        }
        let target = Target {
            place: Some(&place),
            ..Default::default()
        };
        if can(&who.principal, Action::Read, RecordKind::Council, &target) {
            let members: Vec<(String, String)> = sqlx::query_as(
                "SELECT m.id, m.full_name FROM council_members m JOIN councils c \
                 ON c.id = m.council_id WHERE c.village_id = $1 AND m.left_on IS NULL \
                 ORDER BY m.full_name",
            )
            .bind(&id)
            .fetch_all(pool)
            .await?;
            reference
                .members
                .extend(
                    members
                        .into_iter()
                        .map(|(member, full_name)| ReferenceMember {
                            id: member,
                            village_id: id.clone(),
                            full_name,
                        }),
                );
        }
        reference.villages.push(ReferenceVillage {
            id,
            name: village.name,
            centre: village.centre,
        });
    }
    Ok(reference)
}
