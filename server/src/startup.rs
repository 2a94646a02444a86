//! Builds the HTTP application: database, data loads, routes and middleware.
use crate::config::Config;
use crate::db::{self, DbError, PoolSettings};
use crate::limits::AccountRate;
use crate::pwa::BuildAssets;
use crate::retention::Retention;
use crate::security;
use crate::seed::{self, SeedError};
use crate::sessions;
use crate::sync;
use app::accounts::session::AuthSettings;
use app::db::DbPool;
use app::{shell, App, AssetLinks};
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::{Json, Router};
use leptos::config::{get_configuration, LeptosOptions};
use leptos::nonce::use_nonce;
use leptos::prelude::{provide_context, use_context};
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::trace::TraceLayer;
use tower_http::CompressionLevel;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error(transparent)]
    Tiles(#[from] crate::map::TileSourceError),
    #[error("cannot drop old tombstones: {0}")]
    Prune(#[source] sqlx::Error),
    #[error(
        "the database holds demo accounts (their password is published) and the server would \
         listen on {0}{1}: remove them with `server purge-demo`, or start with \
         --allow-demo-on-public-address true if this is really meant to be a demo"
    )]
    DemoOnPublicAddress(SocketAddr, &'static str),
    #[error("cannot check for demo accounts: {0}")]
    DemoCheck(#[source] sqlx::Error),
    #[error("the Leptos settings in the environment are invalid: {0}")]
    Leptos(String),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, #[source] std::io::Error),
    #[error("the server stopped with an error: {0}")]
    Serve(#[source] std::io::Error),
}

/// The test setting `--sync-push-hold-ms`, said out loud when set and capped at half the busy
/// timeout (see `Config::sync_push_hold_ms`).
fn push_hold(millis: u64) -> Duration {
    let cap = db::BUSY_TIMEOUT / 2;
    let hold = Duration::from_millis(millis).min(cap);
    if !hold.is_zero() {
        tracing::warn!(
            hold_ms = hold.as_millis() as u64,
            asked_ms = millis,
            "--sync-push-hold-ms is set: every sync push holds the write lock this long (for tests only)"
        );
    }
    hold
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    pool: DbPool,
    retention: Retention,
    auth: AuthSettings,
    rate: AccountRate,
}

impl Application {
    pub async fn build(config: &Config) -> Result<Self, StartupError> {
        let pool = db::connect_with(
            &config.database,
            PoolSettings {
                size: config.db_pool_size,
                acquire_timeout: Duration::from_secs(config.db_acquire_timeout_secs),
            },
        )
        .await?;
        // Before the load, so a refused start writes no demo into the file.
        refuse_demo_on_public_address(config, &pool).await?;
        seed::load(&pool, config.demo_data).await?;
        let health = db::health_connection(&config.database).await?;
        app::accounts::password::workers::configure(
            config.hash_workers as usize,
            config.hash_queue as usize,
        );
        let pruned = app::sync::server::prune_tombstones(&pool, config.tombstone_days)
            .await
            .map_err(StartupError::Prune)?;
        if pruned > 0 {
            tracing::info!(pruned, "old tombstones dropped");
        }

        let mut options = get_configuration(None)
            .map_err(|e| StartupError::Leptos(e.to_string()))?
            .leptos_options;
        options.site_root = config.site_root.to_string_lossy().as_ref().into();
        let assets = BuildAssets::discover(&options);
        options.hash_files = assets.hashed;

        let limits = crate::map::TileLimits {
            cache_max_bytes: config.tile_cache_kb.saturating_mul(1024),
            per_second: config.tile_rate,
            burst: config.tile_burst,
        };
        let tiles = match (&config.mbtiles, &config.tile_url) {
            (Some(path), _) => {
                Some(crate::map::TileSource::open(path, pool.clone(), limits).await?)
            }
            (None, Some(template)) => Some(crate::map::TileSource::upstream(
                template,
                config.tile_attribution.clone(),
                pool.clone(),
                limits,
            )?),
            (None, None) => None,
        };

        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|e| StartupError::Bind(config.addr, e))?;
        let rate = AccountRate::new(config.api_rate, config.api_burst);
        let router = router(
            Shared {
                pool: pool.clone(),
                health,
                auth: config.auth_settings(),
                rate: rate.clone(),
            },
            options,
            assets,
            config.https,
            tiles,
            sync::Settings {
                push_hold: push_hold(config.sync_push_hold_ms),
                offline_window_secs: config.offline_window_secs,
            },
        );
        Ok(Self {
            listener,
            router,
            pool,
            retention: Retention {
                audit_days: config.audit_retention_days,
                device_days: config.device_retention_days,
                tombstone_days: config.tombstone_days,
            },
            auth: config.auth_settings(),
            rate,
        })
    }

    /// The bound address (with the real port when the configured one was 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight and closes the
    /// database cleanly.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartupError> {
        crate::retention::spawn(self.pool.clone(), self.retention, self.auth, self.rate);
        // With the peer address, for the per-address sign-in limit.
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        // TCP_NODELAY: an answer's headers and a small body go out as separate writes, and
        // Nagle's algorithm held the second until the client's delayed ACK, about 40 ms: small
        // static files stalled at ~950 a second on 32 connections (issue 16).
        let listener = self.listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::debug!(%error, "TCP_NODELAY not set on a connection");
            }
        });
        axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(StartupError::Serve)?;
        self.pool.close().await;
        Ok(())
    }
}

