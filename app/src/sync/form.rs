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

/// Restores the form from its draft (or, with `fix`, from a rejected outbox entry) once, then
/// saves the draft on every change, so a reload or a killed tab loses nothing typed.
/// Returns whether a draft was restored.
pub fn use_draft(key: &'static str, fields: Fields, fix: Option<u64>) -> RwSignal<bool> {
    let restored = RwSignal::new(false);
    let loaded = RwSignal::new(false);
    let for_load = fields.clone();
    Effect::new(move |_| {
        let fields = for_load.clone();
        leptos::task::spawn_local(async move {
            let from_fix = match fix {
                Some(seq) => local::outbox_entry(seq)
                    .await
                    .ok()
                    .flatten()
                    .map(|entry| to_texts(&entry.mutation.payload)),
                None => None,
            };
            let values = match from_fix {
                Some(values) => Some(values),
                None => local::draft::<BTreeMap<String, String>>(key)
                    .await
                    .ok()
                    .flatten(),
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
            leptos::task::spawn_local(async move {
                let _ = local::save_draft(key, &values).await;
            });
        }
    });
    restored
}

/// A payload's fields as the texts a form shows.
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
    draft_key: &'static str,
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
        .map(|v| match (locale, &v.name_kk) {
            (Locale::kk, Some(kk)) => kk.clone(),
            _ => v.name_ru.clone(),
        })
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
                        let name = match (locale, v.name_kk) {
                            (Locale::kk, Some(kk)) => kk,
                            _ => v.name_ru,
                        };
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
