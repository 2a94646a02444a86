//! Base tiles for the village map without signal: the area a download covers, and the part
//! of the page that downloads and removes them.
use super::tiles::{self, Area, TileInfo, DEFAULT_HALF_SIDE_KM, DEFAULT_ZOOMS, MAX_TILES};
use super::Feature;
use crate::i18n::*;
use crate::sync::state::use_sync;
use leptos::prelude::*;

/// The area whose tiles a download stores: everything on the village's map (its outline, and
/// any household or pasture drawn beyond it), else a square around its centre.
fn download_area(features: &[Feature], centre: Option<(f64, f64)>) -> Option<Area> {
    Area::of_points(features.iter().flat_map(|f| f.geometry.lat_lons()))
        .map(|area| area.padded(tiles::DOWNLOAD_PADDING))
        .or_else(|| centre.map(|(lat, lon)| Area::around(lat, lon, DEFAULT_HALF_SIDE_KM)))
}

/// Tile download progress: done, total, bytes.
type Progress = (u64, u64, u64);

/// The village's base tiles kept on the device: how many a zoom range takes, downloading
/// them (with progress), and removing them.
#[component]
pub fn OfflineTiles(
    village_id: Signal<String>,
    features: Memo<Vec<Feature>>,
    centre: Memo<Option<(f64, f64)>>,
    /// What the server offers (or offered last time there was signal).
    tile_info: RwSignal<Option<TileInfo>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    // This village's copy of the base tiles, and a download under way.
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

    view! {
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::map::markers::tests::household;
    use crate::map::Geometry;

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
}
