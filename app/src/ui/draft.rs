//! Drafts: a form's fields survive a reload or a killed tab, kept on the device (sealed for
//! a person), and a rejected outbox entry opens again in its form to be fixed.
use crate::sync::local;
use crate::sync::queue::opened_payload;
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
            serde_json::from_value(crate::sync::sealed::open(&stored).await?).ok()
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
                Ok(plain) => crate::sync::sealed::seal(&plain).await,
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
            field.set(super::labels::today());
        }
    });
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
