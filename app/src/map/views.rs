//! The village map page (layers, records with a point, editing by tapping, tiles for offline
//! use), the list of village maps, the admin's layer import, and the position field that the
//! visit and offence forms share.
use super::geometry::{LANDMARK_KINDS, LAYERS};
use super::tiles::{self, Area, TileInfo, DEFAULT_HALF_SIDE_KM, DEFAULT_ZOOMS, MAX_TILES};
use super::{Feature, NewFeature};
use crate::access::{Action, RecordKind};
use crate::i18n::*;
use crate::offences::Offence;
use crate::sync::contract::{Entity, Op, Reference};
use crate::sync::state::use_sync;
use crate::tasks::Task;
use crate::ui::{
    current_position, role_may, use_local_records, use_reference, use_role, village_name,
    I18nContext,
};
use crate::visits::Visit;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

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

/// What a record marker stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Visit,
    Offence,
    Task,
    Person,
}

impl MarkerKind {
    /// Marks the marker's popup link (for tests and styles).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn code(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Offence => "offence",
            Self::Task => "task",
            Self::Person => "person",
        }
    }
}

/// A record with a point, as the map shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    pub kind: MarkerKind,
    pub label: String,
    pub href: String,
}

/// What a tap on the map does.
#[derive(Clone, Debug, PartialEq)]
enum Tool {
    Look,
    Household,
    Landmark,
    Pasture,
    /// Moving the point of this feature (chosen from its popup, in the browser).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    Move(String),
    NewVisit,
    NewOffence,
    /// Setting the village's own position (the admin's; saved on the server at once).
    VillagePosition,
}

/// A household's point by its address (how persons and tasks name a household).
fn household_points(features: &[Feature]) -> Vec<(String, (f64, f64))> {
    features
        .iter()
        .filter(|f| f.layer == "households")
        .filter_map(|f| {
            let name = f.name.as_ref()?.trim().to_lowercase();
            let point = f.geometry.lat_lons().first().copied()?;
            Some((name, point))
        })
        .collect()
}

fn at_household(points: &[(String, (f64, f64))], address: Option<&str>) -> Option<(f64, f64)> {
    let address = address?.trim().to_lowercase();
    points
        .iter()
        .find(|(name, _)| *name == address)
        .map(|(_, point)| *point)
}

/// The records of a village that have a point, directly or through their household.
fn markers(
    i18n: I18nContext,
    village: &str,
    features: &[Feature],
    visits: &[Visit],
    offences: &[Offence],
    tasks: &[Task],
    persons: &[crate::persons::Person],
) -> Vec<MapMarker> {
    let households = household_points(features);
    let at = |address: &Option<String>| at_household(&households, address.as_deref());
    let dated = |what: String, date: &str| {
        format!(
            "{what} · {}",
            crate::dates::format_date(i18n.get_locale(), date)
        )
    };
    let mut list = Vec::new();
    // A record is on the map when it has a point of its own or its household has one.
    let mut add = |point: Option<(f64, f64)>, kind, label, href| {
        if let Some((lat, lon)) = point {
            list.push(MapMarker {
                lat,
                lon,
                kind,
                label,
                href,
            });
        }
    };
    for v in visits.iter().filter(|v| v.village_id == village) {
        let label = dated(crate::visits::kind_label(i18n, &v.kind), &v.visited_on);
        let point = v.lat.zip(v.lon).or_else(|| at(&v.household));
        add(
            point,
            MarkerKind::Visit,
            label,
            format!("/visits/{}/edit", v.id),
        );
    }
    for o in offences.iter().filter(|o| o.village_id == village) {
        let label = dated(
            crate::offences::category_label(i18n, &o.category),
            &o.occurred_on,
        );
        add(
            o.lat.zip(o.lon),
            MarkerKind::Offence,
            label,
            format!("/offences/{}", o.id),
        );
    }
    for t in tasks.iter().filter(|t| t.village_id == village) {
        add(
            at(&t.household),
            MarkerKind::Task,
            t.title.clone(),
            format!("/tasks/{}", t.id),
        );
    }
    for p in persons.iter().filter(|p| p.village_id == village) {
        let href = format!("/persons/{}", p.id);
        add(
            at(&p.household),
            MarkerKind::Person,
            p.full_name.clone(),
            href,
        );
    }
    list
}

