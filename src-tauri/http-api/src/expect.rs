//! What a request field takes, in words, read from the OpenAPI document: a
//! refusal says what the document says of the field, so the two cannot tell
//! different stories, and a value the document rules out is refused here
//! rather than changed further in.

use std::sync::OnceLock;

use serde_json::Value;

/// The document as JSON, built once.
pub fn document() -> &'static Value {
    static DOCUMENT: OnceLock<Value> = OnceLock::new();
    DOCUMENT.get_or_init(|| serde_json::to_value(crate::openapi()).unwrap_or_default())
}

/// A schema of the document by name (`NewConversation`).
pub fn named(name: &str) -> &'static Value {
    &document()["components"]["schemas"][name]
}

/// `schema` with its `$ref` followed and a nullable `oneOf` reduced to its
/// other member.
fn resolve(schema: &Value) -> &Value {
    let mut schema = schema;
    loop {
        if let Some(target) = schema["$ref"].as_str().and_then(|r| r.strip_prefix('#')).and_then(|p| document().pointer(p)) {
            schema = target;
        } else if let Some(other) = schema["oneOf"].as_array().and_then(|all| all.iter().find(|s| s["type"] != "null")) {
            schema = other;
        } else {
            return schema;
        }
    }
}

fn nullable(schema: &Value) -> bool {
    let types = &schema["type"];
    types.as_array().is_some_and(|all| all.iter().any(|t| t == "null"))
        || schema["oneOf"].as_array().is_some_and(|all| all.iter().any(|s| s["type"] == "null"))
}

/// The JSON type a schema takes, besides null.
fn kind(schema: &Value) -> &str {
    match &schema["type"] {
        Value::String(t) => t,
        Value::Array(all) => all.iter().filter_map(Value::as_str).find(|t| *t != "null").unwrap_or_default(),
        _ => "",
    }
}

/// The schema of the field at `path` (`messages[0].text`) under `root`.
pub fn at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut schema = root;
    for segment in path.split('.').filter(|s| !s.is_empty()) {
        let mut parts = segment.split('[');
        let name = parts.next().unwrap_or_default();
        if !name.is_empty() {
            schema = resolve(schema)["properties"].get(name)?;
        }
        for _index in parts {
            schema = resolve(schema).get("items")?;
        }
    }
    Some(schema)
}

/// The fields an object schema has, as a list for people.
pub fn fields(schema: &Value) -> String {
    let names: Vec<String> =
        resolve(schema)["properties"].as_object().map(|p| p.keys().cloned().collect()).unwrap_or_default();
    listed(&names, "and")
}

fn listed(items: &[String], last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., end] => format!("{} {last} {end}", init.join(", ")),
    }
}

fn number(value: &Value) -> Option<i64> {
    value.as_number().and_then(whole)
}

