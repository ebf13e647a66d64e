//! The organization switcher.

use tauri::State;
use tenant_desk_core::auth::SignedIn;
use tenant_desk_core::Result;

use super::operations::relay;
use super::relayed::Relayed;
use crate::state::AppState;

/// The window reloads in the returned context (menu, data, role).
#[tauri::command]
#[specta::specta]
pub async fn switch_organization(state: State<'_, AppState>, tenant_id: i64) -> Result<Relayed<SignedIn>> {
    let switched = relay::switch_organization(&state, tenant_id).await?;
    state.session_changed();
    Ok(switched)
}
