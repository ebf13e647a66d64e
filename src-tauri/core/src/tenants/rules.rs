//! The one set of tenant field rules, used by the Edit tenant and Add tenant
//! dialogs and by Profile > Customer organization. Values are trimmed first;
//! lengths count characters, not bytes. Every failure is reported under its
//! field, and nothing is written while any remains.

use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::{FieldErrors, Result};
use crate::validate::{required_text, trimmed, without_nul};
use crate::{countries, timezones};

pub const NAME_MAX_CHARS: usize = 100;
pub const DESCRIPTION_MAX_CHARS: usize = 500;
pub const PHONE_DIGITS: (usize, usize) = (7, 15);
pub const STREET_CHARS: (usize, usize) = (3, 100);
pub const ZIP_CODE_CHARS: (usize, usize) = (3, 10);
pub const WEBSITE_MAX_CHARS: usize = 2048;
pub const EMAIL_MAX_CHARS: usize = 254;
pub const LABEL_MAX_CHARS: usize = 30;
pub const MAX_LABELS: usize = 20;
/// Minutes without input before a member's window locks (OWASP ASVS 7.3.1).
pub const IDLE_LOCK_MINUTES: (u32, u32) = (1, 480);
pub const IDLE_LOCK_MINUTES_DEFAULT: u32 = 15;

/// Which form the fields come from: the Profile page requires more of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// Identity > Tenants: Edit tenant and Add tenant.
    EditTenant,
    /// Profile > Account > Customer organization.
    CustomerOrganization,
}

impl Form {
    fn requires_contact_and_address(self) -> bool {
        self == Form::CustomerOrganization
    }
}

/// A tenant's editable details, as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct TenantFields {
    pub name: String,
    pub description: String,
    pub billing_email: String,
    pub phone: String,
    pub website: String,
    /// ISO 3166-1 alpha-2 code or the country's name from the list.
    pub country: String,
    pub street: String,
    pub zip_code: String,
    /// IANA name, e.g. "Europe/Berlin".
    pub timezone: String,
    pub labels: Vec<String>,
    /// Members must use MFA (set by the tenant's admins).
    pub require_mfa: bool,
    /// Minutes without input before a member's window locks.
    pub idle_lock_minutes: u32,
}

impl Default for TenantFields {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            billing_email: String::new(),
            phone: String::new(),
            website: String::new(),
            country: String::new(),
            street: String::new(),
            zip_code: String::new(),
            timezone: String::new(),
            labels: Vec::new(),
            require_mfa: false,
            idle_lock_minutes: IDLE_LOCK_MINUTES_DEFAULT,
        }
    }
}

/// Checks every field and returns them as they are stored: trimmed, the
/// country as its alpha-2 code, labels without blanks or repeats.
pub fn check(input: &TenantFields, form: Form) -> Result<TenantFields> {
    let strict = form.requires_contact_and_address();
    let out = TenantFields {
        name: trimmed(&input.name),
        description: trimmed(&input.description),
        billing_email: trimmed(&input.billing_email),
        phone: trimmed(&input.phone),
        website: trimmed(&input.website),
        country: trimmed(&input.country),
        street: trimmed(&input.street),
        zip_code: trimmed(&input.zip_code),
        timezone: trimmed(&input.timezone),
        labels: normalized_labels(&input.labels),
        require_mfa: input.require_mfa,
        idle_lock_minutes: input.idle_lock_minutes,
    };
    let mut errors = FieldErrors::new();
    // First, so that its message is the one a field gets.
    for (field, label, value) in [
        ("description", "Description", &out.description),
        ("billing_email", "Billing email", &out.billing_email),
        ("phone", "Phone", &out.phone),
        ("website", "Website", &out.website),
        ("country", "Country", &out.country),
        ("street", "Street", &out.street),
        ("zip_code", "ZIP code", &out.zip_code),
        ("timezone", "Timezone", &out.timezone),
    ] {
        errors.check(field, without_nul(value, label));
    }
    for label in &out.labels {
        errors.check("labels", without_nul(label, "Labels"));
    }
    errors.check("name", required_text(&out.name, "Name", NAME_MAX_CHARS));
    errors.check("description", description(&out.description, strict));
    errors.check("billing_email", billing_email(&out.billing_email));
    errors.check("phone", optional(&out.phone, "Phone", strict, phone));
    errors.check("website", optional(&out.website, "Website", false, website));
    errors.check("country", optional(&out.country, "Country", strict, country));
    errors.check("street", optional(&out.street, "Street", strict, street));
    errors.check("zip_code", optional(&out.zip_code, "ZIP code", strict, zip_code));
    errors.check("timezone", timezones::check(&out.timezone));
    errors.check("labels", labels(&out.labels));
    let (least, most) = IDLE_LOCK_MINUTES;
    if !(least..=most).contains(&out.idle_lock_minutes) {
        errors.add("idle_lock_minutes", format!("Choose from {least} to {most} minutes."));
    }
    errors.into_result()?;
    let country = countries::find(&out.country).map(|c| c.alpha2.to_owned()).unwrap_or_default();
    Ok(TenantFields { country, ..out })
}

