//! Sessions through the real window, fed by the local tenant API: an operator
//! lands on Sessions, sees conversations and the badge change as the API
//! writes, accepts and resolves; an administrator assigns; a viewer only reads.

use std::time::Duration;

use serde_json::{json, Value};
use tenant_desk_e2e::notification_service::PrivateBus;
use tenant_desk_e2e::notifications::{Dunst, NotifyWatch};
use tenant_desk_e2e::{free_port, seed, App, Install};

use crate::flows_util::*;

pub const PRIYA: &str = "priya.raman@demo.tenant-desk.example";
const VIEWER: &str = "elodie.durand@demo.tenant-desk.example";
const USER: &str = "tomas.munoz@demo.tenant-desk.example";

/// A client of the app's local tenant API.
pub struct Api {
    port: u16,
    key: String,
    http: reqwest::Client,
}

impl Api {
    /// Seeds an install with the demo team and the local API on a free port
    /// (or, for a window working with a team server, the server's tenant API).
    pub fn seed(install: &Install) -> Self {
        seed::set_up(install.data_dir(), true);
        if let Some(port) = install.team_server_port() {
            return Self::at(port, seed::tenant_api_key(install.data_dir()));
        }
        let port = free_port();
        let key = seed::enable_local_api(install.data_dir(), port);
        Self { port, key, http: reqwest::Client::new() }
    }

    /// Like [`seed`](Self::seed), with the key in the real keyring, where the
    /// app reads it to sign reply deliveries.
    pub async fn seed_in_keyring(install: &Install) -> Self {
        seed::set_up(install.data_dir(), true);
        let port = free_port();
        let dir = install.data_dir().to_owned();
        let key = tokio::task::spawn_blocking(move || seed::enable_local_api_in_keyring(&dir, port))
            .await
            .unwrap_or_else(|e| panic!("seeding the key: {e}"));
        Self { port, key, http: reqwest::Client::new() }
    }

    /// The tenant API served at `port` (a team server's), with `key`.
    pub fn at(port: u16, key: String) -> Self {
        Self { port, key, http: reqwest::Client::new() }
    }

    pub fn key(&self) -> &str {
        &self.key
    }

