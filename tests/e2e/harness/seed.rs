//! Preparing an install through the core itself, for flows that start after setup.

use std::path::Path;
use std::sync::Arc;

use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::{KeyringStore, MemoryStore, SecretStore, KEYRING_SERVICE};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

pub const ADMIN_NAME: &str = "Grace Hopper";
pub const ADMIN_EMAIL: &str = "grace@example.com";
pub const PASSWORD: &str = "violet marble canyon drifts";

pub fn set_up(dir: &Path, load_demo: bool) {
    let desk = open(dir, Arc::new(MemoryStore::new()));
    desk.complete_setup(SetupInput {
        tenant_name: "Acme Support".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: ADMIN_NAME.into(),
        email: ADMIN_EMAIL.into(),
        password: PASSWORD.into(),
        load_demo,
    })
    .unwrap_or_else(|e| panic!("seeding setup failed: {e:?}"));
}

/// The remembered sign-in this install keeps in the real OS keyring, if any.
/// The keyring client drives its own runtime, so it runs on a blocking thread.
pub async fn remembered_token(dir: &Path) -> Option<String> {
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || {
        let desk = open(&dir, Arc::new(MemoryStore::new()));
        KeyringStore::new(KEYRING_SERVICE)
            .get(&desk.remembered_sign_in_key())
            .unwrap_or_else(|e| panic!("keyring: {e}"))
    })
    .await
    .unwrap_or_else(|e| panic!("keyring thread: {e}"))
}

fn open(dir: &Path, secrets: Arc<dyn SecretStore>) -> Desk {
    Desk::open(DeskConfig { data_dir: dir.to_owned(), clock: Arc::new(SystemClock), secrets })
        .unwrap_or_else(|e| panic!("open: {e:?}"))
}
