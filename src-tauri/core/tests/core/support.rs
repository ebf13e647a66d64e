use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tempfile::TempDir;
use tenant_desk_core::auth::{SessionToken, SignedIn};
use tenant_desk_core::clock::ManualClock;
use tenant_desk_core::secrets::{MemoryStore, SecretStore};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

pub const ADMIN_EMAIL: &str = "grace@example.com";
pub const PASSWORD: &str = "violet marble canyon drifts";

pub struct Harness {
    pub dir: TempDir,
    pub clock: Arc<ManualClock>,
    pub secrets: Arc<MemoryStore>,
    pub desk: Desk,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_secrets(Arc::new(MemoryStore::new()))
    }

    pub fn with_secrets(secrets: Arc<MemoryStore>) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()));
        let desk = open(&dir, clock.clone(), secrets.clone());
        Self { dir, clock, secrets, desk }
    }

    /// The same data folder opened again, as after an app restart.
    pub fn reopen(&self) -> Desk {
        open(&self.dir, self.clock.clone(), self.secrets.clone())
    }

    pub fn set_up(&self, load_demo: bool) -> (SessionToken, SignedIn) {
        self.desk
            .complete_setup(setup_input(load_demo))
            .unwrap_or_else(|e| panic!("setup failed: {e:?}"))
    }
}

pub fn open(dir: &TempDir, clock: Arc<ManualClock>, secrets: Arc<dyn SecretStore>) -> Desk {
    Desk::open(DeskConfig { data_dir: dir.path().to_owned(), clock, secrets })
        .unwrap_or_else(|e| panic!("open failed: {e:?}"))
}

pub fn setup_input(load_demo: bool) -> SetupInput {
    SetupInput {
        tenant_name: "Acme Support".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Grace Hopper".into(),
        email: ADMIN_EMAIL.into(),
        password: PASSWORD.into(),
        load_demo,
    }
}
