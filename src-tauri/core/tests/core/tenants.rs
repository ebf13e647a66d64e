//! Identity > Tenants and Profile > Customer organization through the core:
//! editing, searching, timezones, read-only tenants, adding tenants.

use chrono::Duration;
use tenant_desk_core::authz::Role;
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn tenant_id(h: &Harness) -> i64 {
    h.actor_of(ADMIN_EMAIL).tenant.unwrap().tenant_id
}

#[test]
fn edit_tenant_saves_trimmed_values_shows_them_in_the_list_and_audits() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let id = tenant_id(&h);
    let mut input = valid_tenant("  Acme Europe ");
    input.country = "Germany".into();
    let row = h.desk.update_tenant(&admin, id, &input).unwrap();
    assert_eq!(row.name, "Acme Europe");
    assert_eq!((row.country.as_str(), row.country_name.as_str()), ("DE", "Germany"));
    assert_eq!(row.address, "Unter den Linden 1, 10117, Germany");
    let listed = h.desk.list_tenants(&admin, "").unwrap();
    assert_eq!(listed, vec![row]);

    let audit = h.audit("tenant.update");
    assert_eq!(audit.len(), 1);
    let (before, after) = &audit[0];
    let before: serde_json::Value = serde_json::from_str(before.as_deref().unwrap()).unwrap();
    let after: serde_json::Value = serde_json::from_str(after.as_deref().unwrap()).unwrap();
    assert_eq!(before["name"], "Acme Support");
    assert_eq!(after["name"], "Acme Europe");
    assert_eq!(after["country"], "DE");
}

#[test]
fn a_refused_edit_writes_nothing() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let id = tenant_id(&h);
    let mut input = valid_tenant("Renamed");
    input.phone = "123".into();
    input.website = "acme.example".into();
    let e = h.desk.update_tenant(&admin, id, &input).unwrap_err();
    assert_eq!(e.code, ErrorCode::Validation);
    assert!(e.fields.contains_key("phone") && e.fields.contains_key("website"));
    assert_eq!(h.desk.list_tenants(&admin, "").unwrap()[0].name, "Acme Support");
    assert!(h.audit("tenant.update").is_empty());
}

#[test]
fn changing_the_timezone_moves_every_shown_time_but_no_stored_one() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let id = tenant_id(&h);
    // Set up at 2026-03-01 09:00 UTC, in Europe/Berlin.
    let row = h.desk.list_tenants(&admin, "").unwrap().remove(0);
    assert_eq!(row.created_on, "1 Mar 2026, 10:00");
    let stored = |h: &Harness| -> i64 {
        h.desk.db().read(|tx| Ok(tx.query_row("SELECT created_at FROM tenants WHERE id = ?1", [id], |r| r.get(0))?)).unwrap()
    };
    let created_at = stored(&h);

    h.clock.advance(Duration::hours(1));
    let mut input = valid_tenant("Acme Support");
    input.timezone = "Asia/Tokyo".into();
    let row = h.desk.update_tenant(&admin, id, &input).unwrap();
    assert_eq!(row.created_on, "1 Mar 2026, 18:00");
    assert_eq!(row.modified_on, "1 Mar 2026, 19:00");
    assert_eq!(stored(&h), created_at);

    input.timezone = "America/New_York".into();
    let row = h.desk.update_tenant(&admin, id, &input).unwrap();
    assert_eq!(row.created_on, "1 Mar 2026, 04:00");
}

#[test]
fn search_matches_name_description_or_label_ignoring_case() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut other = valid_tenant("Globex Helpdesk");
    other.description = "Night shift team".into();
    other.labels = vec!["Premium".into(), "EMEA".into()];
    h.desk.add_tenant(&admin, &other).unwrap();
    let names = |search: &str| -> Vec<String> {
        h.desk.list_tenants(&admin, search).unwrap().into_iter().map(|t| t.name).collect()
    };
    assert_eq!(names(""), ["Acme Support", "Globex Helpdesk"]);
    assert_eq!(names("acme"), ["Acme Support"]);
    assert_eq!(names("NIGHT"), ["Globex Helpdesk"]);
    assert_eq!(names("premium"), ["Globex Helpdesk"]);
    assert_eq!(names("  emea "), ["Globex Helpdesk"]);
    assert!(names("nothing like this").is_empty());
}

