//! The window's own sign-in: start-up, signing in and out, the code step, a
//! new password, one's password and places, the idle lock.

use serde::Serialize;
use specta::Type;
use tauri::State;
use tenant_desk_core::auth::{
    NewPasswordInput, PasswordChange, PasswordChanged, PlaceKind, SignInCodeInput, SignInInput, SignInPlace, SignedIn, UnlockInput,
};
use tenant_desk_core::Error;
use tenant_desk_core::setup::StartupState;
use tenant_desk_core::Result;

use crate::state::AppState;

#[derive(Serialize, Type)]
pub struct Startup {
    pub state: StartupState,
    /// Set when a remembered sign-in was resumed from the keyring.
    pub signed_in: Option<SignedIn>,
}

/// What the window shows first: setup, sign-in, or the resumed session.
#[tauri::command]
#[specta::specta]
pub async fn startup(state: State<'_, AppState>) -> Result<Startup> {
    state
        .run(|desk, session| {
            let startup_state = desk.startup_state()?;
            if let Some(token) = session.current() {
                if let Ok(view) = desk.signed_in(&token) {
                    return Ok(Startup { state: startup_state, signed_in: Some(view) });
                }
            }
            let resumed = if startup_state.needs_setup { None } else { desk.resume()? };
            let signed_in = resumed.map(|(token, view)| {
                session.set(Some(token));
                view
            });
            Ok(Startup { state: startup_state, signed_in })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_in(state: State<'_, AppState>, input: SignInInput) -> Result<SignedIn> {
    state
        .run(move |desk, session| {
            let (token, view) = desk.sign_in(input)?;
            session.set(Some(token));
            Ok(view)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> Result<()> {
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

/// Replaces a temporary password at sign-in, before anything else opens.
#[tauri::command]
#[specta::specta]
pub async fn set_new_password(state: State<'_, AppState>, input: NewPasswordInput) -> Result<SignedIn> {
    state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            desk.set_new_password(&token, input)
        })
        .await
}

/// The second step of signing in when MFA is on: a code or a recovery code.
#[tauri::command]
#[specta::specta]
pub async fn verify_sign_in_code(state: State<'_, AppState>, input: SignInCodeInput) -> Result<SignedIn> {
    state
        .run(move |desk, session| {
            let token = session.current().ok_or_else(Error::not_signed_in)?;
            desk.verify_sign_in_code(&token, input)
        })
        .await
}

/// Profile > Security > Change password: every other place signed in ends.
#[tauri::command]
#[specta::specta]
pub async fn change_own_password(state: State<'_, AppState>, input: PasswordChange) -> Result<PasswordChanged> {
    state.as_session(move |desk, token| desk.change_own_password(token, &input)).await
}

/// Profile > Security > Where you're signed in.
#[tauri::command]
#[specta::specta]
pub async fn list_signed_in_places(state: State<'_, AppState>) -> Result<Vec<SignInPlace>> {
    state.as_session(|desk, token| desk.signed_in_places(token)).await
}

#[tauri::command]
#[specta::specta]
pub async fn sign_out_place(state: State<'_, AppState>, kind: PlaceKind, id: i64) -> Result<Vec<SignInPlace>> {
    state.as_session(move |desk, token| desk.sign_out_place(token, kind, id)).await
}

/// The person used the window: its idle lock counts from now.
#[tauri::command]
#[specta::specta]
pub async fn note_activity(state: State<'_, AppState>) -> Result<()> {
    state.as_session(|desk, token| desk.note_activity(token)).await
}

/// The window's idle timer ran out (or its person locked it).
#[tauri::command]
#[specta::specta]
pub async fn lock_session(state: State<'_, AppState>) -> Result<SignedIn> {
    state.as_session(|desk, token| desk.lock_session(token)).await
}

#[tauri::command]
#[specta::specta]
pub async fn unlock_session(state: State<'_, AppState>, input: UnlockInput) -> Result<SignedIn> {
    state.as_session(move |desk, token| desk.unlock_session(token, &input)).await
}
