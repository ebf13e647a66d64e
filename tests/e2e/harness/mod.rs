//! Drives the real Tenant Desk window: starts tauri-driver (which starts
//! WebKitWebDriver, which starts the app) on a fresh data folder, and finds
//! controls the way a person does, by role and visible label or accessible name.

mod accessibility;
mod app;
mod display;
mod file_chooser;
pub mod hung_keyring;
pub mod locate;
pub mod notification_service;
pub mod notifications;
pub mod seed;
pub mod team_server;
pub mod tray_host;
pub mod x11;

pub use app::{free_port, App, Install};
