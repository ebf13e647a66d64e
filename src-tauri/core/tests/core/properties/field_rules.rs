//! The form rules on generated input: the tenant field rules (both forms),
//! operator schedules and their preview, and Personal information. Anything
//! typed gets an answer (never a panic) whose errors name only the form's
//! fields; values made by the rules are accepted as typed; one broken field is
//! named alone.

use std::collections::BTreeSet;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use tenant_desk_core::profile::PersonalDetails;
use tenant_desk_core::schedules::{self, HourRange, Schedule};
use tenant_desk_core::tenants::rules::{check, Form};
use tenant_desk_core::tenants::TenantFields;
use tenant_desk_core::{countries, timezones, ErrorCode};

use super::{any_text, config, typed_text};
use crate::support::*;

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/field_rules.txt");

const TENANT_FIELDS: [&str; 11] =
    ["name", "description", "billing_email", "phone", "website", "country", "street", "zip_code", "timezone", "labels", "idle_lock_minutes"];

fn form() -> impl Strategy<Value = Form> {
    prop_oneof![Just(Form::EditTenant), Just(Form::CustomerOrganization)]
}

/// What anyone might send: any text in every field.
fn any_tenant_fields() -> impl Strategy<Value = TenantFields> {
    (
        proptest::collection::vec(prop_oneof![any_text(12), typed_text(12)], 9),
        proptest::collection::vec(any_text(8), 0..4),
        any::<bool>(),
        any::<u32>(),
    )
        .prop_map(|(texts, labels, require_mfa, idle_lock_minutes)| {
            let [name, description, billing_email, phone, website, country, street, zip_code, timezone] =
                <[String; 9]>::try_from(texts).unwrap_or_default();
            TenantFields {
                name,
                description,
                billing_email,
                phone,
                website,
                country,
                street,
                zip_code,
                timezone,
                labels,
                require_mfa,
                idle_lock_minutes,
            }
        })
}

/// Text of `min..=max` characters with no space at either end, and no NUL
/// (which every rule refuses).
pub fn trimmed_text(min: usize, max: usize) -> impl Strategy<Value = String> {
    typed_text(max).prop_map(|t| t.replace('\0', "").trim().to_owned()).prop_filter("long enough", move |t| t.chars().count() >= min)
}

/// Spaces a person may leave around what they type.
fn padded(value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (value, proptest::sample::select(vec!["", " ", "  ", "\t", " \n"]), proptest::sample::select(vec!["", " ", "\t "]))
        .prop_map(|(v, before, after)| format!("{before}{v}{after}"))
}

fn email() -> impl Strategy<Value = String> {
    "[a-z0-9]{1,10}(\\.[a-z0-9_+-]{1,8}){0,2}@[a-z0-9]{1,10}(-[a-z0-9]{1,5})?\\.[a-z]{2,6}"
}

/// Tenant fields made by the rules: every one accepted by both forms.
pub fn valid_tenant_fields() -> impl Strategy<Value = TenantFields> {
    let countries: Vec<String> = countries::all().into_iter().flat_map(|c| [c.code, c.name]).collect();
    (
        (padded(trimmed_text(1, 100)), padded(trimmed_text(1, 500)), padded(email()), padded("\\+?[0-9]{7,15}".prop_map(String::from))),
        (padded("https?://[a-zA-Z0-9]{1,20}\\.[a-z]{2,6}(/[a-zA-Z0-9._~-]{0,12})?".prop_map(String::from)), padded(proptest::sample::select(countries))),
        (padded(trimmed_text(3, 100)), padded(trimmed_text(3, 10)), padded(proptest::sample::select(timezones::all()))),
        (proptest::collection::vec(padded(trimmed_text(1, 30)), 0..=20), any::<bool>(), 1u32..=480),
    )
        .prop_map(|((name, description, billing_email, phone), (website, country), (street, zip_code, timezone), (labels, require_mfa, idle))| {
            TenantFields {
                name,
                description,
                billing_email,
                phone,
                website,
                country,
                street,
                zip_code,
                timezone,
                labels,
                require_mfa,
                idle_lock_minutes: idle,
            }
        })
}

