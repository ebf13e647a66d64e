//! The Tenant Desk window: a thin Tauri shell over `tenant_desk_core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod billing_reminders;
mod bindings;
mod chart_exports;
mod commands;
mod connection;
mod data_dir;
mod desktop;
mod desktop_notifier;
mod display;
mod file_dialogs;
mod logging;
mod reply_delivery;
mod state;
mod store_opening;
mod upkeep;
mod window_commands;

// The operations' one list (`desk_operations!`), for `window_commands!`.
#[macro_use]
extern crate tenant_desk_core;

use tauri::Manager;

fn main() {
    let log_file = match logging::install() {
        Ok(file) => Some(file),
        Err(e) => {
            eprintln!("Tenant Desk runs without its log: {e}");
            None
        }
    };
    if let Err(message) = display::check() {
        tracing::error!("{message}");
        std::process::exit(2);
    }
    let context = tauri::generate_context!("tauri.conf.json");
    let identifier = context.config().identifier.clone();
    let result = tauri::Builder::default()
        // First: a second launch hands over to the first before anything else starts.
        .plugin(desktop::single_instance::plugin(&identifier))
        .plugin(tauri_plugin_window_state::Builder::default().with_state_flags(desktop::window_life::REMEMBERED).build())
        // Linux ignores the macOS launcher choice; no extra arguments at login.
        .plugin(tauri_plugin_autostart::init(tauri_plugin_autostart::MacosLauncher::LaunchAgent, None))
        // Used from Rust only (the tenant API key): the window is granted none of its commands.
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only ("Manage subscription"): the window is granted none of its commands.
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (open and save dialogs): the window is granted none of its commands.
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(bindings::invoke_handler())
        .on_window_event(desktop::window_life::on_event)
        .manage(commands::backups::PendingRestore::default())
        .setup(move |app| {
            bindings::mount_events(app);
            let dir = data_dir::resolve(app.path().app_data_dir()?);
            if let Some(file) = &log_file {
                if let Err(e) = file.open(&dir) {
                    tracing::error!(folder = %dir.display(), error = %e, "the log file cannot be written");
                }
            }
            tracing::info!(version = %app.package_info().version, data_folder = %dir.display(), "Tenant Desk started");
            app.manage(desktop::change_feed::ChangeFeed::start(app.handle().clone()));
            store_opening::open(app.handle(), dir)?;
            Ok(())
        })
        .run(context);
    if let Err(e) = result {
        tracing::error!(error = %e, "Tenant Desk could not start");
        std::process::exit(1);
    }
}
