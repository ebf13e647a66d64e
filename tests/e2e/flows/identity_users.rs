//! Settings > Identity > Users through the real window.

use tenant_desk_e2e::{seed, App, Install};

use crate::first_run::log_out;
use crate::flows_util::*;

const NEW_PASSWORD: &str = "amber falcon river stone";

async fn sign_in(app: &App, email: &str, password: &str) {
    app.fill("Email", email).await;
    app.fill("Password", password).await;
    app.click("Sign in").await;
}

/// Add an operator with a schedule → "User created successfully" → the new
/// operator signs in, must choose a new password, and lands on Sessions.
#[tokio::test(flavor = "multi_thread")]
async fn add_operator_with_schedule_then_first_sign_in_forces_a_new_password() {
    add_operator_with_schedule_then_first_sign_in_forces_a_new_password_in(Install::new("identity-add")).await;
}

/// The same, with the window working through a team server.
#[tokio::test(flavor = "multi_thread")]
async fn add_operator_with_schedule_then_first_sign_in_forces_a_new_password_through_a_team_server() {
    add_operator_with_schedule_then_first_sign_in_forces_a_new_password_in(Install::on_team_server("identity-add-server")).await;
}

async fn add_operator_with_schedule_then_first_sign_in_forces_a_new_password_in(install: Install) {
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL, seed::PASSWORD).await;
    app.see(&heading("Identity")).await;
    app.see(&row("ada.lovelace@demo.tenant-desk.example")).await;
    app.screenshot("users").await;
    // At the size the window opens with, every user's actions are in view
    // (seven users: the pencil, Reset password and Delete user each).
    assert_eq!(app.viewport().await, (1200, 800));
    assert_eq!(app.all_reachable("//table[caption='Users']//td[contains(@class, 'row-actions')]//button").await, 21);

    // Search is case-insensitive beyond ASCII.
    app.find("//input[@placeholder='Enter name or email']").await.send_keys("ÉLODIE").await.unwrap_or_else(|e| panic!("{e}"));
    app.see(&row("elodie.durand@demo.tenant-desk.example")).await;
    app.gone(&row("ada.lovelace@demo.tenant-desk.example")).await;
    app.screenshot("search").await;
    app.fill("Search users", "").await;
    app.see(&row("ada.lovelace@demo.tenant-desk.example")).await;

    app.click("Add User").await;
    let add = dialog("Add user");
    app.see(&add).await;
    app.fill("Name", "Linus Operator").await;
    app.fill("Email", "linus@example.com").await;
    app.fill("Password", "password").await;
    app.choose("Role", "Tenant Operator").await;
    app.see("//h3[normalize-space(.)='Coming week']").await;
    app.fill("Hours entered in", "Europe/Berlin").await;
    app.click("Add range on Monday").await;
    app.fill("Monday start", "8").await;
    app.fill("Monday end", "16").await;
    app.click("Add range on Monday").await;
    app.fill("Monday 2 start", "15").await;
    app.fill("Monday 2 end", "18").await;
    app.click_within(&add, "Save").await;
    app.see("//p[@id='user-password-error' and starts-with(normalize-space(.), 'This password is too common or easy to guess.')]").await;
    app.see("//p[normalize-space(.)='This range overlaps another range of the same day.']").await;
    app.screenshot("add-user-errors").await;
    app.click("Remove Monday 2 range").await;
    app.fill("Password", seed::PASSWORD).await;
    // The week as entered (Berlin) and in UTC (one hour earlier in winter, two in summer).
    let preview_row = "//section[@aria-labelledby='preview-title']//tr[td[1][contains(., '08:00–16:00')]]";
    app.see(&format!("{preview_row}[td[2][contains(., '07:00–15:00') or contains(., '06:00–14:00')]]")).await;
    app.screenshot("add-user-schedule").await;
    app.click_within(&add, "Save").await;
    app.see(&status("User created successfully")).await;
    app.gone(&add).await;
    app.see(&row("linus@example.com")).await;
    app.screenshot("user-created").await;

    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in(&app, "linus@example.com", seed::PASSWORD).await;
    app.see(&heading("Choose a new password")).await;
    assert!(!app.exists_now(&menu_item("Profile")).await, "nothing else opens");
    app.screenshot("choose-new-password").await;
    app.fill("New password", NEW_PASSWORD).await;
    app.fill("Confirm new password", "something else").await;
    app.click("Set password").await;
    app.field_message("Confirm new password", "The two passwords do not match.").await;
    app.fill("Confirm new password", NEW_PASSWORD).await;
    app.click("Set password").await;
    // Operators land on Sessions; their Profile shows the role.
    app.see(&heading("Sessions")).await;
    let me = "//nav[@aria-label='Main menu']//button[starts-with(@aria-label, 'Profile: ')]";
    app.find(me).await.click().await.unwrap_or_else(|e| panic!("open Profile: {e}"));
    app.see(&heading("Personal information")).await;
    assert_eq!(app.value_of("Role").await, "Tenant Operator");
    app.screenshot("operator-profile").await;
    app.quit().await;
}

