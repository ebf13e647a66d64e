//! Export CSV of the table on screen: the core writes the rows of the
//! screen's query with the person's filters; a save dialog asks where.
//! Each answers the path written, or `None` when the person cancelled.

use tauri::{AppHandle, State};
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::conversations::ConversationQuery;
use tenant_desk_core::users::UserQuery;
use tenant_desk_core::Result;

use super::operations::relay;
use crate::file_dialogs::{self, CSV};
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn save_users_csv(app: AppHandle, state: State<'_, AppState>, query: UserQuery) -> Result<Option<String>> {
    let csv = relay::users_csv(&state, query).await?.value()?;
    file_dialogs::save_text(&app, "Export users", "tenant-desk-users.csv", &CSV, csv).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_tenants_csv(app: AppHandle, state: State<'_, AppState>, search: String) -> Result<Option<String>> {
    let csv = relay::tenants_csv(&state, search).await?.value()?;
    file_dialogs::save_text(&app, "Export tenants", "tenant-desk-tenants.csv", &CSV, csv).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_conversations_csv(app: AppHandle, state: State<'_, AppState>, query: ConversationQuery) -> Result<Option<String>> {
    let csv = relay::conversations_csv(&state, query).await?.value()?;
    file_dialogs::save_text(&app, "Export sessions", "tenant-desk-sessions.csv", &CSV, csv).await
}

#[tauri::command]
#[specta::specta]
pub async fn save_audit_log_csv(app: AppHandle, state: State<'_, AppState>, query: AuditQuery) -> Result<Option<String>> {
    let csv = relay::audit_log_csv(&state, query).await?.value()?;
    file_dialogs::save_text(&app, "Export audit log", "tenant-desk-audit-log.csv", &CSV, csv).await
}
