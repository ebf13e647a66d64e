//! The tenant API key: copied to the real clipboard from Rust, verified by the
//! core, rotated with confirmation; a machine without the key is offered rotation.

use tenant_desk_core::api_keys::PREFIX;
use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;

async fn copy_key(app: &mut App) -> String {
    let key = app.copy(&row_starting("Acme Support"), "Copy api key", "Api key copied to clipboard").await;
    assert!(key.starts_with(PREFIX), "the clipboard holds a tenant key");
    // The key never reaches the window.
    let page = app.client.source().await.unwrap_or_default();
    assert!(!page.contains(&key[PREFIX.len()..]), "the key is not in the page");
    dismiss_toasts(app).await;
    key
}

async fn dismiss_toasts(app: &App) {
    while app.exists_now(&button("Dismiss notification")).await {
        app.click("Dismiss notification").await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn copy_verify_and_rotate() {
    let install = Install::new("api-key");
    seed::set_up_keeping_keys(install.data_dir()).await;
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    open_identity(&app).await;

    let first = copy_key(&mut app).await;
    let tenant_id = seed::verify_api_key(install.data_dir(), &first);
    assert!(tenant_id.is_some(), "the copied key verifies");
    app.screenshot("key-copied").await;

    app.click_within(&row_starting("Acme Support"), "Rotate api key").await;
    let confirm = dialog("Rotate the api key?");
    app.see(&confirm).await;
    app.screenshot("rotate-confirm").await;
    app.click_within(&confirm, "Rotate key").await;
    app.see(&status("Api key rotated. The previous key no longer works.")).await;
    dismiss_toasts(&app).await;

    let second = copy_key(&mut app).await;
    assert_ne!(first, second);
    assert_eq!(seed::verify_api_key(install.data_dir(), &first), None, "the old key stopped working");
    assert_eq!(seed::verify_api_key(install.data_dir(), &second), tenant_id);
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_made_elsewhere_is_reported_and_rotation_is_offered() {
    let install = Install::new("api-key-elsewhere");
    // Seeded with a keyring that is gone: this machine never held the key.
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    open_identity(&app).await;
    app.click_within(&row_starting("Acme Support"), "Copy api key").await;
    let offer = dialog("Api key not on this computer");
    app.see(&offer).await;
    app.screenshot("key-not-here").await;
    app.click_within(&offer, "Rotate key").await;
    app.see(&status("Api key rotated. The previous key no longer works.")).await;
    dismiss_toasts(&app).await;
    let key = copy_key(&mut app).await;
    assert!(seed::verify_api_key(install.data_dir(), &key).is_some());
    app.quit().await;
}

/// A read-only tenant's key can be copied but not rotated.
#[tokio::test(flavor = "multi_thread")]
async fn read_only_tenant_cannot_rotate() {
    let install = Install::new("api-key-readonly");
    seed::set_up(install.data_dir(), false);
    seed::add_tenant(
        install.data_dir(),
        tenant_desk_core::tenants::TenantFields {
            name: "Initech Archive".into(),
            billing_email: "billing@initech.example".into(),
            timezone: "UTC".into(),
            ..Default::default()
        },
        true,
    );
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    open_identity(&app).await;
    let rotate = app.find(&format!("{}{}", row_starting("Initech Archive"), button("Rotate api key"))).await;
    assert!(rotate.attr("disabled").await.ok().flatten().is_some());
    assert_eq!(rotate.attr("title").await.ok().flatten().as_deref(), Some("Readonly"));
    app.screenshot("readonly-rotate").await;
    app.quit().await;
}