/// An administrator whose desktop is in New York enters an operator's hours
/// in Berlin time and sees the coming week in their own time as well.
#[tokio::test(flavor = "multi_thread")]
async fn a_schedule_entered_in_another_zone_shows_the_week_in_the_desktops_own_time() {
    let install = Install::new("schedule-zones").with_env("TZ", "America/New_York");
    seed::set_up(install.data_dir(), false);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL, seed::PASSWORD).await;
    app.click("Add User").await;
    app.see(&dialog("Add user")).await;
    app.choose("Role", "Tenant Operator").await;
    app.fill("Hours entered in", "Europe/Berlin").await;
    app.click("Add range on Monday").await;
    app.fill("Monday start", "9").await;
    app.fill("Monday end", "17").await;
    app.see("//section[@aria-labelledby='preview-title']//th[normalize-space(.)='Your time (America/New_York)']").await;
    // Six hours earlier, or five in the weeks between the two clock changes.
    let row = "//section[@aria-labelledby='preview-title']//tr[td[1][contains(., '09:00–17:00')]]";
    app.see(&format!("{row}[td[4][contains(., '03:00–11:00') or contains(., '04:00–12:00')]]")).await;
    app.screenshot("your-time").await;
}

/// Edit user opened, then someone else saves the same user: Save is refused
/// with who and when, nothing is written, Reload shows their change, and the
/// change made again is saved.
#[tokio::test(flavor = "multi_thread")]
async fn a_save_over_someone_elses_edit_is_refused_then_reloaded() {
    let install = Install::new("identity-conflict");
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL, seed::PASSWORD).await;

    let tomas = row("tomas.munoz@demo.tenant-desk.example");
    app.click_within(&tomas, "Edit user").await;
    let edit = dialog("Edit user");
    app.see(&edit).await;
    seed::rename_user_as(install.data_dir(), "ada.lovelace@demo.tenant-desk.example", "tomas.munoz@demo.tenant-desk.example", "Tomás Ada");
    app.fill("Name", "Tomás Grace").await;
    app.click_within(&edit, "Save").await;
    app.see(&format!("{edit}//p[@role='alert' and starts-with(normalize-space(.), 'Ada Lovelace changed this user at ')]")).await;
    app.screenshot("edit-conflict").await;
    assert_eq!(seed::account_details(install.data_dir(), "tomas.munoz@demo.tenant-desk.example").0, "Tomás Ada");

    app.click_within(&edit, "Reload").await;
    app.gone(&format!("{edit}//p[@role='alert']")).await;
    assert_eq!(app.value_of("Name").await, "Tomás Ada");
    app.fill("Name", "Tomás Grace").await;
    app.click_within(&edit, "Save").await;
    app.see(&status("User updated successfully")).await;
    app.see(&row("Tomás Grace")).await;
}

/// Edit a role → "User updated successfully"; delete with the confirmation →
/// "User deleted successfully" → that user cannot sign in.
#[tokio::test(flavor = "multi_thread")]
async fn edit_role_and_delete_user() {
    edit_role_and_delete_user_in(Install::new("identity-edit")).await;
}

/// The same, with the window working through a team server.
#[tokio::test(flavor = "multi_thread")]
async fn edit_role_and_delete_user_through_a_team_server() {
    edit_role_and_delete_user_in(Install::on_team_server("identity-edit-server")).await;
}

async fn edit_role_and_delete_user_in(install: Install) {
    seed::set_up(install.data_dir(), true);
    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL, seed::PASSWORD).await;

    let tomas = row("tomas.munoz@demo.tenant-desk.example");
    app.click_within(&tomas, "Edit user").await;
    let edit = dialog("Edit user");
    app.see(&edit).await;
    let email = app.find(&textbox("Email")).await;
    assert!(email.attr("readonly").await.ok().flatten().is_some(), "email cannot change");
    app.choose("Role", "Tenant Viewer").await;
    app.screenshot("edit-user").await;
    app.click_within(&edit, "Save").await;
    app.see(&status("User updated successfully")).await;
    app.see(&format!("{tomas}[td[normalize-space(.)='Tenant Viewer']]")).await;

    let sam = row("sam.carter@demo.tenant-desk.example");
    app.click_within(&sam, "Delete user").await;
    let confirm = dialog("Delete this user?");
    app.see(&confirm).await;
    app.screenshot("delete-confirm").await;
    app.click_within(&confirm, "Yes").await;
    app.see(&status("User deleted successfully")).await;
    app.gone(&sam).await;

    // Reset password shows the temporary password once.
    app.click_within(&row("priya.raman@demo.tenant-desk.example"), "Reset password").await;
    app.click_within(&dialog("Reset this user's password?"), "Reset password").await;
    app.see(&dialog("Temporary password")).await;
    assert_eq!(app.value_of("Temporary password").await.chars().count(), 16);
    app.screenshot("temporary-password").await;
    app.click("Done").await;

    app.click("Audit log").await;
    app.see("//td/code[normalize-space(.)='user.delete']").await;
    app.see("//td/code[normalize-space(.)='user.role_change']").await;
    app.screenshot("audit-log").await;

    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in(&app, "sam.carter@demo.tenant-desk.example", seed::PASSWORD).await;
    app.see(&alert("Wrong email or password")).await;
    app.quit().await;
}

