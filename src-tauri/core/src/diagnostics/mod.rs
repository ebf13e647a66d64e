//! Diagnostics for support.
//!
//! - `log_files`: where the app's log lives and how its files are named.

pub mod log_files;
