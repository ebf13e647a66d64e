use tauri::State;
use tenant_desk_core::profile::Profile;
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_profile(state: State<'_, AppState>) -> Result<Profile> {
    state.as_actor(|desk, actor| desk.profile(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_profile_name(state: State<'_, AppState>, name: String) -> Result<Profile> {
    state.as_actor(move |desk, actor| desk.update_own_name(actor, &name)).await
}
