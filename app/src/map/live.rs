//! The Leaflet side of the village map (browser only): loading Leaflet from the app's own
//! files, drawing the layers and markers, and handing taps back to the page.
use super::geometry::Geometry;
use super::markers::{MapMarker, MarkerKind};
use super::Feature;
use js_sys::{Array, Object, Reflect};
use leaflet::{CircleMarker, LatLng, LayerGroup, Map, MapOptions, Polygon, Polyline, TileLayer};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Leaflet's script and stylesheet, served by this app and precached by the service worker.
pub const LEAFLET_JS: &str = "/vendor/leaflet/leaflet.js";
pub const LEAFLET_CSS: &str = "/vendor/leaflet/leaflet.css";

/// Adds Leaflet's script to the page once and waits until it has run.
pub async fn load_leaflet() -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    if Reflect::get(&window, &"L".into())
        .map(|l| !l.is_undefined())
        .unwrap_or(false)
    {
        return Ok(());
    }
    let document = window.document().ok_or(JsValue::NULL)?;
    if document.get_element_by_id("leaflet-css").is_none() {
        let link: web_sys::HtmlLinkElement = document.create_element("link")?.unchecked_into();
        link.set_id("leaflet-css");
        link.set_rel("stylesheet");
        link.set_href(LEAFLET_CSS);
        document.head().ok_or(JsValue::NULL)?.append_child(&link)?;
    }
    let script: web_sys::HtmlScriptElement = match document.get_element_by_id("leaflet-js") {
        Some(existing) => existing.unchecked_into(),
        None => {
            let script: web_sys::HtmlScriptElement =
                document.create_element("script")?.unchecked_into();
            script.set_id("leaflet-js");
            script.set_src(LEAFLET_JS);
            document
                .head()
                .ok_or(JsValue::NULL)?
                .append_child(&script)?;
            script
        }
    };
    let loaded = js_sys::Promise::new(&mut |resolve, reject| {
        script.set_onload(Some(&resolve));
        script.set_onerror(Some(&reject));
    });
    // It may have finished between the check and the promise.
    if Reflect::get(&window, &"L".into())
        .map(|l| !l.is_undefined())
        .unwrap_or(false)
    {
        return Ok(());
    }
    JsFuture::from(loaded).await.map(|_| ())
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let object = Object::new();
    for (key, value) in pairs {
        let _ = Reflect::set(&object, &(*key).into(), value);
    }
    object
}

fn lat_lngs(positions: &[Vec<f64>]) -> Array {
    positions
        .iter()
        .filter(|p| p.len() >= 2)
        .map(|p| JsValue::from(LatLng::new(p[1], p[0])))
        .collect()
}

/// The colours of the layers: distinct for the colour-blind too (shape and weight differ).
fn style(feature: &Feature) -> Object {
    let (color, weight, fill) = match (feature.layer.as_str(), feature.kind.as_deref()) {
        ("boundary", _) => ("#7a3e00", 3.0, 0.0),
        ("streets", _) => ("#555555", 4.0, 0.0),
        ("landmarks", Some("pasture")) => ("#2e7d32", 2.0, 0.25),
        ("landmarks", _) => ("#1565c0", 2.0, 0.3),
        _ => ("#6d4c41", 1.0, 0.8),
    };
    options(&[
        ("color", color.into()),
        ("weight", weight.into()),
        ("fillColor", color.into()),
        ("fillOpacity", fill.into()),
        ("fill", (fill > 0.0).into()),
    ])
}

/// A popup's content: a link to the record (text set as text, never as HTML).
fn popup_link(label: &str, href: &str) -> Result<web_sys::Element, JsValue> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or(JsValue::NULL)?;
    let link = document.create_element("a")?;
    link.set_attribute("href", href)?;
    link.set_text_content(Some(label));
    Ok(link)
}

/// One live Leaflet map and its layer groups, redrawn whenever the records change.
pub struct LiveMap {
    pub map: Map,
    features: LayerGroup,
    records: LayerGroup,
    pending: LayerGroup,
    tiles: RefCell<Option<TileLayer>>,
    /// Everything but the households is drawn as SVG: each shape is an element a screen
    /// reader, a test or a finger can reach; households (thousands) stay on the canvas.
    svg: leaflet::Svg,
    /// One function makes the popup of any feature when it opens (by the id kept on the
    /// layer), so thousands of households need no handler each.
    feature_popup: Closure<dyn Fn(JsValue) -> JsValue>,
}

