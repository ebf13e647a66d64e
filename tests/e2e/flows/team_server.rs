//! One team, two desktops, one team server: each desktop has its own data
//! folder, D-Bus session and WebDriver, and connects to the real
//! `tenant-desk-server` from its first-run screen. An assignment made on the
//! administrator's desktop reaches the operator's desktop as exactly one
//! notification with the portal's words; her accepting it shows on the
//! administrator's list without a reload. The server restarts mid-way: both
//! windows say they are reconnecting, then catch up on what changed.

use tenant_desk_e2e::notification_service::PrivateBus;
use tenant_desk_e2e::notifications::{Dunst, NotifyWatch};
use tenant_desk_e2e::team_server::TeamServer;
use tenant_desk_e2e::{seed, App, Install};

use crate::conversations::{sign_in_as, Api, PRIYA};
use crate::flows_util::*;

const UNREACHABLE: &str = "The team server cannot be reached.";

fn fact(name: &str, value: &str) -> String {
    format!("//dl[@class='facts']//div[dt[normalize-space(.)='{name}'] and dd[normalize-space(.)='{value}']]")
}

fn banner() -> String {
    format!("//div[@role='alert' and strong[normalize-space(.)='{UNREACHABLE}']]")
}

/// From the first-run screen to the server's Sign in, then signed in.
async fn connect(app: &App, server: &TeamServer, email: &str) {
    app.see(&heading("Where does your team's data live?")).await;
    app.fill("Team server address", &server.address()).await;
    app.click("Connect").await;
    app.see(&heading("Sign in")).await;
    app.see(&format!("//p[@class='data-place']/span[normalize-space(.)='Team server: {}']", server.address())).await;
    sign_in_as(app, email).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_assignment_on_one_desktop_notifies_the_operator_on_another_through_the_team_server() {
    let mut server = TeamServer::prepare("two-desktops");
    let store = server.data_dir();
    seed::set_up(&store, true);
    seed::set_operator_shift(&store, PRIYA, true);
    seed::notifications(&store, PRIYA, true);
    let api = Api::at(server.port(), seed::tenant_api_key(&store));
    server.start().await;

    let bus_a = PrivateBus::start().await;
    let admin_desktop = Install::new("team-admin").with_env("DBUS_SESSION_BUS_ADDRESS", &bus_a.address);
    let bus_b = PrivateBus::start().await;
    let dunst = Dunst::start(&bus_b).await;
    let watch = NotifyWatch::start(&dunst).await;
    let operator_desktop = Install::new("team-operator").with_env("DBUS_SESSION_BUS_ADDRESS", &bus_b.address);

    let mut a = admin_desktop.launch().await;
    connect(&a, &server, seed::ADMIN_EMAIL).await;
    a.see(&heading("Identity")).await;
    a.see(&format!("//nav//p[@class='data-place']/span[normalize-space(.)='Team server: {}']", server.address())).await;
    let mut b = operator_desktop.launch().await;
    connect(&b, &server, PRIYA).await;
    b.see(&heading("Sessions")).await;

    // A customer writes in through the server's tenant API; the administrator assigns it to Priya.
    api.conversation("Tara Teamwork", "Hello from the web form", None).await;
    b.see(&button("Open session with Tara Teamwork")).await;
    a.click("Sessions").await;
    a.click("Open session with Tara Teamwork").await;
    a.see(&heading("Session with Tara Teamwork")).await;
    a.choose("Assigned operator", "Priya Raman").await;
    a.click("Assign").await;
    a.see(&status("Session assigned")).await;

    // Priya's desktop shows the notice once, and her list says it is hers to accept.
    watch.expect("You have new session assigned.", "Tara Teamwork · web").await;
    b.see(&format!("{}/td[normalize-space(.)='Priya Raman']", row_starting("Tara Teamwork"))).await;
    b.click("Open session with Tara Teamwork").await;
    b.click("Accept").await;
    b.see(&status("Session accepted")).await;
    b.screenshot("team-server-operator").await;
    let told = watch.strings().iter().filter(|s| *s == "You have new session assigned.").count();
    assert_eq!(told, 1, "exactly one notice on the operator's bus: {:?}", watch.strings());

    // The administrator's open session follows without a reload.
    a.see(&fact("Operator", "Priya Raman")).await;
    a.screenshot("team-server-admin").await;

    // An archive of the tenant from the server, for offline review on this computer.
    a.click("Archives").await;
    a.see(&heading("Offline review")).await;
    a.screenshot("team-server-archive").await;
    let archive = admin_desktop.desktop_dir().join("acme for the train.zip");
    a.choose_file("Save archive for offline review", "Save archive for offline review", &archive).await;
    a.see(&status(&format!("Archive saved to {}", archive.display()))).await;
    let bytes = std::fs::read(&archive).unwrap_or_else(|e| panic!("the archive was not written: {e}"));
    assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    a.click("Sessions").await;

    // The server restarts: both windows say so, then catch up on what changed meanwhile.
    server.stop().await;
    a.see(&banner()).await;
    b.see(&banner()).await;
    a.screenshot("team-server-reconnecting").await;
    server.start().await;
    api.conversation("Uma Afterwards", "Are you back?", None).await;
    a.gone(&banner()).await;
    b.gone(&banner()).await;
    a.see(&button("Open session with Uma Afterwards")).await;
    b.see(&button("Open session with Uma Afterwards")).await;

    a.quit().await;
    b.quit().await;
    server.stop().await;
}

/// A team server with a self-signed certificate, as SSH treats a new host:
/// the desktop shows the certificate's fingerprint once, the person compares
/// and trusts it, and from then on only that certificate is accepted. The
/// server's certificate replaced, the desktop refuses it and says why.
#[tokio::test(flavor = "multi_thread")]
async fn a_self_signed_team_server_is_trusted_by_its_fingerprint_then_only_that_certificate() {
    let mut server = TeamServer::prepare("self-signed");
    seed::set_up(&server.data_dir(), false);
    let fingerprint = server.self_signed();
    server.start().await;
    let install = Install::new("team-tls");
    let mut app = install.launch().await;

    app.see(&heading("Where does your team's data live?")).await;
    app.fill("Team server address", &server.address()).await;
    app.click("Connect").await;
    app.see(&heading("Check the server's certificate")).await;
    app.see(&format!("//p[@aria-label='Certificate fingerprint' and normalize-space(.)='{fingerprint}']")).await;
    app.screenshot("certificate-fingerprint").await;
    app.click("Trust and connect").await;
    app.see(&heading("Sign in")).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    app.quit().await;

    // The same server another day: pinned, no question asked.
    let app = install.launch().await;
    app.see(&format!("//p[@class='data-place']/span[normalize-space(.)='Team server: {}']", server.address())).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    app.quit().await;

    // Someone else's certificate at the same address is refused.
    server.stop().await;
    server.self_signed();
    server.start().await;
    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see("//p[@role='alert' and contains(., 'presents a certificate this computer does not trust (or no longer the one you confirmed)')]")
        .await;
    app.quit().await;
    server.stop().await;
}
