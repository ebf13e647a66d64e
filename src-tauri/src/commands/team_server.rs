//! "This computer only" or "Connect to a team server": where the window's
//! data lives. Switching keeps this computer's store as it is.

use tauri::{AppHandle, State};
use tenant_desk_core::Result;

use super::sign_in::{startup, Startup};
use crate::connection::{ServerAddress, TeamServer};
use crate::state::AppState;

/// Connects to the team server at `address` (after it answered) and starts
/// over there: its setup when it has none yet, else its Sign in.
#[tauri::command]
#[specta::specta]
pub async fn connect_team_server(app: AppHandle, state: State<'_, AppState>, address: String) -> Result<Startup> {
    let address = ServerAddress::parse(&address)?;
    // Asked before anything is saved: a wrong address changes nothing.
    TeamServer::new(address.clone()).is_set_up().await.map_err(|mut e| {
        e.fields.insert("address".into(), e.message.clone());
        e
    })?;
    leave_server(&state).await;
    state.work_with(Some(address))?;
    startup(app, state).await
}

/// Back to this computer's own store.
#[tauri::command]
#[specta::specta]
pub async fn use_this_computer(app: AppHandle, state: State<'_, AppState>) -> Result<Startup> {
    leave_server(&state).await;
    state.work_with(None)?;
    startup(app, state).await
}

/// Ends the window's sign-in on the server it leaves; the kept one stays in
/// the keyring for coming back.
async fn leave_server(state: &AppState) {
    if let Some(server) = state.team_server() {
        if let Some(token) = server.token() {
            server.set_token(None);
            let _ = server.sign_out(token).await;
        }
    }
}