/// A JSON number as a whole number the way JSON Schema counts one: `12` and
/// `12.0` alike, within what 64 bits hold.
pub fn whole(n: &serde_json::Number) -> Option<i64> {
    n.as_i64().or_else(|| {
        let f = n.as_f64()?;
        // 2^63 itself is one past i64::MAX.
        (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
    })
}

/// The whole numbers an integer schema allows; `int32` narrows them.
fn range(schema: &Value) -> (i64, i64) {
    let (low, high) = if schema["format"] == "int32" { (i32::MIN.into(), i32::MAX.into()) } else { (i64::MIN, i64::MAX) };
    (number(&schema["minimum"]).map_or(low, |m| m.max(low)), number(&schema["maximum"]).map_or(high, |m| m.min(high)))
}

/// An integer schema's bounds in words ("between 1 and 200"), if it has any
/// beyond what a 64-bit number holds anyway.
pub fn bounds(schema: &Value) -> Option<String> {
    match range(resolve(schema)) {
        (i64::MIN, i64::MAX) => None,
        (low, i64::MAX) => Some(format!("at least {low}")),
        (i64::MIN, high) => Some(format!("at most {high}")),
        (low, high) => Some(format!("between {low} and {high}")),
    }
}

fn count(schema: &Value, min: &str, max: &str, unit: &str) -> String {
    match (schema[min].as_u64(), schema[max].as_u64()) {
        (Some(low), Some(high)) => format!(" of {low} to {high} {unit}"),
        (Some(low), None) => format!(" of at least {low} {unit}"),
        (None, Some(high)) => format!(" of at most {high} {unit}"),
        (None, None) => String::new(),
    }
}

/// What a field takes, as a phrase ("text of 1 to 40 characters", "one of
/// open or resolved", "a whole number between 1 and 200").
pub fn described(schema: &Value) -> String {
    let target = resolve(schema);
    let mut words = match (target["enum"].as_array(), kind(target)) {
        (Some(options), _) => {
            let options: Vec<String> = options.iter().map(|o| o.as_str().map_or_else(|| o.to_string(), str::to_owned)).collect();
            format!("one of {}", listed(&options, "or"))
        }
        (None, "string") if target["format"] == "date" => "a date like 2026-11-26".to_owned(),
        (None, "string") => format!("text{}", count(target, "minLength", "maxLength", "characters")),
        (None, "integer") => match bounds(target) {
            Some(bounds) if bounds.starts_with("between") => format!("a whole number {bounds}"),
            Some(bounds) => format!("a whole number of {bounds}"),
            None => "a whole number".to_owned(),
        },
        (None, "boolean") => "true or false".to_owned(),
        (None, "array") => format!("a list{}", count(target, "minItems", "maxItems", "items")),
        (None, "object") => "an object".to_owned(),
        _ => "a valid value".to_owned(),
    };
    if nullable(schema) {
        words.push_str(", or null");
    }
    words
}

/// Why a query value does not fit its schema, for people; `None` when it fits.
pub fn refuse_text(name: &str, schema: &Value, value: &str) -> Option<String> {
    let target = resolve(schema);
    let wrong = || Some(format!("{name} must be {}.", described(schema)));
    if let Some(options) = target["enum"].as_array() {
        return if options.iter().any(|o| o == value) { None } else { wrong() };
    }
    match kind(target) {
        "integer" => {
            let digits = value.strip_prefix('-').unwrap_or(value);
            let Some(n) = value.parse::<i64>().ok().filter(|_| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
            else {
                return wrong();
            };
            let (low, high) = range(target);
            if (low..=high).contains(&n) {
                None
            } else {
                Some(format!("{name} must be {}.", bounds(target).unwrap_or_default()))
            }
        }
        "boolean" if value != "true" && value != "false" => wrong(),
        "string" if target["format"] == "date" && !is_date(value) => wrong(),
        "string" if !fits(target, value.chars().count(), "minLength", "maxLength") => wrong(),
        _ => None,
    }
}

/// Whether a JSON body's values keep to the bounds of their schemas (lengths
/// counted as sent, list sizes, number ranges): the first field that does
/// not, with what it must be.
pub fn outside(schema: &Value, value: &Value, path: &str) -> Option<(String, String)> {
    let target = resolve(schema);
    let field = if path.is_empty() { "body" } else { path };
    let wrong = || Some((field.to_owned(), format!("{field} must be {}.", described(schema))));
    match value {
        Value::String(s) if !fits(target, s.chars().count(), "minLength", "maxLength") => wrong(),
        Value::Number(n) if kind(target) == "integer" => {
            let (low, high) = range(target);
            if whole(n).is_some_and(|n| (low..=high).contains(&n)) {
                None
            } else {
                wrong()
            }
        }
        Value::Array(items) => {
            if !fits(target, items.len(), "minItems", "maxItems") {
                return wrong();
            }
            let each = target.get("items")?;
            items.iter().enumerate().find_map(|(i, item)| outside(each, item, &format!("{path}[{i}]")))
        }
        Value::Object(members) => members.iter().find_map(|(name, member)| {
            let inner = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            outside(target["properties"].get(name)?, member, &inner)
        }),
        _ => None,
    }
}

fn fits(schema: &Value, n: usize, min: &str, max: &str) -> bool {
    let n = n as u64;
    schema[min].as_u64().is_none_or(|low| n >= low) && schema[max].as_u64().is_none_or(|high| n <= high)
}

/// A calendar date written YYYY-MM-DD, as JSON Schema's `date` format has it.
fn is_date(value: &str) -> bool {
    let digits = |r: std::ops::Range<usize>| {
        value.get(r).filter(|s| s.bytes().all(|b| b.is_ascii_digit())).and_then(|s| s.parse::<u32>().ok())
    };
    if value.len() != 10 || value.get(4..5) != Some("-") || value.get(7..8) != Some("-") {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else { return false };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn fields_are_described_as_the_document_has_them() {
        let conversation = named("NewSession");
        let say = |path: &str| at(conversation, path).map(described);
        assert_eq!(say("channel").as_deref(), Some("text of 1 to 40 characters"));
        assert_eq!(say("messages[3].author").as_deref(), Some("one of customer, operator or ai_agent"));
        assert_eq!(say("operator_account_id").as_deref(), Some("a whole number of at least 1, or null"));
        assert_eq!(say("messages").as_deref(), Some("a list of at most 100 items"));
        assert_eq!(say("colour"), None);
        assert_eq!(fields(named("NewMessage")), "author and text");
    }

    #[test]
    fn query_values_are_held_to_their_schema() {
        let size = json!({"type": "integer", "format": "int32", "minimum": 1, "maximum": 200});
        assert_eq!(refuse_text("page_size", &size, "50"), None);
        assert_eq!(refuse_text("page_size", &size, "201").as_deref(), Some("page_size must be between 1 and 200."));
        assert_eq!(refuse_text("page_size", &size, "0").as_deref(), Some("page_size must be between 1 and 200."));
        assert_eq!(refuse_text("page_size", &size, "+5").as_deref(), Some("page_size must be a whole number between 1 and 200."));
        assert_eq!(refuse_text("page_size", &size, "abc").as_deref(), Some("page_size must be a whole number between 1 and 200."));
        let page = json!({"type": "integer", "format": "int32", "minimum": 0});
        assert_eq!(refuse_text("page", &page, "2147483648").as_deref(), Some("page must be between 0 and 2147483647."));
        let day = json!({"type": "string", "format": "date"});
        for good in ["2024-02-29", "0001-01-01"] {
            assert_eq!(refuse_text("from", &day, good), None, "{good}");
        }
        for bad in ["2023-02-29", "2024-1-05", " 2024-01-05", "+2024-01-0", "March"] {
            assert_eq!(refuse_text("from", &day, bad).as_deref(), Some("from must be a date like 2026-11-26."), "{bad}");
        }
        assert!(refuse_text("unassigned", &json!({"type": "boolean"}), "yes").is_some());
    }

    #[test]
    fn body_bounds_count_what_was_sent() {
        let conversation = named("NewSession");
        let padded = json!({"channel": format!("web{}", " ".repeat(38)), "customer": "J"});
        assert_eq!(outside(conversation, &padded, ""), Some(("channel".into(), "channel must be text of 1 to 40 characters.".into())));
        let nobody = json!({"channel": "web", "customer": "J", "operator_account_id": 0});
        assert_eq!(outside(conversation, &nobody, "").map(|(field, _)| field).as_deref(), Some("operator_account_id"));
        let empty = json!({"channel": "web", "customer": "J", "messages": [{"author": "customer", "text": ""}]});
        assert_eq!(outside(conversation, &empty, "").map(|(field, _)| field).as_deref(), Some("messages[0].text"));
        assert_eq!(outside(conversation, &json!({"channel": "web", "customer": "J", "operator_account_id": null}), ""), None);
        assert_eq!(outside(conversation, &json!({"channel": "web", "customer": "J", "operator_account_id": 12.0}), ""), None);
    }
}
