//! The admin loads a village layer from a GeoJSON file, replacing that layer.
use super::geometry::LAYERS;
use super::markers::layer_label;
use crate::i18n::*;
use crate::ui::use_reference;
use leptos::prelude::*;

/// The admin loads a village layer from a GeoJSON file (replacing that layer).
#[component]
pub fn MapImportPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    let village_id = RwSignal::new(String::new());
    let layer = RwSignal::new("households".to_owned());
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if village_id.get_untracked().is_empty() {
            if let Some(first) = reference.get().villages.first() {
                village_id.set(first.id.clone());
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        outcome.set(None);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen_futures::JsFuture;
            let Some(file) = file_input
                .get()
                .and_then(|input| input.files())
                .and_then(|files| files.get(0))
            else {
                outcome.set(Some(Err(t_string!(i18n, map.import_no_file).to_owned())));
                return;
            };
            busy.set(true);
            let address = format!(
                "/api/v1/map/import?village={}&layer={}",
                village_id.get_untracked(),
                layer.get_untracked()
            );
            leptos::task::spawn_local(async move {
                let text = JsFuture::from(file.text())
                    .await
                    .ok()
                    .and_then(|t| t.as_string())
                    .unwrap_or_default();
                let answer = crate::sync::transport::fetch("POST", &address, Some(text)).await;
                busy.set(false);
                let result = match answer {
                    Ok((200, body)) => {
                        let count = serde_json::from_str::<serde_json::Value>(&body)
                            .ok()
                            .and_then(|v| v.get("imported").and_then(|n| n.as_u64()))
                            .unwrap_or_default();
                        Ok(td_string!(i18n.get_locale(), map.imported, count = count).to_string())
                    }
                    Ok((_, body)) => Err(serde_json::from_str::<serde_json::Value>(&body)
                        .ok()
                        .and_then(|v| v.get("message").and_then(|m| m.as_str()).map(str::to_owned))
                        .unwrap_or_else(|| t_string!(i18n, load_failed).to_owned())),
                    Err(_) => Err(t_string!(i18n, map.download_failed).to_owned()),
                };
                outcome.set(Some(result));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (file_input, busy, i18n);
    };
    view! {
        <section class="narrow">
            <h1>{t!(i18n, map.import_title)}</h1>
            <p class="lead">{t!(i18n, map.import_lead)}</p>
            <form class="form" id="map-import" on:submit=submit novalidate>
                <label for="import-village">{t!(i18n, village_picker)}</label>
                <select id="import-village" bind:value=village_id>
                    {move || reference.get().villages.into_iter().map(|v| {
                        let selected = village_id.get_untracked() == v.id;
                        view! { <option value=v.id.clone() selected=selected>{v.name.pick(i18n.get_locale()).to_owned()}</option> }
                    }).collect_view()}
                </select>
                <label for="import-layer">{t!(i18n, map.layer)}</label>
                <select id="import-layer" bind:value=layer>
                    {LAYERS.iter().map(|l| view! { <option value=*l>{move || layer_label(i18n, l)}</option> }).collect_view()}
                </select>
                <label for="import-file">{t!(i18n, map.import_file)}</label>
                <input id="import-file" type="file" accept=".geojson,.json,application/geo+json,application/json" node_ref=file_input />
                <Show when=move || outcome.get().is_some()>
                    {move || match outcome.get() {
                        Some(Ok(text)) => view! { <p class="notice" role="status" id="import-done">{text}</p> }.into_any(),
                        Some(Err(text)) => view! { <p class="error" role="alert" id="import-error">{text}</p> }.into_any(),
                        None => ().into_any(),
                    }}
                </Show>
                <p class="buttons">
                    <button type="submit" id="import-submit" disabled=move || busy.get()>{t!(i18n, map.import_submit)}</button>
                </p>
            </form>
        </section>
    }
}
