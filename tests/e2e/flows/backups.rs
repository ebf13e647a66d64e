//! Settings > Backups, the recovery screen and Export CSV through the real
//! window and the desktop's own file chooser: a platform administrator backs
//! up and restores with confirmation (everyone signs in again); a store
//! damaged on disk opens the recovery screen, and a backup chosen in the open
//! dialog brings it back; the filtered Users table exported to a CSV file.

use std::path::Path;

use tenant_desk_e2e::{seed, App, Install};

use crate::flows_util::*;
use crate::conversations::sign_in_as;

const SAM: &str = "sam.carter@demo.tenant-desk.example";
const ADA: &str = "ada.lovelace@demo.tenant-desk.example";

async fn open_backups(app: &App) {
    app.click("Backups").await;
    app.see(&heading("Backups")).await;
}

/// Garbage over every page but the first: the tables' b-trees are gone,
/// as after a disk fault, while the file still starts like SQLite.
fn damage(store: &Path) {
    let mut bytes = std::fs::read(store).unwrap_or_else(|e| panic!("store: {e}"));
    assert!(bytes.len() > 8 * 4096, "a store of several pages");
    for (i, b) in bytes[4096..].iter_mut().enumerate() {
        *b = (i * 31 % 253) as u8;
    }
    std::fs::write(store, bytes).unwrap_or_else(|e| panic!("damage: {e}"));
}

