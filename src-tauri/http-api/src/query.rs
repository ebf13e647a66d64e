//! Query strings read like bodies: every parameter is held to the schema the
//! document gives it (type, bounds, allowed values) before the handler runs,
//! and a refusal names the parameter and what it takes. Nothing out of
//! bounds is quietly changed into something in bounds.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use utoipa::openapi::path::ParameterIn;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::expect;

pub struct StrictQuery<T>(pub T);

/// The parameters `T` documents, by name, with their schemas.
fn documented<T: IntoParams>() -> Map<String, Value> {
    T::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .filter_map(|p| {
            let p = serde_json::to_value(p).ok()?;
            Some((p["name"].as_str()?.to_owned(), p["schema"].clone()))
        })
        .collect()
}

fn check(documented: &Map<String, Value>, query: &str) -> Result<(), ApiError> {
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let Some(schema) = documented.get(name.as_ref()) else {
            let known: Vec<&str> = documented.keys().map(String::as_str).collect();
            let sentence = format!("{name} is not a parameter here; the parameters are {}.", known.join(", "));
            return Err(ApiError::invalid(&name, sentence));
        };
        if seen.iter().any(|s| *s == name) {
            return Err(ApiError::invalid(&name, format!("{name} is given twice; give it once.")));
        }
        if let Some(sentence) = expect::refuse_text(&name, schema, &value) {
            return Err(ApiError::invalid(&name, sentence));
        }
        seen.push(name.into_owned());
    }
    Ok(())
}

impl<S: Send + Sync, T: DeserializeOwned + IntoParams> FromRequestParts<S> for StrictQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let query = parts.uri.query().unwrap_or_default();
        let documented = documented::<T>();
        check(&documented, query)?;
        let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
        serde_path_to_error::deserialize(de).map(StrictQuery).map_err(|e| {
            // Checked above, so only a parameter the check and serde read
            // differently gets here.
            let name = e.path().to_string();
            let takes = documented.get(&name).map(expect::described).unwrap_or_else(|| "a valid value".to_owned());
            ApiError::invalid(&name, format!("{name} must be {takes}."))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::ListParams;

    fn refused(query: &str) -> Option<(String, String)> {
        check(&documented::<ListParams>(), query).err().and_then(|e| e.fields.into_iter().next())
    }

    #[test]
    fn every_parameter_is_held_to_its_schema() {
        assert_eq!(refused("status=open&page=0&page_size=200&from=2026-01-01&unassigned=true&text=refund"), None);
        let sized = |n: &str| refused(&format!("page_size={n}"));
        assert_eq!(sized("201"), Some(("page_size".into(), "page_size must be between 1 and 200.".into())));
        assert_eq!(sized("0"), Some(("page_size".into(), "page_size must be between 1 and 200.".into())));
        assert_eq!(sized("ten"), Some(("page_size".into(), "page_size must be a whole number between 1 and 200.".into())));
        assert_eq!(refused("status=closed").map(|r| r.1).as_deref(), Some("status must be one of open or resolved."));
        assert_eq!(refused("page=1&page=2").map(|r| r.1).as_deref(), Some("page is given twice; give it once."));
        assert_eq!(refused("colour=red").map(|r| r.0).as_deref(), Some("colour"));
        assert_eq!(refused("operator_account_id=0").map(|r| r.1).as_deref(), Some("operator_account_id must be at least 1."));
    }
}
