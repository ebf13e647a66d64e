//! Who is calling: `Authorization: Bearer <key>` with the tenant API key
//! (full access to its tenant's conversations) or a person's personal API key
//! (acting with that person's role in the key's tenant). Anything else is 401.
//!
//! The extractor yields a core [`Caller`]; a key that stands for a person
//! becomes `Caller::Person` with that person's role in the key's tenant, and
//! the core decides what it may do.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use tenant_desk_core::authz::Caller;

use crate::error::ApiError;
use crate::ApiState;

pub struct Authenticated(pub Caller);

fn bearer(parts: &Parts) -> Option<String> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

impl FromRequestParts<ApiState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &ApiState) -> Result<Self, ApiError> {
        let key = bearer(parts).ok_or_else(ApiError::unauthorized)?;
        let desk = state.desk.clone();
        let caller = tokio::task::spawn_blocking(move || match desk.tenant_key_caller(&key)? {
            Some(tenant) => Ok::<_, tenant_desk_core::Error>(Some(tenant)),
            None => Ok(desk.verify_personal_api_key(&key)?.map(Caller::Person)),
        })
            .await
            .map_err(|_| ApiError::unauthorized())??;
        caller.map(Authenticated).ok_or_else(ApiError::unauthorized)
    }
}
