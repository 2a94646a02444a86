//! Editing the village map by tapping: the tools (a household, a landmark, a pasture, moving
//! a point, a new visit or offence at a place, the village's own position), the features they
//! make, and saving them through the outbox like any record (works offline).
use super::geometry::LANDMARK_KINDS;
use super::markers::landmark_label;
use super::{Feature, NewFeature};
use crate::access::{Action, RecordKind};
use crate::i18n::*;
use crate::sync::contract::{Entity, Op};
use crate::sync::state::use_sync;
use crate::ui::{current_position, role_may, use_role, I18nContext};
use leptos::prelude::*;

/// What a tap on the map does.
#[derive(Clone, Debug, PartialEq)]
pub enum Tool {
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
        if crate::sync::queue::enqueue(Entity::MapFeature, op, &id, base_version, payload, shown)
            .await
            .is_ok()
        {
            sync.changed();
            then();
        }
    });
}

/// The editing tools under the map, for the roles that may use them: what a tap does, the
/// GPS and centre buttons, the new feature's name and kind, and saving it through the outbox.
#[component]
pub fn MapTools(
    village_id: Signal<String>,
    features: Memo<Vec<Feature>>,
    tool: RwSignal<Tool>,
    placed: RwSignal<Vec<(f64, f64)>>,
    centre_taps: RwSignal<u32>,
    saved_note: RwSignal<bool>,
    /// A point chosen without tapping the map (the phone's GPS).
    tap: Callback<(f64, f64)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let role = use_role();
    let may_edit = move || role_may(role, RecordKind::MapFeature, Action::Create);
    let may_visit = move || role_may(role, RecordKind::Visit, Action::Create);
    let may_offence = move || role_may(role, RecordKind::Offence, Action::Create);
    let may_place = move || role_may(role, RecordKind::Village, Action::Update);
    let new_name = RwSignal::new(String::new());
    let new_kind = RwSignal::new("school".to_owned());
    let edit_error = RwSignal::new(None::<String>);
    let placed_note = RwSignal::new(false);
    let choose = move |next: Tool| {
        tool.set(next);
        placed.set(Vec::new());
        edit_error.set(None);
        saved_note.set(false);
        placed_note.set(false);
    };
    let gps_point = move |_| {
        current_position(move |point| match point {
            Some(point) => tap.run(point),
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
            crate::ids::new_id(),
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

    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::Geometry;

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
