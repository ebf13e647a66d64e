//! The Tenant Desk team server: the same core as the desktop, holding the
//! team's store and serving it over the network with no window (no GTK or
//! WebKit): the tenant API (for integrations), sign-in and the change stream
//! for desktops, and a health endpoint, over TLS on any address other
//! machines reach.
//!
//! - `config`: the TOML file (listen address, TLS files, data folder, limits).
//! - `tls`: the rustls acceptor.
//! - `serve`: bounded connections, header deadlines, graceful stop.
//! - `rate`: requests per client address.
//! - `health`: `GET /health`.
//! - `desk_api`: what connected desktops call (sign-in, the change stream).
//! - `setup`: the first run from the command line.

mod config;
mod desk_api;
mod health;
mod rate;
mod serve;
mod setup;
mod tls;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::FileStore;
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::{Desk, DeskConfig};

use crate::config::Config;
use crate::desk_api::{EventLog, ToDesktops};

#[derive(Parser)]
#[command(name = "tenant-desk-server", version, about = "The Tenant Desk team server")]
struct Cli {
    /// The configuration file.
    #[arg(long, short, default_value = "/etc/tenant-desk/server.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve until stopped (SIGINT or SIGTERM); the default.
    Serve,
    /// First run: the workspace and its first administrator. The password is
    /// read from standard input.
    Setup(setup::SetupArgs),
}

/// The store, with notices going to the desktops following `events`.
fn open_store(config: &Config, events: &Arc<EventLog>) -> Result<(FolderLock, Arc<Desk>), String> {
    tenant_desk_core::store::private::private_dir(&config.data_dir)
        .map_err(|e| format!("{}: {e}", config.data_dir.display()))?;
    let lock = FolderLock::acquire(&config.data_dir).map_err(|e| e.message)?;
    let desk = Desk::open(DeskConfig {
        data_dir: config.data_dir.clone(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(FileStore::new(config.data_dir.join("secrets.json"))),
        notifier: Arc::new(ToDesktops(events.clone())),
    })
    .map_err(|e| e.message)?
    .with_sign_ins_from_earlier_runs();
    Ok((lock, Arc::new(desk)))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let outcome = Config::load(&cli.config).and_then(|config| match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => run(config),
        Command::Setup(args) => {
            let (_lock, desk) = open_store(&config, &EventLog::new()?)?;
            setup::run(&desk, args)
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tenant-desk-server: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(config: Config) -> Result<(), String> {
    let tls = config.tls.as_ref().map(tls::acceptor).transpose()?;
    let events = EventLog::new()?;
    let (_lock, desk) = open_store(&config, &events)?;
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| format!("listen {}: {e}", config.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let recorder = events.clone();
        desk.on_conversation_change(move |change| recorder.record(change));
        let app = health::routes(desk.clone()).merge(desk_api::routes(desk.clone(), config.data_dir.clone(), events)).merge(tenant_desk_api::router(desk));
        let certificate_sha256 = tls.as_ref().map(|t| t.fingerprint.clone()).unwrap_or_default();
        tracing::info!(%address, tls = tls.is_some(), %certificate_sha256, data_dir = %config.data_dir.display(), "serving");
        let tls = tls.map(|t| t.acceptor);
        serve::serve(listener, tls, app, config.limits.clone(), stop_signal()).await;
        Ok(())
    })
}

/// SIGINT (Ctrl+C) or SIGTERM (systemd's stop).
async fn stop_signal() {
    let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(term) => term,
        Err(e) => {
            tracing::error!(error = %e, "SIGTERM cannot be watched; stop with Ctrl+C");
            let _ = tokio::signal::ctrl_c().await;
            return;
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => tracing::info!("SIGINT: stopping"),
        _ = term.recv() => tracing::info!("SIGTERM: stopping"),
    }
}
