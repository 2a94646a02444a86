//! What every offline form shares: fields that survive a reload (drafts), the villages and
//! council members kept on the device, and saving through the outbox.
use super::contract::{Entity, Op, Reference};
use super::local;
use super::state::use_sync;
use crate::i18n::*;
use leptos::prelude::*;
use std::collections::BTreeMap;

/// The form's text fields by name.
pub type Fields = Vec<(&'static str, RwSignal<String>)>;

/// How a form's draft is kept on the device.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Keeping {
    /// As typed.
    Plain,
    /// Sealed under the cache key of sensitive records, and only while it is open: a person's
    /// data is never stored in clear (issue 14). With the key closed nothing new is kept.
    Sealed,
}

/// Restores the form from its draft (or, with `fix`, from a rejected outbox entry) once, then
/// saves the draft on every change, so a reload or a killed tab loses nothing typed.
/// Returns whether a draft was restored.
pub fn use_draft(key: String, fields: Fields, fix: Option<u64>) -> RwSignal<bool> {
    use_draft_kept(key, fields, fix, Keeping::Plain)
}

/// [`use_draft`], with the draft kept as `keeping` says.
pub fn use_draft_kept(
    key: String,
    fields: Fields,
    fix: Option<u64>,
    keeping: Keeping,
) -> RwSignal<bool> {
    let restored = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let for_load = fields.clone();
    let load_key = key.clone();
    Effect::new(move |_| {
        let fields = for_load.clone();
        let key = load_key.clone();
        leptos::task::spawn_local(async move {
            let from_fix = match fix {
                Some(seq) => match local::outbox_entry(seq).await.ok().flatten() {
                    Some(entry) => opened_payload(entry.mutation.payload)
                        .await
                        .map(|payload| to_texts(&payload)),
                    None => None,
                },
                None => None,
            };
            let values = match from_fix {
                Some(values) => Some(values),
                None => load_draft(&key, keeping).await,
            };
            if let Some(values) = values {
                for (name, signal) in &fields {
                    if let Some(value) = values.get(*name) {
                        signal.set(value.clone());
                    }
                }
                restored.set(true);
            }
            loaded.set(true);
        });
    });
    Effect::new(move |_| {
        let values: BTreeMap<String, String> = fields
            .iter()
            .map(|(name, signal)| ((*name).to_owned(), signal.get()))
            .collect();
        if loaded.get() {
            let key = key.clone();
            leptos::task::spawn_local(async move {
                store_draft(&key, &values, keeping).await;
            });
        }
    });
    restored
}

async fn load_draft(key: &str, keeping: Keeping) -> Option<BTreeMap<String, String>> {
    match keeping {
        Keeping::Plain => local::draft(key).await.ok().flatten(),
        #[cfg(feature = "hydrate")]
        Keeping::Sealed => {
            let stored = local::draft::<serde_json::Value>(key)
                .await
                .ok()
                .flatten()?;
            if stored.get("sealed").is_none() {
                // Kept in clear by a build before drafts of such forms were sealed.
                let _ = local::drop_draft(key).await;
                return None;
            }
            serde_json::from_value(super::sealed::open(&stored).await?).ok()
        }
        #[cfg(not(feature = "hydrate"))]
        Keeping::Sealed => None,
    }
}

async fn store_draft(key: &str, values: &BTreeMap<String, String>, keeping: Keeping) {
    match keeping {
        Keeping::Plain => {
            let _ = local::save_draft(key, values).await;
        }
        #[cfg(feature = "hydrate")]
        Keeping::Sealed => {
            let sealed = match serde_json::to_value(values) {
                Ok(plain) => super::sealed::seal(&plain).await,
                Err(_) => None,
            };
            // With the key closed nothing new is kept; an older sealed draft stays as it is.
            if let Some(sealed) = sealed {
                let _ = local::save_draft(key, &sealed).await;
            }
        }
        #[cfg(not(feature = "hydrate"))]
        Keeping::Sealed => {}
    }
}

/// The outbox entry a form was opened to correct (`?fix=<seq>`), if any.
pub fn use_fix() -> Option<u64> {
    leptos_router::hooks::use_query_map()
        .get_untracked()
        .get("fix")
        .and_then(|seq| seq.parse().ok())
}