/// A demo database answers to a published password: fine on this machine, refused where
/// others can reach it.
async fn refuse_demo_on_public_address(config: &Config, pool: &DbPool) -> Result<(), StartupError> {
    // Behind a proxy a loopback address still serves whoever the proxy lets in.
    let public = !config.addr.ip().is_loopback() || config.https || config.trusted_proxy_hops > 0;
    if !public || config.allow_demo_on_public_address {
        return Ok(());
    }
    let demo = config.demo_data
        || seed::purge::has_demo_accounts(pool)
            .await
            .map_err(StartupError::DemoCheck)?;
    if demo {
        let how = if config.https || config.trusted_proxy_hops > 0 {
            " behind a proxy"
        } else {
            ""
        };
        return Err(StartupError::DemoOnPublicAddress(config.addr, how));
    }
    Ok(())
}

/// What the middleware and routes share.
struct Shared {
    pool: DbPool,
    /// The health check's own connection (see `db::health_connection`).
    health: DbPool,
    auth: AuthSettings,
    rate: AccountRate,
}

fn router(
    shared: Shared,
    options: LeptosOptions,
    assets: BuildAssets,
    https: bool,
    tiles: Option<crate::map::TileSource>,
    sync_settings: sync::Settings,
) -> Router {
    let Shared {
        pool,
        health,
        auth,
        rate,
    } = shared;
    let links = AssetLinks {
        stylesheet: assets.css.clone(),
    };
    let routes = generate_route_list(App);
    let context = {
        let pool = pool.clone();
        move || {
            provide_context(pool.clone());
            provide_context(auth);
            // Pages get a CSP naming the nonce Leptos puts on its own inline scripts.
            if let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) {
                if let Ok(value) = HeaderValue::from_str(&security::page_csp(&nonce)) {
                    response.insert_header(header::CONTENT_SECURITY_POLICY, value);
                }
            }
        }
    };
    let page_shell = {
        let options = options.clone();
        let links = links.clone();
        move || shell(options.clone(), links.clone())
    };
    let worker: Arc<str> = assets.service_worker().into();
    let hashed_assets = assets.hashed;
    let site = std::path::PathBuf::from(options.site_root.as_ref());
    // The js/wasm/css folder as cargo-leptos names it (Cargo.toml `site-pkg-dir`).
    let pkg_dir = options.site_pkg_dir.trim_matches('/').to_owned();
    let pkg_route = format!("/{pkg_dir}");

    // Every route takes bodies up to the common limit, except the map import that adds its
    // own (a village layer file is larger than any form).
    Router::new()
        .route("/healthz", get(move || healthz(health.clone())))
        .route("/sw.js", get(move || service_worker(worker.clone())))
        .merge(sync::routes(pool.clone(), sync_settings))
        .merge(crate::unlock::routes(pool.clone(), auth))
        .merge(crate::map::routes(tiles))
        .merge(crate::reports::routes(pool.clone()))
        // The build's files are served here, not by Leptos's file fallback: that fallback runs
        // the page context in a reactive owner of its own, and an icon or stylesheet fetched
        // while a page rendered made that page lose its CSP (seen as a page that never
        // hydrated, in about two of five concurrent loads).
        //
        // A release build carries each file precompressed (brotli 11 and gzip, cargo-leptos
        // `--precompress`), served as the browser asks; only pages and API answers are
        // compressed on the fly.
        .nest_service(&pkg_route, precompressed(ServeDir::new(site.join(pkg_dir))))
        .nest_service("/icons", ServeDir::new(site.join("icons")))
        .nest_service("/vendor", precompressed(ServeDir::new(site.join("vendor"))))
        .route_service(
            "/manifest.webmanifest",
            ServeFile::new(site.join("manifest.webmanifest"))
                .precompressed_br()
                .precompressed_gzip(),
        )
        .leptos_routes_with_context(&options, routes, context.clone(), page_shell)
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context,
            move |options| shell(options, links.clone()),
        ))
        .layer(RequestBodyLimitLayer::new(security::MAX_BODY_BYTES))
        .merge(crate::map::import_routes(pool.clone()))
        .layer(middleware::from_fn(move |request, next| {
            cache_headers(request, next, hashed_assets)
        }))
        .layer(middleware::from_fn({
            let pool = pool.clone();
            move |request, next| {
                sessions::layer(pool.clone(), auth, rate.clone(), request, next)
            }
        }))
        .layer(middleware::from_fn(security::app_only))
        .layer(middleware::from_fn(security::refuse_cross_site))
        .layer(middleware::from_fn(security::explain_payload_too_large))
        .layer(middleware::from_fn(move |request, next| {
            security::security_headers(request, next, https)
        }))
        // On the fly, pages and API answers are gzipped, never brotli'd: the brotli encoder
        // sets up megabytes of window and tables for each answer, which cut the sign-in page
        // from 6,795 to 782 answers a second (issue 16); a page is a few KiB either way. Build
        // files come precompressed (brotli 11) and pass through untouched.
        .layer(CompressionLayer::new().no_br().quality(CompressionLevel::Precise(5)))
        // Spans name the method and path only: a query string may carry what a person typed
        // (a search for a name), and headers carry cookies.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
            }),
        )
        .with_state(options)
}

