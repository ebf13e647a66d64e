//! The tenant API key goes from the keyring to the system clipboard inside
//! this process: it never crosses to the window.

use tauri::{AppHandle, State};
use tauri_plugin_clipboard_manager::ClipboardExt;
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn copy_tenant_api_key(app: AppHandle, state: State<'_, AppState>, tenant_id: i64) -> Result<()> {
    state
        .as_actor(move |desk, actor| {
            let key = desk.tenant_api_key(actor, tenant_id)?;
            app.clipboard().write_text(key.expose()).map_err(|e| {
                tracing::warn!(error = %e, "clipboard not written");
                Error::new(ErrorCode::Desktop, "The clipboard of this desktop could not be written.")
            })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn rotate_tenant_api_key(state: State<'_, AppState>, tenant_id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.rotate_tenant_api_key(actor, tenant_id)).await
}
