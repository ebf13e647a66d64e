//! Signing a desktop in against the server: the same rules as the window's
//! own sign-in (the per-account throttle, MFA, a temporary password to
//! replace), plus a bound on failed sign-ins per client address, so one
//! machine cannot try many accounts.

use std::net::SocketAddr;
use std::time::Instant;

use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tenant_desk_api::ApiError;
use tenant_desk_core::auth::{SignInInput, SignedIn};
use tenant_desk_core::setup::SetupInput;

use super::{blocking, Bearer, DeskApi};

#[derive(Deserialize)]
pub struct Credentials {
    email: String,
    password: String,
}

/// The token to send from now on (kept by the desktop in its OS keyring
/// when the person chose "Keep me signed in"), and who is signed in.
#[derive(Serialize)]
pub struct Session {
    token: String,
    signed_in: SignedIn,
}

pub async fn password(
    State(api): State<DeskApi>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Json(credentials): Json<Credentials>,
) -> Result<Json<Session>, ApiError> {
    if let Err(wait) = api.failed_sign_ins.peek(peer.ip(), Instant::now()) {
        return Err(too_many(wait));
    }
    let desk = api.desk.clone();
    let answer = blocking(move || {
        // The desktop keeps the token; the server remembers no sign-in of its own.
        let input = SignInInput { email: credentials.email, password: credentials.password, remember: false };
        Ok(desk.sign_in(input)?)
    })
    .await;
    match answer {
        Ok((token, signed_in)) => Ok(Json(Session { token: token.expose().to_owned(), signed_in })),
        Err(refusal) => {
            if refusal.code == "wrong_credentials" {
                let _ = api.failed_sign_ins.take(peer.ip(), Instant::now());
            }
            Err(refusal)
        }
    }
}

/// First-run setup from the first desktop that connects, as the desktop's
/// own setup works: refused once the workspace exists.
pub async fn setup(State(api): State<DeskApi>, Json(input): Json<SetupInput>) -> Result<Json<Session>, ApiError> {
    let desk = api.desk.clone();
    let (token, signed_in) = blocking(move || Ok(desk.complete_setup(input)?)).await?;
    tracing::info!("set up from a desktop");
    Ok(Json(Session { token: token.expose().to_owned(), signed_in }))
}

pub async fn me(State(api): State<DeskApi>, Bearer(token): Bearer) -> Result<Json<SignedIn>, ApiError> {
    let desk = api.desk.clone();
    blocking(move || Ok(desk.signed_in(&token)?)).await.map(Json)
}

pub async fn sign_out(State(api): State<DeskApi>, Bearer(token): Bearer) -> Result<StatusCode, ApiError> {
    let desk = api.desk.clone();
    blocking(move || Ok(desk.sign_out(&token)?)).await.map(|()| StatusCode::NO_CONTENT)
}

fn too_many(wait: u64) -> ApiError {
    ApiError::new(
        StatusCode::TOO_MANY_REQUESTS,
        "throttled",
        format!("Too many failed sign-ins from this computer. Try again in {wait} seconds."),
    )
}
