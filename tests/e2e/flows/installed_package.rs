use std::path::PathBuf;
use std::time::Duration;

use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

/// The binary the .deb installed, named by `TENANT_DESK_INSTALLED_BINARY`, starts
/// on a fresh home folder, opens on the first-run screen and sets up a workspace
/// in the platform's data folder ($XDG_DATA_HOME/app.tenantdesk.desktop), not in
/// a test folder. `scripts/test.sh` builds and installs the package, runs this
/// flow alone, then removes the package and checks the data folder is still there.
#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs the installed package: scripts/test.sh installs it and runs this flow with TENANT_DESK_INSTALLED_BINARY and TENANT_DESK_INSTALLED_HOME"]
async fn the_installed_package_starts_on_the_first_run_screen() {
    let binary = required_env("TENANT_DESK_INSTALLED_BINARY");
    let home = PathBuf::from(required_env("TENANT_DESK_INSTALLED_HOME"));
    assert!(PathBuf::from(&binary).is_absolute(), "TENANT_DESK_INSTALLED_BINARY must be an absolute path, not {binary}");
    let entries = std::fs::read_dir(&home).unwrap_or_else(|e| panic!("the home folder {}: {e}", home.display()));
    assert_eq!(entries.count(), 0, "the home folder {} must be new and empty", home.display());
    let data_home = home.join(".local/share");
    let data_dir = data_home.join("app.tenantdesk.desktop");

    // The harness starts TENANT_DESK_BIN; the app gets no TENANT_DESK_DATA_DIR
    // (empty counts as unset), so it uses the platform's folder under the new home.
    std::env::set_var("TENANT_DESK_BIN", &binary);
    let install = Install::new("installed-package")
        .with_env("TENANT_DESK_DATA_DIR", "")
        .with_env("HOME", &home.to_string_lossy())
        .with_env("XDG_DATA_HOME", &data_home.to_string_lossy())
        .with_env("XDG_CONFIG_HOME", &home.join(".config").to_string_lossy())
        .with_env("XDG_CACHE_HOME", &home.join(".cache").to_string_lossy());
    let mut app = install.launch().await;

    app.see(&heading("Where does your team's data live?")).await;
    app.click("This computer only").await;
    app.see(&heading("Set up your workspace")).await;
    shoot(&mut app, "first-run").await;
    app.fill("Workspace name", "Installed Support").await;
    app.fill("Timezone", "Europe/Berlin").await;
    app.fill("Name", "Grace Hopper").await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Create workspace").await;
    app.see(&heading("Identity")).await;
    shoot(&mut app, "set-up").await;
    app.quit().await;
    wait_until_released(&data_dir).await;

    let database = data_dir.join("tenant-desk.sqlite3");
    let size = std::fs::metadata(&database)
        .unwrap_or_else(|e| panic!("the installed app kept no database at {}: {e}", database.display()))
        .len();
    assert!(size > 0, "{} is empty", database.display());
    assert!(
        !install.data_dir().join("tenant-desk.sqlite3").exists(),
        "the app kept its database in the test folder instead of the platform's data folder"
    );
}

fn required_env(name: &str) -> String {
    match std::env::var(name) {
        Ok(value) if !value.is_empty() => value,
        _ => panic!("{name} is not set: this flow checks an installed package (scripts/test.sh sets it)"),
    }
}

/// `App::quit` waits for the harness's own folder; this app used the platform's.
async fn wait_until_released(data_dir: &std::path::Path) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        match FolderLock::acquire(data_dir) {
            Ok(_) => return,
            Err(e) if tokio::time::Instant::now() > deadline => panic!("the installed app did not exit: {}", e.message),
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}
