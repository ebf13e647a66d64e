//! This computer's side of the app: whether it has a tray, start at login,
//! and what closing the window does (a preference of the signed-in person).

use serde::Serialize;
use tauri::{AppHandle, State};
use tenant_desk_core::preferences::Preferences;
use tenant_desk_core::{Error, Result};

use super::operations::relay;
use super::relayed::Relayed;
use crate::desktop::{start_at_login, tray};
use crate::state::AppState;

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DesktopPresence {
    /// The desktop shows tray icons: closing the window can keep the app running.
    pub tray: bool,
    /// Tenant Desk starts when this computer's user logs in.
    pub start_at_login: bool,
}

fn presence(app: &AppHandle) -> Result<DesktopPresence> {
    Ok(DesktopPresence { tray: tray::present(app), start_at_login: start_at_login::is_on(app)? })
}

/// For a signed-in person only: the choices belong to the Preferences screen.
#[tauri::command]
#[specta::specta]
pub async fn get_desktop_presence(app: AppHandle, state: State<'_, AppState>) -> Result<DesktopPresence> {
    state.require_sign_in().await?;
    tauri::async_runtime::spawn_blocking(move || presence(&app)).await.map_err(|e| Error::internal(e.to_string()))?
}

#[tauri::command]
#[specta::specta]
pub async fn set_start_at_login(app: AppHandle, state: State<'_, AppState>, on: bool) -> Result<DesktopPresence> {
    state.require_sign_in().await?;
    tauri::async_runtime::spawn_blocking(move || {
        start_at_login::set(&app, on)?;
        presence(&app)
    })
    .await
    .map_err(|e| Error::internal(e.to_string()))?
}

#[tauri::command]
#[specta::specta]
pub async fn set_keep_running_when_closed(state: State<'_, AppState>, keep: bool) -> Result<Relayed<Preferences>> {
    let saved = relay::set_keep_running_when_closed(&state, keep).await?;
    state.note_keeps_running_on_server(keep);
    Ok(saved)
}
