//! Settings > Archives through the real window: export with its progress
//! bar through the save dialog, a broken archive's report, importing the
//! archive through the open dialog, then browsing the snapshot read-only
//! with "data as of", where the window offers no change and the core
//! refuses the one it is asked for anyway; two snapshots compared and one
//! removed.

use tenant_desk_core::authz::Role;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

const SNAPSHOT_BANNER: &str = "//*[@role='status' and @aria-label='Snapshot']";

#[tokio::test(flavor = "multi_thread")]
async fn export_import_and_browse_a_read_only_snapshot() {
    let install = Install::new("archives");
    let dir = install.data_dir().to_path_buf();
    seed::set_up(&dir, true);
    seed::add_conversations(&dir, 3000, 10);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.find(&menu_item("Archives")).await.click().await.unwrap_or_else(|e| panic!("Archives: {e}"));
    app.see(&heading("Archives")).await;
    app.see(&heading("Snapshots")).await;

    // Export: the bar runs to the end of 30,000 messages and more.
    let archive = dir.join("acme-archive.zip");
    app.choose_file("Export tenant archive", "Export tenant archive", &archive).await;
    app.see("//progress[@id='archive-progress']").await;
    app.see(&format!("{}[@value='100']", "//progress[@id='archive-progress']")).await;
    app.see("//*[@role='status' and contains(normalize-space(.), 'records (100%)')]").await;
    app.see(&status(&format!("Archive exported to {}", archive.display()))).await;
    shoot(&mut app, "export-done").await;
    let size = std::fs::metadata(&archive).unwrap_or_else(|e| panic!("archive: {e}")).len();
    assert!(size > 10_000, "the archive holds the conversations: {size} bytes");
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file left: {leftovers:?}");

    // A broken archive: its report names file and problem; no snapshot appears.
    let empty = dir.join("empty.zip");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    app.choose_file("Import archive", "Import tenant archive", &empty).await;
    app.see("//*[@role='alert']//h3[normalize-space(.)='empty.zip was not imported']").await;
    app.see("//*[@role='alert']//tr[td[1][normalize-space(.)='empty.zip'] and td[3][normalize-space(.)='the file is empty (0 bytes)']]").await;
    app.see("//p[normalize-space(.)='No snapshots yet. Import an archive to review it here.']").await;
    shoot(&mut app, "import-report").await;

    // The real archive becomes a snapshot.
    app.choose_file("Import archive", "Import tenant archive", &archive).await;
    app.see("//*[@role='status']//*[starts-with(normalize-space(.), 'Snapshot of Acme Support imported, data as of ')]").await;
    let snapshot_row = "//table[caption[normalize-space(.)='Snapshots']]//tr[td[1][normalize-space(.)='Acme Support']]";
    app.see(&format!("{snapshot_row}[td[5][normalize-space(.)='30,000']]")).await;
    shoot(&mut app, "snapshot-listed").await;

    // Opened: marked as a snapshot with its "data as of", in the banner and the switcher.
    app.find("//button[starts-with(@aria-label, 'Open snapshot of Acme Support as of ')]").await.click().await.unwrap_or_else(|e| panic!("open: {e}"));
    app.see(&format!("{SNAPSHOT_BANNER}//strong[normalize-space(.)='Read-only snapshot']")).await;
    app.see(&format!("{SNAPSHOT_BANNER}//span[contains(normalize-space(.), ', data as of ')]")).await;
    app.see("//span[@class='org-snapshot' and starts-with(normalize-space(.), 'Snapshot · data as of ')]").await;

    // Identity reads it and offers no change (the core refuses every one: core tests).
    app.find(&menu_item("Identity")).await.click().await.unwrap_or_else(|e| panic!("Identity: {e}"));
    let elodie = row("elodie.durand@demo.tenant-desk.example");
    app.see(&elodie).await;
    app.see(&format!("{}[@disabled and @title='Readonly']", button("Add User"))).await;
    app.see(&format!("{elodie}//button[@aria-label='Delete user' and @disabled and @title='Readonly']")).await;
    app.see(&format!("{elodie}//button[@aria-label='Reset password' and @disabled]")).await;
    assert!(!app.exists_now(&format!("{elodie}//button[@aria-label='Edit user']")).await, "no Edit user in a snapshot");
    shoot(&mut app, "snapshot-users").await;
    app.click_within(&elodie, "View user").await;
    let view = dialog("View user");
    app.see(&view).await;
    app.see(&format!("{view}//p[normalize-space(.)='Readonly: this organization is a snapshot and cannot be changed.']")).await;
    let role = app.find(&combobox("Role")).await;
    assert!(!role.is_enabled().await.unwrap_or(true), "Role cannot be changed in a snapshot");
    assert!(!app.exists_now(&format!("{view}{}", button("Save"))).await, "nothing to save in a snapshot");
    shoot(&mut app, "snapshot-view-user").await;
    app.click_within(&view, "Close").await;
    app.gone(&view).await;
    // The window asked anyway, as a tampered page would: the core refuses and nothing changes.
    let id: i64 = app.find(&format!("{elodie}/td[1]")).await.text().await.unwrap_or_default().trim().parse().expect("a user id");
    let answer = app.invoke("delete_user", serde_json::json!({ "id": id })).await;
    assert_eq!(answer["error"]["code"], serde_json::json!("not_allowed"), "{answer}");
    assert_eq!(answer["error"]["message"], serde_json::json!("This tenant is read-only and cannot be changed."));
    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("Profile: {e}"));
    app.find(&menu_item("Identity")).await.click().await.unwrap_or_else(|e| panic!("Identity: {e}"));
    app.see(&format!("{elodie}[td[normalize-space(.)='Tenant Viewer']]")).await;

    // Sessions read it, with nothing to act on.
    app.find(&menu_item("Sessions")).await.click().await.unwrap_or_else(|e| panic!("Sessions: {e}"));
    app.see("//p[normalize-space(.)='Readonly: this organization is a snapshot; you can review its sessions but not change them.']").await;
    app.click("Open session with Customer 2999").await;
    app.see("//ol[@role='log' and @aria-label='Messages']/li[contains(@class, 'message')]").await;
    for action in ["Accept", "Resolve", "Assign"] {
        assert!(!app.exists_now(&button(action)).await, "{action} offered in a snapshot");
    }
    shoot(&mut app, "snapshot-sessions").await;
    app.quit().await;
}

