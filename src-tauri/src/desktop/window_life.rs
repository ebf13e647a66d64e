//! What closing the main window does, and where it was.
//!
//! Closing keeps the app running in the tray — so notifications keep coming —
//! when the desktop has a tray, someone is signed in and they keep that
//! choice (Profile > Preferences); the first time, a one-line notice says so.
//! Otherwise closing quits, as it always did.
//!
//! The window's size, position and maximized state are kept by
//! tauri-plugin-window-state; they are written as they change (not only at a
//! clean exit), so an app that is killed still comes back where it was.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};
use tenant_desk_core::notifications::{DesktopNotifier, Notice};

use super::tray;
use crate::commands::operations::relay;
use crate::commands::relayed::Relayed;
use crate::desktop_notifier::DesktopNotifications;
use crate::state::AppState;

pub const MAIN: &str = "main";
pub const REMEMBERED: StateFlags =
    StateFlags::SIZE.union(StateFlags::POSITION).union(StateFlags::MAXIMIZED);
/// A move or resize settles before the state is written.
const SETTLE: Duration = Duration::from_millis(400);
const TRAY_NOTICE: &str = "Tenant Desk keeps running in the tray so notifications keep coming; quit it from the tray menu.";

pub fn on_event(window: &Window, event: &WindowEvent) {
    if window.label() != MAIN {
        return;
    }
    match event {
        WindowEvent::CloseRequested { api, .. } if keeps_running(window.app_handle()) => {
            api.prevent_close();
            let _ = window.hide();
            tracing::info!("window closed into the tray");
        }
        WindowEvent::Resized(_) | WindowEvent::Moved(_) => save_soon(window.app_handle()),
        _ => {}
    }
}

/// Shows, restores and focuses the main window (a second launch, the tray, a
/// notification).
pub fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window(MAIN) {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Whether closing the window leaves the app running in the tray.
fn keeps_running(app: &AppHandle) -> bool {
    if !tray::present(app) {
        return false;
    }
    let Some(state) = app.try_state::<AppState>() else { return false };
    if !state.keeps_running_when_closed() {
        return false;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let Some(state) = app.try_state::<AppState>() else { return };
        let first = tauri::async_runtime::block_on(relay::first_close_to_tray(&state)).and_then(Relayed::value);
        if first.unwrap_or(false) {
            let notice = Notice { summary: TRAY_NOTICE.into(), body: String::new(), conversation_id: None, offers_accept: false };
            if let Err(e) = DesktopNotifications::new(app.clone()).show(0, &notice) {
                tracing::warn!(error = %e.message, "the tray notice not shown");
            }
        }
    });
    true
}

/// Writes the window's state once moves and resizes stop for [`SETTLE`].
fn save_soon(app: &AppHandle) {
    static LATEST: AtomicU64 = AtomicU64::new(0);
    let mine = LATEST.fetch_add(1, Ordering::SeqCst) + 1;
    let app = app.clone();
    std::thread::spawn(move || {
        std::thread::sleep(SETTLE);
        if LATEST.load(Ordering::SeqCst) == mine {
            if let Err(e) = app.save_window_state(REMEMBERED) {
                tracing::warn!(error = %e, "the window's size and position not saved");
            }
        }
    });
}
