//! A real notification server (dunst) on a bus of its own, and a watch of the
//! Notify calls the app makes to it with dbus-monitor: what a person's desktop
//! was asked to show, word for word.

use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct NotifyWatch {
    lines: Arc<Mutex<Vec<String>>>,
    _monitor: Child,
}

/// dunst owning org.freedesktop.Notifications on `bus`. Its context menu
/// (`dunstctl context`, where a person picks one of a notice's actions)
/// picks the action labelled Accept, as a person choosing it would.
pub struct Dunst {
    address: String,
    _daemon: Child,
    _config: tempfile::TempDir,
}

impl Dunst {
    pub async fn start(bus: &crate::notification_service::PrivateBus) -> Self {
        let config = tempfile::tempdir().unwrap_or_else(|e| panic!("dunst config folder: {e}"));
        let dunstrc = config.path().join("dunstrc");
        std::fs::write(&dunstrc, "[global]\n    dmenu = /usr/bin/grep -m1 Accept\n")
            .unwrap_or_else(|e| panic!("dunstrc: {e}"));
        let daemon = Command::new("dunst")
            .arg("-config")
            .arg(&dunstrc)
            .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("dunst (a test dependency) could not start: {e}"));
        let dunst = Self { address: bus.address.clone(), _daemon: daemon, _config: config };
        for _ in 0..100 {
            if dunst.ctl(&["is-paused"]).await {
                return dunst;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dunst did not come up on the test bus");
    }

    /// Runs dunstctl against this dunst; whether it succeeded.
    pub async fn ctl(&self, args: &[&str]) -> bool {
        Command::new("dunstctl")
            .args(args)
            .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await
            .is_ok_and(|s| s.success())
    }
}

impl NotifyWatch {
    pub async fn start(dunst: &Dunst) -> Self {
        let mut monitor = Command::new("dbus-monitor")
            .args(["--address", &dunst.address])
            .arg("type='method_call',interface='org.freedesktop.Notifications',member='Notify'")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("dbus-monitor (a test dependency) could not run: {e}"));
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let stdout = monitor.stdout.take().unwrap_or_else(|| panic!("dbus-monitor has no output"));
        tokio::spawn(async move {
            let mut reader = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = reader.next_line().await {
                sink.lock().unwrap_or_else(|p| p.into_inner()).push(line.trim().to_owned());
            }
        });
        // dbus-monitor prints its own NameAcquired signal once it listens.
        for _ in 0..100 {
            if !lines.lock().unwrap_or_else(|p| p.into_inner()).is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self { lines, _monitor: monitor }
    }

    /// Every string argument of the Notify calls seen so far.
    pub fn strings(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .iter()
            .filter_map(|l| l.strip_prefix("string \"").and_then(|s| s.strip_suffix('"')).map(str::to_owned))
            .collect()
    }

    /// Waits for a Notify call with this summary and body.
    pub async fn expect(&self, summary: &str, body: &str) {
        for _ in 0..200 {
            if self.strings().windows(2).any(|w| w[0] == summary && w[1] == body) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no notification {summary:?} / {body:?}; seen: {:?}", self.strings());
    }

    /// Whether any Notify call so far carried `text` (as summary or body).
    pub fn saw(&self, text: &str) -> bool {
        self.strings().iter().any(|s| s.contains(text))
    }
}
