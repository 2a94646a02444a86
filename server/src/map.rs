//! The village map's server side: base tiles from an MBTiles file set by the admin, or from
//! a tile server they name (fetched once and kept in the database), what the device needs to
//! know about them, and the admin's import of a GeoJSON layer. Tiles go to signed-in accounts
//! only, at the zooms offered, near their villages and at a rate per account: the server is
//! not an open map server.
use crate::api::{Account, Reader, Refusal};
use app::access::{Place, Principal, Scope};
use app::db::DbPool;
use app::errors::AppError;
use app::map::geometry::{parse_import, Geometry, ImportError, IMPORT_MAX_BYTES};
use app::map::store::{import_layer, ImportRefusal};
use app::map::tiles::{
    mbtiles_row, tile_touches, village_reach, Area, TileInfo, ZOOM_MAX, ZOOM_MIN,
};
use axum::extract::{Path, Query, Request};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use std::collections::HashMap;
use std::num::NonZeroU32;
use std::path::Path as FilePath;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The image types a tile may have. Anything else from a tile server (an HTML error or
/// consent page, a captive portal) is refused, never passed on under an image type.
const TILE_TYPES: &[&str] = &["image/png", "image/jpeg", "image/webp"];
/// Largest tile taken from a tile server: a 256 px tile is tens of KiB, so a body this large
/// is not a tile, and it must not fill the cache.
const TILE_MAX_BYTES: usize = 1024 * 1024;
/// Longest a tile request is held back (in its account's line) to keep to the rate before it
/// is refused instead. A download keeps 6 tiles in flight (`app::map::offline`, `PARALLEL`)
/// and gives up at the first refusal, so on a fast link it is slowed to the rate rather than
/// cut off; only a client with more than a second's worth of tiles in flight gets 429.
const PACING_MAX: Duration = Duration::from_secs(1);
/// How long an account's area is reused before its villages and their features are read
/// again: a download asks for hundreds of tiles, and the area comes from every feature drawn
/// in the account's villages. A feature synced meanwhile counts a minute later at the latest.
const REACH_FOR: Duration = Duration::from_secs(60);
/// A cache hit moves the tile's last use forward at most this often: eviction only needs the
/// order of use to the minute, and a write on every hit would be a disk write per tile shown.
const TOUCH_EVERY_SECS: i64 = 60;

/// Limits of the tile route, from `--tile-cache-kb`, `--tile-rate` and `--tile-burst`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TileLimits {
    /// Most bytes of a tile server's tiles kept in the database; past it the least recently
    /// used are dropped.
    pub cache_max_bytes: u64,
    /// Tiles one account may fetch a second, on average.
    pub per_second: u32,
    /// Tiles one account may fetch at once above that rate.
    pub burst: u32,
}

impl Default for TileLimits {
    fn default() -> Self {
        TileLimits {
            // Every village of the program at zooms 12–17 is about 9,000 tiles, 180 MiB at
            // 20 KiB a tile (BENCHMARKS.md): room for all of them and zoom 18 of several.
            cache_max_bytes: 512 * 1024 * 1024,
            // A village download is 300 to 700 tiles at zooms 12–17 (BENCHMARKS.md), at most
            // 5,000 (`MAX_TILES`). The first 200 come at once and the rest at 50 a second:
            // 10 s for a usual download, under 2 min for the largest, and a map being panned
            // never waits. One account cannot make the server ask the tile server for more
            // than 50 tiles a second, nor copy the map of the region.
            per_second: 50,
            burst: 200,
        }
    }
}

/// Where base tiles come from, and who may have which.
#[derive(Clone)]
pub struct TileSource {
    origin: Origin,
    info: TileInfo,
    guard: Arc<Guard>,
}

#[derive(Clone)]
enum Origin {
    /// An MBTiles file (a SQLite database of tiles), opened read-only.
    Mbtiles(sqlx::SqlitePool),
    Upstream(Arc<Upstream>),
}

/// A tile and its image type.
struct Tile {
    bytes: Vec<u8>,
    content_type: String,
}

enum TileError {
    Database(sqlx::Error),
    /// The tile server did not answer, or answered with an error or with no tile.
    Upstream(String),
}

