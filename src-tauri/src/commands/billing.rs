//! Billing's desktop parts: the system browser and the save dialog. The
//! billing operations are declared in `tenant_desk_core::operations`.

use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tenant_desk_core::billing::CreditKind;
use tenant_desk_core::{Error, ErrorCode, Result};

use super::operations::relay;
use crate::file_dialogs;
use crate::state::AppState;

/// "Manage subscription": the core decides who may and which address; the
/// system browser opens it.
#[tauri::command]
#[specta::specta]
pub async fn open_billing_portal(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let url = relay::billing_portal_url(&state).await?.value()?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Desktop, format!("The system browser could not be opened: {e}")))
}

/// View All Transactions > Export CSV: the transactions with the shown filter,
/// saved where the person chooses; answers the path, or nothing when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_credit_transactions_csv(
    app: AppHandle,
    state: State<'_, AppState>,
    kind: Option<CreditKind>,
) -> Result<Option<String>> {
    let csv = relay::credit_transactions_csv(&state, kind).await?.value()?;
    file_dialogs::save_text(&app, "Export transactions", "tenant-desk-credit-transactions.csv", &file_dialogs::CSV, csv).await
}