/// Starts a date field at today (on the device) unless a draft fills it.
pub fn default_to_today(field: RwSignal<String>) {
    Effect::new(move |_| {
        if field.get_untracked().is_empty() {
            field.set(super::views::today());
        }
    });
}

/// A payload's fields as the texts a form shows.
/// An outbox entry's payload (or the server's copy it conflicted with) in clear: a person's is
/// opened with the cache key (`None` while the cache is locked).
pub(crate) async fn opened_payload(payload: serde_json::Value) -> Option<serde_json::Value> {
    #[cfg(feature = "hydrate")]
    if super::sealed::is_sealed(&payload) {
        return super::sealed::open(&payload).await;
    }
    Some(payload)
}

fn to_texts(payload: &serde_json::Value) -> BTreeMap<String, String> {
    payload
        .as_object()
        .map(|object| {
            object
                .iter()
                .map(|(name, value)| {
                    let text = match value {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        serde_json::Value::Array(items) => items
                            .iter()
                            .filter_map(|i| i.as_str())
                            .collect::<Vec<_>>()
                            .join(","),
                        other => other.to_string(),
                    };
                    (name.clone(), text)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Saves a new record through the outbox (the one write path, online or not), drops the
/// draft and the rejected entry it fixes, and starts a sync.
pub async fn save_new(
    sync: super::state::SyncState,
    entity: Entity,
    draft_key: &str,
    fix: Option<u64>,
    payload: serde_json::Value,
    shown: impl FnOnce(&str) -> serde_json::Value,
) -> Result<String, local::LocalError> {
    let id = local::new_id();
    local::enqueue(entity, Op::Create, &id, None, payload, shown(&id)).await?;
    let _ = local::drop_draft(draft_key).await;
    if let Some(seq) = fix {
        let _ = local::drop_settled(seq).await;
    }
    sync.changed();
    Ok(id)
}

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

/// A village select bound to `value`, choosing the first village when empty.
#[component]
pub fn VillageField(value: RwSignal<String>, reference: RwSignal<Reference>) -> impl IntoView {
    let i18n = use_i18n();
    Effect::new(move |_| {
        let first = reference.with(|r| r.villages.first().map(|v| v.id.clone()));
        if value.get_untracked().is_empty() {
            if let Some(first) = first {
                value.set(first);
            }
        }
    });
    view! {
        <label for="village_id">{t!(i18n, form.village)}</label>
        <select id="village_id" required bind:value=value>
            {move || {
                let locale = i18n.get_locale();
                reference
                    .get()
                    .villages
                    .into_iter()
                    .map(|v| {
                        let name = v.name.pick(locale).to_owned();
                        let selected = value.get_untracked() == v.id;
                        view! { <option value=v.id selected=selected>{name}</option> }
                    })
                    .collect_view()
            }}
        </select>
        <Show when=move || reference.with(|r| r.villages.is_empty())>
            <p class="notice">{t!(i18n, form.no_villages)}</p>
        </Show>
    }
}

/// A select of codes with their labels.
#[component]
pub fn ChoiceField(
    id: &'static str,
    label: Signal<String>,
    value: RwSignal<String>,
    codes: &'static [&'static str],
    code_label: fn(I18nContext, &str) -> String,
    #[prop(optional)] empty: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <label for=id>{move || label.get()}</label>
        <select id=id bind:value=value>
            {empty.map(|text| view! { <option value="">{move || text.get()}</option> })}
            {move || {
                codes
                    .iter()
                    .map(|code| {
                        let selected = value.get_untracked() == *code;
                        view! {
                            <option value=*code selected=selected>
                                {code_label(i18n, code)}
                            </option>
                        }
                    })
                    .collect_view()
            }}
        </select>
    }
}

pub type I18nContext = leptos_i18n::I18nContext<Locale>;

/// Saves a checked new record through the outbox and opens its list, which says it was
/// saved on the device. `saving` keeps a second tap from saving it twice.
#[allow(clippy::too_many_arguments)]
pub fn save_then_list(
    sync: super::state::SyncState,
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

/// The end of every offline form: the broken rule in the person's words, and the save
/// button (off while saving).
#[component]
pub fn SaveRow(
    error: RwSignal<Option<super::contract::Reason>>,
    saving: RwSignal<bool>,
) -> impl IntoView {
    use super::views::{field_label, reason_text};
    let i18n = use_i18n();
    let text = move || {
        error
            .get()
            .map(|r| reason_text(i18n, &r, |f| field_label(i18n, f)))
    };
    view! {
        {move || text().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        <button type="submit" disabled=move || saving.get()>{t!(i18n, form.save)}</button>
    }
}

/// Ids kept as one comma-joined text (so drafts store them like any field).
pub fn ids_in(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A list of checkboxes choosing several of `options` (id, name); the choice is kept in
/// `value` as comma-joined ids.
#[component]
pub fn MultiPick(
    id: &'static str,
    legend: Signal<String>,
    options: Signal<Vec<(String, String)>>,
    value: RwSignal<String>,
    #[prop(optional)] empty: Option<Signal<String>>,
) -> impl IntoView {
    let toggle = move |item: String| {
        let mut list = ids_in(&value.get_untracked());
        if let Some(at) = list.iter().position(|m| *m == item) {
            list.remove(at);
        } else {
            list.push(item);
        }
        value.set(list.join(","));
    };
    view! {
        <fieldset class="checks" id=id>
            <legend>{move || legend.get()}</legend>
            {move || {
                let chosen = ids_in(&value.get());
                let list = options.get();
                if list.is_empty() {
                    return empty.map(|text| view! { <p class="hint">{move || text.get()}</p> }).into_any();
                }
                list.into_iter()
                    .map(|(item, name)| {
                        let checked = chosen.contains(&item);
                        let input_id = format!("{id}-{item}");
                        let label_for = input_id.clone();
                        view! {
                            <label class="check" for=label_for>
                                <input
                                    type="checkbox"
                                    id=input_id
                                    checked=checked
                                    on:change=move |_| toggle(item.clone())
                                />
                                {name}
                            </label>
                        }
                    })
                    .collect_view()
                    .into_any()
            }}
        </fieldset>
    }
}

/// Saves a change to a cached record through the outbox, with the version it was made on
/// (a change made meanwhile elsewhere comes back as a conflict), then opens `then`.
#[allow(clippy::too_many_arguments)]
pub fn save_change_then(
    sync: super::state::SyncState,
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
        let queued = local::enqueue(
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

/// Asks the device for its position once (GPS works without signal); `done` gets
/// (latitude, longitude), or `None` when refused or without a fix.
pub fn current_position(done: impl FnOnce(Option<(f64, f64)>) + 'static) {
    #[cfg(feature = "hydrate")]
    {
        use std::cell::RefCell;
        use std::rc::Rc;
        use wasm_bindgen::{closure::Closure, JsCast, JsValue};
        type Done = Box<dyn FnOnce(Option<(f64, f64)>)>;
        let done: Rc<RefCell<Option<Done>>> = Rc::new(RefCell::new(Some(Box::new(done))));
        let finish = move |done: &Rc<RefCell<Option<Done>>>, point| {
            if let Some(done) = done.borrow_mut().take() {
                done(point);
            }
        };
        let Some(geolocation) = web_sys::window().and_then(|w| w.navigator().geolocation().ok())
        else {
            return finish(&done, None);
        };
        let on_fix = done.clone();
        // The position types are unstable in web-sys: read the two numbers by name.
        let found = Closure::once_into_js(move |position: JsValue| {
            let number = |object: &JsValue, name: &str| {
                js_sys::Reflect::get(object, &JsValue::from_str(name))
                    .ok()
                    .and_then(|v| v.as_f64())
            };
            let coords = js_sys::Reflect::get(&position, &JsValue::from_str("coords"))
                .unwrap_or(JsValue::UNDEFINED);
            let point = number(&coords, "latitude").zip(number(&coords, "longitude"));
            finish(&on_fix, point);
        });
        let on_error = done.clone();
        let failed = Closure::once_into_js(move |_: JsValue| finish(&on_error, None));
        if geolocation
            .get_current_position_with_error_callback(
                found.unchecked_ref(),
                Some(failed.unchecked_ref()),
            )
            .is_err()
        {
            finish(&done, None);
        }
    }
    #[cfg(not(feature = "hydrate"))]
    done(None);
}

/// A coordinate as the form keeps it (text), for the record: empty is none, and anything
/// that is not a number breaks the same range rule the server checks.
pub fn coordinate(text: &str) -> Option<f64> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.parse().unwrap_or(f64::NAN))
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
    sync: super::state::SyncState,
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
