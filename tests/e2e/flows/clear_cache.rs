use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

/// Clear base cache reads everything from the store again (a name changed
/// behind the window shows up) and stays signed in; Clear all cache signs out
/// and removes the remembered sign-in from the keyring.
#[tokio::test(flavor = "multi_thread")]
async fn clear_base_cache_stays_signed_in_and_clear_all_cache_signs_out() {
    let install = Install::new("clear-cache");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.tick("Keep me signed in").await;
    app.click("Sign in").await;
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Personal information")).await;

    seed::rename_account(install.data_dir(), seed::ADMIN_EMAIL, "Amazing Grace");
    app.click("Clear cache").await;
    app.see(&menuitem("Clear base cache")).await;
    app.screenshot("menu").await;
    app.find(&menuitem("Clear base cache")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&status("Base cache cleared: data reloaded from the store. You are still signed in.")).await;
    app.see(&heading("Amazing Grace")).await;
    assert_eq!(app.value_of("Name").await, "Amazing Grace");
    app.see(&button("Profile: Amazing Grace Tenant Admin")).await;
    app.screenshot("base-cleared").await;
    assert!(seed::remembered_token(install.data_dir()).await.is_some(), "still remembered");

    app.click("Clear cache").await;
    app.find(&menuitem("Clear all cache")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&heading("Sign in")).await;
    app.see(&status("All cache cleared. You have been signed out.")).await;
    app.screenshot("all-cleared").await;
    app.quit().await;
    assert!(seed::remembered_token(install.data_dir()).await.is_none(), "remembered sign-in removed");

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.quit().await;
}
