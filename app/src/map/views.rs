//! The list of village maps and the village map page: the layers and records the device holds,
//! drawn by the live map, with the editing tools and the offline tiles below it.
#[cfg(feature = "hydrate")]
use super::drawing::{live_map, LiveInputs};
use super::geometry::LAYERS;
use super::layer_picker::LayerPicker;
use super::markers::markers;
use super::tile_download::OfflineTiles;
use super::tiles::TileInfo;
use super::tools::{MapTools, Tool};
use super::Feature;
#[cfg(feature = "hydrate")]
use crate::access::{Action, RecordKind};
use crate::i18n::*;
use crate::offences::Offence;
use crate::sync::contract::{Entity, Reference};
use crate::sync::state::use_sync;
use crate::tasks::Task;
#[cfg(feature = "hydrate")]
use crate::ui::role_may;
use crate::ui::{use_local_records, use_reference, use_role, village_name};
use crate::visits::Visit;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map};

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

#[component]
pub fn VillageMapPage() -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let params = use_params_map();
    let village_id = Signal::derive(move || params.get().get("id").unwrap_or_default());
    let reference = use_reference();
    #[cfg(feature = "hydrate")]
    let role = use_role();
    let all_features = use_local_records::<Feature>(Entity::MapFeature);
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

    // Which layers are shown.
    let shown_layers = RwSignal::new(LAYERS.iter().map(|l| (*l).to_owned()).collect::<Vec<_>>());
    let show_records = RwSignal::new(true);

    // What a tap does, the points placed so far, and "place at the centre": a tap without a
    // finger (keyboard, screen reader, shaky hands). The tools below set them; the live map
    // draws them.
    let tool = RwSignal::new(Tool::Look);
    let placed = RwSignal::new(Vec::<(f64, f64)>::new());
    let saved_note = RwSignal::new(false);
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
    let tap = Callback::new({
        let on_tap = on_tap.clone();
        move |(lat, lon): (f64, f64)| on_tap(lat, lon)
    });
    // What the server offers for base tiles (remembered for offline), read by the live map.
    let tile_info = RwSignal::new(None::<TileInfo>);

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
        may_edit: Signal::derive(move || role_may(role, RecordKind::MapFeature, Action::Create)),
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
    view! {
        <section class="map-page">
            <h1>{t!(i18n, map.title)} " — " {name}</h1>
            <LayerPicker shown_layers show_records />
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

            <MapTools village_id features tool placed centre_taps saved_note tap />
            <OfflineTiles village_id features centre tile_info />
        </section>
    }
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
