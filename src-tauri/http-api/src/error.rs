//! Every error leaves as JSON `{code, message, fields}`; `fields` maps the
//! request field at fault (`customer`, `messages[0].text`, `id`, …) to what
//! is wrong with it.

use std::collections::BTreeMap;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tenant_desk_core::{Error, ErrorCode};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApiError {
    /// `unauthorized`, `validation`, `invalid_json`, `unsupported_media_type`,
    /// `body_too_large`, `not_found`, `not_allowed`, `conflict`, `storage`, ….
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The request field at fault and what is wrong with it.
    pub fields: BTreeMap<String, String>,
    #[serde(skip)]
    #[schema(ignore)]
    pub status: StatusCode,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into(), fields: BTreeMap::new(), status }
    }

    pub fn field(mut self, field: &str, message: impl Into<String>) -> Self {
        self.fields.insert(field.to_owned(), message.into());
        self
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Send a valid API key as a Bearer token in the Authorization header.",
        )
    }

    /// A request field with a wrong value (unknown id, wrong type, …).
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation", message.clone()).field(field, message)
    }

    /// An id in the path that names nothing the caller reaches.
    pub fn unknown_id(from: Error) -> Self {
        let message = from.message.clone();
        Self::from(from).field("id", message)
    }
}

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        let status = match e.code {
            ErrorCode::Validation | ErrorCode::NotABackup => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorCode::NotAllowed
            | ErrorCode::PasswordChangeRequired
            | ErrorCode::SecondFactorRequired
            | ErrorCode::MfaEnrollmentRequired => StatusCode::FORBIDDEN,
            ErrorCode::NotSignedIn | ErrorCode::WrongCredentials | ErrorCode::SessionLocked => StatusCode::UNAUTHORIZED,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::Conflict | ErrorCode::EditConflict | ErrorCode::AlreadySetUp | ErrorCode::LastTenantAdmin | ErrorCode::AccountExists => {
                StatusCode::CONFLICT
            }
            ErrorCode::Throttled => StatusCode::TOO_MANY_REQUESTS,
            ErrorCode::Storage
            | ErrorCode::Internal
            | ErrorCode::StoreDamaged
            | ErrorCode::Desktop
            | ErrorCode::FolderInUse
            | ErrorCode::ApiKeyNotOnThisMachine => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            ErrorCode::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
            ErrorCode::ServerUnreachable => StatusCode::BAD_GATEWAY,
            ErrorCode::StoreUnreachable => StatusCode::SERVICE_UNAVAILABLE,
        };
        let code = serde_json::to_value(e.code).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default();
        Self { code, message: e.message, fields: e.fields, status }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, axum::Json(&self)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        }
        response
    }
}
