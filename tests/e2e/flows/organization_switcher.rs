//! The organization switcher: creating organizations up to "3/3", the fourth
//! refused by the core, switching, and the menu following the role there.

use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;

const SIDEBAR: &str = "//nav[@aria-label='Main menu']";
const VIEWER: &str = "elodie.durand@demo.tenant-desk.example";

async fn open_switcher(app: &App) {
    if app.exists_now(&format!("{SIDEBAR}//ul[@aria-label='Your organizations']")).await {
        return;
    }
    let trigger = format!("{SIDEBAR}//button[@aria-haspopup='true']");
    app.find(&trigger).await.click().await.unwrap_or_else(|e| panic!("open switcher: {e}"));
    app.see(&format!("{SIDEBAR}//ul[@aria-label='Your organizations']")).await;
}

fn create_button(counter: &str) -> String {
    format!("{SIDEBAR}//button[normalize-space(.)='Create Organization {counter}']")
}

fn current_is(name: &str, role: &str) -> String {
    format!(
        "{SIDEBAR}//button[@aria-haspopup='true'][.//*[@class='org-name' and normalize-space(.)='{name}']][.//*[@class='org-role' and normalize-space(.)='{role}']]"
    )
}

async fn create(app: &App, counter: &str, name: &str) {
    open_switcher(app).await;
    app.find(&create_button(counter)).await.click().await.unwrap_or_else(|e| panic!("Create Organization: {e}"));
    let dialog = dialog("Create Organization");
    app.see(&dialog).await;
    app.fill_in(&dialog, "Organization name", name).await;
    app.click_within(&dialog, "Create").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_up_to_three_organizations_switch_and_the_menu_follows_the_role() {
    create_up_to_three_organizations_switch_and_the_menu_follows_the_role_in(Install::new("switcher")).await;
}

/// The same, with the window working through a team server.
#[tokio::test(flavor = "multi_thread")]
async fn create_up_to_three_organizations_switch_and_the_menu_follows_the_role_through_a_team_server() {
    create_up_to_three_organizations_switch_and_the_menu_follows_the_role_in(Install::on_team_server("switcher-server")).await;
}

async fn create_up_to_three_organizations_switch_and_the_menu_follows_the_role_in(install: Install) {
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in(&app, VIEWER).await;
    app.see(&current_is("Acme Support", "Tenant Viewer")).await;
    assert!(!app.exists_now(&menu_item("Identity")).await, "a viewer has no Identity");
    open_switcher(&app).await;
    app.see(&create_button("0/3")).await;
    shoot(&mut app, "switcher-open").await;

    // Each new organization opens at once, with its creator as Tenant Admin.
    create(&app, "0/3", "Élodie One").await;
    app.see(&status("Organization created")).await;
    app.see(&current_is("Élodie One", "Tenant Admin")).await;
    app.see(&menu_item("Identity")).await;
    app.see(&heading("Identity")).await;
    shoot(&mut app, "created-first").await;
    create(&app, "1/3", "Élodie Two").await;
    app.see(&current_is("Élodie Two", "Tenant Admin")).await;
    create(&app, "2/3", "Élodie Three").await;
    app.see(&current_is("Élodie Three", "Tenant Admin")).await;

    // 3/3: the fourth is refused by the core.
    create(&app, "3/3", "Élodie Four").await;
    app.see(&alert("You already own 3 organizations, the most one account may own.")).await;
    shoot(&mut app, "fourth-refused").await;
    app.click_within(&dialog("Create Organization"), "Cancel").await;
    app.see(&current_is("Élodie Three", "Tenant Admin")).await;

    // Back to the first tenant, where she is a viewer: the menu follows.
    open_switcher(&app).await;
    let acme = format!("{SIDEBAR}//ul[@aria-label='Your organizations']//button[.//*[@class='org-name' and normalize-space(.)='Acme Support']]");
    app.find(&acme).await.click().await.unwrap_or_else(|e| panic!("choose Acme Support: {e}"));
    app.see(&status("Switched to Acme Support")).await;
    app.see(&current_is("Acme Support", "Tenant Viewer")).await;
    app.gone(&menu_item("Identity")).await;
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Role").await, "Tenant Viewer");
    assert!(!app.exists_now(&format!("{SIDEBAR}{}", button("Edit organization"))).await, "no pencil for a viewer");
    shoot(&mut app, "switched-back").await;
    app.quit().await;
}

/// The pencil next to the current organization opens its editor for its Tenant Admins.
#[tokio::test(flavor = "multi_thread")]
async fn tenant_admin_edits_the_current_organization_from_the_switcher() {
    let install = Install::new("switcher-edit");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.click_within(SIDEBAR, "Edit organization").await;
    let dialog = dialog("Edit tenant");
    app.see(&dialog).await;
    app.fill_in(&dialog, "Name", "Acme Worldwide").await;
    app.click_within(&dialog, "Save").await;
    app.see(&status("Tenant updated successfully")).await;
    app.see(&current_is("Acme Worldwide", "Tenant Admin")).await;
    shoot(&mut app, "edited-from-switcher").await;
    app.quit().await;
}
