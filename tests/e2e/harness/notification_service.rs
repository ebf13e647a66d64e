//! A private D-Bus session for one app run, optionally with a test listener
//! that owns org.freedesktop.Notifications (the name desktop notification
//! daemons own) and records every Notify call it receives.

use std::collections::HashMap;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use zbus::OwnedVariant;

/// One Notify call as the service received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Received {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

/// A bus of its own (`dbus-daemon` with the e2e session config): nothing on it
/// but what the test starts.
pub struct PrivateBus {
    pub address: String,
    _daemon: Child,
}

impl PrivateBus {
    pub async fn start() -> Self {
        let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("dbus-session.conf");
        let mut daemon = Command::new("dbus-daemon")
            .arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("dbus-daemon (a test dependency) could not start: {e}"));
        let stdout = daemon.stdout.take().unwrap_or_else(|| panic!("dbus-daemon has no stdout"));
        let mut address = String::new();
        BufReader::new(stdout)
            .read_line(&mut address)
            .await
            .unwrap_or_else(|e| panic!("reading the bus address: {e}"));
        let address = address.trim().to_owned();
        assert!(!address.is_empty(), "dbus-daemon printed no address");
        Self { address, _daemon: daemon }
    }
}

/// The test listener: answers like a notification daemon and keeps the calls.
pub struct NotificationService {
    received: Arc<Mutex<Vec<Received>>>,
    _connection: zbus::Connection,
}

struct Listener {
    received: Arc<Mutex<Vec<Received>>>,
    next_id: u32,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Listener {
    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        if let Ok(mut received) = self.received.lock() {
            received.push(Received { app_name, summary, body });
        }
        self.next_id += 1;
        self.next_id
    }

    fn close_notification(&self, _id: u32) {}

    fn get_server_information(&self) -> (String, String, String, String) {
        ("tenant-desk-e2e".into(), "Tenant Desk tests".into(), "1".into(), "1.2".into())
    }
}

impl NotificationService {
    pub async fn start(bus: &PrivateBus) -> Self {
        let received = Arc::new(Mutex::new(Vec::new()));
        let listener = Listener { received: received.clone(), next_id: 0 };
        let connection = zbus::connection::Builder::address(bus.address.as_str())
            .name("org.freedesktop.Notifications")
            .serve_at("/org/freedesktop/Notifications", listener)
            .build()
            .await
            .unwrap_or_else(|e| panic!("notification listener on {}: {e}", bus.address));
        Self { received, _connection: connection }
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// Waits until `count` notifications arrived and returns them.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..200 {
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{count} notifications expected within 20 s, got {:?}", self.received());
    }
}
