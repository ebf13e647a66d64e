//! Analytics through the real window, on the demo tenant's 90 days of
//! conversations: an administrator sees the whole tenant (with the load per
//! operator) and exports chart data — a job cut short by quitting is Timed
//! Out at the next start, a new export goes to Download and is saved through
//! the desktop's save dialog; a job still running shows In Progress. An
//! operator sees only their own work (in the Dark theme). Tenant Users and
//! Viewers have no Analytics, and the core refuses it to them.

use std::collections::BTreeMap;

use serde_json::json;
use tenant_desk_core::preferences::Theme;
use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;

const PRIYA: &str = "priya.raman@demo.tenant-desk.example";
const VIEWER: &str = "elodie.durand@demo.tenant-desk.example";
const USER: &str = "tomas.munoz@demo.tenant-desk.example";

async fn sign_in_to(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&menu_item("Profile")).await;
}

/// The number shown beside a chart under `term` (e.g. "Conversations").
async fn figure(app: &App, chart: &str, term: &str) -> String {
    let xpath = format!("{}//dl//div[dt[normalize-space(.)='{term}']]/dd", region(chart));
    app.find(&xpath).await.text().await.unwrap_or_else(|e| panic!("figure: {e}"))
}

/// How many chart canvases the page drew, with a size.
async fn drawn_charts(app: &App) -> u64 {
    app.client
        .execute(
            "return [...document.querySelectorAll('.analytics-chart canvas')].filter(c => c.width > 0 && c.height > 0).length",
            vec![],
        )
        .await
        .unwrap_or_else(|e| panic!("charts: {e}"))
        .as_u64()
        .unwrap_or_default()
}

async fn open_analytics(app: &App) {
    app.click("Analytics").await;
    app.see(&heading("Conversations per day by channel")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_sees_the_whole_tenant_and_exports_chart_data() {
    let install = Install::new("analytics-admin");
    seed::set_up_with_demo_conversations(install.data_dir());
    // A job the previous run was cut short in, while writing its file.
    seed::start_chart_export(install.data_dir(), seed::ADMIN_EMAIL);
    let expected = seed::analytics_last_30_days(install.data_dir(), seed::ADMIN_EMAIL);
    let mut app = install.launch().await;
    sign_in_to(&app, seed::ADMIN_EMAIL).await;
    open_analytics(&app).await;

    app.see("//p[contains(normalize-space(.), 'The whole tenant')]").await;
    app.see(&heading("Load per operator")).await;
    assert_eq!(drawn_charts(&app).await, 6);
    let conversations = figure(&app, "Conversations per day by channel", "Conversations").await;
    assert_eq!(conversations, expected.totals.conversations.to_string());
    assert!(expected.totals.conversations > 100, "the demo data shows at once");
    assert_eq!(figure(&app, "Billable sessions per day", "Billable sessions").await, expected.totals.billable_sessions.to_string());
    let load = expected.operator_load.as_ref().unwrap_or_else(|| panic!("admins see the load"));
    let priya = load.iter().find(|l| l.name == "Priya Raman").unwrap_or_else(|| panic!("Priya's load"));
    assert_eq!(figure(&app, "Load per operator", "Priya Raman").await, priya.conversations.to_string());
    shoot(&mut app, "admin-charts").await;

    // The range picker: 7 days shows 7 days.
    app.click("7 days").await;
    app.see(&format!("{}[@aria-pressed='true']", button("7 days"))).await;
    app.see(&format!("{}[@aria-pressed='false']", button("30 days"))).await;

    // The job cut short by the last quit is Timed Out, never In Progress forever.
    let history = region("Chart Data Export");
    app.scroll_to(&history).await;
    app.see(&format!("{history}//tbody/tr[.//span[normalize-space(.)='Timed Out']]")).await;
    app.see(&format!("{history}//td[contains(., 'try again with a smaller date range')]")).await;

    // Export: a background job, then Download through the save dialog.
    app.click("Export").await;
    app.see(&status("Export started. It runs in the background; you can leave this page.")).await;
    let ready = format!("({history}//tbody/tr)[1][.//button[normalize-space(.)='Download']]");
    app.see(&ready).await;
    shoot(&mut app, "export-download").await;
    let saved = install.data_dir().join("chart-data.csv");
    app.choose_file_within(&ready, "Download", "Download chart data", &saved).await;
    app.see(&status(&format!("Chart data saved to {}", saved.display()))).await;
    let csv = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("saved file: {e}"));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("chart,date,series,measure,value"));
    let mut status_counts: BTreeMap<String, i64> = BTreeMap::new();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[0] == "status" {
            *status_counts.entry(cells[2].to_owned()).or_default() += cells[4].parse::<i64>().unwrap_or_default();
        }
    }
    let shown = app.find(&format!("{}//dl", region("Open vs resolved"))).await.text().await.unwrap_or_default();
    for (series, label) in [("open", "Open"), ("resolved", "Resolved")] {
        let value = figure(&app, "Open vs resolved", label).await;
        assert_eq!(status_counts.get(series).map(|v| v.to_string()), Some(value), "{shown}");
    }

    // A job still running shows In Progress, also after leaving the page.
    seed::start_chart_export(install.data_dir(), seed::ADMIN_EMAIL);
    app.click("Sessions").await;
    app.see(&heading("Sessions")).await;
    open_analytics(&app).await;
    app.scroll_to(&history).await;
    app.see(&format!("({history}//tbody/tr)[1][.//span[normalize-space(.)='In Progress']]")).await;
    shoot(&mut app, "export-in-progress").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_sees_only_their_own_work() {
    let install = Install::new("analytics-operator");
    seed::set_up_with_demo_conversations(install.data_dir());
    seed::set_theme(install.data_dir(), PRIYA, Theme::Dark);
    let own = seed::analytics_last_30_days(install.data_dir(), PRIYA);
    let whole = seed::analytics_last_30_days(install.data_dir(), seed::ADMIN_EMAIL);
    let mut app = install.launch().await;
    sign_in_to(&app, PRIYA).await;
    app.see_theme("dark", "dark").await;
    open_analytics(&app).await;
    app.see("//p[contains(normalize-space(.), 'Your own conversations')]").await;
    assert_eq!(drawn_charts(&app).await, 5);
    assert!(!app.exists_now(&heading("Load per operator")).await, "operators do not see the others' load");
    let shown = figure(&app, "Conversations per day by channel", "Conversations").await;
    assert_eq!(shown, own.totals.conversations.to_string());
    assert!(own.totals.conversations > 0 && own.totals.conversations < whole.totals.conversations);
    shoot(&mut app, "operator-charts-dark").await;
    app.scroll_to(&region("Chart Data Export")).await;
    app.see("//p[contains(., 'Finished exports are kept for 24 hours, then deleted.')]").await;
    shoot(&mut app, "operator-export-dark").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tenant_users_and_viewers_cannot_open_analytics() {
    let install = Install::new("analytics-refused");
    seed::set_up(install.data_dir(), true);
    for email in [USER, VIEWER] {
        let mut app = install.launch().await;
        sign_in_to(&app, email).await;
        assert!(!app.exists_now(&menu_item("Analytics")).await, "{email} has no Analytics entry");
        let answer = app.invoke("get_analytics", json!({ "range": { "preset": "last7_days", "from": "", "to": "" } })).await;
        assert_eq!(answer["error"]["code"], json!("not_allowed"), "{email}: {answer}");
        assert_eq!(answer["error"]["message"], json!("You are not allowed to do this with your role."));
        shoot(&mut app, &format!("no-analytics-{}", email.split('.').next().unwrap_or("x"))).await;
        app.quit().await;
    }
}
