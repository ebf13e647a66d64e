//! The organization switcher.

use tauri::State;
use tenant_desk_core::auth::SignedIn;
use tenant_desk_core::organizations::{NewOrganization, Organizations};
use tenant_desk_core::replies::DeliveryAddress;
use tenant_desk_core::tenants::TenantRow;
use tenant_desk_core::{Error, Result};

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_organizations(state: State<'_, AppState>) -> Result<Organizations> {
    state.as_actor(|desk, actor| desk.organizations(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_organization(state: State<'_, AppState>, input: NewOrganization) -> Result<TenantRow> {
    state.as_actor(move |desk, actor| desk.create_organization(actor, &input)).await
}

/// The window reloads in the returned context (menu, data, role).
#[tauri::command]
#[specta::specta]
pub async fn switch_organization(state: State<'_, AppState>, tenant_id: i64) -> Result<SignedIn> {
    state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            let switched = desk.switch_organization(&token, tenant_id)?;
            session.changed();
            Ok(switched)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn get_delivery_address(state: State<'_, AppState>) -> Result<DeliveryAddress> {
    state.as_actor(|desk, actor| desk.delivery_address(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn set_delivery_address(state: State<'_, AppState>, url: String) -> Result<DeliveryAddress> {
    state.as_actor(move |desk, actor| desk.set_delivery_address(actor, &url)).await
}
