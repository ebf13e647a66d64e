//! MFA on one's own account. Setting it up works also while a tenant's
//! "Require MFA" keeps everything else closed (`enrolling_actor`).

use tauri::{AppHandle, State};
use tenant_desk_core::mfa::{MfaDisableInput, MfaSetup, MfaStatus, RecoveryCodes};
use tenant_desk_core::{Error, Result};

use crate::file_dialogs;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn get_mfa_status(state: State<'_, AppState>) -> Result<MfaStatus> {
    state.as_actor(|desk, actor| desk.mfa_status(actor)).await
}

#[tauri::command]
#[specta::specta]
pub async fn begin_mfa_setup(state: State<'_, AppState>, password: String) -> Result<MfaSetup> {
    state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            desk.begin_mfa_setup(&desk.enrolling_actor(&token)?, &password)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn confirm_mfa(state: State<'_, AppState>, code: String) -> Result<RecoveryCodes> {
    state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            desk.confirm_mfa(&desk.enrolling_actor(&token)?, &code)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn disable_mfa(state: State<'_, AppState>, input: MfaDisableInput) -> Result<()> {
    state.as_actor(move |desk, actor| desk.disable_mfa(actor, &input)).await
}

#[tauri::command]
#[specta::specta]
pub async fn regenerate_recovery_codes(state: State<'_, AppState>, password: String) -> Result<RecoveryCodes> {
    state.as_actor(move |desk, actor| desk.regenerate_recovery_codes(actor, &password)).await
}

/// Saves the recovery codes just shown to a text file where the person
/// chooses; answers the path, or nothing when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_recovery_codes(app: AppHandle, state: State<'_, AppState>, codes: Vec<String>) -> Result<Option<String>> {
    let text = state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            desk.recovery_codes_file(&desk.enrolling_actor(&token)?, &codes)
        })
        .await?;
    file_dialogs::save_text(&app, "Save recovery codes", "tenant-desk-recovery-codes.txt", &file_dialogs::TEXT, text).await
}