/// Import users from CSV: a file with a bad row is refused with its report
/// and adds no one; the fixed file's report lists who will be added, then
/// everyone is added; the temporary passwords are saved to a file, and one
/// of the new people signs in with theirs and must choose a new password.
#[tokio::test(flavor = "multi_thread")]
async fn import_users_from_csv_reports_first_then_adds_everyone() {
    import_users_from_csv_in(Install::new("identity-import")).await;
}

/// The same, with the window working through a team server.
#[tokio::test(flavor = "multi_thread")]
async fn import_users_from_csv_through_a_team_server() {
    import_users_from_csv_in(Install::on_team_server("identity-import-server")).await;
}

async fn import_users_from_csv_in(install: Install) {
    let dir = install.data_dir().to_path_buf();
    seed::set_up(&dir, true);
    let bad = dir.join("team-bad.csv");
    let good = dir.join("team.csv");
    let rows = |second: &str| {
        format!(
            "Name,Email,Role,Schedule\nRosa Parks,rosa@example.com,Tenant User,\nMary Jackson,{second},Tenant Viewer,\n\
             Dorothy Vaughan,dorothy@example.com,Tenant Operator,Mon-Fri 9-17\n"
        )
    };
    std::fs::write(&bad, rows("mary-at-example.com")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&good, rows("mary@example.com")).unwrap_or_else(|e| panic!("{e}"));
    let users_table = |email: &str| format!("//table[caption='Users']//tr[td[normalize-space(.)='{email}']]");

    let mut app = install.launch().await;
    sign_in(&app, seed::ADMIN_EMAIL, seed::PASSWORD).await;
    app.see(&users_table(seed::ADMIN_EMAIL)).await;
    app.click("Import users from CSV").await;
    let import = dialog("Import users from CSV");
    app.see(&import).await;
    app.choose_file_within(&import, "Choose CSV file", "Import users from CSV", &bad).await;
    app.see(&alert("The file is refused; no one was added. Fix this line and choose the file again.")).await;
    app.see("//table[@aria-label='Problems']//tr[td[1]='3' and td[2]='Email' and td[3]='Enter a valid email address, like name@example.com.']")
        .await;
    assert!(!app.exists_now(&format!("{import}//button[starts-with(normalize-space(.), 'Import ')]")).await, "nothing to import");
    shoot(&mut app, "import-users-refused").await;

    app.choose_file_within(&import, "Choose another file", "Import users from CSV", &good).await;
    app.see(&format!("{import}//*[@role='status' and normalize-space(.)='All 3 rows are valid: 3 users will be added to Acme Support.']")).await;
    app.see("//table[@aria-label='Users to add']//tr[td[3]='dorothy@example.com' and td[4]='Tenant Operator']").await;
    assert!(!app.exists_now(&users_table("rosa@example.com")).await, "the report writes nothing");
    shoot(&mut app, "import-users-report").await;

    app.click_within(&import, "Import 3 users").await;
    app.see(&format!("{import}//*[@role='status' and starts-with(normalize-space(.), 'Added 3 users to Acme Support.')]")).await;
    app.see("//table[@aria-label='Temporary passwords']//tr[td[1]='dorothy@example.com']").await;
    shoot(&mut app, "import-users-done").await;

    let saved = dir.join("temporary-passwords.csv");
    app.choose_file_within(&import, "Save temporary passwords", "Save temporary passwords", &saved).await;
    app.see(&status(&format!("Temporary passwords saved to {}", saved.display()))).await;
    let text = std::fs::read_to_string(&saved).unwrap_or_else(|e| panic!("{e}"));
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&saved).unwrap_or_else(|e| panic!("{e}")).permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "readable by its owner only");
    }
    let line = text.lines().find(|l| l.starts_with("dorothy@example.com,")).unwrap_or_else(|| panic!("no password for Dorothy: {text}"));
    let password = line.split_once(',').map(|(_, p)| p.to_owned()).unwrap_or_default();
    app.click_within(&import, "Done").await;
    app.gone(&import).await;
    app.see(&users_table("dorothy@example.com")).await;
    app.see(&users_table("mary@example.com")).await;

    app.find(&menu_item("Profile")).await.click().await.unwrap_or_else(|e| panic!("{e}"));
    log_out(&mut app).await;
    sign_in(&app, "dorothy@example.com", &password).await;
    app.see(&heading("Choose a new password")).await;
    app.quit().await;
}
