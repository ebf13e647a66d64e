use tenant_desk_e2e::notification_service::{NotificationService, PrivateBus};
use tenant_desk_e2e::{seed, App, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

/// An install whose app talks to `bus` only (no keyring there: nothing here needs one).
fn install_on(name: &str, bus: &PrivateBus) -> Install {
    Install::new(name).with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
}

async fn sign_in_only(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
}

async fn open_profile(app: &App) {
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    app.see(&heading("Personal information")).await;
}

/// With a notification service on the bus: sign-in offers "Allow
/// notifications"; the header's "Enable notifications" sends a real Notify
/// call and becomes "Notifications enabled"; turning them off in Settings >
/// Notifications shows "Notifications blocked" with how to turn them back on.
#[tokio::test(flavor = "multi_thread")]
async fn enable_notifications_with_a_notification_service() {
    let bus = PrivateBus::start().await;
    let service = NotificationService::start(&bus).await;
    let install = install_on("notifications", &bus);
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;

    sign_in_only(&app, seed::ADMIN_EMAIL).await;
    let offer = dialog("Enable notifications");
    app.see(&offer).await;
    app.see(&format!("{offer}{}", button("Allow notifications"))).await;
    app.screenshot("offer").await;
    app.click_within(&offer, "Not now").await;
    app.gone(&offer).await;
    assert!(service.received().is_empty(), "nothing sent before the person agrees");

    open_profile(&app).await;
    app.click("Enable notifications").await;
    app.see(&button("Notifications enabled")).await;
    let received = service.wait_for(1).await;
    assert_eq!(received[0].app_name, "Tenant Desk");
    assert_eq!(received[0].summary, "Notifications enabled");
    app.screenshot("enabled").await;

    app.find(&menu_item("Notifications")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Notifications")).await;
    app.tick("Product news").await;
    app.see(&status("Notification preferences saved")).await;
    assert!(!app.find(&checkbox("Product news")).await.is_selected().await.unwrap_or(true));
    app.click("Turn off notifications").await;
    app.see(&button("Turn notifications back on")).await;
    app.screenshot("settings-blocked").await;

    open_profile(&app).await;
    app.see(&button("Notifications blocked")).await;
    app.see("//p[@id='notifications-blocked-hint' and normalize-space(.)='Turn them back on in Settings > Notifications.']").await;
    app.screenshot("blocked").await;
    log_out(&mut app).await;

    // Another person who has not decided yet allows them from the sign-in offer.
    sign_in_only(&app, "tomas.munoz@demo.tenant-desk.example").await;
    app.see(&offer).await;
    app.click_within(&offer, "Allow notifications").await;
    app.gone(&offer).await;
    let received = service.wait_for(2).await;
    assert_eq!(received[1].summary, "Notifications enabled");
    open_profile(&app).await;
    app.see(&button("Notifications enabled")).await;
    app.quit().await;
}

/// With no notification service on the bus, the header says notifications
/// are unavailable instead of offering the button, and sign-in offers nothing.
#[tokio::test(flavor = "multi_thread")]
async fn no_notification_service_says_unavailable() {
    let bus = PrivateBus::start().await;
    let install = install_on("no-notifications", &bus);
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in_only(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    open_profile(&app).await;
    app.see("//p[@id='notifications-unavailable' and starts-with(normalize-space(.), 'Notifications are unavailable on this desktop')]").await;
    assert!(!app.exists_now(&button("Enable notifications")).await, "no button without a service");
    assert!(!app.exists_now(&dialog("Enable notifications")).await, "no offer without a service");
    app.screenshot("unavailable").await;

    app.find(&menu_item("Notifications")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see("//p[starts-with(normalize-space(.), 'Notifications are unavailable on this desktop')]").await;
    app.quit().await;
}
