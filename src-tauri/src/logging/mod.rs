//! The app's log, through `tracing`: every crate's events go to a file in
//! the data folder and, in debug builds, to stderr as well.
//!
//! - The file: `<data folder>/logs/tenant-desk.YYYY-MM-DD.log`, a new one
//!   each UTC day; the newest 7 are kept (`log_files::KEPT` in the core).
//!   The folder is 0700 and the files 0600, like the rest of the store
//!   (`log_file`).
//! - What is recorded: `RUST_LOG` when set (its usual syntax), otherwise
//!   [`DEFAULT_FILTER`].
//! - Release builds print errors to stderr too: a start that fails says why
//!   in the terminal it was started from.
//! - A panic is logged before Rust's own report of it.
//!
//! No event carries a password, code, token, key or secret: the core logs
//! account and tenant ids, counts and error details, never what was typed
//! or what the keyring holds (`secrets_stay_out` checks a whole run).

mod log_file;
#[cfg(test)]
mod secrets_stay_out;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::{SubscriberInitExt, TryInitError};
use tracing_subscriber::{fmt, EnvFilter, Layer};

pub use log_file::LogFile;

/// Tenant Desk's own crates at info, everything else at warn.
pub const DEFAULT_FILTER: &str = "warn,tenant_desk=info,tenant_desk_core=info,tenant_desk_api=info";

/// Makes the app's subscriber the process's. The file starts receiving
/// events once the data folder is known ([`LogFile::open`]).
pub fn install() -> Result<LogFile, TryInitError> {
    install_filtered(|| EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER)))
}

fn install_filtered(filter: fn() -> EnvFilter) -> Result<LogFile, TryInitError> {
    let file = LogFile::default();
    let to_file = fmt::layer().with_ansi(false).with_writer(file.clone()).with_filter(filter());
    let stderr_filter = if cfg!(debug_assertions) { filter() } else { EnvFilter::new("error") };
    let to_stderr = fmt::layer().with_writer(std::io::stderr).with_filter(stderr_filter);
    tracing_subscriber::registry().with(to_file).with(to_stderr).try_init()?;
    log_panics();
    Ok(file)
}

fn log_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(%info, "panic");
        report(info);
    }));
}