/// Two archives of one tenant a week apart, imported through the open dialog
/// and compared: who left, whose role changed, the conversations; then one
/// snapshot removed after confirming.
#[tokio::test(flavor = "multi_thread")]
async fn two_snapshots_compare_and_one_is_removed() {
    let install = Install::new("archives-compare");
    let dir = install.data_dir().to_path_buf();
    seed::set_up_days_ago(&dir, true, 7);
    let older = dir.join("acme-last-week.zip");
    seed::export_archive(&dir, &older, 7);
    seed::delete_user(&dir, "sam.carter@demo.tenant-desk.example");
    seed::change_role(&dir, "elodie.durand@demo.tenant-desk.example", Role::TenantUser);
    seed::add_conversations(&dir, 30, 2);
    let newer = dir.join("acme-today.zip");
    seed::export_archive(&dir, &newer, 0);

    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL).await;
    app.find(&menu_item("Archives")).await.click().await.unwrap_or_else(|e| panic!("Archives: {e}"));
    let snapshot_rows = "//table[caption[normalize-space(.)='Snapshots']]/tbody/tr";
    for (n, archive) in [&older, &newer].into_iter().enumerate() {
        app.choose_file("Import archive", "Import tenant archive", archive).await;
        app.see(&format!("({snapshot_rows})[{}]", n + 1)).await;
        app.see(&format!("{}[not(@disabled)]", button("Import archive"))).await;
    }

    app.see(&heading("Compare snapshots")).await;
    for (label, index) in [("First snapshot", 1), ("Second snapshot", 2)] {
        app.find(&combobox(label)).await.select_by_index(index).await.unwrap_or_else(|e| panic!("{label}: {e}"));
    }
    // The import toasts sit over the button, as they would for a person: dismiss them.
    while app.exists_now(&button("Dismiss notification")).await {
        app.click("Dismiss notification").await;
    }
    app.click("Compare").await;
    let comparison = "//*[@aria-label='Comparison']";
    app.see(&format!("{comparison}//h4[normalize-space(.)='Users added (0)']")).await;
    app.see(&format!("{comparison}//h4[normalize-space(.)='Users removed (1)']")).await;
    app.see(&format!(
        "{comparison}//li[normalize-space(.)='Sam Carter <sam.carter@demo.tenant-desk.example> — Tenant User']"
    ))
    .await;
    app.see(&format!("{comparison}//h4[normalize-space(.)='Role changes (1)']")).await;
    app.see(&format!(
        "{comparison}//li[normalize-space(.)='Élodie Durand <elodie.durand@demo.tenant-desk.example>: Tenant Viewer → Tenant User']"
    ))
    .await;
    let counts = |row: &str, before: &str, after: &str| {
        format!(
            "{comparison}//table[caption[normalize-space(.)='Conversations']]//tr[th[normalize-space(.)='{row}'] \
             and td[1][normalize-space(.)='{before}'] and td[2][normalize-space(.)='{after}']]"
        )
    };
    app.see(&counts("Conversations", "0", "30")).await;
    app.see(&counts("Open", "0", "20")).await;
    app.see(&counts("Resolved", "0", "10")).await;
    app.see(&counts("Messages", "0", "60")).await;
    app.scroll_to(comparison).await;
    shoot(&mut app, "snapshots-compared").await;

    // Removing one asks first; then the list has one left and nothing to compare.
    app.find(&format!("({snapshot_rows})[1]//button[starts-with(@aria-label, 'Remove snapshot of Acme Support as of ')]"))
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("remove: {e}"));
    let confirm = dialog("Remove this snapshot?");
    app.see(&confirm).await;
    shoot(&mut app, "snapshot-remove-confirm").await;
    app.click_within(&confirm, "Yes").await;
    app.see(&status("Snapshot removed")).await;
    app.gone(&format!("({snapshot_rows})[2]")).await;
    app.see(&format!("({snapshot_rows})[1]")).await;
    app.gone(&heading("Compare snapshots")).await;
    app.quit().await;
}
