//! The one set of tenant field rules, value by value on and just past every
//! boundary, for both forms (Edit tenant and Profile > Customer organization).

use tenant_desk_core::tenants::rules::{check, Form};
use tenant_desk_core::tenants::TenantFields;
use tenant_desk_core::ErrorCode;

use crate::support::valid_tenant;

const EDIT: Form = Form::EditTenant;
const PROFILE: Form = Form::CustomerOrganization;

fn set(fields: &mut TenantFields, field: &str, value: &str) {
    let slot = match field {
        "name" => &mut fields.name,
        "description" => &mut fields.description,
        "billing_email" => &mut fields.billing_email,
        "phone" => &mut fields.phone,
        "website" => &mut fields.website,
        "country" => &mut fields.country,
        "street" => &mut fields.street,
        "zip_code" => &mut fields.zip_code,
        "timezone" => &mut fields.timezone,
        other => panic!("unknown field {other}"),
    };
    *slot = value.to_owned();
}

/// (field, form, value, the message under the field or None when accepted)
fn cases() -> Vec<(&'static str, Form, String, Option<&'static str>)> {
    let phone = "Enter 7 to 15 digits, with an optional leading +.";
    let website = "Enter a web address starting with http:// or https://, like https://example.com.";
    let street = "Street must be 3 to 100 characters.";
    let zip = "ZIP code must be 3 to 10 characters.";
    let email = "Enter a valid email address, like billing@example.com.";
    let s = |v: &str| v.to_owned();
    vec![
        // Name: required, at most 100 characters (not bytes).
        ("name", EDIT, s(""), Some("Name is required.")),
        ("name", EDIT, s("   "), Some("Name is required.")),
        ("name", EDIT, s("A"), None),
        ("name", EDIT, "é".repeat(100), None),
        ("name", EDIT, "é".repeat(101), Some("Name must be at most 100 characters.")),
        ("name", PROFILE, s(""), Some("Name is required.")),
        // Description: optional in Edit tenant, required on the Profile page.
        ("description", EDIT, s(""), None),
        ("description", PROFILE, s(""), Some("Description is required.")),
        ("description", PROFILE, s("  "), Some("Description is required.")),
        ("description", PROFILE, "ü".repeat(500), None),
        ("description", PROFILE, "ü".repeat(501), Some("Description must be at most 500 characters.")),
        // Billing email: required and valid in both forms.
        ("billing_email", EDIT, s(""), Some("Billing email is required.")),
        ("billing_email", EDIT, s("billing@"), Some(email)),
        ("billing_email", EDIT, s("billing.example.com"), Some(email)),
        ("billing_email", EDIT, s("  billing@acme.example  "), None),
        ("billing_email", PROFILE, s("billing@acme.example"), None),
        // Phone: 7–15 digits, optional leading +; optional in Edit tenant, required on Profile.
        ("phone", EDIT, s(""), None),
        ("phone", PROFILE, s(""), Some("Phone is required.")),
        ("phone", EDIT, "1".repeat(6), Some(phone)),
        ("phone", EDIT, "1".repeat(7), None),
        ("phone", EDIT, "1".repeat(15), None),
        ("phone", EDIT, "1".repeat(16), Some(phone)),
        ("phone", EDIT, format!("+{}", "1".repeat(6)), Some(phone)),
        ("phone", EDIT, format!("+{}", "1".repeat(7)), None),
        ("phone", EDIT, format!("+{}", "1".repeat(15)), None),
        ("phone", EDIT, format!("+{}", "1".repeat(16)), Some(phone)),
        ("phone", EDIT, s("  +4930123456  "), None),
        ("phone", EDIT, s("++4930123456"), Some(phone)),
        ("phone", EDIT, s("49+30123456"), Some(phone)),
        ("phone", EDIT, s("030 123 456"), Some(phone)),
        ("phone", EDIT, s("030-1234567"), Some(phone)),
        // Arabic-Indic digits are digits to Unicode, not to the phone network.
        ("phone", EDIT, s("٠١٢٣٤٥٦٧"), Some(phone)),
        ("phone", PROFILE, s("+4930123456"), None),
        // Website: optional; http:// or https:// and a valid URL with a host.
        ("website", EDIT, s(""), None),
        ("website", PROFILE, s(""), None),
        ("website", EDIT, s("http://acme.example"), None),
        ("website", EDIT, s("https://acme.example/path?q=1"), None),
        ("website", EDIT, s("HTTPS://ACME.EXAMPLE"), None),
        ("website", EDIT, s("https://bücher.example"), None),
        ("website", EDIT, s("  https://acme.example  "), None),
        ("website", EDIT, s("acme.example"), Some(website)),
        ("website", EDIT, s("www.acme.example"), Some(website)),
        ("website", EDIT, s("ftp://acme.example"), Some(website)),
        ("website", EDIT, s("https://"), Some(website)),
        ("website", EDIT, s("https://exa mple.com"), Some(website)),
        ("website", EDIT, s("http:/acme.example"), Some(website)),
        // Country: from the ISO 3166 list, by code or name; required on Profile.
        ("country", EDIT, s(""), None),
        ("country", PROFILE, s(""), Some("Country is required.")),
        ("country", EDIT, s("DE"), None),
        ("country", EDIT, s("de"), None),
        ("country", EDIT, s("Germany"), None),
        ("country", EDIT, s("Japan"), None),
        ("country", EDIT, s("XX"), Some("Pick a country from the list.")),
        ("country", EDIT, s("Atlantis"), Some("Pick a country from the list.")),
        // Street: 3–100 characters; required on Profile.
        ("street", EDIT, s(""), None),
        ("street", PROFILE, s(""), Some("Street is required.")),
        ("street", EDIT, s("ab"), Some(street)),
        ("street", EDIT, s("abc"), None),
        ("street", EDIT, s("  ab  "), Some(street)),
        ("street", EDIT, "ß".repeat(2), Some(street)),
        ("street", EDIT, "ß".repeat(3), None),
        ("street", EDIT, "ß".repeat(100), None),
        ("street", EDIT, "ß".repeat(101), Some(street)),
        // ZIP code: 3–10 characters; required on Profile.
        ("zip_code", EDIT, s(""), None),
        ("zip_code", PROFILE, s(""), Some("ZIP code is required.")),
        ("zip_code", EDIT, s("12"), Some(zip)),
        ("zip_code", EDIT, s("123"), None),
        ("zip_code", EDIT, s("1234567890"), None),
        ("zip_code", EDIT, s("12345678901"), Some(zip)),
        ("zip_code", EDIT, s(" 123 "), None),
        ("zip_code", EDIT, "Å".repeat(10), None),
        ("zip_code", EDIT, "Å".repeat(11), Some(zip)),
        // Timezone: an IANA name from chrono-tz's list.
        ("timezone", EDIT, s("Europe/Berlin"), None),
        ("timezone", EDIT, s("America/Argentina/Buenos_Aires"), None),
        ("timezone", EDIT, s("UTC"), None),
        ("timezone", EDIT, s(""), Some("Pick a timezone from the list (an IANA name such as Europe/Berlin).")),
        ("timezone", EDIT, s("Europe/Atlantis"), Some("Pick a timezone from the list (an IANA name such as Europe/Berlin).")),
        ("timezone", EDIT, s("CEST"), Some("Pick a timezone from the list (an IANA name such as Europe/Berlin).")),
    ]
}

