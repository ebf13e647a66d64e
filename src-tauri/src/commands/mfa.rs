//! Saving one's MFA recovery codes to a file. The MFA operations themselves
//! are declared in `tenant_desk_core::operations`.

use tauri::{AppHandle, State};
use tenant_desk_core::Result;

use super::operations::relay;
use crate::file_dialogs;
use crate::state::AppState;

/// Saves the recovery codes just shown to a text file where the person
/// chooses; answers the path, or nothing when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_recovery_codes(app: AppHandle, state: State<'_, AppState>, codes: Vec<String>) -> Result<Option<String>> {
    let text = relay::recovery_codes_file(&state, codes).await?.value()?;
    file_dialogs::save_text(&app, "Save recovery codes", "tenant-desk-recovery-codes.txt", &file_dialogs::TEXT, text).await
}
