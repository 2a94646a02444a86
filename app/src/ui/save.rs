//! Saving a form through the outbox, the one write path (DESIGN §3): a new record opens its
//! list afterwards, a correction carries the version it was made on.
use crate::sync::contract::{Entity, Op};
use crate::sync::local;
use crate::sync::state::SyncState;
use leptos::prelude::*;

/// Saves a new record through the outbox (the one write path, online or not), drops the
/// draft and the rejected entry it fixes, and starts a sync.
pub async fn save_new(
    sync: SyncState,
    entity: Entity,
    draft_key: &str,
    fix: Option<u64>,
    payload: serde_json::Value,
    shown: impl FnOnce(&str) -> serde_json::Value,
) -> Result<String, local::LocalError> {
    let id = crate::ids::new_id();
    crate::sync::queue::enqueue(entity, Op::Create, &id, None, payload, shown(&id)).await?;
    let _ = local::drop_draft(draft_key).await;
    if let Some(seq) = fix {
        let _ = local::drop_settled(seq).await;
    }
    sync.changed();
    Ok(id)
}

/// Saves a checked new record through the outbox and opens its list, which says it was
/// saved on the device. `saving` keeps a second tap from saving it twice.
#[allow(clippy::too_many_arguments)]
pub fn save_then_list(
    sync: SyncState,
    entity: Entity,
    draft_key: String,
    fix: Option<u64>,
    payload: serde_json::Value,
    shown: impl FnOnce(&str) -> serde_json::Value + 'static,
    saving: RwSignal<bool>,
    list: &'static str,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    saving.set(true);
    leptos::task::spawn_local(async move {
        let saved = save_new(sync, entity, &draft_key, fix, payload, shown).await;
        saving.set(false);
        if saved.is_ok() {
            navigate(&format!("{list}?saved=1"), Default::default());
        }
    });
}

/// Saves a change to a cached record through the outbox, with the version it was made on
/// (a change made meanwhile elsewhere comes back as a conflict), then opens `then`.
#[allow(clippy::too_many_arguments)]
pub fn save_change_then(
    sync: SyncState,
    entity: Entity,
    record_id: String,
    base_version: i64,
    payload: serde_json::Value,
    shown: serde_json::Value,
    draft_key: String,
    saving: RwSignal<bool>,
    then: String,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    saving.set(true);
    leptos::task::spawn_local(async move {
        let queued = crate::sync::queue::enqueue(
            entity,
            Op::Update,
            &record_id,
            Some(base_version),
            payload,
            shown,
        )
        .await;
        saving.set(false);
        if queued.is_ok() {
            let _ = local::drop_draft(&draft_key).await;
            sync.changed();
            navigate(&then, Default::default());
        }
    });
}

/// A form's save when it edits an existing record: which one, the version it was opened on,
/// and the page to open afterwards.
pub struct Change {
    pub id: String,
    pub version: i64,
    pub then: String,
}

/// The save step of a form that makes a new record (`change` is `None`; its list opens
/// after) or corrects one. `shown(id, version)` is the record as the device shows it until
/// the server's copy arrives.
#[allow(clippy::too_many_arguments)]
pub fn save_form(
    sync: SyncState,
    entity: Entity,
    change: Option<Change>,
    payload: serde_json::Value,
    shown: impl FnOnce(&str, i64) -> serde_json::Value + 'static,
    draft_key: String,
    fix: Option<u64>,
    saving: RwSignal<bool>,
    list: &'static str,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    match change {
        Some(change) => {
            let record = shown(&change.id, change.version + 1);
            save_change_then(
                sync,
                entity,
                change.id,
                change.version,
                payload,
                record,
                draft_key,
                saving,
                change.then,
                navigate,
            );
        }
        None => save_then_list(
            sync,
            entity,
            draft_key,
            fix,
            payload,
            move |id| shown(id, 1),
            saving,
            list,
            navigate,
        ),
    }
}
