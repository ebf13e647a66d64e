//! Profile > Account > Customer organization.

use tenant_desk_e2e::{seed, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

/// A bad phone is refused under the field; fixed, the update succeeds and sticks.
#[tokio::test(flavor = "multi_thread")]
async fn admin_updates_the_organization_after_an_inline_error() {
    let install = Install::new("organization");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    let org = region("Customer organization");
    app.see(&org).await;
    assert_eq!(app.find(&textbox_in(&org, "Name")).await.prop("value").await.ok().flatten().as_deref(), Some("Acme Support"));

    app.fill("Description", "Customer support for Acme").await;
    app.fill("Phone", "12345").await;
    app.fill("Website", "acme.example").await;
    app.fill("Country", "Germany").await;
    app.fill("Street", "Unter den Linden 1").await;
    app.fill("ZIP code", "10117").await;
    app.click_within(&org, "Update").await;
    app.field_message("Phone", "Enter 7 to 15 digits, with an optional leading +.").await;
    app.field_message("Website", "Enter a web address starting with http:// or https://, like https://example.com.").await;
    app.screenshot("organization-errors").await;

    app.fill_in(&org, "Name", "Acme Europe").await;
    app.fill("Phone", "+4930123456").await;
    app.fill("Website", "https://acme.example").await;
    app.click_within(&org, "Update").await;
    app.see(&status("Tenant updated successfully")).await;
    // The menu shows the new name at once.
    app.see("//nav[@aria-label='Main menu']//*[@class='org-name' and normalize-space(.)='Acme Europe']").await;
    app.screenshot("organization-updated").await;

    // The saved details are the tenant's: Identity > Tenants shows them.
    open_identity(&app).await;
    assert_eq!(cell(&app, "Acme Europe", 3).await, "+4930123456");
    assert_eq!(cell(&app, "Acme Europe", 4).await, "Unter den Linden 1, 10117, Germany");
    app.quit().await;
}

/// Others see the organization disabled with no Update button, and no Identity;
/// an account with no tenant is told to ask for one.
#[tokio::test(flavor = "multi_thread")]
async fn non_admins_read_the_organization_and_tenantless_accounts_are_told_why() {
    let install = Install::new("organization-roles");
    seed::set_up(install.data_dir(), true);
    seed::remove_memberships(install.data_dir(), "sam.carter@demo.tenant-desk.example");
    let mut app = install.launch().await;

    sign_in(&app, "tomas.munoz@demo.tenant-desk.example").await;
    let org = region("Customer organization");
    let name = app.find(&textbox_in(&org, "Name")).await;
    assert!(name.attr("disabled").await.ok().flatten().is_some(), "organization fields are disabled");
    assert!(!app.exists_now(&format!("{org}{}", button("Update"))).await);
    assert!(!app.exists_now(&button("Identity")).await, "Identity is for administrators");
    app.screenshot("user-organization").await;
    log_out(&mut app).await;

    sign_in(&app, "sam.carter@demo.tenant-desk.example").await;
    app.see(&format!("{org}//p[normalize-space(.)='Please, add at least one user or contact admin']")).await;
    app.screenshot("no-tenant").await;
    app.quit().await;
}
