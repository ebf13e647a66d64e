use tenant_desk_e2e::{seed, App, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

/// An install whose window keeps its web storage in its own folder, so the
/// theme remembered for the next start is this test's alone.
fn install_with_own_web_storage(name: &str) -> Install {
    let install = Install::new(name);
    let web = install.data_dir().join("web");
    install.with_env("XDG_DATA_HOME", &web.to_string_lossy())
}

async fn sign_in_keeping(app: &App, email: &str) {
    app.fill("Email", email).await;
    app.fill("Password", seed::PASSWORD).await;
    app.tick("Keep me signed in").await;
    app.click("Sign in").await;
}

async fn open_profile(app: &App) {
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    app.see(&heading("Preferences")).await;
}

/// Dark and Light apply at once (an explicit choice overrides the OS), are
/// saved to the profile, and the next start opens dark: after resuming the
/// remembered sign-in, and on the Sign in screen before anyone signs in.
#[tokio::test(flavor = "multi_thread")]
async fn theme_applies_at_once_and_survives_a_restart() {
    let install = install_with_own_web_storage("theme");
    seed::set_up(install.data_dir(), false);

    let mut app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.see_theme("system", "light").await;
    sign_in_keeping(&app, seed::ADMIN_EMAIL).await;
    open_profile(&app).await;
    app.choose_radio("Dark").await;
    app.see_theme("dark", "dark").await;
    app.screenshot("dark").await;
    app.choose_radio("Light").await;
    app.see_theme("light", "light").await;
    app.choose_radio("Dark").await;
    app.see_theme("dark", "dark").await;
    app.quit().await;

    let mut app = install.launch().await;
    app.see(&heading("Identity")).await;
    app.see_theme("dark", "dark").await;
    open_profile(&app).await;
    assert!(app.find(&radio("Dark")).await.is_selected().await.unwrap_or(false), "Dark is the saved choice");
    app.screenshot("dark-after-restart").await;
    log_out(&mut app).await;
    app.quit().await;

    let mut app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.see_theme("dark", "dark").await;
    app.screenshot("dark-sign-in").await;
    app.quit().await;
}

/// With Display Toast Notifications off, saving the name shows no toast and
/// still saves; turned back on, the toast returns.
#[tokio::test(flavor = "multi_thread")]
async fn toasts_off_suppresses_confirmations_but_saves() {
    let install = Install::new("toasts-off");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.tick("Display Toast Notifications").await;
    assert!(!app.find(&checkbox("Display Toast Notifications")).await.is_selected().await.unwrap_or(true));

    app.fill("Name", "Grace Brewster Hopper").await;
    app.click("Update").await;
    // The menu shows the saved name in the same update that would show the toast.
    app.see(&button("Profile: Grace Brewster Hopper Tenant Admin")).await;
    assert!(!app.exists_now(&status("User updated successfully")).await, "no toast while toasts are off");
    assert_eq!(seed::account_details(install.data_dir(), seed::ADMIN_EMAIL).0, "Grace Brewster Hopper");
    app.screenshot("saved-without-toast").await;

    app.tick("Display Toast Notifications").await;
    app.fill("Name", "Grace Hopper").await;
    app.click("Update").await;
    app.see(&status("User updated successfully")).await;
    app.quit().await;
}

/// Pinning Profile makes an administrator land there after signing in; the
/// Pinned Home Page section offers Unpin and disappears with the pin.
#[tokio::test(flavor = "multi_thread")]
async fn pinned_home_page_is_where_sign_in_lands_until_unpinned() {
    let install = Install::new("pinned");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    assert!(!app.exists_now(&heading("Pinned Home Page")).await, "nothing pinned yet");
    app.choose("Home page after sign-in", "Profile").await;
    app.see(&heading("Pinned Home Page")).await;
    app.see(&status("Profile pinned as your home page")).await;
    app.scroll_to(&heading("Pinned Home Page")).await;
    app.screenshot("pinned").await;
    // The toast sits where Unpin will be after the next sign-in.
    app.click("Dismiss notification").await;
    log_out(&mut app).await;

    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Pinned Home Page")).await;
    app.see("//nav[@aria-label='Main menu']//button[@aria-current='page' and normalize-space(.)='Profile']").await;
    app.click_within(&region("Pinned Home Page"), "Unpin").await;
    app.gone(&heading("Pinned Home Page")).await;
    app.screenshot("unpinned").await;
    log_out(&mut app).await;

    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.quit().await;
}
