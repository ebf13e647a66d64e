use tauri::State;
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
pub async fn pause_notifications(state: State<'_, AppState>, pause: PauseFor) -> Result<NotificationSettings> {
    state.as_actor(move |desk, actor| desk.pause_notifications(actor, pause)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resume_notifications(state: State<'_, AppState>) -> Result<NotificationSettings> {
    state.as_actor(|desk, actor| desk.resume_notifications(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_only_during_shift(state: State<'_, AppState>, only: bool) -> Result<NotificationSettings> {
    state.as_actor(move |desk, actor| desk.set_only_during_shift(actor, only)).await
}