#[derive(Debug, thiserror::Error)]
pub enum TileSourceError {
    #[error("cannot open the MBTiles file {0}: {1}")]
    Open(String, #[source] sqlx::Error),
    #[error("{0} is not an MBTiles file (no `tiles` table or `metadata`): {1}")]
    NotMbtiles(String, #[source] sqlx::Error),
    #[error(
        "the tile address {0} must start with https:// (http:// only for a tile server on this \
         machine: 127.0.0.1, localhost or [::1]) and hold {{z}}, {{x}} and {{y}}"
    )]
    BadTemplate(String),
    #[error("cannot make an HTTP client for the tile server: {0}")]
    Client(#[source] reqwest::Error),
}

impl TileSource {
    /// Tiles from an MBTiles file; `db` is the app's database (the accounts' villages).
    pub async fn open(
        path: &FilePath,
        db: DbPool,
        limits: TileLimits,
    ) -> Result<TileSource, TileSourceError> {
        let name = path.display().to_string();
        let options = SqliteConnectOptions::new()
            .filename(path)
            .read_only(true)
            .create_if_missing(false);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| TileSourceError::Open(name.clone(), e))?;
        let metadata: Vec<(String, String)> = sqlx::query_as("SELECT name, value FROM metadata")
            .fetch_all(&pool)
            .await
            .map_err(|e| TileSourceError::NotMbtiles(name.clone(), e))?;
        let value = |key: &str| {
            metadata
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone())
        };
        // Zooms from the metadata, or from the tiles themselves when it does not say.
        let (low, high): (Option<i64>, Option<i64>) =
            sqlx::query_as("SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles")
                .fetch_one(&pool)
                .await
                .map_err(|e| TileSourceError::NotMbtiles(name.clone(), e))?;
        let zoom = |key: &str, fallback: Option<i64>, default: u8| {
            value(key)
                .and_then(|v| v.parse::<i64>().ok())
                .or(fallback)
                .map_or(default, |z| z.clamp(0, 22) as u8)
        };
        let info = TileInfo {
            available: true,
            min_zoom: zoom("minzoom", low, ZOOM_MIN),
            max_zoom: zoom("maxzoom", high, ZOOM_MAX),
            format: value("format").unwrap_or_else(|| "png".into()),
            attribution: value("attribution"),
        };
        tracing::info!(file = %name, min_zoom = info.min_zoom, max_zoom = info.max_zoom, "map tiles from MBTiles");
        Ok(TileSource {
            origin: Origin::Mbtiles(pool),
            info,
            guard: Arc::new(Guard::new(db, limits)),
        })
    }

    /// Tiles from a tile server, e.g. `https://tiles.example.kz/{z}/{x}/{y}.png`, kept in
    /// `db` (the app's database) once fetched, up to `limits.cache_max_bytes`.
    pub fn upstream(
        template: &str,
        attribution: Option<String>,
        db: DbPool,
        limits: TileLimits,
    ) -> Result<TileSource, TileSourceError> {
        if !template_allowed(template) {
            return Err(TileSourceError::BadTemplate(template.to_owned()));
        }
        let client = reqwest::Client::builder()
            // Tile servers' usage policies ask for an application that names itself.
            .user_agent(concat!("ZiyalyQauym/", env!("CARGO_PKG_VERSION")))
            .timeout(Duration::from_secs(15))
            // A tile comes from the address configured, not from wherever a redirect points
            // (another host, plain HTTP): a redirect is answered as the tile server's error.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(TileSourceError::Client)?;
        tracing::info!(template, "map tiles from a tile server, kept once fetched");
        let cache = TileCache {
            db: db.clone(),
            max_bytes: limits.cache_max_bytes,
            used: tokio::sync::Mutex::new(None),
        };
        Ok(TileSource {
            origin: Origin::Upstream(Arc::new(Upstream {
                template: template.to_owned(),
                client,
                cache,
            })),
            info: TileInfo {
                available: true,
                min_zoom: ZOOM_MIN,
                max_zoom: ZOOM_MAX,
                format: "png".into(),
                attribution,
            },
            guard: Arc::new(Guard::new(db, limits)),
        })
    }

    /// Whether `who` may have this tile: at a zoom offered (at most 22, so the grid fits a
    /// `u32`) and showing part of the area around their villages (tiles outside the world are
    /// outside every area).
    async fn serves(&self, who: &Principal, zoom: u8, x: u32, y: u32) -> Result<bool, sqlx::Error> {
        if !(self.info.min_zoom..=self.info.max_zoom).contains(&zoom) {
            return Ok(false);
        }
        let area = self.guard.reach(who).await?;
        Ok(area.is_some_and(|area| tile_touches(area, zoom, x, y)))
    }

    async fn tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Tile>, TileError> {
        match &self.origin {
            Origin::Mbtiles(pool) => {
                let bytes: Option<Vec<u8>> = sqlx::query_scalar(
                    "SELECT tile_data FROM tiles WHERE zoom_level = $1 AND tile_column = $2 \
                     AND tile_row = $3",
                )
                .bind(i64::from(zoom))
                .bind(i64::from(x))
                .bind(i64::from(mbtiles_row(y, zoom)))
                .fetch_optional(pool)
                .await
                .map_err(TileError::Database)?;
                let content_type = match self.info.format.as_str() {
                    "jpg" | "jpeg" => "image/jpeg",
                    "webp" => "image/webp",
                    _ => "image/png",
                };
                Ok(bytes.map(|bytes| Tile {
                    bytes,
                    content_type: content_type.into(),
                }))
            }
            Origin::Upstream(upstream) => upstream.tile(zoom, x, y).await,
        }
    }
}