#[test]
fn tenant_admins_see_and_edit_only_the_tenants_they_administer() {
    let h = Harness::new();
    h.set_up(true);
    let platform_admin = h.actor_of(ADMIN_EMAIL);
    let other = h.desk.add_tenant(&platform_admin, &valid_tenant("Globex Helpdesk")).unwrap();
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    assert!(!ada.is_platform_admin);
    let visible: Vec<String> = h.desk.list_tenants(&ada, "").unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(visible, ["Acme Support"]);
    assert_eq!(h.desk.update_tenant(&ada, other.id, &valid_tenant("Mine now")).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.rotate_tenant_api_key(&ada, other.id).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.tenant_api_key(&ada, other.id).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.update_tenant(&ada, 9999, &valid_tenant("Ghost")).unwrap_err().code, ErrorCode::NotAllowed);
    // The platform administrator sees both.
    assert_eq!(h.desk.list_tenants(&platform_admin, "").unwrap().len(), 2);
}

#[test]
fn a_read_only_tenant_refuses_every_change() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let id = tenant_id(&h);
    h.mark_read_only(id);
    let refused = |e: tenant_desk_core::Error| {
        assert_eq!(e.code, ErrorCode::NotAllowed);
        assert_eq!(e.message, "This tenant is read-only and cannot be changed.");
    };
    refused(h.desk.update_tenant(&admin, id, &valid_tenant("Changed")).unwrap_err());
    refused(h.desk.update_own_organization(&admin, &valid_organization("Changed")).unwrap_err());
    refused(h.desk.rotate_tenant_api_key(&admin, id).unwrap_err());
    let row = h.desk.list_tenants(&admin, "").unwrap().remove(0);
    assert!(row.read_only);
    assert_eq!(row.name, "Acme Support");
    let org = h.desk.organization(&admin).unwrap().unwrap();
    assert!(!org.can_edit);
    // Copying the key is not a change.
    assert!(h.desk.tenant_api_key(&admin, id).is_ok());
    assert!(h.audit("tenant.update").is_empty());
}

#[test]
fn add_tenant_starts_with_its_creator_as_tenant_admin_and_a_fresh_key() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let row = h.desk.add_tenant(&admin, &valid_tenant("Globex Helpdesk")).unwrap();
    assert_eq!(row.name, "Globex Helpdesk");
    let role: String = h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT role FROM memberships WHERE account_id = ?1 AND tenant_id = ?2",
                [admin.account_id, row.id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(role, "tenant_admin");
    let key = h.desk.tenant_api_key(&admin, row.id).unwrap();
    assert_eq!(h.desk.verify_tenant_api_key(key.expose()).unwrap(), Some(row.id));
    let first = h.desk.tenant_api_key(&admin, tenant_id(&h)).unwrap();
    assert_ne!(first, key);
    let audit = h.audit("tenant.create");
    assert_eq!(audit.len(), 1);
    assert!(audit[0].1.as_deref().unwrap().contains("Globex Helpdesk"));
}

#[test]
fn add_tenant_is_refused_to_tenant_admins_and_past_three_owned_tenants() {
    let h = Harness::new();
    h.set_up(true);
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    assert_eq!(h.desk.add_tenant(&ada, &valid_tenant("Not mine")).unwrap_err().code, ErrorCode::NotAllowed);
    let admin = h.actor_of(ADMIN_EMAIL);
    // Setup made the first; two more reach the limit of three.
    h.desk.add_tenant(&admin, &valid_tenant("Second")).unwrap();
    h.desk.add_tenant(&admin, &valid_tenant("Third")).unwrap();
    let e = h.desk.add_tenant(&admin, &valid_tenant("Fourth")).unwrap_err();
    assert_eq!(e.message, "You already own 3 organizations, the most one account may own.");
    assert_eq!(h.desk.list_tenants(&admin, "").unwrap().len(), 3);
    // Invalid details are refused field by field.
    let e = h.desk.add_tenant(&admin, &tenant_desk_core::tenants::TenantFields::default()).unwrap_err();
    assert!(e.fields.contains_key("name") && e.fields.contains_key("billing_email"));
}