    pub async fn get(&self, path: &str) -> Value {
        let response = self
            .http
            .get(format!("http://127.0.0.1:{}{path}", self.port))
            .bearer_auth(&self.key)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        assert!(response.status().is_success(), "GET {path}: {}", response.status());
        response.json().await.unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// Waits until the app serves the API (it starts with the window): until
    /// an authorised request is answered, not merely until something accepts
    /// a connection on the port.
    pub async fn ready(&self) {
        let mut last = String::new();
        for _ in 0..300 {
            let answer = self
                .http
                .get(format!("http://127.0.0.1:{}/api/v1/sessions", self.port))
                .bearer_auth(&self.key)
                .timeout(Duration::from_secs(5))
                .send()
                .await;
            match answer {
                Ok(response) if response.status().is_success() => return,
                Ok(response) => last = format!("answered {}", response.status()),
                Err(e) => last = format!("{e:?}"),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the local API on {} is not ready after 30 s: {last}", self.port);
    }

    pub async fn post(&self, path: &str, body: Value) -> Value {
        let response = self
            .http
            .post(format!("http://127.0.0.1:{}{path}", self.port))
            .bearer_auth(&self.key)
            .json(&body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e:?}"));
        assert!(response.status().is_success(), "POST {path}: {}", response.status());
        response.json().await.unwrap_or_else(|e| panic!("POST {path}: {e}"))
    }

    /// Starts a conversation with one customer message; returns its id.
    pub async fn conversation(&self, customer: &str, text: &str, operator: Option<i64>) -> i64 {
        let body = json!({
            "channel": "web",
            "customer": customer,
            "operator_account_id": operator,
            "messages": [{"author": "customer", "text": text}],
        });
        let created = self.post("/api/v1/sessions", body).await;
        created["session"]["id"].as_i64().unwrap_or_else(|| panic!("no id in {created}"))
    }
}

pub async fn sign_in_as(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
}

fn badge(waiting: u32) -> String {
    format!("{}[normalize-space(.)='{waiting} waiting for an operator']", menu_badge("Sessions"))
}

fn fact(name: &str, value: &str) -> String {
    format!("//dl[@class='facts']//div[dt[normalize-space(.)='{name}'] and dd[normalize-space(.)='{value}']]")
}

#[tokio::test(flavor = "multi_thread")]
async fn operator_follows_api_changes_live_then_accepts_and_resolves() {
    operator_follows_api_changes_live_then_accepts_and_resolves_in(Install::new("sessions-operator")).await;
}

/// The same, with the window and the tenant API on a team server.
#[tokio::test(flavor = "multi_thread")]
async fn operator_follows_api_changes_live_then_accepts_and_resolves_through_a_team_server() {
    operator_follows_api_changes_live_then_accepts_and_resolves_in(Install::on_team_server("sessions-operator-server")).await;
}

async fn operator_follows_api_changes_live_then_accepts_and_resolves_in(install: Install) {
    let api = Api::seed(&install);
    seed::set_operator_shift(install.data_dir(), PRIYA, true);
    let priya = seed::account_id(install.data_dir(), PRIYA);
    let mut app = install.launch().await;
    sign_in_as(&app, PRIYA).await;
    // Operators land on Sessions.
    app.see(&heading("Sessions")).await;
    app.see("//td[normalize-space(.)='No sessions for these filters.']").await;
    assert!(!app.exists_now(&menu_badge("Sessions")).await, "nothing waits yet");
    api.ready().await;

    let waiting = api.conversation("Jane Customer", "My parcel never arrived.", None).await;
    app.see(&badge(1)).await;
    app.see(&button("Open session with Jane Customer")).await;
    api.conversation("Omar Assigned", "Can I change my address?", Some(priya)).await;
    app.see(&button("Open session with Omar Assigned")).await;
    app.see(&badge(1)).await;
    app.screenshot("list-and-badge-follow-the-api").await;

    app.click("Open session with Jane Customer").await;
    app.see(&heading("Session with Jane Customer")).await;
    app.see("//ol[@role='log']//p[normalize-space(.)='My parcel never arrived.']").await;
    // A message written through the API shows up in the open conversation.
    api.post(&format!("/api/v1/sessions/{waiting}/messages"), json!({"author": "customer", "text": "Hello? Anyone?"})).await;
    app.see("//ol[@role='log']//p[normalize-space(.)='Hello? Anyone?']").await;
    assert!(!app.exists_now(&button("Resolve")).await, "not hers until she accepts");

    app.click("Accept").await;
    app.see(&status("Session accepted")).await;
    app.see(&fact("Operator", "Priya Raman")).await;
    app.gone(&menu_badge("Sessions")).await;
    app.screenshot("accepted").await;

    app.click("Resolve").await;
    app.see(&status("Session resolved")).await;
    app.see(&fact("Status", "Resolved")).await;
    assert!(!app.exists_now(&button("Accept")).await);
    assert!(!app.exists_now(&button("Resolve")).await);
    // No assigning for operators.
    assert!(!app.exists_now(&combobox("Assigned operator")).await);

    app.choose("Status", "Resolved").await;
    app.see(&button("Open session with Jane Customer")).await;
    app.gone(&button("Open session with Omar Assigned")).await;
    app.screenshot("resolved").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_assigns_and_the_list_says_who_handles_it() {
    an_administrator_assigns_and_the_list_says_who_handles_it_in(Install::new("sessions-admin")).await;
}

/// The same, with the window and the tenant API on a team server.
#[tokio::test(flavor = "multi_thread")]
async fn an_administrator_assigns_and_the_list_says_who_handles_it_through_a_team_server() {
    an_administrator_assigns_and_the_list_says_who_handles_it_in(Install::on_team_server("sessions-admin-server")).await;
}

async fn an_administrator_assigns_and_the_list_says_who_handles_it_in(install: Install) {
    let api = Api::seed(&install);
    let mut app = install.launch().await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    api.ready().await;
    api.conversation("Lena Waiting", "Is there a discount for students?", None).await;
    app.see(&badge(1)).await;
    app.click("Sessions").await;
    app.click("Open session with Lena Waiting").await;
    app.see(&heading("Session with Lena Waiting")).await;
    app.choose("Assigned operator", "Priya Raman").await;
    app.click("Assign").await;
    app.see(&status("Session assigned")).await;
    // Hers to accept: assigned by someone else, it waits for her.
    app.see(&fact("Operator", "Priya Raman (not accepted yet)")).await;
    app.see(&format!("{}/td[normalize-space(.)='Priya Raman']", row_starting("Lena Waiting"))).await;
    app.gone(&menu_badge("Sessions")).await;
    app.screenshot("assigned").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_viewer_reads_sessions_but_cannot_change_them() {
    let install = Install::new("sessions-viewer");
    let api = Api::seed(&install);
    let mut app = install.launch().await;
    sign_in_as(&app, VIEWER).await;
    app.see(&heading("Personal information")).await;
    api.ready().await;
    api.conversation("Vera Visible", "Where do I find my invoice?", None).await;
    app.click("Sessions").await;
    app.see(&heading("Sessions")).await;
    app.see("//p[normalize-space(.)='Read-only: you can review sessions but not change them.']").await;
    app.click("Open session with Vera Visible").await;
    app.see("//ol[@role='log']//p[normalize-space(.)='Where do I find my invoice?']").await;
    for control in ["Accept", "Resolve", "Assign"] {
        assert!(!app.exists_now(&button(control)).await, "a viewer sees {control}");
    }
    assert!(!app.exists_now(&combobox("Assigned operator")).await);
    app.screenshot("viewer-read-only").await;
    app.quit().await;

    // A Tenant User has no Sessions at all.
    let app = install.launch().await;
    sign_in_as(&app, USER).await;
    app.see(&heading("Personal information")).await;
    assert!(!app.exists_now(&menu_item("Sessions")).await);
    app.quit().await;
}

/// The operator's desktop is asked to show exactly the portal's words, and
/// nothing for someone else's conversation, off shift or with the category
/// off. Notices go out in the order of the writes, so once a later notice is
/// seen, an earlier one that was due would have been seen before it.
#[tokio::test(flavor = "multi_thread")]
async fn the_operator_is_notified_on_this_desktop_only_when_it_is_hers_and_she_is_on_shift() {
    let bus = PrivateBus::start().await;
    let dunst = Dunst::start(&bus).await;
    let watch = NotifyWatch::start(&dunst).await;
    let install = Install::new("sessions-notify").with_env("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let api = Api::seed(&install);
    let dir = install.data_dir();
    seed::set_operator_shift(dir, PRIYA, true);
    seed::notifications(dir, PRIYA, true);
    let priya = seed::account_id(dir, PRIYA);
    let kenji = seed::account_id(dir, "kenji.watanabe@demo.tenant-desk.example");
    let mut app = install.launch().await;
    sign_in_as(&app, PRIYA).await;
    app.see(&heading("Sessions")).await;
    api.ready().await;

    let theirs = api.conversation("Karl Elsewhere", "A question for Kenji", Some(kenji)).await;
    api.post(&format!("/api/v1/sessions/{theirs}/messages"), json!({"author": "customer", "text": "Still for Kenji"})).await;
    api.conversation("Wanda Waiting", "Nobody has this one yet", None).await;
    let mine = api.conversation("Omar Notified", "Hi there", Some(priya)).await;
    watch.expect("You have new session assigned.", "Omar Notified · web").await;
    assert!(!watch.saw("Kenji") && !watch.saw("Karl Elsewhere") && !watch.saw("Wanda Waiting"));
    app.see(&button("Open session with Omar Notified")).await;

    let long = "Is my refund on its way? I returned the parcel two weeks ago and the tracking page says it was delivered to your warehouse.";
    api.post(&format!("/api/v1/sessions/{mine}/messages"), json!({"author": "customer", "text": long})).await;
    // The customer and channel are the summary; the whole message is the body.
    watch.expect("Omar Notified · web", &format!("New message: {long}")).await;
    app.screenshot("notified-operator").await;

    // Off shift: the message is kept for the list, no notice.
    seed::set_operator_shift(dir, PRIYA, false);
    api.post(&format!("/api/v1/sessions/{mine}/messages"), json!({"author": "customer", "text": "Sent after hours"})).await;
    // The category off: no notice either.
    seed::set_operator_shift(dir, PRIYA, true);
    seed::notifications(dir, PRIYA, false);
    api.post(&format!("/api/v1/sessions/{mine}/messages"), json!({"author": "customer", "text": "Sent with the category off"})).await;
    seed::notifications(dir, PRIYA, true);
    api.post(&format!("/api/v1/sessions/{mine}/messages"), json!({"author": "customer", "text": "Back on"})).await;
    watch.expect("Omar Notified · web", "New message: Back on").await;
    assert!(!watch.saw("Sent after hours"));
    assert!(!watch.saw("Sent with the category off"));

    // Clicking the notice (the server's default action) opens its conversation.
    assert!(dunst.ctl(&["action", "0"]).await, "dunstctl could not click the notice");
    app.see(&heading("Session with Omar Notified")).await;
    app.see("//ol[@role='log']//p[normalize-space(.)='Sent after hours']").await;
    app.screenshot("opened-from-notification").await;

    // Off shift, with "Only during my shift" turned off: she is notified.
    seed::set_operator_shift(dir, PRIYA, false);
    app.find(&menu_item("Notifications")).await.click().await.unwrap_or_else(|e| panic!("Notifications: {e}"));
    app.see(&format!("{}[@checked or not(@checked)]", checkbox("Only during my shift"))).await;
    assert!(app.find(&checkbox("Only during my shift")).await.is_selected().await.unwrap_or(false), "on by default");
    app.tick("Only during my shift").await;
    shoot(&mut app, "only-during-my-shift-off").await;
    app.see(&status("Notification preferences saved")).await;
    api.post(&format!("/api/v1/sessions/{mine}/messages"), json!({"author": "customer", "text": "Off shift, still wanted"})).await;
    watch.expect("Omar Notified · web", "New message: Off shift, still wanted").await;
    app.quit().await;
}