/// A tile server's address must be HTTPS, so nobody on the way reads or changes the tiles;
/// plain HTTP only to a tile server on this machine, where there is no way in between.
fn template_allowed(template: &str) -> bool {
    let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p));
    let Ok(address) = reqwest::Url::parse(template) else {
        return false;
    };
    let secure = match address.scheme() {
        "https" => true,
        "http" => matches!(
            address.host_str(),
            Some("127.0.0.1" | "localhost" | "[::1]")
        ),
        _ => false,
    };
    placeholders && secure
}

/// What keeps the tile route from being an open map server: each account gets tiles only
/// near its villages, and only so many a second.
struct Guard {
    /// The app's database: villages and what is drawn on their maps.
    db: DbPool,
    /// Keyed by account id. Keys are never dropped: one per account that fetched tiles since
    /// the start (tens to hundreds), a few dozen bytes each.
    rate: DefaultKeyedRateLimiter<String>,
    /// Each account's line of requests held back for the rate. The limiter does not queue:
    /// requests waiting together would race at every free slot, and one could lose for longer
    /// than `PACING_MAX` while later ones got through. In line, the first come goes first.
    lines: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Each account's area (`None`: no village of theirs is on the map) and when it was read.
    areas: Mutex<HashMap<String, (Instant, Option<Area>)>>,
}

impl Guard {
    fn new(db: DbPool, limits: TileLimits) -> Guard {
        // The flags refuse 0; were it given anyway, 1 is the least that still serves tiles.
        let per_second = NonZeroU32::new(limits.per_second).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(limits.burst).unwrap_or(NonZeroU32::MIN);
        Guard {
            db,
            rate: RateLimiter::keyed(Quota::per_second(per_second).allow_burst(burst)),
            lines: Mutex::new(HashMap::new()),
            areas: Mutex::new(HashMap::new()),
        }
    }

    /// Lets a tile request of `who` through, after holding it back up to `PACING_MAX` to keep
    /// to the rate; else the whole seconds to wait before asking again.
    async fn admit(&self, who: &Principal) -> Result<(), u32> {
        let deadline = tokio::time::Instant::now() + PACING_MAX;
        let line = self.line_of(&who.account_id);
        // The turn is kept until this request goes through or is refused.
        let Ok(_turn) = tokio::time::timeout_at(deadline, line.lock()).await else {
            return Err(whole_seconds(PACING_MAX));
        };
        loop {
            let Err(not_until) = self.rate.check_key(&who.account_id) else {
                return Ok(());
            };
            let wait = not_until.wait_time_from(self.rate.clock().now());
            if tokio::time::Instant::now() + wait > deadline {
                return Err(whole_seconds(wait));
            }
            tokio::time::sleep(wait).await;
        }
    }

    fn line_of(&self, account_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut lines = self.lines.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(lines.entry(account_id.to_owned()).or_default())
    }

