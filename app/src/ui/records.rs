//! What lists and pages read from the device: the cached records of a kind, one record, the
//! villages and members kept for the forms, and the role remembered at sign-in.
use super::fields::I18nContext;
use crate::i18n::*;
use crate::sync::contract::{Entity, Reference};
use crate::sync::local;
use crate::sync::state::use_sync;
use leptos::prelude::*;

/// The cached records of a kind with their sync state, read again whenever the local copy
/// changes.
pub fn use_local_records<T>(entity: Entity) -> RwSignal<Vec<(T, local::RecordState)>>
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let items = RwSignal::new(Vec::new());
    let sync = use_sync();
    Effect::new(move |_| {
        sync.revision.track();
        leptos::task::spawn_local(async move {
            if let Ok(records) = local::records(entity).await {
                items.set(
                    records
                        .into_iter()
                        .filter_map(|r| Some((serde_json::from_value(r.record).ok()?, r.state)))
                        .collect(),
                );
            }
        });
    });
    items
}

/// One cached record by id, read again whenever the local copy changes; `loaded` turns true
/// once the store answered (so "not found" is not shown while loading).
pub fn use_local_record<T>(
    entity: Entity,
    id: impl Fn() -> String + Send + Sync + 'static,
) -> (RwSignal<Option<(T, local::RecordState)>>, RwSignal<bool>)
where
    T: serde::de::DeserializeOwned + Send + Sync + 'static,
{
    let item = RwSignal::new(None);
    let loaded = RwSignal::new(false);
    let sync = use_sync();
    Effect::new(move |_| {
        sync.revision.track();
        let id = id();
        leptos::task::spawn_local(async move {
            if let Ok(found) = local::record(entity, &id).await {
                item.set(
                    found.and_then(|r| Some((serde_json::from_value(r.record).ok()?, r.state))),
                );
            }
            loaded.set(true);
        });
    });
    (item, loaded)
}

/// The role of the person using this device, as remembered at sign-in (so it is known
/// offline); `None` on the server's render.
pub fn use_role() -> RwSignal<Option<crate::access::Role>> {
    let role = RwSignal::new(None);
    Effect::new(move |_| {
        role.set(crate::accounts::device::remembered_profile().map(|p| p.role));
    });
    role
}

/// Whether the role remembered on this device may ever do `action` on `kind` (to offer a
/// button; the server still judges each record).
pub fn role_may(
    role: RwSignal<Option<crate::access::Role>>,
    kind: crate::access::RecordKind,
    action: crate::access::Action,
) -> bool {
    use crate::access::{grant, Grant};
    role.get()
        .is_some_and(|r| grant(r, kind, action) != Grant::No)
}

/// The villages and members kept on the device, read when the page opens.
pub fn use_reference() -> RwSignal<Reference> {
    let reference = RwSignal::new(Reference::default());
    let sync = use_sync();
    Effect::new(move |_| {
        sync.revision.track();
        leptos::task::spawn_local(async move {
            if let Ok(Some(stored)) = local::meta::<Reference>("reference").await {
                reference.set(stored);
            }
        });
    });
    reference
}

/// The village's name in the person's language.
pub fn village_name(reference: &Reference, id: &str, locale: Locale) -> String {
    reference
        .villages
        .iter()
        .find(|v| v.id == id)
        .map(|v| v.name.pick(locale).to_owned())
        .unwrap_or_default()
}

/// The page that corrects a cached record: reads it by the route's `:id` (offline too) and
/// shows `form` with it; "not found" only once the store has answered. The form is built
/// from the record as first read: a sync in the background re-reads the record, and that
/// must not rebuild the form over what the person is typing (their change then meets the
/// newer version as a conflict, shown in the outbox).
pub fn edit_page<T>(entity: Entity, form: fn(T) -> AnyView) -> impl IntoView
where
    T: serde::de::DeserializeOwned + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let (record, loaded) = use_local_record::<T>(entity, id);
    let first = RwSignal::new(None::<T>);
    Effect::new(move |_| {
        if let Some((found, _)) = record.get() {
            if first.with_untracked(Option::is_none) {
                first.set(Some(found));
            }
        }
    });
    move || match first.get() {
        Some(record) => form(record),
        None if loaded.get() => {
            view! { <p class="notice">{t!(i18n, errors.not_found)}</p> }.into_any()
        }
        None => view! { <p class="hint">{t!(i18n, loading)}</p> }.into_any(),
    }
}

/// The top of a list of records kept on the device: its title, "saved" after a form, the
/// button for a new one (for roles that may create it) and a line when the list is empty.
#[component]
pub fn RecordsTop(
    kind: crate::access::RecordKind,
    title: fn(I18nContext) -> &'static str,
    create_label: fn(I18nContext) -> &'static str,
    create_href: &'static str,
    create_id: &'static str,
    empty: Signal<bool>,
    empty_text: fn(I18nContext) -> &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_role();
    let query = leptos_router::hooks::use_query_map();
    let saved = move || query.read().get("saved").is_some();
    let may_create = move || role_may(role, kind, crate::access::Action::Create);
    view! {
        <h1>{move || title(i18n)}</h1>
        <Show when=saved>
            <p class="notice" role="status">{t!(i18n, sync.saved_locally)}</p>
        </Show>
        <Show when=may_create>
            <p>
                <a class="button" href=create_href id=create_id>{move || create_label(i18n)}</a>
            </p>
        </Show>
        <Show when=move || empty.get()>
            <p class="hint">{move || empty_text(i18n)}</p>
        </Show>
    }
}