/// A value the rules refuse for `field` (one of `TENANT_FIELDS`), in either form.
fn broken(field: &'static str) -> BoxedStrategy<String> {
    match field {
        "name" => prop_oneof![Just(String::new()), Just(" \t ".to_owned()), trimmed_text(101, 130)].boxed(),
        "description" => trimmed_text(501, 540).boxed(),
        "billing_email" => prop_oneof![Just(String::new()), "[a-z0-9 .]{1,20}".prop_map(String::from), "[a-z]{1,5}@".prop_map(String::from)].boxed(),
        "phone" => prop_oneof!["\\+?[0-9]{1,6}".prop_map(String::from), "\\+?[0-9]{16,20}".prop_map(String::from), "[0-9]{3}[ a-z-][0-9]{5}".prop_map(String::from)].boxed(),
        "website" => prop_oneof!["(ftp|file|mailto)://[a-z]{1,10}\\.[a-z]{2,4}".prop_map(String::from), "[a-z]{1,10}\\.[a-z]{2,4}".prop_map(String::from), Just("https://".to_owned())].boxed(),
        "country" => "[A-Za-z ]{3,20}".prop_filter("not a country", |t| !t.trim().is_empty() && countries::find(t).is_none()).boxed(),
        "street" => prop_oneof![trimmed_text(1, 2), trimmed_text(101, 130)].boxed(),
        "zip_code" => prop_oneof![trimmed_text(1, 2), trimmed_text(11, 20)].boxed(),
        "timezone" => typed_text(20).prop_filter("not a zone", |t| timezones::parse(t.trim()).is_none()).boxed(),
        other => panic!("no broken value for {other}"),
    }
}

fn set(fields: &mut TenantFields, field: &str, value: String) {
    match field {
        "name" => fields.name = value,
        "description" => fields.description = value,
        "billing_email" => fields.billing_email = value,
        "phone" => fields.phone = value,
        "website" => fields.website = value,
        "country" => fields.country = value,
        "street" => fields.street = value,
        "zip_code" => fields.zip_code = value,
        "timezone" => fields.timezone = value,
        other => panic!("unknown field {other}"),
    }
}

/// Valid fields with one of them broken: (fields, the broken one).
fn one_broken_field() -> impl Strategy<Value = (TenantFields, &'static str)> {
    let text_fields = vec!["name", "description", "billing_email", "phone", "website", "country", "street", "zip_code", "timezone"];
    let text = (valid_tenant_fields(), proptest::sample::select(text_fields))
        .prop_flat_map(|(fields, field)| (Just(fields), Just(field), broken(field)))
        .prop_map(|(mut fields, field, value)| {
            set(&mut fields, field, value);
            (fields, field)
        });
    let labels = (valid_tenant_fields(), prop_oneof![
        proptest::collection::vec(trimmed_text(1, 30), 21..25).prop_map(|l| l.into_iter().enumerate().map(|(i, l)| format!("{i}{l}")).collect()),
        trimmed_text(31, 40).prop_map(|l| vec![l]),
    ])
        .prop_map(|(fields, labels)| (TenantFields { labels, ..fields }, "labels"));
    let idle = (valid_tenant_fields(), prop_oneof![Just(0u32), 481u32..]).prop_map(|(fields, idle)| (TenantFields { idle_lock_minutes: idle, ..fields }, "idle_lock_minutes"));
    prop_oneof![9 => text, 1 => labels, 1 => idle]
}

/// Schedule ranges of whole hours, valid or not.
fn any_ranges() -> impl Strategy<Value = Vec<HourRange>> {
    let hour = prop_oneof![4 => 0u8..=25, 1 => any::<u8>()];
    let weekday = prop_oneof![4 => 0u8..=7, 1 => any::<u8>()];
    proptest::collection::vec((weekday, hour.clone(), hour), 0..8)
        .prop_map(|r| r.into_iter().map(|(weekday, start_hour, end_hour)| HourRange { weekday, start_hour, end_hour }).collect())
}

fn zone() -> impl Strategy<Value = String> {
    prop_oneof![4 => proptest::sample::select(timezones::all()), 1 => typed_text(12)]
}

fn is_valid(r: &HourRange) -> bool {
    r.weekday <= 6 && r.start_hour <= 23 && (1..=24).contains(&r.end_hour) && r.end_hour > r.start_hour
}

/// The (weekday, hour) pairs a range names.
fn hours(r: &HourRange) -> BTreeSet<(u8, u8)> {
    (r.start_hour..r.end_hour).map(|h| (r.weekday, h)).collect()
}