    /// The area `who` may have tiles of, read again after `REACH_FOR`.
    async fn reach(&self, who: &Principal) -> Result<Option<Area>, sqlx::Error> {
        if let Some(area) = self.recent_reach(&who.account_id) {
            return Ok(area);
        }
        let area = account_area(&self.db, &who.scope).await?;
        let mut known = self.areas.lock().unwrap_or_else(PoisonError::into_inner);
        known.retain(|_, (at, _)| at.elapsed() < REACH_FOR);
        known.insert(who.account_id.clone(), (Instant::now(), area));
        Ok(area)
    }

    fn recent_reach(&self, account_id: &str) -> Option<Option<Area>> {
        let known = self.areas.lock().unwrap_or_else(PoisonError::into_inner);
        known
            .get(account_id)
            .filter(|(at, _)| at.elapsed() < REACH_FOR)
            .map(|(_, area)| *area)
    }
}

/// A wait as `Retry-After` gives it: whole seconds, rounded up, at least 1.
fn whole_seconds(wait: Duration) -> u32 {
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    u32::try_from(seconds.max(1)).unwrap_or(u32::MAX)
}

/// The box around the reach (`app::map::tiles::village_reach`) of every village in `scope`:
/// their centres and everything drawn on their maps.
async fn account_area(db: &DbPool, scope: &Scope) -> Result<Option<Area>, sqlx::Error> {
    let villages: Vec<_> = app::places::store::list_villages(db)
        .await?
        .into_iter()
        .filter(|village| {
            scope.covers(&Place {
                village_id: village.id.clone(),
                district_id: village.district_id.clone(),
            })
        })
        .collect();
    let ids: Vec<&str> = villages.iter().map(|village| village.id.as_str()).collect();
    let drawn = drawn_extents(db, &ids).await?;
    Ok(villages
        .iter()
        .filter_map(|village| village_reach(village.centre, drawn.get(&village.id).copied()))
        .reduce(Area::union))
}

