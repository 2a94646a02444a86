//! The village map's server side: base tiles from an MBTiles file set by the admin, or from
//! a tile server they name (fetched once and kept in the database), what the device needs to
//! know about them, and the admin's import of a GeoJSON layer.
use crate::security::preferred_locale;
use crate::sync::{refuse, signed_in};
use app::errors::AppError;
use app::map::geometry::{parse_import, ImportError, IMPORT_MAX_BYTES};
use app::map::store::{import_layer, ImportRefusal};
use app::map::tiles::{mbtiles_row, TileInfo, ZOOM_MAX, ZOOM_MIN};
use axum::extract::{Path, Query, Request};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path as FilePath;

/// Where base tiles come from.
#[derive(Clone)]
pub struct TileSource {
    origin: Origin,
    info: TileInfo,
}

#[derive(Clone)]
enum Origin {
    /// An MBTiles file (a SQLite database of tiles), opened read-only.
    Mbtiles(SqlitePool),
    /// A tile server's address with `{z}`, `{x}` and `{y}`; each tile is fetched once and kept
    /// in the app's database (`tile_cache`), so it is served again with the tile server down.
    Upstream {
        template: String,
        client: reqwest::Client,
        cache: SqlitePool,
    },
}

/// A tile and its image type.
struct Tile {
    bytes: Vec<u8>,
    content_type: String,
}

enum TileError {
    Database(sqlx::Error),
    /// The tile server did not answer, or answered with an error.
    Upstream(String),
}

#[derive(Debug, thiserror::Error)]
pub enum TileSourceError {
    #[error("cannot open the MBTiles file {0}: {1}")]
    Open(String, #[source] sqlx::Error),
    #[error("{0} is not an MBTiles file (no `tiles` table or `metadata`): {1}")]
    NotMbtiles(String, #[source] sqlx::Error),
    #[error(
        "the tile address {0} must start with http:// or https:// and hold {{z}}, {{x}} and {{y}}"
    )]
    BadTemplate(String),
    #[error("cannot make an HTTP client for the tile server: {0}")]
    Client(#[source] reqwest::Error),
}

impl TileSource {
    pub async fn open(path: &FilePath) -> Result<TileSource, TileSourceError> {
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
        })
    }

    /// Tiles from a tile server, e.g. `https://tiles.example.kz/{z}/{x}/{y}.png`, kept in
    /// `cache` (the app's database) once fetched.
    pub fn upstream(
        template: &str,
        attribution: Option<String>,
        cache: SqlitePool,
    ) -> Result<TileSource, TileSourceError> {
        let valid = (template.starts_with("http://") || template.starts_with("https://"))
            && ["{z}", "{x}", "{y}"].iter().all(|p| template.contains(p));
        if !valid {
            return Err(TileSourceError::BadTemplate(template.to_owned()));
        }
        let client = reqwest::Client::builder()
            // Tile servers' usage policies ask for an application that names itself.
            .user_agent(concat!("ZiyalyQauym/", env!("CARGO_PKG_VERSION")))
            .timeout(std::time::Duration::from_secs(15))
            .build()
            .map_err(TileSourceError::Client)?;
        tracing::info!(template, "map tiles from a tile server, kept once fetched");
        Ok(TileSource {
            origin: Origin::Upstream {
                template: template.to_owned(),
                client,
                cache,
            },
            info: TileInfo {
                available: true,
                min_zoom: ZOOM_MIN,
                max_zoom: ZOOM_MAX,
                format: "png".into(),
                attribution,
            },
        })
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
            Origin::Upstream {
                template,
                client,
                cache,
            } => upstream_tile(template, client, cache, zoom, x, y).await,
        }
    }
}

