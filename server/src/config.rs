//! Configuration from flags and environment variables (`server --help` lists them).
use clap::{ArgAction, Parser, Subcommand, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Zĭyaly Qauym: the village public councils app (server with embedded SQLite)"
)]
pub struct Config {
    /// What to do; without a command the server serves the app.
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Address to listen on. Port 0 picks a free port; the chosen address is logged at start.
    #[arg(long, env = "ZQ_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// SQLite database: a file path or a `sqlite:` URL. Created and migrated at start.
    #[arg(long, env = "ZQ_DATABASE", default_value = "data/ziyaly-qauym.sqlite")]
    pub database: String,

    /// Load demo councils, accounts and records (all marked as demo) on first start. Off by
    /// default: the demo accounts share a published password. `run.sh` turns it on for a look
    /// at the app; the program's reference villages are always loaded.
    #[arg(long, env = "ZQ_DEMO_DATA", default_value_t = false, action = ArgAction::Set)]
    pub demo_data: bool,

    /// Serve even though the database holds demo accounts (published password) while the
    /// server listens beyond this machine or behind HTTPS. Without it such a start is refused;
    /// `server purge-demo` removes the demo data instead.
    #[arg(long, env = "ZQ_ALLOW_DEMO_ON_PUBLIC_ADDRESS", default_value_t = false, action = ArgAction::Set)]
    pub allow_demo_on_public_address: bool,

    /// Database connections kept open for requests.
    #[arg(long, env = "ZQ_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub db_pool_size: u32,

    /// How long a request waits for a free database connection before it is answered 503
    /// (busy, try again) instead of queueing without end.
    #[arg(long, env = "ZQ_DB_ACQUIRE_TIMEOUT_SECS", default_value_t = 10)]
    pub db_acquire_timeout_secs: u64,

    /// Browsers reach the server over HTTPS (through a TLS-terminating proxy): adds HSTS.
    #[arg(long, env = "ZQ_HTTPS", default_value_t = false, action = ArgAction::Set)]
    pub https: bool,

    /// Seconds without any request after which a session ends.
    #[arg(long, env = "ZQ_SESSION_IDLE_SECS", default_value_t = 30 * 60)]
    pub session_idle_secs: i64,

    /// Seconds after sign-in at which a session ends however active it is.
    #[arg(long, env = "ZQ_SESSION_MAX_SECS", default_value_t = 12 * 60 * 60)]
    pub session_max_secs: i64,

    /// Failed sign-ins of one login (within 15 minutes) that lock it.
    #[arg(long, env = "ZQ_LOGIN_ACCOUNT_LIMIT", default_value_t = 5)]
    pub login_account_limit: i64,

    /// Failed sign-ins from one address (within 15 minutes) that lock it.
    #[arg(long, env = "ZQ_LOGIN_ADDRESS_LIMIT", default_value_t = 30)]
    pub login_address_limit: i64,

    /// How long a lockout lasts, in seconds.
    #[arg(long, env = "ZQ_LOGIN_LOCKOUT_SECS", default_value_t = 15 * 60)]
    pub login_lockout_secs: i64,

    /// Reverse proxies in front of the server that append the client's address to
    /// `X-Forwarded-For`. The client address is then the entry this many places from the
    /// right (entries further left are whatever the client sent). 0: browsers connect directly
    /// and the header is ignored.
    #[arg(long, env = "ZQ_TRUSTED_PROXY_HOPS", default_value_t = 0)]
    pub trusted_proxy_hops: u8,

    /// Password checks (argon2id, 19 MiB each) that run at once.
    #[arg(long, env = "ZQ_HASH_WORKERS", default_value_t = 2, value_parser = clap::value_parser!(u32).range(1..=64))]
    pub hash_workers: u32,

    /// Password checks that may wait for a worker; further sign-ins are answered 503 with
    /// Retry-After, so a flood cannot queue without end.
    #[arg(long, env = "ZQ_HASH_QUEUE", default_value_t = 16)]
    pub hash_queue: u32,

    /// Requests per second each account may make to the sync and server-function API, on
    /// average; beyond it (and its burst) the answer is 429 with Retry-After.
    #[arg(long, env = "ZQ_API_RATE", default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_rate: u32,

