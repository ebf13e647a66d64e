use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;

/// Where the data lives → setup → Profile → rename → log out → wrong
/// password → sign in → new name.
#[tokio::test(flavor = "multi_thread")]
async fn first_run_setup_rename_log_out_and_sign_in() {
    let install = Install::new("first-run");
    let mut app = install.launch().await;

    // First the choice of where the data lives; a server on another machine needs https.
    app.see(&heading("Where does your team's data live?")).await;
    app.screenshot("data-place").await;
    app.fill("Team server address", "http://desk.example.com").await;
    app.click("Connect").await;
    app.field_message("Team server address", "Use https:// for a server on another machine: plain HTTP is only for this computer.").await;
    app.click("This computer only").await;

    app.see(&heading("Set up your workspace")).await;
    app.see(&button("Change where the data lives")).await;
    app.screenshot("setup").await;
    app.fill("Workspace name", "Acme Support").await;
    app.fill("Timezone", "Europe/Berlin").await;
    app.fill("Name", "Grace Hopper").await;
    app.fill("Email", "grace@").await;
    app.fill("Password", "password").await;
    app.click("Create workspace").await;
    app.field_message("Email", "Enter a valid email address, like name@example.com.").await;
    app.screenshot("setup-errors").await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.tick("Load demo data").await;
    app.click("Create workspace").await;

    // An administrator lands on Settings > Identity.
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Identity")).await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Name").await, "Grace Hopper");
    assert_eq!(app.value_of("Email").await, seed::ADMIN_EMAIL);
    assert_eq!(app.value_of("Role").await, "Tenant Admin");
    app.screenshot("profile").await;

    // An empty name is refused under the field.
    app.fill("Name", "").await;
    app.click("Update").await;
    app.field_message("Name", "Name is required.").await;

    app.fill("Name", "Rear Admiral Grace Hopper").await;
    app.click("Update").await;
    app.see(&status("User updated successfully")).await;
    app.see(&button("Profile: Rear Admiral Grace Hopper Tenant Admin")).await;
    app.screenshot("renamed").await;

    log_out(&mut app).await;

    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", "not my password").await;
    app.click("Sign in").await;
    app.see(&alert("Wrong email or password")).await;
    app.screenshot("wrong-password").await;

    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Name").await, "Rear Admiral Grace Hopper");
    app.quit().await;
}

pub async fn log_out(app: &mut App) {
    app.click("Log out").await;
    let confirm = dialog("Log out?");
    app.see(&confirm).await;
    app.screenshot("log-out-confirm").await;
    app.click_within(&confirm, "Log out").await;
    app.see(&heading("Sign in")).await;
    app.screenshot("sign-in").await;
}
