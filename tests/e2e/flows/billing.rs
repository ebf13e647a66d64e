//! Profile > Billing through the real window: the subscription card's three
//! trial states as conversations arrive through the local tenant API, usage
//! matching them, Add Credits for administrators, and billing read-only for
//! everyone else.

use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;
use crate::conversations::{Api, sign_in_as};

const USER: &str = "tomas.munoz@demo.tenant-desk.example";

fn fact(name: &str, value: &str) -> String {
    format!("//dl[@class='billing-facts']//div[dt[normalize-space(.)='{name}'] and dd[normalize-space(.)='{value}']]")
}

/// Opens Profile > Billing afresh (the tab reads the core each time it opens).
async fn open_billing(app: &App) {
    let me = "//nav[@aria-label='Main menu']//button[starts-with(@aria-label, 'Profile: ')]";
    app.find(me).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    let tab = |name: &str| format!("//*[@role='tab' and normalize-space(.)='{name}']");
    app.find(&tab("Account")).await.click().await.unwrap_or_else(|e| panic!("Account tab: {e}"));
    app.see(&heading("Personal information")).await;
    app.find(&tab("Billing")).await.click().await.unwrap_or_else(|e| panic!("Billing tab: {e}"));
    app.see(&format!("{}[@aria-selected='true']", tab("Billing"))).await;
    app.see(&heading("Usage this period")).await;
}

/// A toast appears, then fades: it covers the forms' lower corner meanwhile.
async fn toast_shown(app: &App, text: &str) {
    app.see(&status(text)).await;
    app.gone(&status(text)).await;
}

async fn conversations(api: &Api, from: usize, to: usize) {
    for i in from..to {
        api.conversation(&format!("Customer {i}"), "Where is my order?", None).await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_trial_card_follows_sessions_from_the_api_and_admins_add_credits() {
    let install = Install::new("billing-admin");
    let api = Api::seed(&install);
    let mut app = install.launch().await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    api.ready().await;
    open_billing(&app).await;
    app.see(&heading("Playground")).await;
    app.click("Start free trial").await;
    toast_shown(&app, "Your free trial has started").await;
    app.see(&heading("Trial subscription")).await;
    app.see(&fact("Trial sessions left", "50")).await;
    app.see(&fact("Days left", "14")).await;
    assert!(!app.exists_now(&button("Start free trial")).await, "one trial per tenant");

    conversations(&api, 0, 3).await;
    open_billing(&app).await;
    app.see(&fact("Sessions used this period", "3 of 50")).await;
    app.see(&fact("Trial sessions left", "47")).await;
    app.see("//p[@class='usage-figure'][normalize-space(.)='3 / 50 billable sessions']").await;
    app.screenshot("trial-subscription").await;

    // 90 % used: ending soon, and the reminder's banner.
    conversations(&api, 3, 45).await;
    open_billing(&app).await;
    app.see(&heading("Trial ending soon")).await;
    app.see(&fact("Trial sessions left", "5")).await;
    app.see("//div[@role='status' and @aria-label='Billing reminder']/strong[normalize-space(.)='Your trial has used 90% of its sessions']").await;
    app.screenshot("trial-ending-soon").await;
    // The same reminder over the other screens.
    app.find(&menu_item("Sessions")).await.click().await.unwrap_or_else(|e| panic!("open Sessions: {e}"));
    app.see(&heading("Sessions")).await;
    app.see("//div[@role='status' and @aria-label='Billing reminder']/strong[normalize-space(.)='Your trial has used 90% of its sessions']").await;
    app.screenshot("reminder-over-sessions").await;

    conversations(&api, 45, 50).await;
    open_billing(&app).await;
    app.see(&heading("Expired subscription")).await;
    app.see(&fact("Trial sessions left", "0")).await;
    app.see("//div[@role='status' and @aria-label='Billing reminder']/strong[normalize-space(.)='Your trial has ended']").await;
    app.screenshot("expired-subscription").await;

    // A full card number never gets in.
    app.choose("Brand", "Visa").await;
    app.fill("Last 4 digits", "4242 4242 4242 4242").await;
    app.fill("Expiry month", "12").await;
    app.fill("Expiry year", "2031").await;
    app.click("Add payment method").await;
    app.field_message("Last 4 digits", "Enter only the last 4 digits: a full card number is never stored.").await;
    app.fill("Last 4 digits", "4242").await;
    app.click("Add payment method").await;
    toast_shown(&app, "Payment method added").await;
    app.see(&button("Remove Visa ending 4242")).await;

    // On credits, Add Credits.
    app.choose("Plan", "Individual").await;
    app.fill("Sessions per period", "1000").await;
    app.tick("Paid with credits").await;
    app.click("Change plan").await;
    toast_shown(&app, "Plan changed").await;
    app.see(&heading("Individual")).await;
    app.see(&heading("Credits")).await;
    app.see(&fact("Current balance", "0")).await;
    app.fill("Credits to add", "20").await;
    app.click("Add Credits").await;
    app.see(&status("Credits added. Current balance: 20")).await;
    app.see(&fact("Current balance", "20")).await;
    app.see(&row("Credits added")).await;
    app.screenshot("credits").await;
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_tenant_user_reads_billing_without_changing_it() {
    let install = Install::new("billing-user");
    seed::set_up(install.data_dir(), true);
    seed::put_on_credits(install.data_dir(), 15);
    let mut app = install.launch().await;
    sign_in(&app, USER).await;
    open_billing(&app).await;
    app.see(&heading("Individual")).await;
    app.see(&fact("Current balance", "15")).await;
    app.see(&button("View All Transactions")).await;
    for control in ["Add Credits", "Change plan", "Start free trial", "Add payment method", "Save address"] {
        assert!(!app.exists_now(&button(control)).await, "a Tenant User sees {control}");
    }
    assert!(!app.exists_now(&combobox("Plan")).await);
    app.click("View All Transactions").await;
    app.see(&row("Credits added")).await;
    app.screenshot("user-read-only").await;

    // The transactions as CSV, with the filter shown.
    let saved = install.data_dir().join("transactions.csv");
    app.choose_file("Export CSV", "Export transactions", &saved).await;
    app.see(&status(&format!("Transactions exported to {}", saved.display()))).await;
    let csv = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("exported file: {e}"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "at,kind,amount,balance_after,note");
    assert_eq!(lines.len(), 2, "one transaction: {csv}");
    assert!(lines[1].contains(",added,15,15,"), "{csv}");
    app.quit().await;
}
