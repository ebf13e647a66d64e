use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

/// A Tenant Viewer sees the profile read-only: no Update button.
#[tokio::test(flavor = "multi_thread")]
async fn viewer_sees_profile_read_only() {
    let install = Install::new("viewer");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    app.fill("Email", "elodie.durand@demo.tenant-desk.example").await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Role").await, "Tenant Viewer");
    let name = app.find(&textbox("Name")).await;
    assert!(name.attr("readonly").await.ok().flatten().is_some(), "Name is read-only");
    assert!(!app.exists_now(&button("Update")).await);
    // Settings > Identity is for Tenant Admins only: not in the viewer's menu.
    app.see(&menu_item("Profile")).await;
    assert!(!app.exists_now(&menu_item("Identity")).await);
    assert!(!app.exists_now(&heading("Identity")).await);
    app.screenshot("viewer-profile").await;
    app.quit().await;
}
