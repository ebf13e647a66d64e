//! Settings > Identity > Audit log.

use tauri::State;
use tenant_desk_core::audit::{AuditPage, AuditQuery};
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_audit_log(state: State<'_, AppState>, query: AuditQuery) -> Result<AuditPage> {
    state.as_actor(move |desk, actor| desk.audit_log(actor, &query)).await
}
