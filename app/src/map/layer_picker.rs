//! Which of the village map's layers are shown, and whether the records with a point are.
use super::geometry::LAYERS;
use super::markers::layer_label;
use crate::i18n::*;
use leptos::prelude::*;

#[component]
pub fn LayerPicker(
    shown_layers: RwSignal<Vec<String>>,
    show_records: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <fieldset class="map-layers">
            <legend>{t!(i18n, map.layers)}</legend>
            {LAYERS
                .iter()
                .map(|layer| {
                    let code = (*layer).to_owned();
                    let id = format!("layer-{layer}");
                    let label_for = id.clone();
                    let checked = {
                        let code = code.clone();
                        move || shown_layers.with(|l| l.contains(&code))
                    };
                    let toggle = move |_| {
                        let code = code.clone();
                        shown_layers.update(move |l| {
                            if let Some(at) = l.iter().position(|c| *c == code) {
                                l.remove(at);
                            } else {
                                l.push(code);
                            }
                        })
                    };
                    view! {
                        <label class="check" for=label_for>
                            <input type="checkbox" id=id prop:checked=checked on:change=toggle />
                            {move || layer_label(i18n, layer)}
                        </label>
                    }
                })
                .collect_view()}
            <label class="check" for="layer-records">
                <input
                    type="checkbox"
                    id="layer-records"
                    prop:checked=move || show_records.get()
                    on:change=move |_| show_records.update(|s| *s = !*s)
                />
                {t!(i18n, map.layer_records)}
            </label>
        </fieldset>
    }
}