/// The area whose tiles a download stores: everything on the village's map (its outline, and
/// any household or pasture drawn beyond it), else a square around its centre.
fn download_area(features: &[Feature], centre: Option<(f64, f64)>) -> Option<Area> {
    Area::of_points(features.iter().flat_map(|f| f.geometry.lat_lons()))
        .map(|area| area.padded(tiles::DOWNLOAD_PADDING))
        .or_else(|| centre.map(|(lat, lon)| Area::around(lat, lon, DEFAULT_HALF_SIDE_KM)))
}

pub fn layer_label(i18n: I18nContext, code: &str) -> String {
    let text = match code {
        "boundary" => t_string!(i18n, map.layer_boundary),
        "streets" => t_string!(i18n, map.layer_streets),
        "households" => t_string!(i18n, map.layer_households),
        "landmarks" => t_string!(i18n, map.layer_landmarks),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn landmark_label(i18n: I18nContext, code: &str) -> String {
    let text = match code {
        "school" => t_string!(i18n, map.kind_school),
        "akimat" => t_string!(i18n, map.kind_akimat),
        "shop" => t_string!(i18n, map.kind_shop),
        "pasture" => t_string!(i18n, map.kind_pasture),
        "water_point" => t_string!(i18n, map.kind_water_point),
        "other" => t_string!(i18n, map.kind_other),
        other => return other.to_owned(),
    };
    text.to_owned()
}

/// The maps of the caller's villages.
#[component]
pub fn MapsPage() -> impl IntoView {
    let i18n = use_i18n();
    let reference = use_reference();
    let role = use_role();
    view! {
        <section class="records">
            <h1>{t!(i18n, map.list_title)}</h1>
            <p class="lead">{t!(i18n, map.list_lead)}</p>
            <Show when=move || role.get() == Some(crate::access::Role::Admin)>
                <p><a class="button" id="map-import-link" href="/admin/map">{t!(i18n, map.import_title)}</a></p>
            </Show>
            <ul class="cards" id="village-maps">
                <For
                    each=move || reference.get().villages
                    key=|v| v.id.clone()
                    children=move |v| {
                        let name = v.name.clone();
                        view! {
                            <li class="card">
                                <a href=format!("/villages/{}/map", v.id)>
                                    {move || name.pick(i18n.get_locale()).to_owned()}
                                </a>
                            </li>
                        }
                    }
                />
            </ul>
        </section>
    }
}

/// Tile download progress: done, total, bytes.
type Progress = (u64, u64, u64);

#[component]
pub fn VillageMapPage() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let navigate = use_navigate();
    let params = use_params_map();
    let village_id = Signal::derive(move || params.get().get("id").unwrap_or_default());
    let reference = use_reference();
    let role = use_role();
    let all_features = use_local_records::<Feature>(Entity::Feature);
    let visits = use_local_records::<Visit>(Entity::Visit);
    let offences = use_local_records::<Offence>(Entity::Offence);
    let tasks = use_local_records::<Task>(Entity::Task);
    let persons = use_sealed_persons();
    let features = Memo::new(move |_| {
        let village = village_id.get();
        all_features.with(|list| {
            list.iter()
                .filter(|(f, _)| f.village_id == village)
                .map(|(f, _)| f.clone())
                .collect::<Vec<_>>()
        })
    });
    let marker_list = Memo::new(move |_| {
        let village = village_id.get();
        fn firsts<T: Clone, S>(list: &[(T, S)]) -> Vec<T> {
            list.iter().map(|(record, _)| record.clone()).collect()
        }
        markers(
            i18n,
            &village,
            &features.get(),
            &visits.with(|l| firsts(l)),
            &offences.with(|l| firsts(l)),
            &tasks.with(|l| firsts(l)),
            &persons.get(),
        )
    });
    let centre = Memo::new(move |_| {
        let village = village_id.get();
        reference.with(|r: &Reference| {
            r.villages
                .iter()
                .find(|v| v.id == village)
                .and_then(|v| v.centre)
        })
    });
    let name = move || village_name(&reference.get(), &village_id.get(), i18n.get_locale());
    let may_edit = move || role_may(role, RecordKind::MapFeature, Action::Create);
    let may_visit = move || role_may(role, RecordKind::Visit, Action::Create);
    let may_offence = move || role_may(role, RecordKind::Offence, Action::Create);
    let may_place = move || role_may(role, RecordKind::Village, Action::Update);

    // Which layers are shown.
    let shown_layers = RwSignal::new(LAYERS.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>());
    let show_records = RwSignal::new(true);

    // Editing: the tool, the points placed so far, the name and kind of the new feature.
    let tool = RwSignal::new(Tool::Look);
    let placed = RwSignal::new(Vec::<(f64, f64)>::new());
    let new_name = RwSignal::new(String::new());
    let new_kind = RwSignal::new("school".to_owned());
    let edit_error = RwSignal::new(None::<String>);
    let saved_note = RwSignal::new(false);
    let placed_note = RwSignal::new(false);
    // "Place at the centre": a tap without a finger (keyboard, screen reader, shaky hands).
    let centre_taps = RwSignal::new(0u32);

    let on_tap = move |lat: f64, lon: f64| {
        saved_note.set(false);
        match tool.get_untracked() {
            Tool::Look => {}
            Tool::Household | Tool::Landmark | Tool::Move(_) | Tool::VillagePosition => {
                placed.set(vec![(lat, lon)])
            }
            Tool::Pasture => placed.update(|points| points.push((lat, lon))),
            Tool::NewVisit | Tool::NewOffence => {
                let path = if tool.get_untracked() == Tool::NewVisit {
                    "/visits/new"
                } else {
                    "/offences/new"
                };
                let href = format!(
                    "{path}?village={}&lat={lat:.6}&lon={lon:.6}",
                    village_id.get_untracked()
                );
                navigate(&href, Default::default());
            }
        }
    };
    let choose = move |next: Tool| {
        tool.set(next);
        placed.set(Vec::new());
        edit_error.set(None);
        saved_note.set(false);
        placed_note.set(false);
    };
    // Kept in the reactive owner so the button's handler stays a plain copy.
    let tap_for_gps = StoredValue::new(on_tap.clone());
    let gps_point = move |_| {
        current_position(move |point| match point {
            Some(point) => tap_for_gps.with_value(|tap| tap(point.0, point.1)),
            None => edit_error.set(Some(t_string!(i18n, map.position_failed).to_owned())),
        });
    };
    let save_feature = move |_| {
        let points = placed.get_untracked();
        let (layer, kind, geometry) = match tool.get_untracked() {
            Tool::Household => ("households", None, point_geometry(&points)),
            Tool::Landmark => (
                "landmarks",
                Some(new_kind.get_untracked()),
                point_geometry(&points),
            ),
            Tool::Pasture => (
                "landmarks",
                Some("pasture".to_owned()),
                area_geometry(&points),
            ),
            Tool::Move(id) => {
                let Some(current) =
                    features.with_untracked(|list| list.iter().find(|f| f.id == id).cloned())
                else {
                    return;
                };
                let draft = NewFeature {
                    geometry: point_geometry(&points),
                    ..NewFeature::from(&current)
                };
                return queue(
                    sync,
                    Op::Update,
                    current.id.clone(),
                    Some(current.version),
                    draft,
                    i18n,
                    edit_error,
                    move || {
                        tool.set(Tool::Look);
                        placed.set(Vec::new());
                        saved_note.set(true);
                    },
                );
            }
            Tool::VillagePosition => {
                let (lat, lon) = points.last().copied().unwrap_or_default();
                let village = village_id.get_untracked();
                leptos::task::spawn_local(async move {
                    match crate::places::place_village(village, lat, lon).await {
                        Ok(()) => {
                            choose(Tool::Look);
                            placed_note.set(true);
                            // The device's reference list brings the new centre.
                            sync.sync_now();
                        }
                        Err(error) => edit_error.set(Some(error.message(i18n.get_locale()))),
                    }
                });
                return;
            }
            _ => return,
        };
        let draft = NewFeature {
            village_id: village_id.get_untracked(),
            layer: layer.to_owned(),
            kind,
            name: Some(new_name.get_untracked()),
            geometry,
        };
        queue(
            sync,
            Op::Create,
            crate::sync::local::new_id(),
            None,
            draft,
            i18n,
            edit_error,
            move || {
                placed.set(Vec::new());
                new_name.set(String::new());
                saved_note.set(true);
            },
        );
    };

    // Base tiles: what the server offers (remembered for offline), and this village's copy.
    let tile_info = RwSignal::new(None::<TileInfo>);
    let zoom_from = RwSignal::new(DEFAULT_ZOOMS.0.to_string());
    let zoom_to = RwSignal::new(DEFAULT_ZOOMS.1.to_string());
    let progress = RwSignal::new(None::<Progress>);
    let pack = RwSignal::new(None::<super::offline::TilePack>);
    let download_failed = RwSignal::new(false);
    let area = Memo::new(move |_| download_area(&features.get(), centre.get()));
    let zooms = move || {
        let low = zoom_from.get().parse().unwrap_or(DEFAULT_ZOOMS.0);
        let high = zoom_to.get().parse().unwrap_or(DEFAULT_ZOOMS.1);
        (low.min(high), low.max(high))
    };
    let estimate = move || {
        let (low, high) = zooms();
        area.get()
            .map(|a| tiles::total(&tiles::ranges(a, low, high)))
    };
    let zoom_choices = move || {
        let info = tile_info.get().unwrap_or_default();
        let low = info.min_zoom.max(tiles::ZOOM_MIN);
        let high = info.max_zoom.min(tiles::ZOOM_MAX).max(low);
        (low..=high).collect::<Vec<u8>>()
    };
    Effect::new(move |_| {
        let village = village_id.get();
        pack.set(super::offline::pack(&village));
    });
    let start_download = move |_| {
        let Some(area) = area.get_untracked() else {
            return;
        };
        let (low, high) = zooms();
        let village = village_id.get_untracked();
        download_failed.set(false);
        progress.set(Some((0, 0, 0)));
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            let result = super::offline::download(&village, area, low, high, |done, all, bytes| {
                progress.set(Some((done, all, bytes)))
            })
            .await;
            progress.set(None);
            match result {
                Ok(saved) => pack.set(Some(saved)),
                Err(()) => download_failed.set(true),
            }
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = (area, low, high, village);
    };
    let remove_download = move |_| {
        let village = village_id.get_untracked();
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(async move {
            super::offline::remove(&village).await;
            pack.set(None);
        });
        #[cfg(not(feature = "hydrate"))]
        let _ = village;
    };

    // The live map (browser only): made once, redrawn when anything it shows changes.
    #[cfg(feature = "hydrate")]
    live_map(LiveInputs {
        village_id,
        features,
        markers: marker_list,
        centre,
        shown_layers,
        show_records,
        tool,
        placed,
        tile_info,
        on_tap: std::rc::Rc::new(on_tap),
        centre_taps,
        i18n,
        may_edit: Signal::derive(may_edit),
    });

    let summary = move || {
        let list = features.get();
        let count = |layer: &str| list.iter().filter(|f| f.layer == layer).count();
        td_string!(
            i18n.get_locale(),
            map.summary,
            households = count("households"),
            landmarks = count("landmarks"),
            records = marker_list.with(Vec::len)
        )
        .to_string()
    };
    let tool_button =
        move |value: Tool, id: &'static str, label: fn(I18nContext) -> &'static str| {
            let pressed = {
                let value = value.clone();
                move || tool.get() == value
            };
            view! {
                <button
                    type="button"
                    id=id
                    class="tool"
                    aria-pressed=move || if pressed() { "true" } else { "false" }
                    on:click=move |_| choose(value.clone())
                >
                    {move || label(i18n)}
                </button>
            }
        };
    view! {
        <section class="map-page">
            <h1>{t!(i18n, map.title)} " — " {name}</h1>
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
            <div
                id="village-map"
                class="village-map"
                role="region"
                tabindex="0"
                aria-label=move || t_string!(i18n, map.map_label)
            ></div>
            <p id="map-summary" role="status"
                data-households=move || features.with(|l| l.iter().filter(|f| f.layer == "households").count())
                data-markers=move || marker_list.with(Vec::len)
            >
                {summary}
            </p>
            <Show when=move || centre.get().is_some() && features.with(Vec::is_empty)>
                <p class="hint">{t!(i18n, map.approximate)}</p>
            </Show>

            <Show when=move || may_edit() || may_visit() || may_offence() || may_place()>
                <fieldset class="map-tools">
                    <legend>{t!(i18n, map.tools)}</legend>
                    {tool_button(Tool::Look, "tool-look", |i18n| t_string!(i18n, map.tool_look))}
                    <Show when=may_edit>
                        {tool_button(Tool::Household, "tool-household", |i18n| t_string!(i18n, map.tool_household))}
                        {tool_button(Tool::Landmark, "tool-landmark", |i18n| t_string!(i18n, map.tool_landmark))}
                        {tool_button(Tool::Pasture, "tool-pasture", |i18n| t_string!(i18n, map.tool_pasture))}
                    </Show>
                    <Show when=may_visit>
                        {tool_button(Tool::NewVisit, "tool-visit", |i18n| t_string!(i18n, map.tool_visit))}
                    </Show>
                    <Show when=may_offence>
                        {tool_button(Tool::NewOffence, "tool-offence", |i18n| t_string!(i18n, map.tool_offence))}
                    </Show>
                    <Show when=may_place>
                        {tool_button(Tool::VillagePosition, "tool-village-position", |i18n| t_string!(i18n, places_admin.map_tool))}
                    </Show>
                </fieldset>
                <p class="hint" id="tool-hint" role="status">
                    {move || match tool.get() {
                        Tool::Look => t_string!(i18n, map.hint_look),
                        Tool::Household | Tool::Landmark => t_string!(i18n, map.hint_point),
                        Tool::Pasture => t_string!(i18n, map.hint_pasture),
                        Tool::Move(_) => t_string!(i18n, map.hint_move),
                        Tool::NewVisit | Tool::NewOffence => t_string!(i18n, map.hint_record),
                        Tool::VillagePosition => t_string!(i18n, places_admin.map_hint),
                    }}
                </p>
                <Show when=move || saved_note.get()>
                    <p class="notice" role="status" id="map-saved">{t!(i18n, map.saved)}</p>
                </Show>
                <Show when=move || placed_note.get()>
                    <p class="notice" role="status" id="village-placed">{t!(i18n, places_admin.map_saved)}</p>
                </Show>
                <Show when=move || matches!(tool.get(), Tool::Household | Tool::Landmark | Tool::Pasture | Tool::Move(_) | Tool::VillagePosition)>
                    <div class="form map-edit" id="map-edit">
                        <p class="buttons">
                            <button type="button" id="map-gps" class="secondary" on:click=gps_point>
                                {t!(i18n, map.use_gps)}
                            </button>
                            <button
                                type="button"
                                id="map-centre"
                                class="secondary"
                                on:click=move |_| centre_taps.update(|n| *n += 1)
                            >
                                {t!(i18n, map.use_centre)}
                            </button>
                        </p>
                        <Show when=move || !matches!(tool.get(), Tool::Move(_) | Tool::VillagePosition)>
                            <label for="feature-name">
                                {move || if tool.get() == Tool::Household {
                                    t_string!(i18n, map.address)
                                } else {
                                    t_string!(i18n, map.name)
                                }}
                            </label>
                            <input id="feature-name" type="text" maxlength="200" bind:value=new_name />
                        </Show>
                        <Show when=move || tool.get() == Tool::Landmark>
                            <label for="feature-kind">{t!(i18n, map.kind)}</label>
                            <select id="feature-kind" bind:value=new_kind>
                                {LANDMARK_KINDS
                                    .iter()
                                    .filter(|k| **k != "pasture")
                                    .map(|k| view! { <option value=*k>{move || landmark_label(i18n, k)}</option> })
                                    .collect_view()}
                            </select>
                        </Show>
                        <p id="placed-count">
                            {move || td_string!(i18n.get_locale(), map.placed, count = placed.with(Vec::len)).to_string()}
                        </p>
                        <Show when=move || edit_error.get().is_some()>
                            <p class="error" role="alert">{move || edit_error.get().unwrap_or_default()}</p>
                        </Show>
                        <p class="buttons">
                            <button
                                type="button"
                                id="map-save"
                                on:click=save_feature
                                disabled=move || {
                                    let needed = if tool.get() == Tool::Pasture { 3 } else { 1 };
                                    placed.with(Vec::len) < needed
                                }
                            >
                                {t!(i18n, map.save)}
                            </button>
                            <button type="button" class="secondary" id="map-cancel" on:click=move |_| choose(Tool::Look)>
                                {t!(i18n, map.cancel)}
                            </button>
                        </p>
                    </div>
                </Show>
            </Show>

            <section class="map-offline" aria-labelledby="offline-title">
                <h2 id="offline-title">{t!(i18n, map.offline_title)}</h2>
                <Show
                    when=move || tile_info.get().is_some_and(|i| i.available)
                    fallback=move || {
                        // Said only once the server (or the device's last answer) told.
                        view! {
                            <Show when=move || tile_info.get().is_some()>
                                <p class="hint" id="no-tiles">{t!(i18n, map.no_tiles)}</p>
                            </Show>
                        }
                    }
                >
                    <Show
                        when=move || pack.get().is_none()
                        fallback=move || {
                            let text = move || {
                                pack.get()
                                    .map(|p| {
                                        td_string!(
                                            i18n.get_locale(),
                                            map.pack_saved,
                                            tiles = p.tiles,
                                            megabytes = super::offline::megabytes(p.bytes),
                                            from = p.min_zoom,
                                            to = p.max_zoom
                                        )
                                        .to_string()
                                    })
                                    .unwrap_or_default()
                            };
                            view! {
                                <p id="pack-saved" class="notice">{text}</p>
                                <p class="buttons">
                                    <button type="button" class="secondary" id="remove-tiles" on:click=remove_download>
                                        {t!(i18n, map.remove_tiles)}
                                    </button>
                                </p>
                            }
                        }
                    >
                        <div class="form zoom-range">
                            <label for="zoom-from">{t!(i18n, map.zoom_from)}</label>
                            <select id="zoom-from" bind:value=zoom_from>
                                {move || zoom_choices().into_iter().map(|z| {
                                    let selected = zoom_from.get_untracked() == z.to_string();
                                    view! { <option value=z.to_string() selected=selected>{z}</option> }
                                }).collect_view()}
                            </select>
                            <label for="zoom-to">{t!(i18n, map.zoom_to)}</label>
                            <select id="zoom-to" bind:value=zoom_to>
                                {move || zoom_choices().into_iter().map(|z| {
                                    let selected = zoom_to.get_untracked() == z.to_string();
                                    view! { <option value=z.to_string() selected=selected>{z}</option> }
                                }).collect_view()}
                            </select>
                        </div>
                        <p id="tile-estimate" data-tiles=move || estimate().unwrap_or_default()>
                            {move || match estimate() {
                                Some(count) if count > MAX_TILES => td_string!(i18n.get_locale(), map.too_many_tiles, count = count, max = MAX_TILES).to_string(),
                                Some(count) => td_string!(i18n.get_locale(), map.estimate, count = count).to_string(),
                                None => t_string!(i18n, map.no_area).to_owned(),
                            }}
                        </p>
                        <p class="buttons">
                            <button
                                type="button"
                                id="download-tiles"
                                on:click=start_download
                                disabled=move || {
                                    progress.get().is_some()
                                        || !sync.online.get()
                                        || estimate().is_none_or(|n| n > MAX_TILES)
                                }
                            >
                                {t!(i18n, map.download)}
                            </button>
                        </p>
                    </Show>
                    <Show when=move || progress.get().is_some()>
                        <progress
                            id="tile-progress"
                            aria-label=move || t_string!(i18n, map.progress_label)
                            max=move || progress.get().map_or(1, |p| p.1.max(1))
                            value=move || progress.get().map_or(0, |p| p.0)
                        ></progress>
                        <p id="tile-progress-text" role="status">
                            {move || progress.get().map(|(done, all, bytes)| {
                                td_string!(i18n.get_locale(), map.progress, done = done, total = all, megabytes = super::offline::megabytes(bytes)).to_string()
                            })}
                        </p>
                    </Show>
                    <Show when=move || download_failed.get()>
                        <p class="error" role="alert" id="download-failed">{t!(i18n, map.download_failed)}</p>
                    </Show>
                </Show>
            </section>
        </section>
    }
}

fn point_geometry(points: &[(f64, f64)]) -> serde_json::Value {
    let (lat, lon) = points.last().copied().unwrap_or_default();
    serde_json::json!({ "type": "Point", "coordinates": [round(lon), round(lat)] })
}

/// A closed ring through the tapped corners.
fn area_geometry(points: &[(f64, f64)]) -> serde_json::Value {
    let mut ring: Vec<[f64; 2]> = points
        .iter()
        .map(|(lat, lon)| [round(*lon), round(*lat)])
        .collect();
    if let Some(first) = ring.first().copied() {
        ring.push(first);
    }
    serde_json::json!({ "type": "Polygon", "coordinates": [ring] })
}

/// Six decimals: about 10 cm, finer than any phone's GPS or finger.
fn round(value: f64) -> f64 {
    (value * 1e6).round() / 1e6
}

/// Checks a feature like the server will, then puts it in the outbox (works offline).
#[allow(clippy::too_many_arguments)]
fn queue(
    sync: crate::sync::state::SyncState,
    op: Op,
    id: String,
    base_version: Option<i64>,
    draft: NewFeature,
    i18n: I18nContext,
    error: RwSignal<Option<String>>,
    then: impl FnOnce() + 'static,
) {
    let (checked, geometry) = match draft.checked() {
        Ok(checked) => checked,
        Err(reason) => {
            let text = crate::ui::reason_text(i18n, &reason, |f| crate::ui::field_label(i18n, f));
            return error.set(Some(text));
        }
    };
    error.set(None);
    let version = base_version.map_or(1, |v| v + 1);
    let shown = serde_json::to_value(checked.shown(&id, version, geometry)).unwrap_or_default();
    let payload = serde_json::to_value(&checked).unwrap_or_default();
    leptos::task::spawn_local(async move {
        if crate::sync::queue::enqueue(Entity::Feature, op, &id, base_version, payload, shown)
            .await
            .is_ok()
        {
            sync.changed();
            then();
        }
    });
}

/// The persons of attention this device holds in its encrypted cache, when it is open (the
/// map never asks the server for them: it must work without signal, and the cache holds only
/// what the account may read).
fn use_sealed_persons() -> RwSignal<Vec<crate::persons::Person>> {
    let persons = RwSignal::new(Vec::new());
    let sync = use_sync();
    Effect::new(move |_| {
        sync.revision.track();
        leptos::task::spawn_local(async move {
            persons.set(crate::persons::sealed_persons().await);
        });
    });
    persons
}

#[cfg(feature = "hydrate")]
struct LiveInputs {
    village_id: Signal<String>,
    features: Memo<Vec<Feature>>,
    markers: Memo<Vec<MapMarker>>,
    centre: Memo<Option<(f64, f64)>>,
    shown_layers: RwSignal<Vec<String>>,
    show_records: RwSignal<bool>,
    tool: RwSignal<Tool>,
    placed: RwSignal<Vec<(f64, f64)>>,
    tile_info: RwSignal<Option<TileInfo>>,
    on_tap: std::rc::Rc<dyn Fn(f64, f64)>,
    centre_taps: RwSignal<u32>,
    i18n: I18nContext,
    may_edit: Signal<bool>,
}

/// Makes the Leaflet map once the page is in the browser and keeps it drawn.
#[cfg(feature = "hydrate")]
fn live_map(inputs: LiveInputs) {
    use super::live::{feature_popup, load_leaflet, LiveMap, PopupAction};
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::Geometry;

    fn household(id: &str, name: &str, lon: f64, lat: f64) -> Feature {
        Feature {
            id: id.into(),
            village_id: "v1".into(),
            layer: "households".into(),
            kind: None,
            name: Some(name.into()),
            geometry: Geometry::Point(vec![lon, lat]),
            version: 1,
            updated_at: String::new(),
        }
    }

    #[test]
    fn households_are_found_by_address_whatever_the_case_and_spaces() {
        let points = household_points(&[household("h1", "Абай көшесі, 12", 68.3, 51.8)]);
        assert_eq!(
            at_household(&points, Some(" абай көшесі, 12 ")),
            Some((51.8, 68.3))
        );
        assert_eq!(at_household(&points, Some("Абай көшесі, 13")), None);
        assert_eq!(at_household(&points, None), None);
    }

    #[test]
    fn the_download_area_covers_every_layer_else_the_centre() {
        let boundary = Feature {
            id: "b".into(),
            layer: "boundary".into(),
            name: None,
            geometry: Geometry::Polygon(vec![vec![
                vec![68.0, 51.0],
                vec![68.1, 51.0],
                vec![68.1, 51.1],
                vec![68.0, 51.0],
            ]]),
            ..household("b", "", 0.0, 0.0)
        };
        let area = download_area(std::slice::from_ref(&boundary), Some((40.0, 40.0))).unwrap();
        assert!(
            area.west < 68.0 && area.east > 68.1 && area.east < 68.2,
            "{area:?}"
        );
        // A household drawn beyond the outline is covered too.
        let far_house = household("h", "x", 70.0, 53.0);
        let both = download_area(&[boundary, far_house.clone()], None).unwrap();
        assert!(
            both.west < 68.0 && both.east > 70.0 && both.north > 53.0,
            "{both:?}"
        );
        let only_house = download_area(&[far_house], None).unwrap();
        assert!(only_house.west < 70.0 && only_house.east > 70.0);
        let centre = download_area(&[], Some((51.8, 68.3))).unwrap();
        assert!((centre.north - centre.south - 2.0 * DEFAULT_HALF_SIDE_KM / 111.32).abs() < 1e-9);
        assert_eq!(download_area(&[], None), None);
    }

    #[test]
    fn drawn_areas_close_their_ring_and_points_are_rounded() {
        let ring = area_geometry(&[(51.0, 68.0), (51.0, 68.1), (51.1, 68.1)]);
        let geometry = Geometry::parse(&ring).unwrap();
        assert_eq!(geometry.check("landmarks", Some("pasture")), Ok(()));
        assert_eq!(
            point_geometry(&[(51.123_456_789, 68.987_654_321)]),
            serde_json::json!({"type": "Point", "coordinates": [68.987_654, 51.123_457]})
        );
    }
}