/// The extent of the features drawn for each of these villages (outline, streets, households,
/// landmarks), by village id.
async fn drawn_extents(
    db: &DbPool,
    village_ids: &[&str],
) -> Result<HashMap<String, Area>, sqlx::Error> {
    if village_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let placeholders: Vec<String> = (1..=village_ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT village_id, geometry FROM map_features WHERE village_id IN ({})",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (String, String)>(&sql);
    for id in village_ids {
        query = query.bind(*id);
    }
    let mut extents: HashMap<String, Area> = HashMap::new();
    for (village_id, geometry) in query.fetch_all(db).await? {
        // Geometries are checked before they are written; one that does not read is on no
        // device's map either.
        let Some(area) = serde_json::from_str::<Geometry>(&geometry)
            .ok()
            .and_then(|geometry| Area::of_points(geometry.lat_lons()))
        else {
            continue;
        };
        extents
            .entry(village_id)
            .and_modify(|extent| *extent = extent.union(area))
            .or_insert(area);
    }
    Ok(extents)
}

/// A tile server's address with `{z}`, `{x}` and `{y}`; each tile is fetched once and kept in
/// the app's database, so it is served again with the tile server down.
struct Upstream {
    template: String,
    client: reqwest::Client,
    cache: TileCache,
}

impl Upstream {
    async fn tile(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Tile>, TileError> {
        let kept = self.cache.get(zoom, x, y).await;
        if let Some(tile) = kept.map_err(TileError::Database)? {
            return Ok(Some(tile));
        }
        let Some(tile) = self.fetch(zoom, x, y).await? else {
            return Ok(None);
        };
        self.cache
            .put(zoom, x, y, &tile)
            .await
            .map_err(TileError::Database)?;
        Ok(Some(tile))
    }

    /// Asks the tile server. Only a tile is taken: a redirect (the client follows none), a
    /// type that is not one of `TILE_TYPES` or a body over `TILE_MAX_BYTES` is an error, and
    /// nothing of it is kept.
    async fn fetch(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Tile>, TileError> {
        let address = self
            .template
            .replace("{z}", &zoom.to_string())
            .replace("{x}", &x.to_string())
            .replace("{y}", &y.to_string());
        let response = self
            .client
            .get(&address)
            .send()
            .await
            .map_err(upstream_error)?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            return Ok(None);
        }
        if !response.status().is_success() {
            return Err(TileError::Upstream(format!("status {}", response.status())));
        }
        let Some(content_type) = tile_type(response.headers()) else {
            let found = response.headers().get(reqwest::header::CONTENT_TYPE);
            return Err(TileError::Upstream(format!("not a tile image: {found:?}")));
        };
        let bytes = read_tile(response).await?;
        Ok(Some(Tile {
            bytes,
            content_type: content_type.to_owned(),
        }))
    }
}

fn upstream_error(error: reqwest::Error) -> TileError {
    // Without the address: a tile server's key may be part of it.
    TileError::Upstream(error.without_url().to_string())
}

/// The answer's image type when it is one of `TILE_TYPES` (parameters such as `; q=…` left
/// out).
fn tile_type(headers: &reqwest::header::HeaderMap) -> Option<&'static str> {
    let value = headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
    let essence = value.split(';').next()?.trim().to_ascii_lowercase();
    TILE_TYPES.iter().copied().find(|known| *known == essence)
}

/// The answer's body, refused past `TILE_MAX_BYTES` without reading the rest.
async fn read_tile(mut response: reqwest::Response) -> Result<Vec<u8>, TileError> {
    let too_large = || TileError::Upstream(format!("a tile over {TILE_MAX_BYTES} bytes"));
    if response
        .content_length()
        .is_some_and(|length| length > TILE_MAX_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(upstream_error)? {
        if bytes.len() + chunk.len() > TILE_MAX_BYTES {
            return Err(too_large());
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// A tile server's tiles kept in the app's database (`tile_cache`), up to `max_bytes`.
struct TileCache {
    db: DbPool,
    max_bytes: u64,
    /// The bytes of tiles in `tile_cache`, summed at the first insert after the start (or
    /// after a failed one) and kept up to date here: summing on every insert would read every
    /// row, and nothing else writes the table. The lock also puts inserts and evictions one
    /// after another, so two of them never free the same excess.
    used: tokio::sync::Mutex<Option<u64>>,
}

impl TileCache {
    async fn get(&self, zoom: u8, x: u32, y: u32) -> Result<Option<Tile>, sqlx::Error> {
        let kept: Option<(Vec<u8>, String, i64)> = sqlx::query_as(
            "SELECT data, content_type, last_used_at FROM tile_cache \
             WHERE zoom = $1 AND x = $2 AND y = $3",
        )
        .bind(i64::from(zoom))
        .bind(i64::from(x))
        .bind(i64::from(y))
        .fetch_optional(&self.db)
        .await?;
        let Some((bytes, content_type, last_used_at)) = kept else {
            return Ok(None);
        };
        let now = app::accounts::session::now_secs();
        if last_used_at + TOUCH_EVERY_SECS <= now {
            sqlx::query(
                "UPDATE tile_cache SET last_used_at = $1 WHERE zoom = $2 AND x = $3 AND y = $4",
            )
            .bind(now)
            .bind(i64::from(zoom))
            .bind(i64::from(x))
            .bind(i64::from(y))
            .execute(&self.db)
            .await?;
        }
        Ok(Some(Tile {
            bytes,
            content_type,
        }))
    }

    /// Keeps a fetched tile; past `max_bytes`, drops the least recently used tiles down to
    /// nine tenths of it, so a full cache does not delete on every insert.
    async fn put(&self, zoom: u8, x: u32, y: u32, tile: &Tile) -> Result<(), sqlx::Error> {
        let mut used = self.used.lock().await;
        // Taken out: a failure below leaves the size unknown, to be summed again.
        let mut total = match used.take() {
            Some(total) => total,
            None => self.size().await?,
        };
        let now = app::accounts::session::now_secs();
        let inserted = sqlx::query(
            "INSERT INTO tile_cache (zoom, x, y, data, content_type, fetched_at, last_used_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (zoom, x, y) DO NOTHING",
        )
        .bind(i64::from(zoom))
        .bind(i64::from(x))
        .bind(i64::from(y))
        .bind(&tile.bytes)
        .bind(&tile.content_type)
        .bind(app::db::now_rfc3339())
        .bind(now)
        .execute(&self.db)
        .await?
        .rows_affected();
        // Another request for the same tile may have kept it first: then nothing was added.
        if inserted > 0 {
            total += tile.bytes.len() as u64;
        }
        if total > self.max_bytes {
            let target = self.max_bytes - self.max_bytes / 10;
            total = total.saturating_sub(self.evict(total - target).await?);
        }
        *used = Some(total);
        Ok(())
    }

    async fn size(&self) -> Result<u64, sqlx::Error> {
        let bytes: i64 =
            sqlx::query_scalar("SELECT COALESCE(SUM(length(data)), 0) FROM tile_cache")
                .fetch_one(&self.db)
                .await?;
        Ok(u64::try_from(bytes).unwrap_or(0))
    }

    /// Deletes the least recently used tiles until `excess` bytes are freed; the bytes freed.
    /// One tile a statement, each its own short write, never one transaction for them all: a
    /// large eviction never holds the write lock against the sync pushes waiting on it (DESIGN
    /// §4.8), and no tile more than needed goes.
    async fn evict(&self, excess: u64) -> Result<u64, sqlx::Error> {
        let mut freed = 0u64;
        while freed < excess {
            let size: Option<i64> = sqlx::query_scalar(
                "DELETE FROM tile_cache WHERE (zoom, x, y) = \
                 (SELECT zoom, x, y FROM tile_cache ORDER BY last_used_at LIMIT 1) \
                 RETURNING CAST(length(data) AS BIGINT)",
            )
            .fetch_optional(&self.db)
            .await?;
            let Some(size) = size else {
                break;
            };
            freed += u64::try_from(size).unwrap_or(0);
        }
        tracing::info!(freed, "least recently used map tiles dropped");
        Ok(freed)
    }
}

pub fn routes<S: Clone + Send + Sync + 'static>(tiles: Option<TileSource>) -> Router<S> {
    let info_source = tiles.clone();
    Router::new()
        .route(
            "/tiles/{z}/{x}/{y}",
            get(
                move |path: Path<(u8, u32, u32)>, who: Account, reader: Reader| {
                    tile(tiles.clone(), path, who, reader)
                },
            ),
        )
        .route(
            "/api/v1/map/tiles",
            get(move |_: Account| info(info_source.clone())),
        )
}

/// The import route, kept apart: it takes files up to `IMPORT_MAX_BYTES`, above the body
/// limit of every other route.
pub fn import_routes<S: Clone + Send + Sync + 'static>(pool: DbPool) -> Router<S> {
    Router::new().route(
        "/api/v1/map/import",
        post(
            move |query: Query<ImportQuery>, who: Account, reader: Reader, request: Request| {
                import(pool.clone(), query, who, reader, request)
            },
        ),
    )
}

/// What base tiles the server offers (signed-in accounts only).
async fn info(tiles: Option<TileSource>) -> Json<TileInfo> {
    Json(tiles.map(|t| t.info).unwrap_or_default())
}

/// One tile, for signed-in accounts only, near their villages and at their rate (the server
/// is not an open map server).
async fn tile(
    tiles: Option<TileSource>,
    Path((zoom, x, y)): Path<(u8, u32, u32)>,
    Account(who): Account,
    reader: Reader,
) -> Result<Response, Refusal> {
    let refuse = |error| Refusal::new(reader, error);
    let source = tiles.ok_or_else(|| refuse(AppError::NotFound))?;
    // Every tile request counts, refused ones too: probing for the area is paced as well.
    if let Err(seconds) = source.guard.admit(&who.principal).await {
        return Err(refuse(AppError::TooManyRequests { seconds }));
    }
    let serves = source
        .serves(&who.principal, zoom, x, y)
        .await
        .map_err(|error| Refusal::database(reader, error, "map tile area"))?;
    if !serves {
        return Err(refuse(AppError::NotFound));
    }
    match source.tile(zoom, x, y).await {
        Ok(Some(Tile {
            bytes,
            content_type,
        })) => Ok((
            [
                (header::CONTENT_TYPE, content_type.as_str()),
                // A day in the browser's own cache; offline copies live in the service
                // worker's tile cache, put there by "download this village".
                (header::CACHE_CONTROL, "private, max-age=86400"),
            ],
            bytes,
        )
            .into_response()),
        Ok(None) => Err(refuse(AppError::NotFound)),
        Err(TileError::Database(error)) => Err(Refusal::database(reader, error, "map tile")),
        Err(TileError::Upstream(error)) => {
            tracing::warn!(%error, "the tile server did not give a tile");
            Err(refuse(AppError::Internal).with_status(StatusCode::BAD_GATEWAY))
        }
    }
}

#[derive(Deserialize)]
pub struct ImportQuery {
    village: String,
    layer: String,
}

fn import_refused(reader: Reader, status: StatusCode, error: ImportError) -> Response {
    let body = serde_json::json!({
        "error": error,
        "message": error.message(reader.0),
    });
    (status, Json(body)).into_response()
}

/// Replaces a village's layer with a GeoJSON file's features: all of them or none.
async fn import(
    pool: DbPool,
    Query(query): Query<ImportQuery>,
    Account(who): Account,
    reader: Reader,
    request: Request,
) -> Result<Response, Refusal> {
    if !app::map::store::may_import_layers(&who) {
        return Err(Refusal::new(reader, AppError::Forbidden));
    }
    let Ok(bytes) = axum::body::to_bytes(request.into_body(), IMPORT_MAX_BYTES).await else {
        return Ok(import_refused(
            reader,
            StatusCode::PAYLOAD_TOO_LARGE,
            ImportError::TooLarge {
                limit_mb: IMPORT_MAX_BYTES / (1024 * 1024),
            },
        ));
    };
    let features = match parse_import(&query.layer, &bytes) {
        Ok(features) => features,
        Err(error) => {
            let status = match error {
                ImportError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            return Ok(import_refused(reader, status, error));
        }
    };
    let now = app::db::now_rfc3339();
    match import_layer(&pool, &who, &query.village, &query.layer, &features, &now).await {
        Ok(Ok(count)) => {
            tracing::info!(village = %query.village, layer = %query.layer, count, "map layer imported");
            Ok(Json(serde_json::json!({ "imported": count })).into_response())
        }
        Ok(Err(ImportRefusal::NotFound)) => Err(Refusal::new(reader, AppError::NotFound)),
        Ok(Err(ImportRefusal::Forbidden)) => Err(Refusal::new(reader, AppError::Forbidden)),
        Err(error) => {
            tracing::error!(%error, "map import failed");
            Err(Refusal::new(reader, AppError::Internal))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_servers_are_reached_over_https_or_on_this_machine() {
        for allowed in [
            "https://tiles.example.kz/{z}/{x}/{y}.png",
            "https://tiles.example.kz/{z}/{x}/{y}.png?key=abc",
            "http://127.0.0.1:8080/{z}/{x}/{y}.png",
            "http://localhost/tiles/{z}/{x}/{y}",
            "http://[::1]:9000/{z}/{x}/{y}.png",
        ] {
            assert!(template_allowed(allowed), "{allowed}");
        }
        for refused in [
            "http://tiles.example.kz/{z}/{x}/{y}.png",
            "http://localhost.example.kz/{z}/{x}/{y}.png",
            "http://127.0.0.1@example.kz/{z}/{x}/{y}.png",
            "http://127.0.0.2/{z}/{x}/{y}.png",
            "ftp://tiles/{z}/{x}/{y}",
            "https://tiles.example.kz/{z}/{x}.png",
            "tiles.example.kz/{z}/{x}/{y}.png",
        ] {
            assert!(!template_allowed(refused), "{refused}");
        }
    }

    #[test]
    fn only_the_image_types_of_tiles_are_taken() {
        let typed = |value: &'static str| {
            let mut headers = reqwest::header::HeaderMap::new();
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static(value),
            );
            tile_type(&headers)
        };
        assert_eq!(typed("image/png"), Some("image/png"));
        assert_eq!(typed("Image/JPEG; q=0.9"), Some("image/jpeg"));
        assert_eq!(typed("image/webp"), Some("image/webp"));
        assert_eq!(typed("text/html; charset=utf-8"), None);
        assert_eq!(typed("image/svg+xml"), None, "an image with scripts");
        assert_eq!(tile_type(&reqwest::header::HeaderMap::new()), None);
    }

    #[test]
    fn retry_after_is_in_whole_seconds_rounded_up() {
        assert_eq!(whole_seconds(Duration::ZERO), 1);
        assert_eq!(whole_seconds(Duration::from_millis(20)), 1);
        assert_eq!(whole_seconds(Duration::from_secs(3)), 3);
        assert_eq!(whole_seconds(Duration::from_millis(3_001)), 4);
    }
}