impl LiveMap {
    /// Makes the map inside the element `id`, centred on `centre`, and calls `on_tap` with
    /// every tap's position.
    pub fn mount(
        id: &str,
        centre: (f64, f64),
        zoom: f64,
        on_tap: impl Fn(f64, f64) + 'static,
        feature_popup: impl Fn(&str) -> Option<web_sys::Element> + 'static,
    ) -> Result<LiveMap, JsValue> {
        let map_options = MapOptions::new();
        // Canvas draws thousands of households fast on a phone.
        map_options.set_prefer_canvas(true);
        let map = Map::new(id, &map_options)?;
        map.set_view(&LatLng::new(centre.0, centre.1), zoom);
        let features = LayerGroup::new();
        let records = LayerGroup::new();
        let pending = LayerGroup::new();
        map.add_layer(&features);
        map.add_layer(&records);
        map.add_layer(&pending);
        let on_tap =
            Closure::<dyn Fn(leaflet::MouseEvent)>::new(move |event: leaflet::MouseEvent| {
                let at = event.lat_lng();
                on_tap(at.lat(), at.lng());
            });
        map.on("click", on_tap.as_ref().unchecked_ref());
        // The map lives as long as the page; its handler with it.
        on_tap.forget();
        let feature_popup = Closure::<dyn Fn(JsValue) -> JsValue>::new(move |layer: JsValue| {
            Reflect::get(&layer, &"zqId".into())
                .ok()
                .and_then(|id| id.as_string())
                .and_then(|id| feature_popup(&id))
                .map_or(JsValue::from_str(""), JsValue::from)
        });
        Ok(LiveMap {
            map,
            features,
            records,
            pending,
            tiles: RefCell::new(None),
            svg: leaflet::Svg::new(),
            feature_popup,
        })
    }

    /// Shows the base tiles of this server (from the device's copy when offline).
    pub fn show_tiles(&self, min_zoom: u8, max_zoom: u8, attribution: Option<&str>) {
        if self.tiles.borrow().is_some() {
            return;
        }
        let layer_options = leaflet::TileLayerOptions::new();
        layer_options.set_min_zoom(f64::from(min_zoom));
        layer_options.set_max_zoom(f64::from(max_zoom));
        if let Some(text) = attribution {
            layer_options.set_attribution(text.to_owned());
        }
        let layer = TileLayer::new_options("/tiles/{z}/{x}/{y}", &layer_options);
        self.map.add_layer(&layer);
        layer.bring_to_back();
        *self.tiles.borrow_mut() = Some(layer);
    }

