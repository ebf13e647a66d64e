//! The Tenant Desk window: a thin Tauri shell over `tenant_desk_core`.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod billing_reminders;
mod bindings;
mod commands;
mod data_dir;
mod desktop_notifier;
mod display;
mod archive_jobs;
mod file_dialogs;
mod state;

use tauri::Manager;
use tauri_specta::Event;

use crate::commands::sessions::SessionsChanged;

fn main() {
    if let Err(message) = display::check() {
        eprintln!("{message}");
        std::process::exit(2);
    }
    let bindings = bindings::builder();
    let result = tauri::Builder::default()
        // Used from Rust only (the tenant API key): the window is granted none of its commands.
        .plugin(tauri_plugin_clipboard_manager::init())
        // Used from Rust only ("Manage subscription"): the window is granted none of its commands.
        .plugin(tauri_plugin_opener::init())
        // Used from Rust only (open and save dialogs): the window is granted none of its commands.
        .plugin(tauri_plugin_dialog::init())
        .invoke_handler(bindings.invoke_handler())
        .setup(move |app| {
            bindings.mount_events(app);
            let dir = data_dir::resolve(app.path().app_data_dir()?);
            let notifier = desktop_notifier::DesktopNotifications::new(app.handle().clone());
            let state = state::AppState::open(dir, notifier)?;
            let handle = app.handle().clone();
            state.desk().on_session_change(move |change| {
                if let Err(e) = SessionsChanged::from(change).emit(&handle) {
                    eprintln!("tenant-desk: the window could not be told about a session change: {e}");
                }
            });
            billing_reminders::watch(state.desk());
            let settings = state.desk().local_api_config()?;
            app.manage(state);
            let handle = app.handle().clone();
            tauri::async_runtime::spawn(async move {
                let state = handle.state::<state::AppState>();
                // A port in use leaves the API off; the rest of the app works as before.
                let _ = state.apply_local_api(settings).await;
            });
            Ok(())
        })
        .run(tauri::generate_context!("tauri.conf.json"));
    if let Err(e) = result {
        eprintln!("Tenant Desk could not start: {e}");
        std::process::exit(1);
    }
}