    /// Requests an account may make at once above its rate (a sync run, a page with many parts).
    #[arg(long, env = "ZQ_API_BURST", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub api_burst: u32,

    /// Audit events are kept this many days, then pruned (the pruning is logged).
    #[arg(long, env = "ZQ_AUDIT_RETENTION_DAYS", default_value_t = 5 * 366)]
    pub audit_retention_days: u32,

    /// A device that never synced, has no session and was last seen this many days ago is
    /// forgotten (sign-ins from throw-away browsers would otherwise pile up).
    #[arg(long, env = "ZQ_DEVICE_RETENTION_DAYS", default_value_t = 90)]
    pub device_retention_days: u32,

    /// Deleted records are remembered (as tombstones for devices to pull) this many days;
    /// a device that has not synced for longer starts its copy again from nothing.
    #[arg(long, env = "ZQ_TOMBSTONE_DAYS", default_value_t = 180)]
    pub tombstone_days: u32,

    /// A device opens its persons cache with the PIN alone, with no signal, for this many
    /// seconds after its last unlock made online; past it the password is needed (issue 14,
    /// `docs/offline-unlock.md`). Tests shorten it to see the window pass.
    #[arg(long, env = "ZQ_OFFLINE_WINDOW_SECS", default_value_t = 7 * 24 * 60 * 60)]
    pub offline_window_secs: u64,

    /// A session reads persons for this many seconds after its device last proved it was
    /// unlocked with its PIN or password; the app proves again by itself while it is unlocked
    /// (`docs/offline-unlock.md`). Sign-in counts as an unlock.
    #[arg(long, env = "ZQ_UNLOCK_WINDOW_SECS", default_value_t = 5 * 60, value_parser = clap::value_parser!(i64).range(10..))]
    pub unlock_window_secs: i64,

    /// Holds every sync push open this many milliseconds before it commits. 0 in real use;
    /// tests set it to kill the server in the middle of a push, benchmarks to model a slow
    /// disk. The server warns at start when it is set, and holds at most half the database's
    /// busy timeout: the push holds the write lock meanwhile, and other writers must still get
    /// their turn before they give up (DESIGN §4.8).
    #[arg(long, env = "ZQ_SYNC_PUSH_HOLD_MS", default_value_t = 0)]
    pub sync_push_hold_ms: u64,

    /// Base map tiles: an MBTiles file (SQLite) covering the program's villages. Without one
    /// the map draws its layers on a plain background.
    #[arg(long, env = "ZQ_MBTILES")]
    pub mbtiles: Option<PathBuf>,

    /// Base map tiles from a tile server instead, e.g. `https://tiles.example.kz/{z}/{x}/{y}.png`
    /// (with its operator's permission): each tile is fetched once and kept in the database.
    #[arg(long, env = "ZQ_TILE_URL", conflicts_with = "mbtiles")]
    pub tile_url: Option<String>,

    /// The attribution the tile server asks for, shown on the map.
    #[arg(long, env = "ZQ_TILE_ATTRIBUTION")]
    pub tile_attribution: Option<String>,

    /// The most tiles fetched from the tile server are kept in the database, in KiB; past it the
    /// least recently used are dropped.
    #[arg(long, env = "ZQ_TILE_CACHE_KB", default_value_t = 512 * 1024)]
    pub tile_cache_kb: u64,

    /// Map tiles per second each account may fetch, on average.
    #[arg(long, env = "ZQ_TILE_RATE", default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..))]
    pub tile_rate: u32,

    /// Map tiles an account may fetch at once above its rate (the start of a village download).
    #[arg(long, env = "ZQ_TILE_BURST", default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..))]
    pub tile_burst: u32,

    /// Log filter, e.g. `info`, `debug` or `server=debug,sqlx=warn`.
    #[arg(long, env = "ZQ_LOG", default_value = "info")]
    pub log_level: String,

