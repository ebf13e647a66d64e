use tauri::{AppHandle, State};
use tenant_desk_core::notifications::{Category, NotificationSettings, PauseFor};
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_notification_settings(state: State<'_, AppState>) -> Result<NotificationSettings> {
    state.as_actor(|desk, actor| desk.notification_settings(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn enable_notifications(state: State<'_, AppState>) -> Result<NotificationSettings> {
    state.as_actor(|desk, actor| desk.enable_notifications(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn block_notifications(state: State<'_, AppState>) -> Result<NotificationSettings> {
    state.as_actor(|desk, actor| desk.block_notifications(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_notification_category(
    state: State<'_, AppState>,
    category: Category,
    enabled: bool,
) -> Result<NotificationSettings> {
    state.as_actor(move |desk, actor| desk.set_notification_category(actor, category, enabled)).await
}

#[tauri::command]
#[specta::specta]
pub async fn pause_notifications(app: AppHandle, state: State<'_, AppState>, pause: PauseFor) -> Result<NotificationSettings> {
    let settings = state.as_actor(move |desk, actor| desk.pause_notifications(actor, pause)).await?;
    refresh_tray(app);
    Ok(settings)
}

#[tauri::command]
#[specta::specta]
pub async fn resume_notifications(app: AppHandle, state: State<'_, AppState>) -> Result<NotificationSettings> {
    let settings = state.as_actor(|desk, actor| desk.resume_notifications(actor)).await?;
    refresh_tray(app);
    Ok(settings)
}

/// The tray's Pause and Resume follow a change made in the window.
fn refresh_tray(app: AppHandle) {
    tauri::async_runtime::spawn_blocking(move || crate::desktop::tray::refresh(&app));
}

#[tauri::command]
#[specta::specta]
pub async fn set_only_during_shift(state: State<'_, AppState>, only: bool) -> Result<NotificationSettings> {
    state.as_actor(move |desk, actor| desk.set_only_during_shift(actor, only)).await
}
