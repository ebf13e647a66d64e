use tauri::State;
use tenant_desk_core::auth::SignedIn;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{timezones, Result};

use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub fn list_timezones() -> Vec<String> {
    timezones::all()
}

#[tauri::command]
#[specta::specta]
pub async fn complete_setup(state: State<'_, AppState>, input: SetupInput) -> Result<SignedIn> {
    state
        .run(move |desk, session| {
            let (token, view) = desk.complete_setup(input)?;
            session.set(Some(token));
            Ok(view)
        })
        .await
}
