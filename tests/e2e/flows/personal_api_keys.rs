//! Personal API keys on the Profile: created and shown once, verified as the
//! local API will, last use shown, revoked at once.

use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

#[tokio::test(flavor = "multi_thread")]
async fn create_use_and_revoke_a_personal_api_key() {
    let install = Install::new("personal-keys");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    let section = region("API keys");
    app.click("API Keys").await;
    app.see(&section).await;
    // The page scrolls to the keys on its next frame: click once it has.
    app.settle().await;
    app.click_within(&section, "Create API key").await;
    let create = dialog("Create API key");
    app.see(&create).await;
    app.click_within(&create, "Create").await;
    app.field_message("Key name", "Name is required.").await;
    app.fill("Key name", "Nightly export").await;
    app.choose("Expiry", "90 days").await;
    shoot(&mut app, "create-key").await;
    app.click_within(&create, "Create").await;

    let created = dialog("API key created");
    app.see(&created).await;
    let key = app.value_of("New API key").await;
    assert!(key.starts_with("tdp_"), "{key}");
    shoot(&mut app, "key-shown-once").await;
    assert_eq!(app.copy(&created, "Copy api key", "Api key copied to clipboard").await, key);
    app.click_within(&created, "Done").await;
    app.gone(&created).await;
    app.see(&row("Nightly export")).await;
    assert!(!app.exists_now(&format!("//input[@value='{key}']")).await, "the key is not shown again");

    // The key acts for this person in this tenant, and its use shows in the list.
    let acme = seed::tenant_id(install.data_dir(), "Acme Support");
    let (_, tenant) = seed::verify_personal_api_key(install.data_dir(), &key).unwrap_or_else(|| panic!("key verifies"));
    assert_eq!(tenant, acme);
    app.find(&menu_item("Identity")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    let last_used = app.find(&format!("{}/td[3]", row("Nightly export"))).await.text().await.unwrap_or_default();
    assert_ne!(last_used, "Never");
    app.client.execute("document.getElementById('api-keys').scrollIntoView()", vec![]).await.unwrap_or_else(|e| panic!("scroll: {e}"));
    shoot(&mut app, "key-used").await;

    app.click_within(&row("Nightly export"), "Revoke Nightly export").await;
    let confirm = dialog("Revoke this API key?");
    app.see(&confirm).await;
    app.click_within(&confirm, "Revoke").await;
    app.see(&status("API key revoked")).await;
    app.gone(&row("Nightly export")).await;
    assert!(seed::verify_personal_api_key(install.data_dir(), &key).is_none(), "revoked at once");
    shoot(&mut app, "key-revoked").await;
    app.quit().await;
}
