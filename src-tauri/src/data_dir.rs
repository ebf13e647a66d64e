//! Where the database lives: the platform's app-data folder, unless
//! `TENANT_DESK_DATA_DIR` points elsewhere (tests give each run its own).

use std::path::PathBuf;

pub const ENV_VAR: &str = "TENANT_DESK_DATA_DIR";

pub fn resolve(platform_default: PathBuf) -> PathBuf {
    match std::env::var_os(ENV_VAR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => platform_default,
    }
}
