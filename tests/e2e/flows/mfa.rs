//! MFA through the real window: turning it on with a code computed here from
//! the secret the window shows, then signing in with a code, with a recovery
//! code, and that recovery code refused the second time.

use tenant_desk_e2e::{seed, App, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

const WRONG_CODE: &str =
    "That code is not valid. Enter the current code from your authenticator app or an unused recovery code.";

async fn text_of(app: &App, xpath: &str) -> String {
    app.find(xpath).await.text().await.unwrap_or_else(|e| panic!("text of {xpath}: {e}"))
}

/// From Identity (where administrators land) to Profile, then Log out.
async fn log_out_from_identity(app: &mut App) {
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    app.see(&heading("Personal information")).await;
    log_out(app).await;
}

/// Email and password on the Sign in screen, then the code screen.
async fn password_step(app: &App) {
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Enter your code")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn enable_mfa_then_sign_in_with_a_code_and_with_a_recovery_code_once() {
    enable_mfa_then_sign_in_with_a_code_and_with_a_recovery_code_once_in(Install::new("mfa")).await;
}

/// The same against a team server: its MFA and its code step.
#[tokio::test(flavor = "multi_thread")]
async fn enable_mfa_then_sign_in_with_a_code_and_with_a_recovery_code_once_through_a_team_server() {
    enable_mfa_then_sign_in_with_a_code_and_with_a_recovery_code_once_in(Install::on_team_server("mfa-server")).await;
}

async fn enable_mfa_then_sign_in_with_a_code_and_with_a_recovery_code_once_in(install: Install) {
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.see("//*[@id='mfa-state' and normalize-space(.)='Off']").await;

    // Turning it on asks for the password again.
    app.tick("Enable MFA").await;
    app.see(&heading("Confirm your password")).await;
    app.fill("Password", "not my password").await;
    app.click("Continue").await;
    app.field_message("Password", "Wrong password.").await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Continue").await;
    app.see(&heading("Scan the QR code")).await;
    let qr = app.find("//img[@class='qr']").await;
    let src = qr.attr("src").await.ok().flatten().unwrap_or_default();
    assert!(src.starts_with("data:image/svg+xml;base64,"), "{src}");
    let width = app
        .client
        .execute("return document.querySelector('img.qr').naturalWidth", vec![])
        .await
        .unwrap_or_else(|e| panic!("naturalWidth: {e}"));
    assert!(width.as_u64().unwrap_or_default() > 0, "the QR code image loads under the CSP: {width}");
    let secret = text_of(&app, "//*[@aria-label='Secret key']//code").await;
    shoot(&mut app, "mfa-qr").await;

    app.fill("Code from the app", "000000").await;
    app.click("Turn on MFA").await;
    app.field_message("Code from the app", WRONG_CODE).await;
    app.fill("Code from the app", &seed::totp_code(&secret, 0)).await;
    app.click("Turn on MFA").await;
    app.see(&heading("Recovery codes")).await;
    let mut codes = Vec::new();
    for i in 1..=10 {
        codes.push(text_of(&app, &format!("//ol[@aria-label='Recovery codes']/li[{i}]//code")).await);
    }
    assert!(codes.iter().all(|c| c.len() == 19), "{codes:?}");
    shoot(&mut app, "mfa-recovery-codes").await;
    let recovery = "//section[@aria-labelledby='recovery-title']";
    let copied = app.copy(recovery, "Copy codes", "Recovery codes copied to clipboard").await;
    assert_eq!(copied.lines().collect::<Vec<_>>(), codes.iter().map(String::as_str).collect::<Vec<_>>());
    let saved = install.data_dir().join("my codes.txt");
    app.choose_file_within(recovery, "Save to file", "Save recovery codes", &saved).await;
    app.see(&status(&format!("Recovery codes saved to {}", saved.display()))).await;
    let text = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("{}: {e}", saved.display()));
    assert!(codes.iter().all(|c| text.contains(c.as_str())), "{text}");
    app.click("Done").await;
    app.see(&status("MFA turned on")).await;
    app.see("//*[@id='mfa-state' and normalize-space(.)='On · 10 recovery codes left']").await;
    shoot(&mut app, "mfa-on").await;

    // Sign in again: the password, then a code (one step ahead, as a phone
    // whose clock runs early shows, so it is not the code used to turn MFA on).
    log_out(&mut app).await;
    password_step(&app).await;
    shoot(&mut app, "mfa-code-step").await;
    app.fill("Code", &seed::totp_code(&secret, 1)).await;
    app.click("Verify").await;
    app.see(&heading("Identity")).await;

    // A recovery code works once.
    log_out_from_identity(&mut app).await;
    password_step(&app).await;
    app.fill("Code", &codes[0]).await;
    app.click("Verify").await;
    app.see(&heading("Identity")).await;
    log_out_from_identity(&mut app).await;
    password_step(&app).await;
    app.fill("Code", &codes[0]).await;
    app.click("Verify").await;
    app.field_message("Code", WRONG_CODE).await;
    shoot(&mut app, "mfa-recovery-code-reused").await;
    app.fill("Code", &codes[1]).await;
    app.click("Verify").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
}

