//! Request bodies read strictly: unknown fields, wrong types and values out
//! of the document's bounds are refused, naming the field at fault and what
//! it takes, before anything runs.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::expect;

/// The largest body accepted (a new conversation with its first messages).
pub const BODY_LIMIT: usize = 512 * 1024;

/// A JSON body, with the bytes it came as (for idempotency fingerprints).
pub struct StrictJson<T> {
    pub value: T,
    pub raw: Bytes,
}

fn not_json(e: &serde_json::Error) -> ApiError {
    let what = if e.is_eof() { "it ends too early" } else { "unexpected text" };
    let message = format!("The body is not valid JSON: {what} at line {}, column {}.", e.line(), e.column());
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_json", message.clone()).field("body", message)
}

/// The name serde quotes in "unknown field `x`" or "missing field `x`".
fn quoted<'a>(message: &'a str, prefix: &str) -> Option<&'a str> {
    message.strip_prefix(prefix)?.split('`').next()
}

fn joined(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

/// A serde error at `path` (`messages[0].author`, empty for the body), said
/// for people from what the document says of the field.
fn refusal(root: &Value, path: &str, message: &str) -> ApiError {
    let path = path.trim_start_matches('.');
    if let Some(name) = quoted(message, "unknown field `") {
        // The path already ends with the unknown name; its object is above it.
        let above = path.strip_suffix(name).unwrap_or(path).trim_end_matches('.');
        let field = joined(above, name);
        let object = expect::at(root, above).unwrap_or(root);
        let sentence = format!("{field} is not a field here; the fields are {}.", expect::fields(object));
        return ApiError::invalid(&field, sentence);
    }
    if let Some(name) = quoted(message, "missing field `") {
        let field = joined(path, name);
        let sentence = match expect::at(root, &field) {
            Some(schema) => format!("{field} is required: {}.", expect::described(schema)),
            None => format!("{field} is required."),
        };
        return ApiError::invalid(&field, sentence);
    }
    if let Some(name) = quoted(message, "duplicate field `") {
        let field = joined(path, name);
        return ApiError::invalid(&field, format!("{field} is given twice; give it once."));
    }
    match expect::at(root, path) {
        Some(schema) if !path.is_empty() => ApiError::invalid(path, format!("{path} must be {}.", expect::described(schema))),
        _ => ApiError::invalid("body", "The body must be a JSON object with the fields this request takes."),
    }
}

impl<S: Send + Sync, T: DeserializeOwned + ToSchema> FromRequest<S> for StrictJson<T> {
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
        let sent: Value = serde_json::from_slice(&raw).map_err(|e| not_json(&e))?;
        // serde would read a JSON array as the struct's fields in order.
        if !sent.is_object() {
            return Err(ApiError::invalid("body", "The body must be a JSON object."));
        }
        let root = expect::named(&T::name());
        // From the bytes, not from `sent`: a field given twice is refused, not
        // the last one taken.
        let mut de = serde_json::Deserializer::from_slice(&raw);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| refusal(root, &e.path().to_string(), &e.into_inner().to_string()))?;
        if let Some((field, sentence)) = expect::outside(root, &sent, "") {
            return Err(ApiError::invalid(&field, sentence));
        }
        Ok(Self { value, raw })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(path: &str, message: &str) -> (String, String) {
        let e = refusal(expect::named("NewSession"), path, message);
        let (field, sentence) = e.fields.into_iter().next().unwrap_or_default();
        (field, sentence)
    }

    #[test]
    fn refusals_name_the_field_and_what_it_takes() {
        assert_eq!(
            said("colour", "unknown field `colour`, expected one of `channel`"),
            ("colour".into(), "colour is not a field here; the fields are channel, customer, messages and operator_account_id.".into())
        );
        assert_eq!(
            said("messages[0].mood", "unknown field `mood`"),
            ("messages[0].mood".into(), "messages[0].mood is not a field here; the fields are author and text.".into())
        );
        assert_eq!(
            said("messages[0]", "missing field `text`"),
            ("messages[0].text".into(), "messages[0].text is required: text of 1 to 4000 characters.".into())
        );
        assert_eq!(
            said("customer", "invalid type: integer `5`, expected a string"),
            ("customer".into(), "customer must be text of 1 to 200 characters.".into())
        );
        assert_eq!(
            said("messages[2].author", "unknown variant `robot`"),
            ("messages[2].author".into(), "messages[2].author must be one of customer, operator or ai_agent.".into())
        );
        assert_eq!(said(".", "invalid type: integer `5`").0, "body");
    }
}
