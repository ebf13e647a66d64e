//! Turning notifications on, which needs this desktop's notification
//! service, and pausing them, which the tray shows too. The other
//! notification settings are declared in `tenant_desk_core::operations`.

use tauri::{AppHandle, State};
use tenant_desk_core::notifications::{Availability, NotificationSettings, PauseFor};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::operations::relay;
use super::relayed::Relayed;
use crate::state::AppState;

/// On a team server the notices are shown here, not there: this desktop's
/// service must answer before the server records the consent.
#[tauri::command]
#[specta::specta]
pub async fn enable_notifications(state: State<'_, AppState>) -> Result<Relayed<NotificationSettings>> {
    if state.team_server().is_some() {
        let here = tauri::async_runtime::spawn_blocking(crate::desktop_notifier::availability)
            .await
            .map_err(|e| Error::internal(format!("worker failed: {e}")))?;
        if let Availability::Unavailable(reason) = here {
            return Err(Error::new(ErrorCode::Desktop, format!("Notifications are unavailable on this desktop: {reason}")));
        }
    }
    relay::enable_notifications(&state).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_notifications(app: AppHandle, state: State<'_, AppState>, pause: PauseFor) -> Result<Relayed<NotificationSettings>> {
    let settings = relay::pause_notifications(&state, pause).await?;
    refresh_tray(app);
    Ok(settings)
}

#[tauri::command]
#[specta::specta]
pub async fn resume_notifications(app: AppHandle, state: State<'_, AppState>) -> Result<Relayed<NotificationSettings>> {
    let settings = relay::resume_notifications(&state).await?;
    refresh_tray(app);
    Ok(settings)
}

/// The tray's Pause and Resume follow a change made in the window.
fn refresh_tray(app: AppHandle) {
    tauri::async_runtime::spawn_blocking(move || crate::desktop::tray::refresh(&app));
}