/// A tenant requiring MFA: a member without it sets it up before anything
/// else opens, and then cannot turn it off.
#[tokio::test(flavor = "multi_thread")]
async fn required_mfa_is_set_up_at_sign_in_and_stays_on() {
    let install = Install::new("mfa-required");
    seed::set_up(install.data_dir(), true);
    seed::require_mfa(install.data_dir(), "Acme Support");
    let mut app = install.launch().await;
    let tomas = "tomas.munoz@demo.tenant-desk.example";
    set_up_required_mfa(&mut app, tomas, "required-setup").await;

    app.see(&heading("Personal information")).await;
    let toggle = app.find(&checkbox("Enable MFA")).await;
    assert!(toggle.attr("disabled").await.ok().flatten().is_some(), "grayed out");
    assert_eq!(toggle.prop("checked").await.ok().flatten().as_deref(), Some("true"));
    app.see("//*[@id='mfa-state' and normalize-space(.)='Required by your organization']").await;
    shoot(&mut app, "required-on").await;

    // Tomas lost his phone: an administrator resets his MFA from Edit user
    // (she sets up her own first, as the tenant requires).
    log_out(&mut app).await;
    set_up_required_mfa(&mut app, seed::ADMIN_EMAIL, "required-setup-admin").await;
    app.see(&heading("Identity")).await;
    app.click_within(&row(tomas), "Edit user").await;
    let edit = dialog("Edit user");
    app.see(&edit).await;
    assert_eq!(app.find(&textbox("MFA")).await.prop("value").await.ok().flatten().as_deref(), Some("On"));
    app.click_within(&edit, "Reset MFA").await;
    let confirm = dialog("Reset MFA for Tomás Muñoz?");
    app.see(&confirm).await;
    shoot(&mut app, "reset-mfa-confirm").await;
    app.click_within(&confirm, "Reset MFA").await;
    app.see(&status("MFA reset")).await;
    assert_eq!(app.find(&textbox("MFA")).await.prop("value").await.ok().flatten().as_deref(), Some("Off"));
    assert!(app.exists_now(&edit).await, "the Edit user dialog stays open");
    app.click_within(&edit, "Cancel").await;
    log_out_from_identity(&mut app).await;

    // At his next sign-in he sets MFA up again, with a new key.
    set_up_required_mfa(&mut app, tomas, "required-setup-again").await;
    app.see(&heading("Personal information")).await;
    app.quit().await;
}

/// Signs in as a member of a tenant that requires MFA who has none yet: the
/// window asks for it before anything else, and it is set up there.
async fn set_up_required_mfa(app: &mut App, email: &str, shot: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Set up MFA")).await;
    assert!(!app.exists_now("//nav[@aria-label='Main menu']").await, "nothing else opens");
    app.fill("Password", seed::PASSWORD).await;
    app.click("Continue").await;
    app.see(&heading("Scan the QR code")).await;
    let secret = text_of(app, "//*[@aria-label='Secret key']//code").await;
    shoot(app, shot).await;
    app.fill("Code from the app", &seed::totp_code(&secret, 0)).await;
    app.click("Turn on MFA").await;
    app.see(&heading("Recovery codes")).await;
    app.click("Done").await;
}
