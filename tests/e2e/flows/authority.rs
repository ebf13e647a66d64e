//! Accounts and authority through the real window: the takeover paths are
//! refused, people are invited rather than duplicated, and every person
//! controls their own sign-in.

use std::time::Duration;

use serde_json::json;
use tenant_desk_e2e::{seed, App, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

const ADA: &str = "ada.lovelace@demo.tenant-desk.example";
const SAM: &str = "sam.carter@demo.tenant-desk.example";
const NEW_PASSWORD: &str = "amber falcon river stone";

async fn sign_in_as(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
}

/// The refusal a tampered page gets for a command, or a panic if it passed.
async fn refused(app: &App, command: &str, args: serde_json::Value) -> String {
    let answer = app.invoke(command, args).await;
    assert_eq!(answer["error"]["code"], "not_allowed", "{command}: {answer}");
    answer["error"]["message"].as_str().unwrap_or_default().to_owned()
}

/// Ada Lovelace, a Tenant Admin, cannot reset the platform administrator's
/// password: the window says who can, and the core refuses a forged call.
/// The platform administrator then makes Ada one, in Edit user.
#[tokio::test(flavor = "multi_thread")]
async fn ada_cannot_reset_the_platform_administrators_password() {
    let install = Install::new("authority-platform");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in_as(&app, ADA).await;
    app.see(&heading("Identity")).await;
    let grace = row(seed::ADMIN_EMAIL);
    app.see(&format!("{grace}//span[normalize-space(.)='Platform administrator']")).await;
    let reset = app.find(&format!("{grace}{}", button("Reset password"))).await;
    assert!(reset.attr("disabled").await.ok().flatten().is_some(), "Reset password is not offered");
    let why = reset.attr("title").await.ok().flatten().unwrap_or_default();
    assert_eq!(why, "Grace Hopper is a platform administrator: only a platform administrator can reset their password or MFA, rename them or delete their account.");
    let delete = app.find(&format!("{grace}{}", button("Delete user"))).await;
    assert!(delete.attr("disabled").await.ok().flatten().is_some(), "her only membership: deleting would delete her account");
    app.click_within(&grace, "Edit user").await;
    let edit = dialog("Edit user");
    app.see(&edit).await;
    let name = app.find(&textbox("Name")).await;
    assert!(name.attr("readonly").await.ok().flatten().is_some(), "her name is her account's");
    assert!(!app.exists_now(&format!("{edit}{}", button("Grant"))).await, "only platform administrators grant the flag");
    shoot(&mut app, "platform-admin-row").await;
    app.click_within(&edit, "Cancel").await;

    let message = refused(&app, "reset_user_password", json!({ "id": seed::user_id(install.data_dir(), seed::ADMIN_EMAIL) })).await;
    assert!(message.contains("only a platform administrator can reset their password"), "{message}");
    let message = refused(&app, "update_local_api_settings", json!({ "settings": { "enabled": true, "port": 8799 } })).await;
    assert_eq!(message, "You are not allowed to do this with your role.");

    // Grace grants the flag to Ada through Edit user.
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    let ada = row(ADA);
    app.click_within(&ada, "Edit user").await;
    app.see(&edit).await;
    assert_eq!(app.value_of("Platform administrator").await, "No");
    app.click_within(&edit, "Grant").await;
    app.click_within(&dialog("Make Ada Lovelace a platform administrator?"), "Grant").await;
    app.see(&status("Platform administrator granted")).await;
    assert_eq!(app.value_of("Platform administrator").await, "Yes");
    shoot(&mut app, "platform-admin-granted").await;
    app.click_within(&edit, "Cancel").await;
    app.see(&format!("{ada}//span[normalize-space(.)='Platform administrator']")).await;
    app.quit().await;
}

/// The admin of one tenant cannot reset a member who also belongs to another
/// organization; removing him from this tenant leaves his account alone.
#[tokio::test(flavor = "multi_thread")]
async fn an_admin_cannot_reset_a_member_of_another_organization_only_remove_him() {
    let install = Install::new("authority-cross-tenant");
    seed::set_up(install.data_dir(), true);
    seed::own_organization(install.data_dir(), SAM, "Sam's Shop");
    let mut app = install.launch().await;
    sign_in_as(&app, ADA).await;
    let sam = row(SAM);
    let reset = app.find(&format!("{sam}{}", button("Reset password"))).await;
    assert!(reset.attr("disabled").await.ok().flatten().is_some());
    let why = reset.attr("title").await.ok().flatten().unwrap_or_default();
    assert!(why.starts_with("Sam Carter also belongs to an organization you don't administer"), "{why}");
    assert!(why.ends_with("You can remove them from this tenant."), "{why}");
    let message = refused(&app, "reset_user_password", json!({ "id": seed::user_id(install.data_dir(), SAM) })).await;
    assert!(message.contains("also belongs to an organization you don't administer"), "{message}");

    app.click_within(&sam, "Delete user").await;
    let confirm = dialog("Remove this user from the tenant?");
    app.see(&confirm).await;
    shoot(&mut app, "remove-from-tenant").await;
    app.click_within(&confirm, "Remove").await;
    app.see(&status("User removed from this tenant")).await;
    app.gone(&sam).await;

    // Sam signs in as before, into his own organization.
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in(&app, SAM).await;
    assert_eq!(app.value_of("Role").await, "Tenant Admin");
    app.quit().await;
}

/// Élodie, a Tenant Viewer, creates an organization and administers it; the
/// Local API, a setting of the whole install, is still not hers.
#[tokio::test(flavor = "multi_thread")]
async fn a_viewers_own_organization_cannot_touch_the_local_api() {
    let install = Install::new("authority-viewer-org");
    seed::set_up(install.data_dir(), true);
    seed::own_organization(install.data_dir(), "elodie.durand@demo.tenant-desk.example", "Élodie's Studio");
    let mut app = install.launch().await;
    sign_in_as(&app, "elodie.durand@demo.tenant-desk.example").await;
    app.see(&heading("Identity")).await;
    let tab = |name: &str| format!("//*[@role='tab' and normalize-space(.)='{name}']");
    app.see(&tab("API keys")).await;
    assert!(!app.exists_now(&tab("Local API")).await, "no Local API tab");
    shoot(&mut app, "viewer-org-identity").await;
    refused(&app, "update_local_api_settings", json!({ "settings": { "enabled": true, "port": 8798 } })).await;
    refused(&app, "get_local_api_settings", json!({})).await;
    refused(&app, "list_backups", json!({})).await;
    app.quit().await;
}

/// Add User with the address of someone who has an account elsewhere: the
/// window says they will be invited; they join once they accept.
#[tokio::test(flavor = "multi_thread")]
async fn add_user_with_an_existing_address_invites_the_person_who_accepts() {
    let install = Install::new("authority-invite");
    seed::set_up(install.data_dir(), true);
    seed::account_in_new_tenant(install.data_dir(), "Northwind", "olga@example.com");
    let mut app = install.launch().await;
    sign_in_as(&app, ADA).await;
    app.click("Add User").await;
    let add = dialog("Add user");
    app.see(&add).await;
    app.fill("Name", "Olga").await;
    app.fill("Email", "olga@example.com").await;
    app.fill("Password", "anything at all").await;
    app.choose("Role", "Tenant Viewer").await;
    app.click_within(&add, "Save").await;
    let invite = dialog("This person will be invited to your tenant");
    app.see(&invite).await;
    let text = app.find(&invite).await.text().await.unwrap_or_default();
    assert!(!text.contains("Northwind") && !text.contains("Petrova"), "nothing else about the account: {text}");
    shoot(&mut app, "invite-existing").await;
    app.click_within(&invite, "Invite to tenant").await;
    app.see(&status("Invitation sent: they join once they accept")).await;
    let pending = format!("//section[@aria-labelledby='invitations-title']{}", row("olga@example.com"));
    app.see(&pending).await;
    assert!(!app.exists_now(&format!("//table[contains(@class, 'data')]{}", row("olga@example.com"))).await, "not a user yet");
    app.scroll_to(&pending).await;
    shoot(&mut app, "invitation-pending").await;

    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in(&app, "olga@example.com").await;
    let banner = "//section[@aria-label='Invitations']";
    app.see(&format!("{banner}//strong[normalize-space(.)='Ada Lovelace invites you to join Acme Support']")).await;
    shoot(&mut app, "invitation-received").await;
    app.click("Accept the invitation to Acme Support").await;
    app.see(&status("You joined Acme Support")).await;
    app.gone(banner).await;
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Role").await, "Tenant Viewer");
    app.quit().await;
}

/// A person changes their own password: their other sign-ins end, and the
/// window says so.
#[tokio::test(flavor = "multi_thread")]
async fn changing_ones_password_signs_out_everywhere_else() {
    let install = Install::new("authority-password");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    // Signed in somewhere else since Tenant Desk started.
    let elsewhere = seed::sign_in_elsewhere(install.data_dir(), ADA);
    sign_in(&app, ADA).await;
    app.see(&heading("Security")).await;
    let places = "//table[@aria-labelledby='places-title']";
    app.see(&format!("{places}{}", row("This window"))).await;
    app.see(&format!("{places}{}", row("Another window"))).await;
    app.scroll_to(&heading("Security")).await;
    shoot(&mut app, "security").await;

    app.fill("Current password", "not my password").await;
    app.fill("New password", NEW_PASSWORD).await;
    app.fill("Confirm new password", NEW_PASSWORD).await;
    app.click("Change password").await;
    app.field_message("Current password", "Wrong password.").await;
    app.fill("Current password", seed::PASSWORD).await;
    app.fill("New password", NEW_PASSWORD).await;
    app.fill("Confirm new password", NEW_PASSWORD).await;
    app.click("Change password").await;
    app.see("//p[@role='status' and normalize-space(.)='Password changed. 1 other sign-in was signed out.']").await;
    app.gone(&format!("{places}{}", row("Another window"))).await;
    assert!(!seed::still_signed_in(install.data_dir(), &elsewhere), "the other sign-in ended");
    shoot(&mut app, "password-changed").await;
    app.quit().await;
}

/// The tenant locks idle windows after a minute: the window is covered, what
/// was typed stays, and the password unlocks it.
#[tokio::test(flavor = "multi_thread")]
async fn the_idle_lock_covers_the_window_and_unlocks_with_the_password() {
    let install = Install::new("authority-idle-lock");
    seed::set_up(install.data_dir(), true);
    seed::set_idle_lock(install.data_dir(), "Acme Support", 1);
    let mut app = install.launch().await;
    sign_in(&app, ADA).await;
    app.fill("Phone number", "+4930555").await;
    // A minute without input.
    tokio::time::sleep(Duration::from_secs(62)).await;
    let locked = "//*[@role='dialog' and .//h1[normalize-space(.)='Tenant Desk is locked']]";
    app.see(locked).await;
    shoot(&mut app, "idle-locked").await;
    // Behind the cover nothing answers, not even a forged call.
    let answer = app.invoke("get_profile", json!({})).await;
    assert_eq!(answer["error"]["code"], "session_locked", "{answer}");

    app.fill("Password", "not my password").await;
    app.click("Unlock").await;
    app.field_message("Password", "Wrong password.").await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Unlock").await;
    app.gone(locked).await;
    assert_eq!(app.value_of("Phone number").await, "+4930555", "nothing typed was lost");
    shoot(&mut app, "unlocked").await;
    app.quit().await;
}

/// The shell asks the core before it opens a dialog: a Viewer's avatar
/// chooser and archive export are refused at once (no dialog waits for an
/// answer), and recovery codes are saved only for a signed-in person.
#[tokio::test(flavor = "multi_thread")]
async fn the_core_answers_before_any_dialog_opens() {
    let install = Install::new("authority-dialogs");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in(&app, "elodie.durand@demo.tenant-desk.example").await;
    refused(&app, "choose_avatar", json!({})).await;
    refused(&app, "start_archive_export", json!({})).await;
    log_out(&mut app).await;
    let answer = app.invoke("save_recovery_codes", json!({ "codes": ["abcd-efgh-jkmn-pqrs"] })).await;
    assert_eq!(answer["error"]["code"], "not_signed_in", "{answer}");
    app.quit().await;
}
