//! The position of a record in a form (visits, offences): from the phone's GPS, which works
//! without signal, or from a tap on the village map.
use crate::i18n::*;
use crate::ui::current_position;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The position of a record in a form: taken from the phone's GPS (no signal needed) or
/// brought from a tap on the map; both coordinates or none.
#[component]
pub fn PositionField(lat: RwSignal<String>, lon: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let locating = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let take = move |_| {
        locating.set(true);
        failed.set(false);
        current_position(move |point| {
            locating.set(false);
            match point {
                Some((latitude, longitude)) => {
                    lat.set(format!("{latitude:.6}"));
                    lon.set(format!("{longitude:.6}"));
                }
                None => failed.set(true),
            }
        });
    };
    let clear = move |_| {
        lat.set(String::new());
        lon.set(String::new());
    };
    view! {
        <p>
            <strong>{t!(i18n, map.position)} ": "</strong>
            <span id="position">
                {move || {
                    if lat.get().is_empty() {
                        t_string!(i18n, map.no_position).to_owned()
                    } else {
                        format!("{}, {}", lat.get(), lon.get())
                    }
                }}
            </span>
        </p>
        <Show when=move || failed.get()>
            <p class="notice" role="status">{t!(i18n, map.position_failed)}</p>
        </Show>
        <p class="buttons">
            <button type="button" id="take-position" on:click=take disabled=move || locating.get()>
                {t!(i18n, map.take_position)}
            </button>
            <Show when=move || !lat.get().is_empty()>
                <button type="button" id="clear-position" class="secondary" on:click=clear>
                    {t!(i18n, map.clear_position)}
                </button>
            </Show>
        </p>
    }
}

/// A new record placed by a tap on the map arrives as `?village=…&lat=…&lon=…`: the form
/// starts there, over a draft restored from an earlier visit to the form.
pub fn use_point_from_query(
    village_id: RwSignal<String>,
    lat: RwSignal<String>,
    lon: RwSignal<String>,
    restored: RwSignal<bool>,
) {
    let query = use_query_map().get_untracked();
    let (Some(at_lat), Some(at_lon)) = (query.get("lat"), query.get("lon")) else {
        return;
    };
    let village = query.get("village");
    let apply = move || {
        lat.set(at_lat.clone());
        lon.set(at_lon.clone());
        if let Some(village) = &village {
            village_id.set(village.clone());
        }
    };
    apply();
    Effect::new(move |_| {
        if restored.get() {
            apply();
        }
    });
}