fn precompressed(files: ServeDir) -> ServeDir {
    files.precompressed_br().precompressed_gzip()
}

async fn healthz(pool: DbPool) -> Response {
    match sqlx::query_scalar::<_, i64>("SELECT CAST(1 AS BIGINT)")
        .fetch_one(&pool)
        .await
    {
        Ok(_) => Json(serde_json::json!({ "status": "ok" })).into_response(),
        Err(error) => {
            tracing::error!(%error, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({ "status": "database unavailable" })),
            )
                .into_response()
        }
    }
}

async fn service_worker(script: Arc<str>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            // The browser must see a new build's worker at once.
            (header::CACHE_CONTROL, "no-cache"),
            // The worker runs under its own script's policy: it must be able to fetch this
            // origin's files to precache them.
            (header::CONTENT_SECURITY_POLICY, security::WORKER_CSP),
        ],
        script.to_string(),
    )
        .into_response()
}

/// Hashed build files never change, so they are cached for a year; everything else is
/// revalidated, so a new build is picked up on the next visit.
async fn cache_headers(request: Request, next: Next, hashed_assets: bool) -> Response {
    let immutable = hashed_assets && request.uri().path().starts_with("/pkg/");
    let mut response = next.run(request).await;
    if !response.headers().contains_key(header::CACHE_CONTROL) {
        let value = if immutable {
            "public, max-age=31536000, immutable"
        } else {
            "no-cache"
        };
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    }
    response
}
