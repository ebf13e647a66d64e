//! Personal API keys of the signed-in person, in the current tenant, and
//! Identity > API keys: those of the tenant's members, for its administrators.

use tauri::State;
use tenant_desk_core::personal_api_keys::{CreatedPersonalApiKey, MemberApiKeyRow, NewPersonalApiKey, PersonalApiKeyRow};
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_personal_api_keys(state: State<'_, AppState>) -> Result<Vec<PersonalApiKeyRow>> {
    state.as_actor(|desk, actor| desk.personal_api_keys(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_personal_api_key(state: State<'_, AppState>, input: NewPersonalApiKey) -> Result<CreatedPersonalApiKey> {
    state.as_actor(move |desk, actor| desk.create_personal_api_key(actor, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_personal_api_key(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.revoke_personal_api_key(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_member_api_keys(state: State<'_, AppState>) -> Result<Vec<MemberApiKeyRow>> {
    state.as_actor(|desk, actor| desk.member_api_keys(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn revoke_member_api_key(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.revoke_member_api_key(actor, id)).await
}
