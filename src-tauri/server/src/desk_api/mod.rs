//! What desktops connected to the team server call, under `/api/desk/v1`:
//! signing in (the server's login session token is the bearer credential; the
//! store keeps only its hash), the stream of changes, and every operation the
//! window offers.
//!
//! - `sign_in`: first-run setup from a desktop, sign-in with the password (the
//!   code step is the operation `verify_sign_in_code`), who is signed in, sign-out; failed sign-ins bounded per client address as well as per account.
//! - `events`: server-sent events with sequence numbers and catching up.
//! - `archive`: the tenant as an archive, for an offline snapshot.
//! - `operations`: every operation the window offers, by name.

mod archive;
mod events;
mod operations;
mod sign_in;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{DefaultBodyLimit, FromRequestParts};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use tenant_desk_api::ApiError;
use tenant_desk_core::auth::SessionToken;
use tenant_desk_core::users::MAX_CSV_BYTES;
use tenant_desk_core::Desk;

pub use events::{EventLog, Shared, ToDesktops};

use crate::rate::RateLimit;

#[derive(Clone)]
pub struct DeskApi {
    desk: Arc<Desk>,
    data_dir: PathBuf,
    events: Arc<EventLog>,
    failed_sign_ins: Arc<RateLimit>,
}

/// Failed sign-ins one client address may make per minute, all accounts
/// together (each account has its own, stricter throttle in the core).
const FAILED_SIGN_INS_PER_MINUTE: u32 = 20;

pub fn routes(desk: Arc<Desk>, data_dir: PathBuf, events: Arc<EventLog>) -> Router {
    let failed_sign_ins = Arc::new(RateLimit::new(FAILED_SIGN_INS_PER_MINUTE, FAILED_SIGN_INS_PER_MINUTE));
    Router::new()
        .route("/api/desk/v1/setup", post(sign_in::setup))
        .route("/api/desk/v1/sign-in", post(sign_in::password))
        .route("/api/desk/v1/sign-out", post(sign_in::sign_out))
        .route("/api/desk/v1/me", get(sign_in::me))
        .route("/api/desk/v1/events", get(events::stream))
        .route("/api/desk/v1/archive", get(archive::download))
        // An import of users carries its CSV file, which JSON may double.
        .route("/api/desk/v1/op/{name}", post(operations::run).layer(DefaultBodyLimit::max(2 * MAX_CSV_BYTES)))
        .with_state(DeskApi { desk, data_dir, events, failed_sign_ins })
}

/// The login session token a desktop sends as `Authorization: Bearer …`.
pub struct Bearer(SessionToken);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .filter(|t| !t.is_empty())
            .map(|t| Bearer(SessionToken::presented(t.to_owned())))
            .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "not_signed_in", "Sign in first."))
    }
}

/// Core work (SQLite, Argon2) off the async threads.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T, ApiError> + Send + 'static) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The request could not be completed."))?
}
