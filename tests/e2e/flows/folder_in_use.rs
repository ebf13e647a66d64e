use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;

/// Another Tenant Desk (here the test process, as a second app would) holds
/// the data folder: the window says so, by which process, and writes nothing;
/// once the other lets go, the folder opens as usual.
#[tokio::test(flavor = "multi_thread")]
async fn a_data_folder_another_app_has_open_is_refused_with_a_clear_message() {
    let install = Install::new("folder-in-use");
    seed::set_up(install.data_dir(), false);
    // The database and its write-ahead log, as bytes: any write shows.
    let store = || {
        ["tenant-desk.sqlite3", "tenant-desk.sqlite3-wal"]
            .map(|name| std::fs::read(install.data_dir().join(name)).unwrap_or_default())
    };
    let before = store();
    let held = FolderLock::acquire(install.data_dir()).unwrap_or_else(|e| panic!("{e:?}"));

    let mut app = install.launch().await;
    app.see(&heading("Tenant Desk is already open")).await;
    let message = format!(
        "Tenant Desk is already open with the data folder {} (process {}). Only one app at a time can use a data folder: close the other one first.",
        install.data_dir().display(),
        std::process::id()
    );
    app.see(&alert(&message)).await;
    shoot(&mut app, "folder-in-use").await;
    // The other app lets go; the window that was refused never opened the store.
    drop(held);
    app.quit().await;
    assert!(store() == before, "the refused app wrote to the store");

    let app = install.launch().await;
    app.see(&heading("Sign in")).await;
    app.quit().await;
}