type Rule = fn(&str) -> std::result::Result<(), String>;

/// Empty passes unless the form requires the field; anything else must pass `rule`.
fn optional(value: &str, label: &str, required: bool, rule: Rule) -> std::result::Result<(), String> {
    match (value.is_empty(), required) {
        (true, true) => Err(format!("{label} is required.")),
        (true, false) => Ok(()),
        (false, _) => rule(value),
    }
}

fn description(value: &str, required: bool) -> std::result::Result<(), String> {
    if value.is_empty() && !required {
        return Ok(());
    }
    required_text(value, "Description", DESCRIPTION_MAX_CHARS)
}

pub fn billing_email(value: &str) -> std::result::Result<(), String> {
    if value.is_empty() {
        return Err("Billing email is required.".to_owned());
    }
    if value.chars().count() > EMAIL_MAX_CHARS || !email_address::EmailAddress::is_valid(value) {
        return Err("Enter a valid email address, like billing@example.com.".to_owned());
    }
    Ok(())
}

pub fn phone(value: &str) -> std::result::Result<(), String> {
    let digits = value.strip_prefix('+').unwrap_or(value);
    let (min, max) = PHONE_DIGITS;
    let n = digits.chars().count();
    if digits.chars().all(|c| c.is_ascii_digit()) && (min..=max).contains(&n) {
        Ok(())
    } else {
        Err(format!("Enter {min} to {max} digits, with an optional leading +."))
    }
}

pub fn website(value: &str) -> std::result::Result<(), String> {
    let message = || Err("Enter a web address starting with http:// or https://, like https://example.com.".to_owned());
    let lower = value.to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) || value.chars().count() > WEBSITE_MAX_CHARS {
        return message();
    }
    match url::Url::parse(value) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host_str().is_some_and(|h| !h.is_empty()) => Ok(()),
        _ => message(),
    }
}

pub fn country(value: &str) -> std::result::Result<(), String> {
    match countries::find(value) {
        Some(_) => Ok(()),
        None => Err("Pick a country from the list.".to_owned()),
    }
}

fn between(value: &str, label: &str, (min, max): (usize, usize)) -> std::result::Result<(), String> {
    if (min..=max).contains(&value.chars().count()) {
        Ok(())
    } else {
        Err(format!("{label} must be {min} to {max} characters."))
    }
}

pub fn street(value: &str) -> std::result::Result<(), String> {
    between(value, "Street", STREET_CHARS)
}

pub fn zip_code(value: &str) -> std::result::Result<(), String> {
    between(value, "ZIP code", ZIP_CODE_CHARS)
}

fn normalized_labels(labels: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for label in labels.iter().map(|l| trimmed(l)).filter(|l| !l.is_empty()) {
        if !out.iter().any(|seen| seen.to_lowercase() == label.to_lowercase()) {
            out.push(label);
        }
    }
    out
}

fn labels(labels: &[String]) -> std::result::Result<(), String> {
    if labels.len() > MAX_LABELS || labels.iter().any(|l| l.chars().count() > LABEL_MAX_CHARS) {
        Err(format!("Up to {MAX_LABELS} labels of at most {LABEL_MAX_CHARS} characters each."))
    } else {
        Ok(())
    }
}
