use tauri::{AppHandle, State};
use tenant_desk_core::auth::SignedIn;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{timezones, Result};

use super::relayed::Relayed;
use super::sign_in::signed_in_on;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn list_timezones() -> Vec<String> {
    timezones::all()
}

/// First-run setup: of this computer's store, or of the team server the
/// desktop connects to first (refused there once someone set it up).
#[tauri::command]
#[specta::specta]
pub async fn complete_setup(app: AppHandle, state: State<'_, AppState>, input: SetupInput) -> Result<Relayed<SignedIn>> {
    if let Some(server) = state.team_server() {
        let body = serde_json::to_value(&input).map_err(|e| tenant_desk_core::Error::internal(e.to_string()))?;
        let (token, view) = server.open_session("/api/desk/v1/setup", body).await?;
        signed_in_on(&app, &state, &server, token, false).await;
        return Ok(Relayed::There(crate::connection::this_desktop::as_seen_here::<SignedIn>(view).await));
    }
    state
        .run(move |desk, session| {
            let (token, view) = desk.complete_setup(input)?;
            session.set(Some(token));
            Ok(Relayed::Here(view))
        })
        .await
}
