//! Settings > Identity > Local API: turning the local tenant API on or off.

use tauri::State;
use tenant_desk_core::local_api::LocalApiSettings;
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_local_api_settings(state: State<'_, AppState>) -> Result<LocalApiSettings> {
    state.as_actor(|desk, actor| desk.local_api_settings(actor)).await
}

/// Saves the settings, then serves (or stops serving) as they say. When the
/// port cannot be used, the previous settings are put back.
#[tauri::command]
#[specta::specta]
pub async fn update_local_api_settings(state: State<'_, AppState>, settings: LocalApiSettings) -> Result<LocalApiSettings> {
    let previous = state.as_actor(|desk, actor| desk.local_api_settings(actor)).await?;
    let saved = state.as_actor(move |desk, actor| desk.update_local_api_settings(actor, settings)).await?;
    if let Err(e) = state.apply_local_api(saved).await {
        state.as_actor(move |desk, actor| desk.update_local_api_settings(actor, previous)).await?;
        state.apply_local_api(previous).await?;
        return Err(e);
    }
    Ok(saved)
}
