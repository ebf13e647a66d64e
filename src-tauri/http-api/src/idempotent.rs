//! Writes sent with an `Idempotency-Key` header run once: the reply is kept
//! (in the core's store, with the write) and a retry with the same key gets it
//! again, marked `Idempotent-Replayed: true`. A write that fails keeps no key.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tenant_desk_core::authz::Caller;
use tenant_desk_core::idempotency::{Once, Written, KEY_MAX};
use tenant_desk_core::Desk;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::ApiState;

const HEADER: &str = "Idempotency-Key";

/// The `Idempotency-Key` header of a write, documented and read as one.
#[derive(IntoParams)]
#[into_params(names("Idempotency-Key"), parameter_in = Header)]
pub struct IdempotencyKey(
    /// Makes retries safe: a retry with the same key gets the first reply
    /// again. Use a new key for each new request: a key sent before with a
    /// different request is refused (422).
    #[param(nullable = false, min_length = 1, max_length = 255, pattern = "^[!-~]+$")]
    pub Option<String>,
);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(HEADER) else { return Ok(Self(None)) };
        let key = value.to_str().map(str::trim).unwrap_or_default();
        if key.is_empty() || key.len() > KEY_MAX || !key.chars().all(|c| c.is_ascii_graphic()) {
            let sentence = format!("{HEADER} must be 1 to {KEY_MAX} visible ASCII characters.");
            return Err(ApiError::invalid(HEADER, sentence));
        }
        Ok(Self(Some(key.to_owned())))
    }
}

fn json(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))], body).into_response()
}

/// The request a key was first used for: method, path and body.
fn fingerprint(request: &str, body: &[u8]) -> String {
    let mut hash = Sha256::new();
    hash.update(request.as_bytes());
    hash.update([0]);
    hash.update(body);
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Runs `write` on a blocking thread, once per idempotency key: the core
/// claims the key, writes and keeps the reply in one transaction.
pub async fn write<R, F>(
    state: &ApiState,
    caller: Caller,
    key: IdempotencyKey,
    request: String,
    body: &[u8],
    status: StatusCode,
    write: F,
) -> Result<Response, ApiError>
where
    R: Serialize,
    F: FnOnce(&Desk, &Caller, Option<Once>) -> Result<Written<R>, ApiError> + Send + 'static,
{
    let fingerprint = fingerprint(&request, body);
    let desk = state.desk.clone();
    crate::conversations::blocking(move || {
        let once = key.0.as_deref().map(|key| Once { key, fingerprint: &fingerprint });
        match write(&desk, &caller, once)? {
            Written::Now(reply) => Ok(json(status, serde_json::to_string(&reply).unwrap_or_default())),
            Written::Again(reply) => {
                let mut response = json(status, serde_json::to_string(&reply).unwrap_or_default());
                response.headers_mut().insert("Idempotent-Replayed", HeaderValue::from_static("true"));
                Ok(response)
            }
        }
    })
    .await
}