#[test]
fn every_field_rule_on_and_past_its_boundaries() {
    for (field, form, value, want) in cases() {
        let mut input = valid_tenant("Acme");
        set(&mut input, field, &value);
        let outcome = check(&input, form);
        match (want, outcome) {
            (None, Ok(_)) => {}
            (None, Err(e)) => panic!("{field} {value:?} ({form:?}) refused: {:?}", e.fields),
            (Some(message), Ok(_)) => panic!("{field} {value:?} ({form:?}) accepted, wanted {message:?}"),
            (Some(message), Err(e)) => {
                assert_eq!(e.code, ErrorCode::Validation);
                assert_eq!(e.fields.get(field).map(String::as_str), Some(message), "{field} {value:?} ({form:?})");
                assert_eq!(e.fields.len(), 1, "only {field} fails: {:?}", e.fields);
            }
        }
    }
}

#[test]
fn accepted_values_come_back_trimmed_and_normalized() {
    let mut input = valid_tenant("  Acme  ");
    input.country = " germany ".into();
    input.phone = " +4930123456 ".into();
    input.labels = vec![" VIP ".into(), "vip".into(), "".into(), "beta".into()];
    let out = check(&input, PROFILE).unwrap();
    assert_eq!(out.name, "Acme");
    assert_eq!(out.country, "DE");
    assert_eq!(out.phone, "+4930123456");
    assert_eq!(out.labels, vec!["VIP".to_owned(), "beta".to_owned()]);
}

#[test]
fn labels_are_limited_in_number_and_length() {
    let mut input = valid_tenant("Acme");
    input.labels = vec!["x".repeat(30)];
    assert!(check(&input, EDIT).is_ok());
    input.labels = vec!["x".repeat(31)];
    assert!(check(&input, EDIT).unwrap_err().fields.contains_key("labels"));
    input.labels = (0..21).map(|i| format!("l{i}")).collect();
    assert!(check(&input, EDIT).unwrap_err().fields.contains_key("labels"));
}

#[test]
fn every_failing_field_is_reported_at_once() {
    let input = TenantFields { timezone: "Europe/Berlin".into(), ..TenantFields::default() };
    let e = check(&input, PROFILE).unwrap_err();
    let fields: Vec<&str> = e.fields.keys().map(String::as_str).collect();
    assert_eq!(fields, ["billing_email", "country", "description", "name", "phone", "street", "zip_code"]);
    assert_eq!(e.message, "Some fields need attention.");
}
