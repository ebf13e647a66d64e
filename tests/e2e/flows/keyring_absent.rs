use tenant_desk_e2e::hung_keyring::HungKeyring;
use tenant_desk_e2e::notification_service::PrivateBus;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

/// With no Secret Service on the bus, the checkbox is off and says why, and
/// signing in still works.
#[tokio::test(flavor = "multi_thread")]
async fn without_a_keyring_sign_in_works_and_the_checkbox_says_why() {
    let install = Install::new("no-keyring")
        .with_env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/tenant-desk-test-bus");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    let remember = app.find(&checkbox("Keep me signed in")).await;
    assert!(!remember.is_enabled().await.unwrap_or(true), "checkbox is off");
    app.see("//p[@id='remember-hint' and starts-with(normalize-space(.), 'Off: No keyring service is available')]").await;
    app.screenshot("no-keyring").await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
}

/// A keyring that never answers (locked or hung) leaves the window working:
/// each call to it is given up after two seconds and says what is wrong; signing in works
/// and what needs the keyring says it is unavailable.
#[tokio::test(flavor = "multi_thread")]
async fn a_keyring_that_never_answers_does_not_freeze_the_app() {
    let bus = PrivateBus::start().await;
    let _hung = HungKeyring::start(&bus).await;
    let install = Install::new("hung-keyring").with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    let remember = app.find(&checkbox("Keep me signed in")).await;
    assert!(!remember.is_enabled().await.unwrap_or(true), "checkbox is off");
    app.see("//p[@id='remember-hint' and contains(normalize-space(.), 'did not answer within 2 seconds; it may be locked or hung')]").await;
    app.screenshot("hung-keyring").await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.find("//*[@role='tab' and normalize-space(.)='Tenants']").await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.click_within(&row_starting("Acme Support"), "Copy api key").await;
    app.see("//*[@role='status']//*[contains(normalize-space(.), 'No keyring service is available')]").await;
    app.quit().await;
}