    /// Draws the village's layers. While the person places points they are not
    /// `interactive`: a tap must reach the map, not open a popup over it.
    pub fn draw_features<'a>(
        &self,
        features: impl Iterator<Item = &'a Feature>,
        interactive: bool,
    ) {
        self.features.clear_layers();
        for feature in features {
            let style = style(feature);
            let _ = Reflect::set(
                &style,
                &"className".into(),
                &format!("feature-{}", feature.layer).into(),
            );
            let _ = Reflect::set(&style, &"interactive".into(), &interactive.into());
            if feature.layer != "households" {
                let _ = Reflect::set(&style, &"renderer".into(), &self.svg);
            }
            let layer: leaflet::Layer = match &feature.geometry {
                Geometry::Point(p) if p.len() >= 2 => {
                    let radius = if feature.layer == "households" {
                        5.0
                    } else {
                        8.0
                    };
                    let _ = Reflect::set(&style, &"radius".into(), &radius.into());
                    CircleMarker::new_with_options(&LatLng::new(p[1], p[0]), &style)
                        .unchecked_into()
                }
                Geometry::LineString(line) => {
                    Polyline::new_with_options(&lat_lngs(line), style.unchecked_ref())
                        .unchecked_into()
                }
                Geometry::MultiLineString(lines) => {
                    let all: Array = lines.iter().map(|l| JsValue::from(lat_lngs(l))).collect();
                    Polyline::new_with_options(&all, style.unchecked_ref()).unchecked_into()
                }
                Geometry::Polygon(rings) => {
                    let all: Array = rings.iter().map(|r| JsValue::from(lat_lngs(r))).collect();
                    Polygon::new_with_options(&all, style.unchecked_ref()).unchecked_into()
                }
                Geometry::MultiPolygon(polygons) => {
                    let all: Array = polygons
                        .iter()
                        .map(|rings| {
                            JsValue::from(
                                rings
                                    .iter()
                                    .map(|r| JsValue::from(lat_lngs(r)))
                                    .collect::<Array>(),
                            )
                        })
                        .collect();
                    Polygon::new_with_options(&all, style.unchecked_ref()).unchecked_into()
                }
                Geometry::Point(_) => continue,
            };
            let _ = Reflect::set(&layer, &"zqId".into(), &feature.id.as_str().into());
            layer.bind_popup_with_options(
                self.feature_popup.as_ref().unchecked_ref(),
                &JsValue::UNDEFINED,
            );
            self.features.add_layer(&layer);
        }
    }

    /// Records with a point: a marker each, whose popup links to the record.
    pub fn draw_records(&self, markers: &[MapMarker], interactive: bool) {
        self.records.clear_layers();
        for marker in markers {
            let color = match marker.kind {
                MarkerKind::Visit => "#00838f",
                MarkerKind::Offence => "#c62828",
                MarkerKind::Task => "#ef6c00",
                MarkerKind::Person => "#6a1b9a",
            };
            let style = options(&[
                ("color", "#ffffff".into()),
                ("weight", 2.0.into()),
                ("fillColor", color.into()),
                ("fillOpacity", 1.0.into()),
                ("radius", 9.0.into()),
                ("renderer", self.svg.clone().into()),
                ("className", format!("marker-{}", marker.kind.code()).into()),
                ("interactive", interactive.into()),
            ]);
            let layer: leaflet::Layer =
                CircleMarker::new_with_options(&LatLng::new(marker.lat, marker.lon), &style)
                    .unchecked_into();
            if let Ok(link) = popup_link(&marker.label, &marker.href) {
                link.set_attribute("data-marker", marker.kind.code()).ok();
                layer.bind_popup_with_options(&link, &JsValue::UNDEFINED);
            }
            self.records.add_layer(&layer);
        }
    }

    /// What the person is placing: a point, or the corners of an area drawn so far.
    pub fn draw_pending(&self, points: &[(f64, f64)], area: bool) {
        self.pending.clear_layers();
        let style = options(&[
            ("color", "#000000".into()),
            ("weight", 3.0.into()),
            ("dashArray", "6 4".into()),
            ("fillColor", "#ffeb3b".into()),
            ("fillOpacity", 0.6.into()),
            ("radius", 10.0.into()),
            ("renderer", self.svg.clone().into()),
            ("className", "placed".into()),
            ("interactive", false.into()),
        ]);
        for (lat, lon) in points {
            let dot = CircleMarker::new_with_options(&LatLng::new(*lat, *lon), &style);
            self.pending.add_layer(&dot);
        }
        if area && points.len() >= 2 {
            let line: Array = points
                .iter()
                .map(|(lat, lon)| JsValue::from(LatLng::new(*lat, *lon)))
                .collect();
            let outline = Polygon::new_with_options(&line, style.unchecked_ref());
            self.pending.add_layer(&outline);
        }
    }

    /// Closes an open popup (a new tool was chosen: the popup must not cover the map).
    pub fn close_popup(&self) {
        if let Ok(close) = Reflect::get(&self.map, &"closePopup".into()) {
            if let Some(close) = close.dyn_ref::<js_sys::Function>() {
                let _ = close.call0(&self.map);
            }
        }
    }

    /// Leaflet's own controls speak English; this puts the person's language on them: the
    /// zoom buttons now, a popup's close button whenever one opens.
    pub fn translate_controls(&self, zoom_in: &str, zoom_out: &str, close: &str) {
        let label = |selector: &str, text: &str| {
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            if let Ok(found) = document.query_selector_all(selector) {
                for index in 0..found.length() {
                    if let Some(element) = found
                        .get(index)
                        .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
                    {
                        let _ = element.set_attribute("title", text);
                        let _ = element.set_attribute("aria-label", text);
                    }
                }
            }
        };
        label("#village-map .leaflet-control-zoom-in", zoom_in);
        label("#village-map .leaflet-control-zoom-out", zoom_out);
        let close = close.to_owned();
        let on_open = Closure::<dyn Fn()>::new(move || {
            label("#village-map .leaflet-popup-close-button", &close);
        });
        self.map.on("popupopen", on_open.as_ref().unchecked_ref());
        // Lives as long as the map.
        on_open.forget();
    }

    /// Brings the view to an area (the village's layers) once they are known.
    pub fn fit(&self, south: f64, west: f64, north: f64, east: f64) {
        let bounds =
            leaflet::LatLngBounds::new(&LatLng::new(south, west), &LatLng::new(north, east));
        self.map.fit_bounds(&bounds);
    }
}

/// A popup's button: its label and what a tap on it does.
pub type PopupAction<'a> = (&'a str, Rc<dyn Fn()>);

/// The popup of a feature: its name and, for those who may edit the map, a "move" button.
pub fn feature_popup(name: &str, action: Option<PopupAction>) -> Option<web_sys::Element> {
    let document = web_sys::window()?.document()?;
    let body = document.create_element("div").ok()?;
    let title = document.create_element("p").ok()?;
    title.set_text_content(Some(name));
    body.append_child(&title).ok()?;
    if let Some((label, on_click)) = action {
        let button = document.create_element("button").ok()?;
        button.set_attribute("type", "button").ok()?;
        button.set_class_name("move-point");
        button.set_text_content(Some(label));
        let click = Closure::<dyn Fn()>::new(move || on_click());
        button
            .add_event_listener_with_callback("click", click.as_ref().unchecked_ref())
            .ok()?;
        // Made when a popup opens (a person's tap), so few are ever made.
        click.forget();
        body.append_child(&button).ok()?;
    }
    Some(body)
}
