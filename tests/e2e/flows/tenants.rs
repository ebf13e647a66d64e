//! Settings > Identity > Tenants: search, edit, timezone, read-only tenants.

use tenant_desk_core::tenants::TenantFields;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

fn tenant(name: &str, description: &str, labels: &[&str]) -> TenantFields {
    TenantFields {
        name: name.into(),
        description: description.into(),
        billing_email: "billing@example.com".into(),
        timezone: "Europe/Berlin".into(),
        labels: labels.iter().map(|l| (*l).to_owned()).collect(),
        ..TenantFields::default()
    }
}

fn hour(shown: &str) -> u32 {
    // "26 Nov 2026, 10:41"
    shown.rsplit_once(", ").and_then(|(_, time)| time.get(..2)?.parse().ok()).unwrap_or_else(|| panic!("no hour in {shown:?}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn search_edit_timezone_and_read_only() {
    search_edit_timezone_and_read_only_in(Install::new("tenants")).await;
}

/// The same, with the window working through a team server.
#[tokio::test(flavor = "multi_thread")]
async fn search_edit_timezone_and_read_only_through_a_team_server() {
    search_edit_timezone_and_read_only_in(Install::on_team_server("tenants-server")).await;
}

async fn search_edit_timezone_and_read_only_in(install: Install) {
    seed::set_up(install.data_dir(), false);
    seed::add_tenant(install.data_dir(), tenant("Globex Helpdesk", "Night shift", &["Premium"]), false);
    seed::add_tenant(install.data_dir(), tenant("Initech Archive", "Old data", &[]), true);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    open_identity(&app).await;
    app.see(&row_starting("Initech Archive")).await;
    app.see(&button("Add tenant")).await;
    app.screenshot("tenants").await;
    // At the size the window opens with, every tenant's actions are in view
    // (three tenants: Edit tenant, Copy api key, Rotate api key each).
    assert_eq!(app.viewport().await, (1200, 800));
    assert_eq!(app.all_reachable("//table[caption='Tenants']//td[contains(@class, 'row-actions')]//button").await, 9);

    // Search by label.
    app.fill("Search tenants", "premium").await;
    app.gone(&row_starting("Acme Support")).await;
    app.see(&row_starting("Globex Helpdesk")).await;
    assert!(!app.exists_now(&row_starting("Initech Archive")).await);
    app.screenshot("search-by-label").await;
    app.fill("Search tenants", "").await;
    app.see(&row_starting("Acme Support")).await;

    // A read-only tenant: edit disabled, tooltip "Readonly".
    let readonly_edit = format!("{}//*[@title='Readonly']{}", row_starting("Initech Archive"), button("Edit tenant"));
    let edit = app.find(&readonly_edit).await;
    assert!(edit.attr("disabled").await.ok().flatten().is_some(), "edit of a read-only tenant is disabled");

    // Edit: a bad website is refused under the field; then the timezone moves Created On.
    let created_before = cell(&app, "Acme Support", 5).await;
    app.click_within(&row_starting("Acme Support"), "Edit tenant").await;
    let dialog = dialog("Edit tenant");
    app.see(&dialog).await;
    app.fill("Description", "Support for every Acme product").await;
    app.fill("Website", "ftp://acme.example").await;
    app.fill("Timezone", "Asia/Tokyo").await;
    app.fill("Labels", "enterprise, EMEA").await;
    app.click_within(&dialog, "Save").await;
    app.field_message("Website", "Enter a web address starting with http:// or https://, like https://example.com.").await;
    app.screenshot("edit-tenant-error").await;
    app.fill("Website", "https://acme.example").await;
    app.click_within(&dialog, "Save").await;
    app.see(&status("Tenant updated successfully")).await;
    app.gone(&dialog).await;
    assert_eq!(cell(&app, "Acme Support", 1).await, "Support for every Acme product");
    let created_after = cell(&app, "Acme Support", 5).await;
    // Tokyo is 8 hours ahead of Berlin, 7 in Berlin's summer time.
    let moved = (hour(&created_after) + 24 - hour(&created_before)) % 24;
    assert!(moved == 8 || moved == 7, "{created_before} → {created_after}");
    app.screenshot("edited-tenant").await;

    // The new label finds it.
    app.fill("Search tenants", "emea").await;
    app.see(&row_starting("Acme Support")).await;
    app.gone(&row_starting("Globex Helpdesk")).await;
    app.quit().await;
}

/// Tenant Admins manage their tenant but cannot add tenants.
#[tokio::test(flavor = "multi_thread")]
async fn tenant_admin_sees_no_add_tenant() {
    let install = Install::new("tenants-admin");
    seed::set_up(install.data_dir(), true);
    seed::add_tenant(install.data_dir(), tenant("Globex Helpdesk", "Night shift", &[]), false);
    let mut app = install.launch().await;
    sign_in(&app, "ada.lovelace@demo.tenant-desk.example").await;
    open_identity(&app).await;
    app.see(&row_starting("Acme Support")).await;
    assert!(!app.exists_now(&row_starting("Globex Helpdesk")).await, "only the tenants one administers");
    assert!(!app.exists_now(&button("Add tenant")).await);
    app.screenshot("tenant-admin").await;
    app.quit().await;
}

/// A platform administrator adds a tenant: it appears at once, with a fresh
/// API key in this machine's keyring.
#[tokio::test(flavor = "multi_thread")]
async fn platform_admin_adds_a_tenant_with_its_own_key() {
    let install = Install::new("tenants-add");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    open_identity(&app).await;
    app.click("Add tenant").await;
    let dialog = dialog("Add tenant");
    app.see(&dialog).await;
    app.fill("Name", "Globex Helpdesk").await;
    app.fill("Billing email", "billing.globex.example").await;
    app.fill("Country", "Japan").await;
    app.click_within(&dialog, "Save").await;
    app.field_message("Billing email", "Enter a valid email address, like billing@example.com.").await;
    assert_eq!(app.value_of("Timezone").await, "Europe/Berlin", "defaults to the current tenant's timezone");
    app.screenshot("add-tenant").await;
    app.fill("Billing email", "billing@globex.example").await;
    app.click_within(&dialog, "Save").await;
    app.see(&status("Tenant created successfully")).await;
    app.gone(&dialog).await;
    assert_eq!(cell(&app, "Globex Helpdesk", 4).await, "Japan");
    app.screenshot("tenant-added").await;

    let key = app.copy(&row_starting("Globex Helpdesk"), "Copy api key", "Api key copied to clipboard").await;
    let acme = seed::tenant_id(install.data_dir(), "Acme Support");
    let globex = seed::verify_api_key(install.data_dir(), &key);
    assert!(globex.is_some() && globex != Some(acme), "the new tenant's own key");
    app.quit().await;
}