proptest! {
    #![proptest_config(config(REGRESSIONS, 128))]

    #[test]
    fn any_tenant_fields_get_an_answer_naming_only_form_fields(fields in any_tenant_fields(), form in form()) {
        match check(&fields, form) {
            Ok(stored) => {
                prop_assert_eq!(check(&stored, form), Ok(stored.clone()), "what is stored passes again unchanged");
            }
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::Validation);
                prop_assert!(!e.fields.is_empty());
                for field in e.fields.keys() {
                    prop_assert!(TENANT_FIELDS.contains(&field.as_str()), "not a field of the form: {}", field);
                }
            }
        }
    }

    #[test]
    fn tenant_fields_made_by_the_rules_are_accepted_trimmed(fields in valid_tenant_fields(), form in form()) {
        let stored = check(&fields, form).map_err(|e| TestCaseError::fail(format!("{:?}", e.fields)))?;
        prop_assert_eq!(&stored.name, fields.name.trim());
        prop_assert_eq!(&stored.billing_email, fields.billing_email.trim());
        prop_assert_eq!(&stored.street, fields.street.trim());
        prop_assert_eq!(Some(stored.country.as_str()), countries::find(&fields.country).map(|c| c.alpha2));
        prop_assert_eq!(&stored.timezone, fields.timezone.trim());
        prop_assert!(stored.labels.len() <= fields.labels.len());
        prop_assert!(stored.labels.iter().all(|l| fields.labels.iter().any(|typed| typed.trim() == l)));
    }

    #[test]
    fn one_broken_tenant_field_is_named_alone((fields, field) in one_broken_field(), form in form()) {
        let e = check(&fields, form).err().ok_or_else(|| TestCaseError::fail(format!("{field} was accepted")))?;
        prop_assert_eq!(e.code, ErrorCode::Validation);
        prop_assert_eq!(e.fields.keys().collect::<Vec<_>>(), vec![field]);
    }

    #[test]
    fn a_schedule_is_refused_only_for_its_broken_or_overlapping_ranges(zone in zone(), ranges in any_ranges()) {
        let schedule = Schedule { zone: zone.clone(), ranges: ranges.clone() };
        let mut errors = tenant_desk_core::error::FieldErrors::new();
        schedules::check(&schedule, &mut errors);
        let named: BTreeSet<String> = errors.into_result().err().map(|e| e.fields.into_keys().collect()).unwrap_or_default();
        let mut expected = BTreeSet::new();
        if timezones::parse(&zone).is_none() {
            expected.insert("schedule_zone".to_owned());
        }
        for (i, r) in ranges.iter().enumerate() {
            let overlaps = ranges[..i].iter().any(|earlier| !hours(earlier).is_disjoint(&hours(r)));
            if !is_valid(r) || overlaps {
                expected.insert(format!("schedule.{i}"));
            }
        }
        // A valid range may also be named for overlapping a broken one; never
        // is a range named that is valid and overlaps nothing at all.
        for name in &named {
            prop_assert!(name == "schedule_zone" || name.strip_prefix("schedule.").and_then(|i| i.parse::<usize>().ok()).is_some_and(|i| i < ranges.len()), "{}", name);
        }
        for i in 0..ranges.len() {
            let key = format!("schedule.{i}");
            let touches_any = ranges.iter().enumerate().any(|(j, o)| j != i && o.weekday == ranges[i].weekday && o.start_hour < ranges[i].end_hour && ranges[i].start_hour < o.end_hour);
            if !expected.contains(&key) && !touches_any {
                prop_assert!(!named.contains(&key), "a valid range overlapping nothing was refused: {:?}", ranges[i]);
            }
        }
        prop_assert!(expected.is_subset(&named), "expected {:?} named, got {:?}", expected, named);
    }

    #[test]
    fn a_schedule_preview_shows_each_valid_range_at_most_once(zone in zone(), tenant_zone in zone(), viewer_zone in zone(), ranges in any_ranges(), days in 0i64..40_000) {
        let now = Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap() + chrono::Duration::days(days);
        let preview = schedules::preview(&Schedule { zone, ranges: ranges.clone() }, &tenant_zone, &viewer_zone, now);
        prop_assert!(preview.rows.len() <= ranges.iter().filter(|r| is_valid(r)).count());
        prop_assert!(!preview.week.is_empty());
    }
}

#[test]
fn personal_information_is_saved_trimmed_or_refused_under_its_field() {
    let h = Harness::new();
    h.set_up(false);
    let actor = h.actor_of(ADMIN_EMAIL);
    let details = prop_oneof![
        (any_text(110), any_text(20), any_text(110)),
        (padded(trimmed_text(1, 100)), prop_oneof![Just(String::new()), padded("\\+?[0-9]{7,15}".prop_map(String::from))], padded(trimmed_text(0, 100))),
    ];
    super::check(config(REGRESSIONS, 48), details, |(name, phone, company)| {
        let typed = PersonalDetails { name: name.clone(), phone: phone.clone(), company: company.clone() };
        match h.desk.update_own_details(&actor, &typed) {
            Ok(profile) => {
                prop_assert_eq!(&profile.name, name.trim());
                prop_assert_eq!(&profile.phone, phone.trim());
                prop_assert_eq!(&profile.company, company.trim());
            }
            Err(e) => {
                prop_assert_eq!(e.code, ErrorCode::Validation, "{:?}", e);
                prop_assert!(!e.fields.is_empty());
                prop_assert!(e.fields.keys().all(|f| ["name", "phone", "company"].contains(&f.as_str())), "{:?}", e.fields);
                let valid_name = !name.trim().is_empty() && name.trim().chars().count() <= 100 && !name.contains('\0');
                prop_assert_eq!(e.fields.contains_key("name"), !valid_name);
            }
        }
        Ok(())
    });
}
