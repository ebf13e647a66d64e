use base64::Engine;
use tauri::State;
use tenant_desk_core::menu::Section;
use tenant_desk_core::preferences::{Preferences, Theme};
use tenant_desk_core::profile::{PersonalDetails, Profile};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_profile(state: State<'_, AppState>) -> Result<Profile> {
    state.as_actor(|desk, actor| desk.profile(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn update_profile_details(state: State<'_, AppState>, details: PersonalDetails) -> Result<Profile> {
    state.as_actor(move |desk, actor| desk.update_own_details(actor, &details)).await
}

/// `image`: the picked file's bytes in base64 (the IPC carries text).
#[tauri::command]
#[specta::specta]
pub async fn set_avatar(state: State<'_, AppState>, image: String) -> Result<Profile> {
    let file = base64::engine::general_purpose::STANDARD
        .decode(image.as_bytes())
        .map_err(|_| Error::new(ErrorCode::Validation, "The picked file could not be read."))?;
    state.as_actor(move |desk, actor| desk.set_own_avatar(actor, &file)).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_avatar(state: State<'_, AppState>) -> Result<Profile> {
    state.as_actor(|desk, actor| desk.remove_own_avatar(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_preferences(state: State<'_, AppState>) -> Result<Preferences> {
    state.as_actor(|desk, actor| desk.preferences(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_show_toasts(state: State<'_, AppState>, show: bool) -> Result<Preferences> {
    state.as_actor(move |desk, actor| desk.set_show_toasts(actor, show)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_theme(state: State<'_, AppState>, theme: Theme) -> Result<Preferences> {
    state.as_actor(move |desk, actor| desk.set_theme(actor, theme)).await
}

#[tauri::command]
#[specta::specta]
pub async fn pin_home_page(state: State<'_, AppState>, section: Section) -> Result<Preferences> {
    state.as_actor(move |desk, actor| desk.pin_home_page(actor, section)).await
}

#[tauri::command]
#[specta::specta]
pub async fn unpin_home_page(state: State<'_, AppState>) -> Result<Preferences> {
    state.as_actor(|desk, actor| desk.unpin_home_page(actor)).await
}
