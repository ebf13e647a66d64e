use std::io::Read;
use std::path::Path;

use tauri::{AppHandle, State};
use tenant_desk_core::authz::Operation;
use tenant_desk_core::menu::Section;
use tenant_desk_core::preferences::{Preferences, Theme};
use tenant_desk_core::profile::{PersonalDetails, Profile, MAX_AVATAR_FILE_BYTES};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::file_dialogs;
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

/// "Add avatar" / "Change avatar": once the core says the person may, the
/// desktop's file chooser, then the core decodes, resizes and stores the
/// picture (or says why not). Nothing when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_avatar(app: AppHandle, state: State<'_, AppState>) -> Result<Option<Profile>> {
    state.as_actor(|desk, actor| desk.check(actor, Operation::UpdateOwnDetails)).await?;
    let Some(path) = file_dialogs::choose_open_path(&app, "Choose an avatar", &file_dialogs::IMAGES).await else {
        return Ok(None);
    };
    state
        .as_actor(move |desk, actor| {
            let file = read_at_most(&path, MAX_AVATAR_FILE_BYTES)?;
            desk.set_own_avatar(actor, &file)
        })
        .await
        .map(Some)
}

/// Reads one byte past `limit` at most: enough for the core to refuse a file
/// that is too large without holding all of it in memory.
fn read_at_most(path: &Path, limit: usize) -> Result<Vec<u8>> {
    let unreadable = |e: std::io::Error| {
        Error::new(ErrorCode::Validation, format!("{} could not be read: {e}", path.display()))
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.by_ref().take(limit as u64 + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    Ok(bytes)
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
