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
//! - `move-to-postgres` (`tenant_desk_core::store::moving`): a SQLite store
//!   into PostgreSQL.
//! - `peers`: events shared with the other server processes of a team on
//!   one PostgreSQL database.

mod config;
mod desk_api;
mod health;
mod peers;
mod rate;
mod serve;
mod setup;
mod tls;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::FileStore;
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::store::{moving, Db, PgStore};
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
    /// Moves a SQLite store into this configuration's PostgreSQL `database`,
    /// which must be empty.
    ///
    /// Reads the store of the data folder given with --from (a desktop's data
    /// folder, or a SQLite team server's data_dir, with its secrets.json)
    /// through a copy: the folder's own files are not changed. Writes every
    /// table into PostgreSQL in one transaction that commits only once the
    /// rows of each table and each tenant's archive are the same on both
    /// sides; a refused or interrupted move leaves the database as it was.
    /// Refused while another Tenant Desk has the folder open.
    MoveToPostgres {
        /// The data folder holding the store (tenant-desk.sqlite3).
        #[arg(long)]
        from: PathBuf,
    },
}

/// The store, with notices going to the desktops following `events`.
fn open_store(config: &Config, events: &Arc<EventLog>) -> Result<(FolderLock, Arc<Desk>), String> {
    tenant_desk_core::store::private::private_dir(&config.data_dir)
        .map_err(|e| format!("{}: {e}", config.data_dir.display()))?;
    let lock = FolderLock::acquire(&config.data_dir).map_err(|e| e.message)?;
    let notifier = Arc::new(ToDesktops(events.clone()));
    let desk = match config.postgres() {
        Some(settings) => {
            let store = PgStore::open(&settings).map_err(|e| e.message)?;
            peers::share(events, &store)?;
            let secrets = Arc::new(store.secrets());
            let config = DeskConfig { data_dir: config.data_dir.clone(), clock: Arc::new(SystemClock), secrets, notifier };
            Desk::open_on(config, Db::Postgres(store))
        }
        None => Desk::open(DeskConfig {
            data_dir: config.data_dir.clone(),
            clock: Arc::new(SystemClock),
            secrets: Arc::new(FileStore::new(config.data_dir.join("secrets.json"))),
            notifier,
        }),
    }
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
        Command::MoveToPostgres { from } => move_to_postgres(&cli.config, &config, &from),
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tenant-desk-server: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The move, with its steps as they start and then what was moved.
fn move_to_postgres(config_path: &Path, config: &Config, from: &Path) -> Result<(), String> {
    let settings = config.postgres().ok_or_else(|| {
        format!(
            "{} has no database: set database = \"postgres://…\" to the empty PostgreSQL database to move into",
            config_path.display()
        )
    })?;
    let moved = moving::move_to_postgres(from, &settings, &mut |step| println!("{step}")).map_err(|e| e.message)?;
    println!("Moved {} into {}:", from.display(), moved.target);
    let width = moved.tables.iter().map(|(table, _)| table.len()).max().unwrap_or(0);
    for (table, rows) in &moved.tables {
        println!("  {table:<width$}  {rows} {}", if *rows == 1 { "row" } else { "rows" });
    }
    if moved.secrets > 0 {
        println!("  {} secrets from secrets.json", moved.secrets);
    }
    for (tenant, sha256) in &moved.tenants_verified {
        println!("  tenant {tenant}: archive SHA-256 {sha256}, the same on both");
    }
    println!("Moved and verified.");
    Ok(())
}

fn run(config: Config) -> Result<(), String> {
    let tls = config.tls.as_ref().map(tls::acceptor).transpose()?;
    let events = EventLog::new()?;
    let (_lock, desk) = open_store(&config, &events)?;
    let desk_store = desk.db().describe();
    let runtime = tokio::runtime::Runtime::new().map_err(|e| e.to_string())?;
    // The store (and the peers' connection) outlives the runtime: a blocking
    // PostgreSQL client closes by blocking, which it may not do on a thread
    // that drives async tasks.
    let outlives_runtime = (desk.clone(), events.clone());
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(config.listen).await.map_err(|e| format!("listen {}: {e}", config.listen))?;
        let address = listener.local_addr().map_err(|e| e.to_string())?;
        let recorder = events.clone();
        desk.on_conversation_change(move |change| recorder.record(change));
        let app = health::routes(desk.clone()).merge(desk_api::routes(desk.clone(), config.data_dir.clone(), events)).merge(tenant_desk_api::router(desk));
        let certificate_sha256 = tls.as_ref().map(|t| t.fingerprint.clone()).unwrap_or_default();
        tracing::info!(%address, tls = tls.is_some(), %certificate_sha256, data_dir = %config.data_dir.display(), store = %desk_store, "serving");
        let tls = tls.map(|t| t.acceptor);
        serve::serve(listener, tls, app, config.limits.clone(), stop_signal()).await;
        Ok(())
    });
    drop(runtime);
    drop(outlives_runtime);
    served
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
