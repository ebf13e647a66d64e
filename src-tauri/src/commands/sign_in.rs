//! The window's own sign-in: start-up, signing in and out and the code step,
//! on this computer's store or against the team server. The rest of the
//! sign-in's operations (a new password, one's password and places, the
//! idle lock) are declared in `tenant_desk_core::operations`.

use std::sync::Arc;

use serde::Serialize;
use serde_json::json;
use specta::Type;
use tauri::{AppHandle, State};
use tenant_desk_core::auth::{SignInCodeInput, SignInInput, SignedIn};
use tenant_desk_core::setup::StartupState;
use tenant_desk_core::{Error, Result};

use super::operations::relay;
use super::relayed::Relayed;
use crate::connection::{follow, remembered, this_desktop, TeamServer};
use crate::state::AppState;

#[derive(Serialize, Type)]
pub struct Startup {
    pub state: StartupState,
    /// Set when a remembered sign-in was resumed from the keyring.
    pub signed_in: Option<Relayed<SignedIn>>,
    /// The team server the window works with; none: this computer.
    pub server: Option<String>,
}

/// What the window shows first: setup, sign-in, or the resumed session.
#[tauri::command]
#[specta::specta]
pub async fn startup(app: AppHandle, state: State<'_, AppState>) -> Result<Startup> {
    match state.team_server() {
        Some(server) => startup_on(&app, &state, server).await,
        None => startup_here(&state).await,
    }
}

async fn startup_here(state: &AppState) -> Result<Startup> {
    state
        .run(|desk, session| {
            let startup_state = desk.startup_state()?;
            if let Some(token) = session.current() {
                if let Ok(view) = desk.signed_in(&token) {
                    return Ok(Startup { state: startup_state, signed_in: Some(Relayed::Here(view)), server: None });
                }
            }
            let resumed = if startup_state.needs_setup { None } else { desk.resume()? };
            let signed_in = resumed.map(|(token, view)| {
                session.set(Some(token));
                Relayed::Here(view)
            });
            Ok(Startup { state: startup_state, signed_in, server: None })
        })
        .await
}

/// On a team server: its setup when nobody set it up yet, else the sign-in
/// in memory or the one kept in this desktop's keyring. A server that does
/// not answer leaves the window at Sign in, which says so when used.
async fn startup_on(app: &AppHandle, state: &AppState, server: Arc<TeamServer>) -> Result<Startup> {
    let mut startup_state = state.run(|desk, _| desk.startup_state()).await?;
    startup_state.needs_setup = server.is_set_up().await.map(|set_up| !set_up).unwrap_or(false);
    let server_name = Some(server.base().to_owned());
    if startup_state.needs_setup {
        return Ok(Startup { state: startup_state, signed_in: None, server: server_name });
    }
    let known = match server.token() {
        Some(token) => Some(token),
        None => remembered::recall(state.keyring(), &server).await,
    };
    let mut signed_in = None;
    if let Some(token) = known {
        match server.me(&token).await {
            Ok(view) => {
                signed_in_on(app, state, &server, token, false).await;
                signed_in = Some(Relayed::There(this_desktop::as_seen_here::<SignedIn>(view).await));
            }
            Err(e) if e.code == tenant_desk_core::ErrorCode::NotSignedIn => {
                remembered::forget(state.keyring(), &server).await;
                server.set_token(None);
            }
            Err(_) => {}
        }
    }
    Ok(Startup { state: startup_state, signed_in, server: server_name })
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(app: AppHandle, state: State<'_, AppState>, input: SignInInput) -> Result<Relayed<SignedIn>> {
    let Some(server) = state.team_server() else {
        return state
            .run(move |desk, session| {
                let (token, view) = desk.sign_in(input)?;
                session.set(Some(token));
                Ok(Relayed::Here(view))
            })
            .await;
    };
    let remember = input.remember;
    let (token, view) =
        server.open_session("/api/desk/v1/sign-in", json!({ "email": input.email, "password": input.password })).await?;
    signed_in_on(&app, &state, &server, token, remember && !needs_code(&view)).await;
    Ok(Relayed::There(this_desktop::as_seen_here::<SignedIn>(view).await))
}

/// A sign-in that waits for its code is kept only once the code is right.
fn needs_code(view: &serde_json::Value) -> bool {
    view["second_factor_required"].as_bool().unwrap_or(false)
}

/// The server's sign-in is the window's from now on: its changes followed,
/// its token in this desktop's keyring when the person chose so (`remember`),
/// and what closing the window does read ahead.
pub(super) async fn signed_in_on(app: &AppHandle, state: &AppState, server: &Arc<TeamServer>, token: String, remember: bool) {
    if remember {
        remembered::keep(state.keyring(), server, &token).await;
    }
    server.set_token(Some(token));
    state.session_changed();
    follow::start(app, server);
    // Read now, so closing the window later does not wait on the network.
    let keeps = relay::get_preferences(state).await.and_then(Relayed::value).is_ok_and(|p| p.keep_running_when_closed);
    state.note_keeps_running_on_server(keeps);
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Result<()> {
    if let Some(server) = state.team_server() {
        remembered::forget(state.keyring(), &server).await;
        if let Some(token) = server.token() {
            server.set_token(None);
            state.session_changed();
            server.sign_out(token).await?;
        }
        return Ok(());
    }
    state
        .run(|desk, session| {
            if let Some(token) = session.current() {
                session.set(None);
                desk.sign_out(&token)?;
            }
            Ok(())
        })
        .await
}

/// The second step of signing in when MFA is on: a code or a recovery code.
#[tauri::command]
#[specta::specta]
pub async fn verify_sign_in_code(app: AppHandle, state: State<'_, AppState>, input: SignInCodeInput) -> Result<Relayed<SignedIn>> {
    let Some(server) = state.team_server() else {
        return relay::verify_sign_in_code(&state, input).await;
    };
    // The server keeps no sign-in of its own: this desktop's keyring does.
    let remember = input.remember;
    let view = relay::verify_sign_in_code(&state, SignInCodeInput { remember: false, ..input }).await?;
    let token = server.token().ok_or_else(Error::not_signed_in)?;
    signed_in_on(&app, &state, &server, token, remember).await;
    Ok(view)
}

