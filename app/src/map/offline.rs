//! Village tiles kept on the device: downloaded into the service worker's tile cache (which
//! serves them to the map when there is no signal), listed per village, and removed.
use super::tiles::{ranges, Area, TileRange};
use serde::{Deserialize, Serialize};

/// The service worker's cache for downloaded tiles; it survives new builds of the app.
pub const TILE_CACHE: &str = "zq-tiles";
/// Where the device remembers which villages it holds tiles for.
const PACKS_KEY: &str = "zq-tile-packs";

/// One village's tiles on this device.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TilePack {
    pub village_id: String,
    pub area: Area,
    pub min_zoom: u8,
    pub max_zoom: u8,
    pub tiles: u64,
    pub bytes: u64,
    /// Tiles the server did not have (outside its MBTiles file).
    #[serde(default)]
    pub missing: u64,
}

impl TilePack {
    pub fn ranges(&self) -> Vec<TileRange> {
        ranges(self.area, self.min_zoom, self.max_zoom)
    }
}

/// Megabytes with one decimal, as the page shows them.
pub fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

pub fn packs() -> Vec<TilePack> {
    storage()
        .and_then(|s| s.get_item(PACKS_KEY).ok().flatten())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn pack(village_id: &str) -> Option<TilePack> {
    packs().into_iter().find(|p| p.village_id == village_id)
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::*;
    use crate::map::tiles::{tile_url, total};
    use futures::stream::{self, StreamExt};
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    /// Tiles fetched at once: enough to fill a slow link, few enough not to flood the server.
    const PARALLEL: usize = 6;

    fn save_packs(list: &[TilePack]) {
        if let (Some(storage), Ok(text)) = (storage(), serde_json::to_string(list)) {
            let _ = storage.set_item(PACKS_KEY, &text);
        }
    }

    async fn cache() -> Option<web_sys::Cache> {
        let caches = web_sys::window()?.caches().ok()?;
        let opened = JsFuture::from(caches.open(TILE_CACHE)).await.ok()?;
        Some(opened.unchecked_into())
    }

    /// Fetches one tile and stores it; its size in bytes, or `None` when the server has none.
    async fn store_tile(cache: &web_sys::Cache, url: &str) -> Result<Option<u64>, ()> {
        let window = web_sys::window().ok_or(())?;
        let init = web_sys::RequestInit::new();
        init.set_credentials(web_sys::RequestCredentials::SameOrigin);
        let request = web_sys::Request::new_with_str_and_init(url, &init).map_err(|_| ())?;
        let response: web_sys::Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(|_| ())?
            .unchecked_into();
        if response.status() == 404 {
            return Ok(None);
        }
        if !response.ok() {
            return Err(());
        }
        let copy = response.clone().map_err(|_| ())?;
        let blob: web_sys::Blob = JsFuture::from(copy.blob().map_err(|_| ())?)
            .await
            .map_err(|_| ())?
            .unchecked_into();
        JsFuture::from(cache.put_with_str(url, &response))
            .await
            .map_err(|_| ())?;
        Ok(Some(blob.size() as u64))
    }

    /// Downloads every tile of the area and zooms, calling `progress(done, total, bytes)` as
    /// it goes. Stops at the first failure (lost signal) and says so; the tiles already
    /// stored stay, and a new download fetches only what is missing again.
    pub async fn download(
        village_id: &str,
        area: Area,
        min_zoom: u8,
        max_zoom: u8,
        progress: impl Fn(u64, u64, u64),
    ) -> Result<TilePack, ()> {
        let cache = cache().await.ok_or(())?;
        let ranges = ranges(area, min_zoom, max_zoom);
        let count = total(&ranges);
        let urls: Vec<String> = ranges
            .into_iter()
            .flat_map(TileRange::tiles)
            .map(|(z, x, y)| tile_url(z, x, y))
            .collect();
        let (mut done, mut bytes, mut missing) = (0u64, 0u64, 0u64);
        let mut results = stream::iter(urls.iter())
            .map(|url| store_tile(&cache, url))
            .buffer_unordered(PARALLEL);
        progress(0, count, 0);
        while let Some(result) = results.next().await {
            match result? {
                Some(size) => bytes += size,
                None => missing += 1,
            }
            done += 1;
            progress(done, count, bytes);
        }
        let pack = TilePack {
            village_id: village_id.to_owned(),
            area,
            min_zoom: min_zoom.min(max_zoom),
            max_zoom: min_zoom.max(max_zoom),
            tiles: count - missing,
            bytes,
            missing,
        };
        let mut list: Vec<TilePack> = packs()
            .into_iter()
            .filter(|p| p.village_id != village_id)
            .collect();
        list.push(pack.clone());
        save_packs(&list);
        Ok(pack)
    }

    /// Removes a village's tiles, except those another downloaded village also covers.
    pub async fn remove(village_id: &str) {
        let list = packs();
        let Some(gone) = list.iter().find(|p| p.village_id == village_id).cloned() else {
            return;
        };
        let kept: Vec<TilePack> = list
            .into_iter()
            .filter(|p| p.village_id != village_id)
            .collect();
        let kept_ranges: Vec<TileRange> = kept.iter().flat_map(TilePack::ranges).collect();
        if let Some(cache) = cache().await {
            for (z, x, y) in gone.ranges().into_iter().flat_map(TileRange::tiles) {
                if kept_ranges.iter().any(|r| r.contains(z, x, y)) {
                    continue;
                }
                let _ = JsFuture::from(cache.delete_with_str(&tile_url(z, x, y))).await;
            }
        }
        save_packs(&kept);
    }
}

#[cfg(feature = "hydrate")]
pub use browser::{download, remove};
