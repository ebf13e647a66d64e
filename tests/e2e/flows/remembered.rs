use tenant_desk_e2e::{seed, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

/// "Keep me signed in" survives a restart; logging out removes it from the
/// real keyring, and the next start asks to sign in.
#[tokio::test(flavor = "multi_thread")]
async fn keep_me_signed_in_survives_restart_until_log_out() {
    let install = Install::new("remembered");
    seed::set_up(install.data_dir(), false);

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.tick("Keep me signed in").await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
    assert!(seed::remembered_token(install.data_dir()).await.is_some(), "token kept in the keyring");

    let mut app = install.launch().await;
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Name").await, seed::ADMIN_NAME);
    app.screenshot("resumed").await;
    log_out(&mut app).await;
    app.quit().await;
    assert!(seed::remembered_token(install.data_dir()).await.is_none(), "keyring entry removed");

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.quit().await;
}

/// Without "Keep me signed in", a restart asks to sign in again.
#[tokio::test(flavor = "multi_thread")]
async fn without_keep_me_signed_in_restart_asks_again() {
    let install = Install::new("not-remembered");
    seed::set_up(install.data_dir(), false);
    let app = install.launch().await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
    assert!(seed::remembered_token(install.data_dir()).await.is_none());

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.quit().await;
}

/// Against a team server: the server's token is kept in this desktop's
/// keyring (the server keeps only its hash), resumed at the next start, and
/// removed at log out.
#[tokio::test(flavor = "multi_thread")]
async fn keep_me_signed_in_on_a_team_server_keeps_its_token_in_this_desktops_keyring() {
    let install = Install::on_team_server("remembered-server");
    seed::set_up(install.data_dir(), false);
    let base = format!("http://127.0.0.1:{}", install.team_server_port().unwrap_or_else(|| panic!("a team server")));

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.tick("Keep me signed in").await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
    assert!(seed::remembered_server_token(&base).await.is_some(), "the server's token kept in this desktop's keyring");

    let mut app = install.launch().await;
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Personal information")).await;
    log_out(&mut app).await;
    app.quit().await;
    assert!(seed::remembered_server_token(&base).await.is_none(), "keyring entry removed");

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.quit().await;
}
