//! Notifications reach whoever handles a conversation, on a real notification
//! server (dunst on a bus of its own, watched with dbus-monitor): an
//! administrator without a schedule is told of an assignment and accepts it
//! from the notice; the customer's markup arrives escaped; a pause and a
//! sign-out silence the desktop. Notices go out in the order of the writes,
//! so once a later notice is seen, an earlier one that was due would have
//! been seen before it.

use serde_json::json;
use tenant_desk_e2e::notification_service::PrivateBus;
use tenant_desk_e2e::notifications::{Dunst, NotifyWatch};
use tenant_desk_e2e::{seed, Install};

use crate::first_run::log_out;
use crate::flows_util::*;
use crate::conversations::{sign_in_as, Api};

fn fact(name: &str, value: &str) -> String {
    format!("//dl[@class='facts']//div[dt[normalize-space(.)='{name}'] and dd[normalize-space(.)='{value}']]")
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_is_notified_accepts_from_the_notice_then_pauses_and_signs_out() {
    an_admin_is_notified_accepts_from_the_notice_then_pauses_and_signs_out_in(Install::new("notify-reach")).await;
}

/// The same with the window working through a team server: the server's core
/// decides, this desktop's notification service shows, Accept in the notice
/// goes to the server.
#[tokio::test(flavor = "multi_thread")]
async fn an_admin_is_notified_accepts_from_the_notice_then_pauses_and_signs_out_through_a_team_server() {
    an_admin_is_notified_accepts_from_the_notice_then_pauses_and_signs_out_in(Install::on_team_server("notify-reach-server")).await;
}

async fn an_admin_is_notified_accepts_from_the_notice_then_pauses_and_signs_out_in(install: Install) {
    let bus = PrivateBus::start().await;
    let dunst = Dunst::start(&bus).await;
    let watch = NotifyWatch::start(&dunst).await;
    let install = install.with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let api = Api::seed(&install);
    let dir = install.data_dir();
    seed::notifications(dir, seed::ADMIN_EMAIL, true);
    let grace = seed::account_id(dir, seed::ADMIN_EMAIL);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    api.ready().await;

    // Grace is a Tenant Admin with no schedule: an assignment reaches her.
    let id = api.conversation("Ines Assigned", "Can someone help me?", Some(grace)).await;
    watch.expect("You have new session assigned.", "Ines Assigned · web").await;
    assert!(watch.saw("Accept"), "the notice offers Accept: {:?}", watch.strings());
    // She picks Accept in the notice's menu: the window opens on it, accepted.
    assert!(dunst.ctl(&["context"]).await, "dunstctl could not open the notice's menu");
    app.see(&heading("Session with Ines Assigned")).await;
    app.see(&status("Session accepted")).await;
    app.see(&fact("Operator", seed::ADMIN_NAME)).await;
    assert!(!app.exists_now(&button("Accept")).await, "accepted already");
    shoot(&mut app, "accepted-from-notification").await;

    // The customer's markup is shown as written on a server that renders markup.
    let path = format!("/api/v1/sessions/{id}/messages");
    api.post(&path, json!({"author": "customer", "text": "<b>Urgent</b> & important"})).await;
    watch.expect("Ines Assigned · web", "New message: &lt;b&gt;Urgent&lt;/b&gt; &amp; important").await;

    // Paused from Settings > Notifications: nothing, until resumed.
    app.find(&menu_item("Notifications")).await.click().await.unwrap_or_else(|e| panic!("Notifications: {e}"));
    app.scroll_to(&button("Pause for 1 hour")).await;
    app.click("Pause for 1 hour").await;
    app.see("//p[@role='status' and starts-with(normalize-space(.), 'Notifications are paused until ') and contains(., ' at ')]").await;
    shoot(&mut app, "notifications-paused").await;
    api.post(&path, json!({"author": "customer", "text": "Written during the pause"})).await;
    api.conversation("Paula Paused", "Assigned during the pause", Some(grace)).await;
    // The toasts sit at the foot of the window, as they would for a person: the button is brought up.
    app.scroll_to(&button("Resume notifications")).await;
    app.click("Resume notifications").await;
    app.see(&button("Pause for 1 hour")).await;
    api.post(&path, json!({"author": "customer", "text": "Written after the pause"})).await;
    watch.expect("Ines Assigned · web", "New message: Written after the pause").await;
    assert!(!watch.saw("during the pause") && !watch.saw("Paula Paused"), "{:?}", watch.strings());

    // Signed out: nothing reaches this desktop; signed in again, it does.
    app.find("//nav[@aria-label='Main menu']//button[starts-with(@aria-label, 'Profile: ')]")
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("open Profile: {e}"));
    log_out(&mut app).await;
    api.post(&path, json!({"author": "customer", "text": "Nobody is signed in"})).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    api.post(&path, json!({"author": "customer", "text": "Welcome back"})).await;
    watch.expect("Ines Assigned · web", "New message: Welcome back").await;
    assert!(!watch.saw("Nobody is signed in"));
    app.quit().await;
}
