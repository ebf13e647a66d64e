//! Request bodies and query strings read strictly: unknown fields and wrong
//! types are refused with the path of the field at fault, before anything
//! runs.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body accepted (a new conversation with its first messages).
pub const BODY_LIMIT: usize = 512 * 1024;

/// A JSON body, with the bytes it came as (for idempotency fingerprints).
pub struct StrictJson<T> {
    pub value: T,
    pub raw: Bytes,
}

/// The field a serde error is about: its path (which already ends with an
/// unknown field's name), with a missing field's name added under it.
fn field_of(path: &str, message: &str) -> String {
    let named = ["unknown field `", "missing field `"]
        .iter()
        .find_map(|prefix| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()));
    let path = if path == "." { "" } else { path };
    match named {
        Some(name) if path.is_empty() => name.to_owned(),
        Some(name) if !path.ends_with(name) => format!("{path}.{name}"),
        None if path.is_empty() => "body".to_owned(),
        _ => path.to_owned(),
    }
}

/// The serde message without its position, for people.
fn plain(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    let mut out = message.replace('`', "\"");
    if let Some(first) = out.get(..1) {
        out.replace_range(..1, &first.to_uppercase());
    }
    format!("{out}.")
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for StrictJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json")));
        if !json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "Send the body as JSON (Content-Type: application/json).",
            ));
        }
        let raw = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "body_too_large",
                    format!("The body is larger than {} KiB.", BODY_LIMIT / 1024),
                )
                .field("body", format!("At most {} KiB.", BODY_LIMIT / 1024))
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", "The body could not be read.")
            }
        })?;
        // serde would read a JSON array as the struct's fields in order.
        if raw.iter().find(|b| !b.is_ascii_whitespace()).is_some_and(|b| *b == b'[') {
            return Err(ApiError::invalid("body", "Send a JSON object."));
        }
        let mut de = serde_json::Deserializer::from_slice(&raw);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| (e.path().to_string(), e.into_inner()))
            .and_then(|v| de.end().map(|()| v).map_err(|e| (String::new(), e)));
        match value {
            Ok(value) => Ok(Self { value, raw }),
            Err((_, inner)) if inner.is_syntax() || inner.is_eof() => {
                let message = format!("The body is not valid JSON: {}", plain(&inner.to_string()));
                Err(ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", message.clone()).field("body", message))
            }
            Err((path, inner)) => {
                let message = inner.to_string();
                Err(ApiError::invalid(&field_of(&path, &message), plain(&message)))
            }
        }
    }
}

/// A query string read like a body: unknown parameters and wrong types are
/// refused, naming the parameter.
pub struct StrictQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(StrictQuery).map_err(|e| {
            let message = e.inner().to_string();
            ApiError::invalid(&field_of(&e.path().to_string(), &message), plain(&message))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_by_their_path() {
        assert_eq!(field_of("colour", "unknown field `colour`, expected one of `a`"), "colour");
        assert_eq!(field_of("messages[0].colour", "unknown field `colour`"), "messages[0].colour");
        assert_eq!(field_of("messages[0]", "missing field `text`"), "messages[0].text");
        assert_eq!(field_of(".", "invalid type: integer `5`"), "body");
        assert_eq!(field_of("messages[0].text", "invalid type: integer `5`"), "messages[0].text");
        assert_eq!(plain("invalid type: integer `5`, expected a string at line 1 column 13"), "Invalid type: integer \"5\", expected a string.");
    }
}