async fn upstream_tile(
    template: &str,
    client: &reqwest::Client,
    cache: &SqlitePool,
    zoom: u8,
    x: u32,
    y: u32,
) -> Result<Option<Tile>, TileError> {
    let kept: Option<(Vec<u8>, String)> = sqlx::query_as(
        "SELECT data, content_type FROM tile_cache WHERE zoom = $1 AND x = $2 AND y = $3",
    )
    .bind(i64::from(zoom))
    .bind(i64::from(x))
    .bind(i64::from(y))
    .fetch_optional(cache)
    .await
    .map_err(TileError::Database)?;
    if let Some((bytes, content_type)) = kept {
        return Ok(Some(Tile {
            bytes,
            content_type,
        }));
    }
    let address = template
        .replace("{z}", &zoom.to_string())
        .replace("{x}", &x.to_string())
        .replace("{y}", &y.to_string());
    let response = client
        .get(&address)
        .send()
        .await
        .map_err(|e| TileError::Upstream(e.without_url().to_string()))?;
    if response.status() == reqwest::StatusCode::NOT_FOUND {
        return Ok(None);
    }
    if !response.status().is_success() {
        return Err(TileError::Upstream(format!("status {}", response.status())));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .filter(|t| t.starts_with("image/"))
        .unwrap_or("image/png")
        .to_owned();
    let bytes = response
        .bytes()
        .await
        .map_err(|e| TileError::Upstream(e.without_url().to_string()))?
        .to_vec();
    sqlx::query(
        "INSERT OR REPLACE INTO tile_cache (zoom, x, y, data, content_type, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(i64::from(zoom))
    .bind(i64::from(x))
    .bind(i64::from(y))
    .bind(&bytes)
    .bind(&content_type)
    .bind(app::db::now_rfc3339())
    .execute(cache)
    .await
    .map_err(TileError::Database)?;
    Ok(Some(Tile {
        bytes,
        content_type,
    }))
}

pub fn routes<S: Clone + Send + Sync + 'static>(tiles: Option<TileSource>) -> Router<S> {
    let info_source = tiles.clone();
    Router::new()
        .route(
            "/tiles/{z}/{x}/{y}",
            get(move |path: Path<(u8, u32, u32)>, request: Request| {
                tile(tiles.clone(), path, request)
            }),
        )
        .route(
            "/api/v1/map/tiles",
            get(move |request: Request| info(info_source.clone(), request)),
        )
}

/// The import route, kept apart: it takes files up to `IMPORT_MAX_BYTES`, above the body
/// limit of every other route.
pub fn import_routes<S: Clone + Send + Sync + 'static>(pool: SqlitePool) -> Router<S> {
    Router::new().route(
        "/api/v1/map/import",
        post(move |query: Query<ImportQuery>, request: Request| {
            import(pool.clone(), query, request)
        }),
    )
}

async fn info(tiles: Option<TileSource>, request: Request) -> Response {
    if signed_in(&request).is_none() {
        return refuse(request.headers(), AppError::SignInRequired);
    }
    let info = tiles.map(|t| t.info).unwrap_or_default();
    Json(info).into_response()
}

/// One tile, for signed-in accounts only (the server is not an open map server).
async fn tile(
    tiles: Option<TileSource>,
    Path((zoom, x, y)): Path<(u8, u32, u32)>,
    request: Request,
) -> Response {
    if signed_in(&request).is_none() {
        return refuse(request.headers(), AppError::SignInRequired);
    }
    let Some(source) = tiles else {
        return refuse(request.headers(), AppError::NotFound);
    };
    if zoom > 22 || x >= (1u32 << zoom) || y >= (1u32 << zoom) {
        return refuse(request.headers(), AppError::NotFound);
    }
    match source.tile(zoom, x, y).await {
        Ok(Some(Tile {
            bytes,
            content_type,
        })) => {
            (
                [
                    (header::CONTENT_TYPE, content_type.as_str()),
                    // A day in the browser's own cache; offline copies live in the service
                    // worker's tile cache, put there by "download this village".
                    (header::CACHE_CONTROL, "private, max-age=86400"),
                ],
                bytes,
            )
                .into_response()
        }
        Ok(None) => refuse(request.headers(), AppError::NotFound),
        Err(TileError::Database(error)) => {
            tracing::error!(%error, "reading a map tile failed");
            refuse(request.headers(), AppError::Internal)
        }
        Err(TileError::Upstream(error)) => {
            tracing::warn!(%error, "the tile server did not give a tile");
            let mut response = refuse(request.headers(), AppError::Internal);
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            response
        }
    }
}

#[derive(Deserialize)]
pub struct ImportQuery {
    village: String,
    layer: String,
}

fn import_refused(headers: &HeaderMap, status: StatusCode, error: ImportError) -> Response {
    let body = serde_json::json!({
        "error": error,
        "message": error.message(preferred_locale(headers)),
    });
    (status, Json(body)).into_response()
}

/// Replaces a village's layer with a GeoJSON file's features: all of them or none.
async fn import(pool: SqlitePool, Query(query): Query<ImportQuery>, request: Request) -> Response {
    let Some(who) = signed_in(&request) else {
        return refuse(request.headers(), AppError::SignInRequired);
    };
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, IMPORT_MAX_BYTES).await else {
        return import_refused(
            &parts.headers,
            StatusCode::PAYLOAD_TOO_LARGE,
            ImportError::TooLarge {
                limit_mb: IMPORT_MAX_BYTES / (1024 * 1024),
            },
        );
    };
    let features = match parse_import(&query.layer, &bytes) {
        Ok(features) => features,
        Err(error) => {
            let status = match error {
                ImportError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            };
            return import_refused(&parts.headers, status, error);
        }
    };
    let now = app::db::now_rfc3339();
    match import_layer(&pool, &who, &query.village, &query.layer, &features, &now).await {
        Ok(Ok(count)) => {
            tracing::info!(village = %query.village, layer = %query.layer, count, "map layer imported");
            Json(serde_json::json!({ "imported": count })).into_response()
        }
        Ok(Err(ImportRefusal::NotFound)) => refuse(&parts.headers, AppError::NotFound),
        Ok(Err(ImportRefusal::Forbidden)) => refuse(&parts.headers, AppError::Forbidden),
        Err(error) => {
            tracing::error!(%error, "map import failed");
            refuse(&parts.headers, AppError::Internal)
        }
    }
}
