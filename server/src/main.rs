use clap::Parser;
use server::{telemetry, Application, Config};
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
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!(%error, "server stopped");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(config: Config) -> Result<(), server::startup::StartupError> {
    let app = Application::build(&config).await?;
    let address = app.local_addr();
    tracing::info!(%address, database = %config.database, demo_data = config.demo_data, "listening");
    // Scripts and tests read the real address (port 0 picks one) from this line.
    println!("listening on http://{address}");
    app.run_until(shutdown_signal()).await?;
    tracing::info!("stopped cleanly");
    Ok(())
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
