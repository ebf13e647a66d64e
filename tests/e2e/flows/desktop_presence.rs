//! The app on the desktop beside its window, on a bus of the test's own with
//! a tray host (a StatusNotifierWatcher, as a panel has) and a real
//! notification server: the tray counts the sessions waiting, closing the
//! window keeps the app there and notifications coming, the tray pauses
//! them, a second launch brings the window back instead of opening another,
//! Quit ends it. Then the window's size and place across a restart, and
//! Start at login.

use std::time::Duration;

use serde_json::json;
use tenant_desk_e2e::notification_service::PrivateBus;
use tenant_desk_e2e::notifications::{Dunst, NotifyWatch};
use tenant_desk_e2e::tray_host::TrayHost;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;
use crate::conversations::{sign_in_as, Api};

const PRIYA: &str = "priya.raman@demo.tenant-desk.example";
const TRAY_NOTICE: &str = "Tenant Desk keeps running in the tray so notifications keep coming; quit it from the tray menu.";

#[tokio::test(flavor = "multi_thread")]
async fn the_tray_keeps_the_app_and_its_notifications_after_the_window_closes() {
    let bus = PrivateBus::start().await;
    let dunst = Dunst::start(&bus).await;
    let watch = NotifyWatch::start(&dunst).await;
    let tray = TrayHost::start(&bus).await;
    let install = Install::new("tray").with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let api = Api::seed(&install);
    let dir = install.data_dir();
    seed::set_operator_shift(dir, PRIYA, true);
    seed::notifications(dir, PRIYA, true);
    let priya = seed::account_id(dir, PRIYA);
    let mut app = install.launch().await;
    sign_in_as(&app, PRIYA).await;
    app.see(&heading("Sessions")).await;
    api.ready().await;

    // The icon registers with the panel and shows the count the badge shows.
    tray.item().await;
    tray.expect_label("").await;
    api.conversation("Wanda Waiting", "Is anyone there?", None).await;
    tray.expect_label("1").await;
    app.see(&menu_badge("Sessions")).await;
    let menu: Vec<String> = tray.entries().await.into_iter().map(|(label, _)| label).collect();
    for entry in ["Open Tenant Desk", "Pause notifications", "For 1 hour", "Until tomorrow", "Resume notifications", "Quit"] {
        assert!(menu.iter().any(|l| l == entry), "tray menu without {entry:?}: {menu:?}");
    }
    shoot(&mut app, "before-closing-to-the-tray").await;

    // Closing the window leaves the app in the tray, said once; notifications keep coming.
    app.close_window().await;
    app.expect_window_shown(false).await;
    assert!(app.running(), "closing the window quit the app:\n{}", app.log());
    watch.expect(TRAY_NOTICE, "").await;
    let mine = api.conversation("Omar Notified", "Hello?", Some(priya)).await;
    watch.expect("You have new session assigned.", "Omar Notified · web").await;

    // Pause from the tray: nothing; Resume: notified again.
    tray.expect_enabled("Pause notifications", true).await;
    tray.click("For 1 hour").await;
    tray.expect_enabled("Resume notifications", true).await;
    let messages = format!("/api/v1/sessions/{mine}/messages");
    api.post(&messages, json!({"author": "customer", "text": "Written while paused"})).await;
    tray.click("Resume notifications").await;
    tray.expect_enabled("Pause notifications", true).await;
    api.post(&messages, json!({"author": "customer", "text": "Written after the pause"})).await;
    watch.expect("Omar Notified · web", "New message: Written after the pause").await;
    assert!(!watch.saw("Written while paused"));

    // A second launch opens nothing of its own and brings the window back.
    let first = app.pid();
    let second = install.launch_again().await;
    assert!(second.success(), "the second launch failed: {second}");
    app.expect_window_shown(true).await;
    assert_eq!(app.pid(), first, "the first app still holds the folder");
    assert_eq!(app.shown_windows().await.len(), 1, "one window");
    app.see(&button("Open session with Omar Notified")).await;
    shoot(&mut app, "back-from-the-tray").await;

    // Open Tenant Desk after closing again, then Quit from the tray ends the app.
    app.close_window().await;
    app.expect_window_shown(false).await;
    tray.click("Open Tenant Desk").await;
    app.expect_window_shown(true).await;
    tray.click("Quit").await;
    for _ in 0..200 {
        if !app.running() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!app.running(), "Quit in the tray did not end the app");
    app.quit().await;
}

/// Without a tray on the desktop, closing the window quits, as it always did.
#[tokio::test(flavor = "multi_thread")]
async fn without_a_tray_closing_the_window_quits() {
    let bus = PrivateBus::start().await;
    let install = Install::new("no-tray").with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    seed::set_up(install.data_dir(), true);
    let app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.close_window().await;
    for _ in 0..200 {
        if !app.running() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(!app.running(), "closing the window left the app running with no tray to reach it:\n{}", app.log());
    app.quit().await;
}

/// The window comes back at the size and place it was left in, and Start at
/// login writes (and removes) the desktop's autostart entry.
#[tokio::test(flavor = "multi_thread")]
async fn the_window_comes_back_where_it_was_and_start_at_login_is_an_autostart_entry() {
    let home = tempfile::tempdir().unwrap_or_else(|e| panic!("home: {e}"));
    let config = home.path().join(".config");
    let install = Install::new("window-state")
        .with_env("HOME", &home.path().to_string_lossy())
        .with_env("XDG_CONFIG_HOME", &config.to_string_lossy());
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.client.set_window_rect(40, 30, 1000, 700).await.unwrap_or_else(|e| panic!("resize: {e}"));
    let (_, _, width, height) = app.client.get_window_rect().await.unwrap_or_else(|e| panic!("rect: {e}"));
    assert_eq!((width, height), (1000, 700));
    // Written once moves and resizes settle, not only at a clean exit.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    shoot(&mut app, "resized").await;

    // Start at login, in Profile > Preferences.
    app.find("//nav[@aria-label='Main menu']//button[starts-with(@aria-label, 'Profile: ')]")
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("Profile: {e}"));
    let start = "Start Tenant Desk when I log in to this computer";
    app.see(&checkbox(start)).await;
    assert!(!app.find(&checkbox(start)).await.is_selected().await.unwrap_or(true), "off by default");
    app.tick(start).await;
    app.see(&status("Tenant Desk will start when you log in")).await;
    let entry = config.join("autostart").join("Tenant Desk.desktop");
    let text = std::fs::read_to_string(&entry).unwrap_or_else(|e| panic!("{}: {e}", entry.display()));
    assert!(text.contains("Exec=") && text.contains("tenant-desk"), "{text}");
    app.scroll_to(&checkbox(start)).await;
    shoot(&mut app, "start-at-login").await;
    app.tick(start).await;
    app.see(&status("Tenant Desk will not start when you log in")).await;
    assert!(!entry.exists(), "the autostart entry stayed");
    app.quit().await;

    let app = install.launch().await;
    let rect = app.client.get_window_rect().await.unwrap_or_else(|e| panic!("rect: {e}"));
    assert_eq!(rect, (40, 30, 1000, 700), "the window's place and size were not kept");
    app.quit().await;
}
