//! Settings > Identity > Users.

use tauri::State;
use tenant_desk_core::schedules::{PreviewInput, WeekPreview};
use tenant_desk_core::users::{
    Deletion, ExistingUser, NewUser, ReceivedInvitation, SentInvitation, TemporaryPassword, TenantOption, UserChanges, UserDetail,
    UserPage, UserQuery, UserRow,
};
use tenant_desk_core::Result;

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn list_users(state: State<'_, AppState>, query: UserQuery) -> Result<UserPage> {
    state.as_actor(move |desk, actor| desk.list_users(actor, &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_user(state: State<'_, AppState>, id: i64) -> Result<UserDetail> {
    state.as_actor(move |desk, actor| desk.user_detail(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn create_user(state: State<'_, AppState>, input: NewUser) -> Result<UserRow> {
    state.as_actor(move |desk, actor| desk.create_user(actor, input)).await
}

/// Add User with the address of an existing account, once the window said
/// the person will be invited to the tenant.
#[tauri::command]
#[specta::specta]
pub async fn invite_existing_user(state: State<'_, AppState>, input: ExistingUser) -> Result<SentInvitation> {
    state.as_actor(move |desk, actor| desk.invite_existing_user(actor, input)).await
}

/// Identity > Users: the tenant's invitations nobody answered yet.
#[tauri::command]
#[specta::specta]
pub async fn list_sent_invitations(state: State<'_, AppState>) -> Result<Vec<SentInvitation>> {
    state.as_actor(|desk, actor| desk.sent_invitations(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn cancel_invitation(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.cancel_invitation(actor, id)).await
}

/// The invitations waiting for the signed-in person's answer.
#[tauri::command]
#[specta::specta]
pub async fn list_received_invitations(state: State<'_, AppState>) -> Result<Vec<ReceivedInvitation>> {
    state.as_actor(|desk, actor| desk.received_invitations(actor)).await
}

/// Accept or decline: answers the invitation's tenant.
#[tauri::command]
#[specta::specta]
pub async fn answer_invitation(state: State<'_, AppState>, id: i64, accept: bool) -> Result<i64> {
    state.as_actor(move |desk, actor| desk.answer_invitation(actor, id, accept)).await
}

/// Edit user > Platform administrator: grant or revoke the flag.
#[tauri::command]
#[specta::specta]
pub async fn set_platform_admin(state: State<'_, AppState>, id: i64, granted: bool) -> Result<UserDetail> {
    state.as_actor(move |desk, actor| desk.set_platform_admin(actor, id, granted)).await
}

#[tauri::command]
#[specta::specta]
/// `version`: the one Edit user was opened with (`UserDetail.version`).
pub async fn update_user(state: State<'_, AppState>, id: i64, changes: UserChanges, version: String) -> Result<UserRow> {
    state.as_actor(move |desk, actor| desk.update_user_if_unchanged(actor, id, changes, &version)).await
}

#[tauri::command]
#[specta::specta]
pub async fn delete_user(state: State<'_, AppState>, id: i64) -> Result<Deletion> {
    state.as_actor(move |desk, actor| desk.delete_user(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn reset_user_password(state: State<'_, AppState>, id: i64) -> Result<TemporaryPassword> {
    state.as_actor(move |desk, actor| desk.reset_user_password(actor, id)).await
}

/// Edit user > Reset MFA: for someone who lost their phone and recovery codes.
#[tauri::command]
#[specta::specta]
pub async fn reset_user_mfa(state: State<'_, AppState>, id: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.reset_user_mfa(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn list_administered_tenants(state: State<'_, AppState>) -> Result<Vec<TenantOption>> {
    state.as_actor(|desk, actor| desk.administered_tenants(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn preview_schedule(state: State<'_, AppState>, input: PreviewInput) -> Result<WeekPreview> {
    state.as_actor(move |desk, actor| desk.preview_schedule(actor, &input)).await
}
