//! "Start Tenant Desk when I log in": an XDG autostart entry on Linux, kept by
//! tauri-plugin-autostart. It belongs to this computer's user account, not to
//! the workspace, so it lives in the desktop's own autostart folder. Off
//! until someone turns it on.

use tauri::AppHandle;
use tauri_plugin_autostart::ManagerExt;
use tenant_desk_core::{Error, ErrorCode, Result};

fn desktop(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Desktop, format!("Start at login could not be changed: {e}"))
}

pub fn is_on(app: &AppHandle) -> Result<bool> {
    app.autolaunch().is_enabled().map_err(desktop)
}

pub fn set(app: &AppHandle, on: bool) -> Result<bool> {
    let launcher = app.autolaunch();
    if on { launcher.enable() } else { launcher.disable() }.map_err(desktop)?;
    tracing::info!(on, "start at login changed");
    is_on(app)
}