/// The backup folder holds one copy of the damaged store, byte for byte.
fn assert_damaged_store_kept(install: &Install, damaged: &[u8]) {
    let kept: Vec<_> = std::fs::read_dir(install.data_dir().join("backups"))
        .unwrap_or_else(|e| panic!("backup folder: {e}"))
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("damaged-") && e.file_name().to_string_lossy().ends_with(".sqlite3"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(kept[0].path()).unwrap_or_default(), damaged, "the damaged store is kept as it was");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_administrator_backs_up_and_restores_after_confirming() {
    let install = Install::new("backups");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    open_backups(&app).await;
    shoot(&mut app, "backups-screen").await;

    let saved = install.data_dir().join("backups").join("before-the-change.sqlite3");
    app.choose_file("Back up now", "Back up Tenant Desk", &saved).await;
    app.see(&status(&format!("Backup saved to {}", saved.display()))).await;
    app.see(&row("before-the-change.sqlite3")).await;
    shoot(&mut app, "backup-listed").await;

    // A change after the backup, which the restore takes back.
    seed::rename_account(install.data_dir(), SAM, "Samuel Renamed");
    app.click("Restore before-the-change.sqlite3").await;
    let confirm = dialog("Restore this backup?");
    app.see(&confirm).await;
    let body = app.find(&format!("{confirm}//p")).await.text().await.unwrap_or_default();
    assert!(body.contains("1 tenant, 7 users, 0 conversations"), "{body}");
    shoot(&mut app, "restore-confirmation").await;
    app.click_within(&confirm, "Restore").await;
    app.see(&status("Backup restored. Everyone has been signed out; sign in again.")).await;
    app.see(&heading("Sign in")).await;
    assert_eq!(seed::account_details(install.data_dir(), SAM).0, "Sam Carter");
    let kept: Vec<String> = std::fs::read_dir(install.data_dir().join("backups"))
        .unwrap_or_else(|e| panic!("backup folder: {e}"))
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with("before-restore-"))
        .collect();
    assert_eq!(kept.len(), 1, "the store as it was is kept: {kept:?}");
    shoot(&mut app, "signed-out-after-restore").await;

    // A Tenant Admin who is no platform administrator has no Backups.
    sign_in_as(&app, ADA).await;
    app.see(&heading("Identity")).await;
    assert!(!app.exists_now(&menu_item("Backups")).await);
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_damaged_store_opens_the_recovery_screen_and_a_chosen_backup_brings_it_back() {
    let install = Install::new("recovery");
    seed::set_up(install.data_dir(), true);
    seed::daily_backup(install.data_dir());
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let chosen = elsewhere.path().join("friday.sqlite3");
    seed::back_up(install.data_dir(), &chosen);
    let store = install.data_dir().join("tenant-desk.sqlite3");
    damage(&store);
    let damaged = std::fs::read(&store).unwrap_or_else(|e| panic!("store: {e}"));

    let mut app = install.launch().await;
    app.see(&heading("The local database cannot be used")).await;
    app.see("//*[@role='alert' and contains(., 'has not been changed.')]").await;
    app.see("//tr[td[starts-with(normalize-space(.), 'daily-')]]").await;
    shoot(&mut app, "recovery-screen").await;
    assert_eq!(std::fs::read(&store).unwrap_or_default(), damaged, "nothing wrote to the damaged store");

    app.choose_file("Choose a file…", "Restore Tenant Desk", &chosen).await;
    let confirm = dialog("Restore this backup?");
    app.see(&confirm).await;
    shoot(&mut app, "recovery-confirmation").await;
    app.click_within(&confirm, "Restore").await;
    app.see(&heading("Sign in")).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    shoot(&mut app, "recovered-and-signed-in").await;

    assert_damaged_store_kept(&install, &damaged);
    app.quit().await;
}

/// The damage a read at start does not meet: garbage over the first page of
/// the memberships table. The window opens; the check of every page finds it.
fn damage_memberships(data_dir: &Path) {
    let (from, size) = seed::first_page_of(data_dir, "memberships");
    let store = data_dir.join("tenant-desk.sqlite3");
    let mut bytes = std::fs::read(&store).unwrap_or_else(|e| panic!("store: {e}"));
    for (i, b) in bytes[from..from + size].iter_mut().enumerate() {
        *b = (i * 13 % 241) as u8;
    }
    std::fs::write(&store, bytes).unwrap_or_else(|e| panic!("damage: {e}"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_store_found_damaged_after_the_window_opened_turns_it_to_recovery_and_a_listed_backup_brings_it_back() {
    let install = Install::new("late-damage");
    seed::set_up(install.data_dir(), true);
    seed::daily_backup(install.data_dir());
    damage_memberships(install.data_dir());
    let store = install.data_dir().join("tenant-desk.sqlite3");
    let damaged = std::fs::read(&store).unwrap_or_else(|e| panic!("store: {e}"));

    let mut app = install.launch().await;
    app.see(&heading("The local database cannot be used")).await;
    app.see("//*[@role='alert' and contains(., 'has not been changed.')]").await;
    assert_eq!(std::fs::read(&store).unwrap_or_default(), damaged, "nothing wrote to the damaged store");
    let log = app.log();
    assert!(log.contains("the store failed its start-up check"), "the store opened and was checked beside the window:\n{log}");
    shoot(&mut app, "recovery-after-opening").await;

    app.click_within("//tr[td[starts-with(normalize-space(.), 'daily-')]]", "Restore").await;
    let confirm = dialog("Restore this backup?");
    app.see(&confirm).await;
    app.click_within(&confirm, "Restore").await;
    app.see(&heading("Sign in")).await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;

    assert_damaged_store_kept(&install, &damaged);
    app.quit().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_filtered_users_table_is_exported_to_csv_in_its_order() {
    let install = Install::new("users-csv");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in_as(&app, seed::ADMIN_EMAIL).await;
    app.see(&heading("Identity")).await;
    app.fill("Search users", "demo.tenant").await;
    app.gone(&row(seed::ADMIN_EMAIL)).await;
    app.click("Name").await;
    app.see("//th[@aria-sort='ascending']//button[starts-with(normalize-space(.), 'Name')]").await;
    // The header turns before the sorted page arrives: wait for its rows
    // (Élodie Durand second by name, where Tomás Muñoz was by id).
    app.see("//table/tbody/tr[2]/td[3][normalize-space(.)='elodie.durand@demo.tenant-desk.example']").await;
    let mut shown = Vec::new();
    for cell in app.client.find_all(fantoccini::Locator::XPath("//table/tbody/tr/td[3]")).await.unwrap_or_default() {
        shown.push(cell.text().await.unwrap_or_default());
    }
    assert_eq!(shown.len(), 6, "{shown:?}");
    shoot(&mut app, "users-filtered").await;

    let saved = install.data_dir().join("users.csv");
    app.choose_file("Export CSV", "Export users", &saved).await;
    app.see(&status(&format!("Users exported to {}", saved.display()))).await;
    let mut reader = csv::Reader::from_path(&saved).unwrap_or_else(|e| panic!("exported file: {e}"));
    let header: Vec<String> = reader.headers().unwrap_or_else(|e| panic!("header: {e}")).iter().map(str::to_owned).collect();
    assert_eq!(header, ["ID", "Name", "Email", "Role", "Tenant", "Created On", "Modified On"]);
    let emails: Vec<String> =
        reader.records().map(|r| r.unwrap_or_else(|e| panic!("row: {e}"))[2].to_owned()).collect();
    assert_eq!(emails, shown, "the rows of the screen, in its order");
    assert!(!emails.iter().any(|e| e == seed::ADMIN_EMAIL));

    // The other tables have theirs.
    app.find("//*[@role='tab' and normalize-space(.)='Audit log']").await.click().await.unwrap_or_else(|e| panic!("Audit log tab: {e}"));
    app.see(&textbox("User")).await;
    app.see(&button("Export CSV")).await;
    shoot(&mut app, "audit-log-export").await;
    app.click("Sessions").await;
    app.see(&textbox("Search messages")).await;
    app.see(&button("Export CSV")).await;
    shoot(&mut app, "sessions-export").await;
    app.quit().await;
}