#[test]
fn customer_organization_is_read_by_everyone_and_edited_by_tenant_admins() {
    let h = Harness::new();
    h.set_up(true);
    for role in Role::ALL {
        let actor = h.actor_of(member_email(role));
        let org = h.desk.organization(&actor).unwrap().unwrap();
        assert_eq!(org.tenant.name, "Acme Support");
        assert_eq!(org.can_edit, role == Role::TenantAdmin, "{role:?}");
    }
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    let org = h.desk.update_own_organization(&ada, &valid_organization("Acme Europe")).unwrap();
    assert_eq!(org.tenant.name, "Acme Europe");
    // Timezone and labels are kept: they are not on the Profile form.
    assert_eq!(org.tenant.timezone, "Europe/Berlin");
    assert_eq!(h.audit("tenant.update").len(), 1);
}

#[test]
fn customer_organization_requires_contacts_and_address() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut input = valid_organization("Acme");
    input.phone = "12345".into();
    input.description = String::new();
    let e = h.desk.update_own_organization(&admin, &input).unwrap_err();
    assert_eq!(e.fields["phone"], "Enter 7 to 15 digits, with an optional leading +.");
    assert_eq!(e.fields["description"], "Description is required.");
    assert_eq!(h.desk.organization(&admin).unwrap().unwrap().tenant.name, "Acme Support");
}

#[test]
fn an_account_with_no_tenant_has_no_organization() {
    let h = Harness::new();
    h.set_up(true);
    let sam = "sam.carter@demo.tenant-desk.example";
    h.desk
        .db()
        .write(|tx| {
            Ok(tx.execute(
                "DELETE FROM memberships WHERE account_id = (SELECT id FROM accounts WHERE email = ?1)",
                [sam],
            )?)
        })
        .unwrap();
    let actor = h.actor_of(sam);
    assert!(actor.tenant.is_none());
    assert_eq!(h.desk.organization(&actor).unwrap(), None);
    assert_eq!(h.desk.update_own_organization(&actor, &valid_organization("X")).unwrap_err().code, ErrorCode::NotAllowed);
}

#[test]
fn edit_tenant_and_customer_organization_refuse_a_save_over_someone_elses_change() {
    let h = Harness::new();
    h.set_up_with_demo_conversations();
    let grace = h.actor_of(ADMIN_EMAIL);
    let ada = h.actor_of(member_email(Role::TenantAdmin));
    let tenant = h.desk.list_tenants(&grace, "").unwrap().remove(0);
    let organization = h.desk.organization(&ada).unwrap().unwrap();

    // Grace adds a label in Edit tenant: no field of Ada's form changed.
    let labelled = tenant_desk_core::tenants::TenantFields {
        name: tenant.name.clone(),
        description: tenant.description.clone(),
        billing_email: tenant.billing_email.clone(),
        phone: tenant.phone.clone(),
        website: tenant.website.clone(),
        country: tenant.country.clone(),
        street: tenant.street.clone(),
        zip_code: tenant.zip_code.clone(),
        timezone: tenant.timezone.clone(),
        labels: vec!["Premium".into()],
        require_mfa: tenant.require_mfa,
        idle_lock_minutes: tenant.idle_lock_minutes,
    };
    let saved = h.desk.update_tenant_if_unchanged(&grace, tenant.id, &labelled, &tenant.version).unwrap();
    assert_ne!(saved.version, tenant.version);
    let mut renamed = valid_organization("Acme Support EU");
    renamed.name = "Acme Support EU".into();
    let ada_saved = h.desk.update_own_organization_if_unchanged(&ada, &renamed, &organization.version).unwrap();

    // Grace saves Edit tenant from the form she opened before Ada's rename.
    let refused = h.desk.update_tenant_if_unchanged(&grace, tenant.id, &labelled, &saved.version).unwrap_err();
    assert_eq!(refused.code, ErrorCode::EditConflict);
    assert!(refused.message.starts_with("Ada Lovelace changed this tenant at "), "{}", refused.message);
    assert_eq!(h.desk.list_tenants(&grace, "").unwrap()[0].name, "Acme Support EU", "nothing of the refused save was written");
    // And Ada, saving again from the form she had before her own save.
    let again = h.desk.update_own_organization_if_unchanged(&ada, &renamed, &organization.version).unwrap_err();
    assert_eq!(again.code, ErrorCode::EditConflict);
    assert!(h.desk.update_own_organization_if_unchanged(&ada, &renamed, &ada_saved.version).is_ok());
}
