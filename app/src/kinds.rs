//! The record kinds that travel through sync, named once (DESIGN §4). Adding a kind means:
//! an `Entity` variant in the contract (`sync/contract.rs`) and a `RecordKind` with its rows in
//! the policy table (`access/policy.rs`); a migration with the table and its `sync_changes`
//! triggers (without them no pull sees the records); `SyncedKind` implemented in the kind's
//! `store.rs`; the kind added to the list below; its name in the outbox page
//! (`sync/views.rs`, `entities.*` in the locales).
use crate::access::Place;
use crate::accounts::session::SignedIn;
use crate::db::DbConnection;
use crate::sync::contract::{Applied, Entity, Mutation, Reason};
use crate::sync::kind::{apply, SyncedKind};
use crate::sync::write::{WriteError, WriteResult};

/// Hands each mutation, and each read, to its kind.
pub struct Kinds;

macro_rules! synced_kinds {
    ($($kind:ty),+ $(,)?) => {
        impl crate::sync::kind::SyncedKinds for Kinds {
            async fn apply(
                &self,
                conn: &mut DbConnection,
                who: &SignedIn,
                mutation: &Mutation,
                now: &str,
            ) -> WriteResult<Applied> {
                $(if mutation.entity == <$kind as SyncedKind>::ENTITY {
                    return apply::<$kind>(conn, who, mutation, now).await;
                })+
                Err(WriteError::Refused(Reason::Unsupported))
            }

            async fn readable(
                &self,
                conn: &mut DbConnection,
                who: &SignedIn,
                entity: Entity,
                id: &str,
                place: &Place,
            ) -> Result<Option<serde_json::Value>, sqlx::Error> {
                $(if entity == <$kind as SyncedKind>::ENTITY {
                    return <$kind as SyncedKind>::readable(conn, who, id, place).await;
                })+
                Ok(None)
            }
        }
    };
}

synced_kinds!(
    crate::tasks::Task,
    crate::proposals::Proposal,
    crate::events::Event,
    crate::persons::Person,
    crate::offences::Offence,
    crate::visits::Visit,
    crate::meetings::Meeting,
    crate::meetings::Decision,
    crate::map::Feature,
    crate::councils::Council,
    crate::councils::Member,
);
