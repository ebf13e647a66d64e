use tauri::State;
use tenant_desk_core::countries::{self, CountryOption};
use tenant_desk_core::tenants::{Organization, OrganizationFields, TenantFields, TenantRow};
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn list_countries() -> Vec<CountryOption> {
    countries::all()
}

/// Profile > Customer organization; `None` for an account with no tenant.
#[tauri::command]
#[specta::specta]
pub async fn get_organization(state: State<'_, AppState>) -> Result<Option<Organization>> {
    state.as_actor(|desk, actor| desk.organization(actor)).await
}

#[tauri::command]
#[specta::specta]
/// `version`: the one the form was opened with (`Organization.version`).
pub async fn update_organization(state: State<'_, AppState>, input: OrganizationFields, version: String) -> Result<Organization> {
    state.as_actor(move |desk, actor| desk.update_own_organization_if_unchanged(actor, &input, &version)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_tenants(state: State<'_, AppState>, search: String) -> Result<Vec<TenantRow>> {
    state.as_actor(move |desk, actor| desk.list_tenants(actor, &search)).await
}

#[tauri::command]
#[specta::specta]
/// `version`: the one Edit tenant was opened with (`TenantRow.version`).
pub async fn update_tenant(state: State<'_, AppState>, tenant_id: i64, input: TenantFields, version: String) -> Result<TenantRow> {
    state.as_actor(move |desk, actor| desk.update_tenant_if_unchanged(actor, tenant_id, &input, &version)).await
}

#[tauri::command]
#[specta::specta]
pub async fn add_tenant(state: State<'_, AppState>, input: TenantFields) -> Result<TenantRow> {
    state.as_actor(move |desk, actor| desk.add_tenant(actor, &input)).await
}