    /// Log line format.
    #[arg(long, env = "ZQ_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Folder of the built site (cargo-leptos output: pkg/, icons, manifest).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

impl Config {
    pub fn auth_settings(&self) -> app::accounts::session::AuthSettings {
        app::accounts::session::AuthSettings {
            idle_timeout_secs: self.session_idle_secs,
            absolute_timeout_secs: self.session_max_secs,
            secure_cookies: self.https,
            account_failure_limit: self.login_account_limit,
            address_failure_limit: self.login_address_limit,
            lockout_secs: self.login_lockout_secs,
            trusted_proxy_hops: self.trusted_proxy_hops,
            unlock_window_secs: self.unlock_window_secs,
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Creates the first admin account of an empty database, then exits. The password is
    /// read from ZQ_ADMIN_PASSWORD or, without it, from the first line of standard input.
    CreateAdmin {
        /// Sign-in name: latin letters, digits, '.', '-', '_'.
        #[arg(long)]
        login: String,
        /// Name shown in the app.
        #[arg(long, default_value = "Администратор")]
        name: String,
    },
    /// Removes every demo row (accounts, councils, records, their sessions and devices),
    /// leaving tombstones so devices drop what they had pulled, then exits.
    PurgeDemo,
    /// Writes a consistent copy of the database to a new file while the server may keep
    /// running (SQLite's VACUUM INTO), then exits. Never overwrites a file.
    Backup {
        /// The new file the copy goes to.
        #[arg(long, value_name = "FILE")]
        to: std::path::PathBuf,
    },
    /// Moves this installation from its SQLite file onto an empty PostgreSQL database, sync
    /// cursors and device state included, so devices carry on as before; then exits. Runs in
    /// the server built for PostgreSQL (README, "On PostgreSQL"); the file is read, then marked as
    /// moved, so no server starts on it again (`reopen` undoes that). `--database` is not used.
    Migrate {
        /// The SQLite database, as sqlite:PATH.
        #[arg(long, value_name = "sqlite:FILE")]
        from: String,
        /// The new database, as postgres://user@host/name. Its password never goes on the
        /// command line (every user of the machine reads that): give it in `PGPASSWORD` or
        /// `~/.pgpass`, or give the whole URL in `ZQ_MIGRATE_TO` instead of `--to`.
        #[arg(long, env = "ZQ_MIGRATE_TO", value_name = "postgres://…")]
        to: String,
    },
    /// Gives the database a new epoch, then exits: run it after restoring a database by other
    /// means than `server backup`'s copy or `pg_restore` (a file system snapshot, a point-in-time
    /// recovery), so devices that synced after that moment send again what the server lost
    /// (DESIGN §4.9).
    NewEpoch,
    /// Lets servers start again on a SQLite file that `migrate` moved to PostgreSQL (the
    /// move undone), with a new epoch: devices that synced with PostgreSQL meanwhile send
    /// again what the file lacks, as after a restore. Then exits.
    Reopen,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_serve_on_port_3000_without_demo_data() {
        let config = Config::try_parse_from(["server"]).unwrap();
        assert_eq!(config.addr.port(), 3000);
        assert!(!config.demo_data);
        assert_eq!(config.trusted_proxy_hops, 0);
        assert_eq!(config.log_format, LogFormat::Text);
    }

    #[test]
    fn flags_override_defaults() {
        let config = Config::try_parse_from([
            "server",
            "--addr",
            "127.0.0.1:0",
            "--database",
            "/tmp/x.sqlite",
            "--demo-data",
            "true",
            "--log-format",
            "json",
        ])
        .unwrap();
        assert_eq!(config.addr.port(), 0);
        assert_eq!(config.database, "/tmp/x.sqlite");
        assert!(config.demo_data);
        assert_eq!(config.log_format, LogFormat::Json);
    }

    #[test]
    fn create_admin_takes_a_login_and_the_common_flags() {
        let config = Config::try_parse_from([
            "server",
            "--database",
            "x.sqlite",
            "create-admin",
            "--login",
            "admin",
        ])
        .unwrap();
        assert_eq!(
            config.command,
            Some(Command::CreateAdmin {
                login: "admin".into(),
                name: "Администратор".into()
            })
        );
        assert_eq!(config.database, "x.sqlite");
    }

    #[test]
    fn a_bad_address_is_refused_with_the_flag_named() {
        let error = Config::try_parse_from(["server", "--addr", "nowhere"]).unwrap_err();
        assert!(error.to_string().contains("--addr"), "{error}");
    }
}
