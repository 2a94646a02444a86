//! The glue between the village map page and Leaflet (browser only): the map is made once,
//! then redrawn whenever what it shows changes, and its taps go back to the page.
use super::live::{feature_popup, load_leaflet, LiveMap, PopupAction};
use super::markers::{landmark_label, layer_label, MapMarker};
use super::tiles::{Area, TileInfo};
use super::tools::Tool;
use super::Feature;
use crate::i18n::*;
use crate::ui::I18nContext;
use leptos::prelude::*;

pub struct LiveInputs {
    pub village_id: Signal<String>,
    pub features: Memo<Vec<Feature>>,
    pub markers: Memo<Vec<MapMarker>>,
    pub centre: Memo<Option<(f64, f64)>>,
    pub shown_layers: RwSignal<Vec<String>>,
    pub show_records: RwSignal<bool>,
    pub tool: RwSignal<Tool>,
    pub placed: RwSignal<Vec<(f64, f64)>>,
    pub tile_info: RwSignal<Option<TileInfo>>,
    pub on_tap: std::rc::Rc<dyn Fn(f64, f64)>,
    pub centre_taps: RwSignal<u32>,
    pub i18n: I18nContext,
    pub may_edit: Signal<bool>,
}

/// Makes the Leaflet map once the page is in the browser and keeps it drawn.
pub fn live_map(inputs: LiveInputs) {
    use std::rc::Rc;
    let LiveInputs {
        village_id,
        features,
        markers,
        centre,
        shown_layers,
        show_records,
        tool,
        placed,
        tile_info,
        on_tap,
        centre_taps,
        i18n,
        may_edit,
    } = inputs;
    let tap_centre = on_tap.clone();
    let live = StoredValue::new_local(None::<Rc<LiveMap>>);
    let ready = RwSignal::new(false);
    let fitted = StoredValue::new(String::new());
    let centred = StoredValue::new(String::new());
    Effect::new(move |_| {
        let on_tap = on_tap.clone();
        leptos::task::spawn_local(async move {
            // What the server offers, remembered for when there is no signal.
            let info = match crate::sync::transport::fetch("GET", "/api/v1/map/tiles", None).await {
                Ok((200, body)) => serde_json::from_str::<TileInfo>(&body).ok(),
                _ => None,
            };
            let info = match info {
                Some(info) => {
                    let _ = crate::sync::local::set_meta("tile_info", &info).await;
                    Some(info)
                }
                None => crate::sync::local::meta::<TileInfo>("tile_info")
                    .await
                    .ok()
                    .flatten(),
            };
            tile_info.set(Some(info.clone().unwrap_or_default()));
            if load_leaflet().await.is_err() {
                return;
            }
            let start = centre.get_untracked().unwrap_or((51.17, 71.45));
            let popup = move |id: &str| {
                let feature =
                    features.with_untracked(|list| list.iter().find(|f| f.id == id).cloned())?;
                let name = feature
                    .name
                    .clone()
                    .unwrap_or_else(|| match feature.kind.as_deref() {
                        Some(kind) => landmark_label(i18n, kind),
                        None => layer_label(i18n, &feature.layer),
                    });
                let movable = may_edit.get_untracked()
                    && matches!(feature.geometry, super::Geometry::Point(_))
                    && feature.layer != "boundary";
                let action: Option<PopupAction> = movable.then(|| {
                    let id = feature.id.clone();
                    let on_move: Rc<dyn Fn()> = Rc::new(move || {
                        tool.set(Tool::Move(id.clone()));
                        placed.set(Vec::new());
                    });
                    (t_string!(i18n, map.move_point), on_move)
                });
                feature_popup(&name, action)
            };
            let tap = move |lat, lon| on_tap(lat, lon);
            let Ok(map) = LiveMap::mount("village-map", start, 15.0, tap, popup) else {
                return;
            };
            map.translate_controls(
                t_string!(i18n, map.zoom_in),
                t_string!(i18n, map.zoom_out),
                t_string!(i18n, map.close_popup),
            );
            if let Some(info) = info.filter(|i| i.available) {
                map.show_tiles(info.min_zoom, info.max_zoom, info.attribution.as_deref());
            }
            live.set_value(Some(Rc::new(map)));
            ready.set(true);
        });
    });
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        let Some(map) = live.get_value() else {
            return;
        };
        let layers = shown_layers.get();
        let list = features.get();
        let looking = tool.with(|t| *t == Tool::Look);
        let shown: Vec<&Feature> = list.iter().filter(|f| layers.contains(&f.layer)).collect();
        map.draw_features(shown.iter().copied(), looking);
        // How many features are drawn, for tests and the map-open benchmark.
        if let Some(element) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("village-map"))
        {
            let _ = element.set_attribute("data-drawn", &shown.len().to_string());
        }
        // Once per village: bring its layers into view.
        let village = village_id.get();
        if fitted.get_value() != village {
            let area = Area::of_points(list.iter().flat_map(|f| f.geometry.lat_lons()));
            if let Some(area) = area {
                map.fit(area.south, area.west, area.north, area.east);
                fitted.set_value(village);
            } else if let Some((lat, lon)) = centre.get().filter(|_| centred.get_value() != village)
            {
                // No layers yet: the village's (approximate) centre, once.
                map.map.set_view(&leaflet::LatLng::new(lat, lon), 14.0);
                centred.set_value(village);
            }
        }
    });
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        if let Some(map) = live.get_value() {
            let list = if show_records.get() {
                markers.get()
            } else {
                Vec::new()
            };
            map.draw_records(&list, tool.with(|t| *t == Tool::Look));
        }
    });
    Effect::new(move |_| {
        if !ready.get() {
            return;
        }
        if let Some(map) = live.get_value() {
            map.draw_pending(&placed.get(), tool.get() == Tool::Pasture);
        }
    });
    Effect::new(move |_| {
        tool.track();
        if let Some(map) = live.get_value() {
            map.close_popup();
        }
    });
    Effect::new(move |_| {
        if centre_taps.get() == 0 {
            return;
        }
        if let Some(map) = live.get_value() {
            let centre = map.map.get_center();
            tap_centre(centre.lat(), centre.lng());
        }
    });
}
