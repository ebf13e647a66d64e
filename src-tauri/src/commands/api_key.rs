//! The tenant API key goes from the store's secrets (this computer's keyring,
//! or the team server's) to the system clipboard inside this process: it
//! never crosses to the window.

use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tenant_desk_core::{Error, ErrorCode, Result};

use super::operations::relay;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn copy_tenant_api_key(app: AppHandle, state: State<'_, AppState>, tenant_id: i64) -> Result<()> {
    let key = relay::tenant_api_key(&state, tenant_id).await?.value()?;
    app.clipboard().write_text(key).map_err(|e| {
        tracing::warn!(error = %e, "clipboard not written");
        Error::new(ErrorCode::Desktop, "The clipboard of this desktop could not be written.")
    })
}
