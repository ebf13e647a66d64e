//! Diagnostics for support: opened from the menu, it shows where the log is;
//! Copy diagnostics puts the facts and the log's last lines on the real
//! clipboard. Neither the copy nor the log holds the password typed at
//! sign-in.

use std::path::Path;

use tenant_desk_core::diagnostics::log_files;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

fn code_showing(within: &str, path: &Path) -> String {
    format!("{within}//dd/code[normalize-space(.)='{}']", path.display())
}

#[tokio::test(flavor = "multi_thread")]
async fn shows_the_log_and_copies_diagnostics() {
    let install = Install::new("diagnostics");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;

    app.click("Diagnostics").await;
    let view = dialog("Diagnostics");
    app.see(&view).await;
    let folder = log_files::folder(install.data_dir());
    app.see(&code_showing(&view, &folder)).await;
    let file = log_files::files(&folder).into_iter().next().unwrap_or_else(|| panic!("the app writes its log"));
    app.see(&code_showing(&view, &file)).await;
    app.see(&code_showing(&view, &install.data_dir().join("tenant-desk.sqlite3"))).await;
    app.see(&format!("{view}//p[normalize-space(.)=\"Copy diagnostics adds the log's last 200 lines.\"]")).await;
    app.see(&format!("{view}{}", button("Open log folder"))).await;
    shoot(&mut app, "diagnostics").await;

    let copied = app.copy(&view, "Copy diagnostics", "Diagnostics copied to the clipboard").await;
    assert!(copied.starts_with("Tenant Desk diagnostics\n"), "{copied}");
    assert!(copied.contains(&format!("Log folder: {}\n", folder.display())), "{copied}");
    assert!(copied.contains(&format!("Log file: {} ", file.display())), "{copied}");
    assert!(copied.contains("\nThe log's last "), "{copied}");
    assert!(copied.contains("Tenant Desk started"), "the start is in the copied lines: {copied}");
    assert!(copied.contains("signed in account_id="), "the sign-in is in the copied lines: {copied}");
    assert!(!copied.contains(seed::PASSWORD), "the password is not in the copy");
    let log = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{e}"));
    assert!(!log.contains(seed::PASSWORD), "the password is not in the log");

    app.click_within(&view, "Close").await;
    app.gone(&view).await;

    // A dialog keeps the keyboard: Tab cycles inside it, Escape closes it,
    // and focus goes back to what opened it.
    let focused_text = "return document.activeElement ? document.activeElement.textContent.trim() : ''";
    let in_dialog = "return !!document.activeElement.closest('[role=dialog]')";
    app.click("Diagnostics").await;
    app.see(&view).await;
    for _ in 0..8 {
        let active = app.client.active_element().await.unwrap_or_else(|e| panic!("focus: {e}"));
        active.send_keys("\u{E004}").await.unwrap_or_else(|e| panic!("Tab: {e}"));
        let inside = app.client.execute(in_dialog, vec![]).await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(inside, serde_json::json!(true), "Tab left the dialog");
    }
    let active = app.client.active_element().await.unwrap_or_else(|e| panic!("focus: {e}"));
    active.send_keys("\u{E00C}").await.unwrap_or_else(|e| panic!("Escape: {e}"));
    app.gone(&view).await;
    let back = app.client.execute(focused_text, vec![]).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, serde_json::json!("Diagnostics"), "focus went back to the menu entry");
    app.quit().await;
}
