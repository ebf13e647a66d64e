//! "This computer only" or "Connect to a team server": where the window's
//! data lives. Switching keeps this computer's store as it is.

use serde::Serialize;
use specta::Type;
use tauri::{AppHandle, State};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::sign_in::{startup, Startup};
use crate::connection::{certificate, ServerAddress, TeamServer};
use crate::state::AppState;

/// What the desktop found at an address before connecting.
#[derive(Serialize, Type)]
pub struct ServerCheck {
    /// The address as it will be used (`https://host:port`).
    pub address: String,
    /// A certificate the system's authorities do not vouch for: its SHA-256
    /// fingerprint, for the person to compare before trusting it.
    pub untrusted_fingerprint: Option<String>,
}

/// Connect, first step: does the server answer, and does this computer
/// trust its certificate? Nothing is kept.
#[tauri::command]
#[specta::specta]
pub async fn check_team_server(address: String) -> Result<ServerCheck> {
    let address = ServerAddress::parse(&address)?;
    let base = address.base.clone();
    match TeamServer::new(address.clone()).is_set_up().await {
        Ok(_) => Ok(ServerCheck { address: base, untrusted_fingerprint: None }),
        Err(e) if !address.is_tls() || e.code != ErrorCode::ServerUnreachable => in_field(Err(e)),
        Err(_) => {
            // Not over a certificate this computer trusts (or not at all): what does it present?
            let der = in_field(presented(&address).await)?;
            Ok(ServerCheck { address: base, untrusted_fingerprint: Some(certificate::fingerprint(&der)) })
        }
    }
}

/// Connects to the team server at `address` and starts over there: its
/// setup when it has none yet, else its Sign in. `fingerprint`: the
/// self-signed certificate the person confirmed, pinned from now on (it must
/// still be the one the server presents).
#[tauri::command]
#[specta::specta]
pub async fn connect_team_server(
    app: AppHandle,
    state: State<'_, AppState>,
    address: String,
    fingerprint: Option<String>,
) -> Result<Startup> {
    let mut address = ServerAddress::parse(&address)?;
    if let Some(confirmed) = fingerprint {
        let der = in_field(presented(&address).await)?;
        if certificate::fingerprint(&der) != confirmed {
            return in_field(Err(Error::new(
                ErrorCode::Validation,
                "The server now presents another certificate than the one you compared. Check it again.",
            )));
        }
        address.pinned = Some(tenant_desk_core::operations::encode_bytes(&der));
    }
    // Asked before anything is saved: a wrong address changes nothing.
    in_field(TeamServer::new(address.clone()).is_set_up().await)?;
    leave_server(&state).await;
    state.work_with(Some(address))?;
    startup(app, state).await
}

/// A refusal shown under the address field.
fn in_field<T>(outcome: Result<T>) -> Result<T> {
    outcome.map_err(|mut e| {
        e.fields.insert("address".into(), e.message.clone());
        e
    })
}

async fn presented(address: &ServerAddress) -> Result<Vec<u8>> {
    let (host, port) = address.host_and_port().ok_or_else(|| Error::internal("an address without host"))?;
    tauri::async_runtime::spawn_blocking(move || certificate::presented(&host, port))
        .await
        .map_err(|e| Error::internal(format!("worker failed: {e}")))?
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
