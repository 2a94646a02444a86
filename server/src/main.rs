use clap::Parser;
use server::config::Command;
use server::{telemetry, Application, Config};
use std::io::BufRead;
use std::process::ExitCode;

fn main() -> ExitCode {
    let config = Config::parse();
    telemetry::init(&config);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = match config.command.clone() {
        None => runtime.block_on(serve(config)),
        Some(Command::CreateAdmin { login, name }) => {
            runtime.block_on(create_admin(&config, &login, &name))
        }
        Some(Command::PurgeDemo) => runtime.block_on(purge_demo(&config)),
        Some(Command::Backup { ref to }) => runtime.block_on(backup(&config, to)),
        Some(Command::Migrate { ref from, ref to }) => runtime.block_on(migrate(from, to)),
        Some(Command::NewEpoch) => runtime.block_on(new_epoch(&config)),
        Some(Command::Reopen) => runtime.block_on(reopen(&config)),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "stopped with an error");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error>;

async fn serve(config: Config) -> Result<(), BoxError> {
    let app = Application::build(&config).await?;
    let address = app.local_addr();
    tracing::info!(%address, database = %server::db::shown(&config.database), demo_data = config.demo_data, "listening");
    // Scripts and tests read the real address (port 0 picks one) from this line.
    println!("listening on http://{address}");
    app.run_until(shutdown_signal()).await?;
    tracing::info!("stopped cleanly");
    Ok(())
}

async fn create_admin(config: &Config, login: &str, name: &str) -> Result<(), BoxError> {
    let password = match std::env::var("ZQ_ADMIN_PASSWORD") {
        Ok(password) => password,
        Err(_) => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let pool = server::db::connect(&config.database).await?;
    // The program's villages, never demo data: this is how a real installation starts.
    server::seed::load(&pool, false).await?;
    server::accounts::create_first_admin(&pool, login, name, &password).await?;
    pool.close().await;
    println!("admin {login:?} created");
    Ok(())
}

async fn purge_demo(config: &Config) -> Result<(), BoxError> {
    let pool = server::db::connect(&config.database).await?;
    let report = server::seed::purge::purge_demo(&pool).await;
    pool.close().await;
    let report = report?;
    tracing::info!(%report, "demo data purged");
    println!("{report}");
    Ok(())
}

#[cfg(feature = "postgres")]
async fn backup(_: &Config, _: &std::path::Path) -> Result<(), BoxError> {
    Err("a PostgreSQL database is backed up with pg_dump (README, \"Backup and restore\")".into())
}

#[cfg(not(feature = "postgres"))]
async fn backup(config: &Config, to: &std::path::Path) -> Result<(), BoxError> {
    let bytes = server::backup::backup(&config.database, to).await?;
    tracing::info!(to = %to.display(), bytes, "backup written");
    println!("backup written to {} ({bytes} bytes)", to.display());
    Ok(())
}

#[cfg(not(feature = "postgres"))]
async fn migrate(_: &str, _: &str) -> Result<(), BoxError> {
    Err(
        "moving to PostgreSQL takes the server built for it: cargo leptos build --release \
         --bin-features postgres (README, \"On PostgreSQL\")"
            .into(),
    )
}

#[cfg(feature = "postgres")]
async fn migrate(from: &str, to: &str) -> Result<(), BoxError> {
    let from_environment = std::env::var("ZQ_MIGRATE_TO").is_ok_and(|url| url == to);
    if !from_environment && url_has_password(to) {
        return Err(
            "the PostgreSQL password must not be on the command line, where every user \
                    of the machine reads it: give it in PGPASSWORD or ~/.pgpass, or the whole \
                    URL in ZQ_MIGRATE_TO (README, \"On PostgreSQL\")"
                .into(),
        );
    }
    let report = server::migrate::migrate(from, to).await?;
    tracing::info!(to = %server::db::shown(to), %report, "installation moved");
    println!("moved to {}: {report}", server::db::shown(to));
    Ok(())
}

/// Whether a `postgres://user:password@host/…` URL carries a password.
#[cfg(feature = "postgres")]
fn url_has_password(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    authority
        .rsplit_once('@')
        .is_some_and(|(user, _)| user.contains(':'))
}

async fn new_epoch(config: &Config) -> Result<(), BoxError> {
    let pool = server::db::connect(&config.database).await?;
    let mut conn = pool.acquire().await?;
    let epoch = app::sync::history::renew(&mut conn).await?;
    drop(conn);
    pool.close().await;
    tracing::warn!(%epoch, "the database has a new epoch: devices will send again what it lacks");
    println!("new epoch {epoch}");
    Ok(())
}

#[cfg(not(feature = "postgres"))]
async fn reopen(config: &Config) -> Result<(), BoxError> {
    let epoch = server::db::reopen(&config.database).await?;
    tracing::warn!(%epoch, "the moved file is open to servers again, with a new epoch");
    println!("reopened with the new epoch {epoch}");
    Ok(())
}

#[cfg(feature = "postgres")]
async fn reopen(_: &Config) -> Result<(), BoxError> {
    Err("only a SQLite file is marked as moved: run reopen with the SQLite server".into())
}

/// Resolves on Ctrl-C or SIGTERM (what service managers and `kill` send).
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing requests in flight");
}
