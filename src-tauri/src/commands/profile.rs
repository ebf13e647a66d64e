//! Choosing an avatar with the desktop's file chooser. The profile
//! operations are declared in `tenant_desk_core::operations`.

use std::io::Read;
use std::path::Path;

use tauri::{AppHandle, State};
use tenant_desk_core::operations::encode_bytes;
use tenant_desk_core::profile::{Profile, MAX_AVATAR_FILE_BYTES};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::operations::relay;
use super::relayed::Relayed;
use crate::file_dialogs;
use crate::state::AppState;

/// "Add avatar" / "Change avatar": once the core says the person may, the
/// desktop's file chooser, then the core decodes, resizes and stores the
/// picture (or says why not). Nothing when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_avatar(app: AppHandle, state: State<'_, AppState>) -> Result<Option<Relayed<Profile>>> {
    relay::may_update_own_details(&state).await?;
    let Some(path) = file_dialogs::choose_open_path(&app, "Choose an avatar", &file_dialogs::IMAGES).await else {
        return Ok(None);
    };
    let file = tauri::async_runtime::spawn_blocking(move || read_at_most(&path, MAX_AVATAR_FILE_BYTES))
        .await
        .map_err(|e| Error::internal(format!("worker failed: {e}")))??;
    relay::set_own_avatar(&state, encode_bytes(&file)).await.map(Some)
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
