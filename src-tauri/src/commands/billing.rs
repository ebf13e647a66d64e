use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use tenant_desk_core::billing::{BillingOverview, CreditKind, CreditPage, CreditQuery, NewPaymentMethod, PaymentMethod, PlanChoice};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::file_dialogs;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_billing(state: State<'_, AppState>) -> Result<Option<BillingOverview>> {
    state.as_actor(|desk, actor| desk.billing(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn start_trial(state: State<'_, AppState>) -> Result<()> {
    state.as_actor(|desk, actor| desk.start_trial(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn change_plan(state: State<'_, AppState>, choice: PlanChoice) -> Result<()> {
    state.as_actor(move |desk, actor| desk.change_plan(actor, &choice)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_billing_portal(state: State<'_, AppState>, url: String) -> Result<()> {
    state.as_actor(move |desk, actor| desk.set_billing_portal(actor, &url)).await
}

/// "Manage subscription": the core decides who may and which address; the
/// system browser opens it.
#[tauri::command]
#[specta::specta]
pub async fn open_billing_portal(app: AppHandle, state: State<'_, AppState>) -> Result<()> {
    let url = state.as_actor(|desk, actor| desk.billing_portal_url(actor)).await?;
    app.opener()
        .open_url(url, None::<&str>)
        .map_err(|e| Error::new(ErrorCode::Desktop, format!("The system browser could not be opened: {e}")))
}

#[tauri::command]
#[specta::specta]
pub async fn add_payment_method(state: State<'_, AppState>, method: NewPaymentMethod) -> Result<PaymentMethod> {
    state.as_actor(move |desk, actor| desk.add_payment_method(actor, &method)).await
}

#[tauri::command]
#[specta::specta]
pub async fn remove_payment_method(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.remove_payment_method(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_credits(state: State<'_, AppState>, amount: i64) -> Result<i64> {
    state.as_actor(move |desk, actor| desk.add_credits(actor, amount)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_credit_transactions(state: State<'_, AppState>, query: CreditQuery) -> Result<CreditPage> {
    state.as_actor(move |desk, actor| desk.credit_transactions(actor, &query)).await
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
    let csv = state.as_actor(move |desk, actor| desk.credit_transactions_csv(actor, kind)).await?;
    file_dialogs::save_text(&app, "Export transactions", "tenant-desk-credit-transactions.csv", &file_dialogs::CSV, csv).await
}
