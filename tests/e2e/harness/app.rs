use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use tempfile::TempDir;
use tokio::process::{Child, Command};

use crate::display::Display;
use crate::team_server::TeamServer;

/// A data folder of its own: one install of the app, launched as often as a test likes.
pub struct Install {
    pub dir: TempDir,
    name: String,
    /// Extra environment for the app (e.g. a D-Bus address with no keyring).
    env: Vec<(String, String)>,
    /// The team server this desktop works with, started at the first launch,
    /// its store and its port.
    server: Option<(tokio::sync::Mutex<TeamServer>, PathBuf, u16)>,
    /// The display its windows open on, started at the first launch.
    display: OnceLock<Arc<Display>>,
}

/// One run of the app window, driven over WebDriver.
pub struct App {
    pub client: Client,
    driver: Child,
    pub(super) name: String,
    shots: u32,
    data_dir: PathBuf,
    display: Arc<Display>,
}

impl Install {
    pub fn new(name: &str) -> Self {
        // Two TLS providers are linked in; rustls refuses to guess between them.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let dir = tempfile::Builder::new()
            .prefix(&format!("tenant-desk-e2e-{name}-"))
            .tempdir()
            .unwrap_or_else(|e| panic!("tempdir: {e}"));
        Self { dir, name: name.to_owned(), env: Vec::new(), server: None, display: OnceLock::new() }
    }

    /// An install whose window works with a team server of its own (on
    /// loopback), chosen as a person does at first run: the same flows, with
    /// every operation going through the server. `data_dir` is then the
    /// server's store, where the flows seed the team's data.
    pub fn on_team_server(name: &str) -> Self {
        let mut install = Self::new(name);
        let server = TeamServer::prepare(name);
        let choice = json!({ "base": server.address() }).to_string();
        std::fs::write(install.dir.path().join("team-server.json"), choice).unwrap_or_else(|e| panic!("team-server.json: {e}"));
        let (store, port) = (server.data_dir(), server.port());
        install.server = Some((tokio::sync::Mutex::new(server), store, port));
        install
    }

    /// The port of the team server's tenant API, when the install works with one.
    pub fn team_server_port(&self) -> Option<u16> {
        self.server.as_ref().map(|(_, _, port)| *port)
    }

    pub fn with_env(mut self, key: &str, value: &str) -> Self {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// Where the team's data lives: this desktop's folder, or its team
    /// server's store.
    pub fn data_dir(&self) -> &Path {
        match &self.server {
            Some((_, store, _)) => store,
            None => self.dir.path(),
        }
    }

    /// The display this install's windows open on, shared by its launches.
    fn display(&self) -> Arc<Display> {
        self.display.get_or_init(|| Arc::new(Display::start())).clone()
    }

    /// This desktop's own folder (its lock, its log, its choice of server).
    pub fn desktop_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Starts the app again straight from its binary, as a person launching
    /// it a second time does, on the same folder and bus; its exit status
    /// once it ended (within 30 s).
    pub async fn launch_again(&self) -> std::process::ExitStatus {
        let mut second = Command::new(app_binary())
            .env("TENANT_DESK_DATA_DIR", self.dir.path())
            .env("DISPLAY", self.display().name())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot launch the app again: {e}"));
        tokio::time::timeout(Duration::from_secs(30), second.wait())
            .await
            .unwrap_or_else(|_| panic!("the second launch did not end within 30 s: it opened an app of its own"))
            .unwrap_or_else(|e| panic!("second launch: {e}"))
    }

    pub async fn launch(&self) -> App {
        self.launch_program(&app_binary()).await
    }

    /// Launches another Tauri program as the app would be, on this install's
    /// folder and display (the start-up benchmark's bare window).
    pub async fn launch_program(&self, program: &str) -> App {
        if let Some((server, _, _)) = &self.server {
            server.lock().await.start_once().await;
        }
        let display = self.display();
        let port = free_port();
        let native_port = free_port();
        let mut cmd = Command::new(tauri_driver());
        cmd.args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("TENANT_DESK_DATA_DIR", self.dir.path())
            .env("DISPLAY", display.name())
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true);
        let driver = cmd.spawn().unwrap_or_else(|e| panic!("cannot start tauri-driver: {e}"));
        // tauri-driver listens before WebKitWebDriver does: wait for both.
        wait_for_port(port).await;
        wait_for_port(native_port).await;

        let mut caps = serde_json::Map::new();
        caps.insert("tauri:options".into(), json!({ "application": program }));
        let client = ClientBuilder::rustls()
            .unwrap_or_else(|e| panic!("tls: {e}"))
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("WebDriver session failed: {e}"));
        App { client, driver, name: self.name.clone(), shots: 0, data_dir: self.dir.path().to_owned(), display }
    }
}

impl App {
    /// Closes the window and stops the driver, then waits until the app has
    /// exited (it let go of its data folder), so the next launch on the same
    /// folder is not refused as a second app.
    pub async fn quit(mut self) {
        let _ = self.client.close().await;
        let _ = self.driver.kill().await;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            match tenant_desk_core::store::folder_lock::FolderLock::acquire(&self.data_dir) {
                Ok(_) => return,
                Err(e) if tokio::time::Instant::now() > deadline => panic!("the app did not exit: {}", e.message),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    }

    /// Waits two frames: what the page scrolls or lays out on its next frame
    /// (a section brought into view) has happened.
    pub async fn settle(&self) {
        let _ = self
            .client
            .execute_async("requestAnimationFrame(() => requestAnimationFrame(() => arguments[0]()))", vec![])
            .await;
    }

    /// The app's process, as its data folder's lock names it.
    pub fn pid(&self) -> u32 {
        crate::x11::app_pid(&self.data_dir)
    }

    /// The display the app's windows open on (its DISPLAY).
    pub fn display(&self) -> &str {
        self.display.name()
    }

    /// The app's windows shown on its display now.
    pub async fn shown_windows(&self) -> Vec<u64> {
        crate::x11::shown_windows(self.display(), self.pid()).await
    }

    /// Whether the app's window is shown on its display now.
    pub async fn window_shown(&self) -> bool {
        !self.shown_windows().await.is_empty()
    }

    /// Waits until the window is shown (`true`) or not.
    pub async fn expect_window_shown(&self, shown: bool) {
        for _ in 0..200 {
            if self.window_shown().await == shown {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the window is {} after 20 s", if shown { "still not shown" } else { "still shown" });
    }

    /// Closes the window with the window manager's close button (X11
    /// WM_DELETE_WINDOW), as a person does.
    pub async fn close_window(&self) {
        let window = loop {
            if let Some(window) = self.shown_windows().await.first().copied() {
                break window;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        crate::x11::ask_to_close(self.display(), window);
    }

    /// The app's own log (its data folder's logs/), for a failure's message.
    pub fn log(&self) -> String {
        std::fs::read_dir(self.data_dir.join("logs"))
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|f| std::fs::read_to_string(f.path()).ok())
            .collect()
    }

    /// Whether the app process still holds its data folder.
    pub fn running(&self) -> bool {
        tenant_desk_core::store::folder_lock::FolderLock::acquire(&self.data_dir).is_err()
    }

    /// Clicks a copy button inside `within`, waits for its toast and returns what
    /// another program on its display would paste (X11 CLIPBOARD selection,
    /// read with xclip).
    pub async fn copy(&self, within: &str, copy_button: &str, toast: &str) -> String {
        self.click_within(within, copy_button).await;
        self.see(&crate::locate::status(toast)).await;
        let out = tokio::process::Command::new("xclip")
            .args(["-o", "-selection", "clipboard"])
            .env("DISPLAY", self.display())
            .output()
            .await
            .unwrap_or_else(|e| panic!("xclip (a test dependency) could not run: {e}"));
        assert!(out.status.success(), "xclip failed: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("clipboard is not text: {e}"))
    }

    /// Calls an app command the way the window's own code does (Tauri's IPC),
    /// as a tampered page could, past whatever the screen offers. The answer
    /// is `{"ok": value}` or `{"error": {code, message, fields}}`.
    pub async fn invoke(&self, command: &str, args: serde_json::Value) -> serde_json::Value {
        self.client
            .execute_async(
                "window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
                   .then((v) => arguments[2]({ ok: v }), (e) => arguments[2]({ error: e }))",
                vec![serde_json::json!(command), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoke {command}: {e}"))
    }

    /// Saves a screenshot for people to look at (tests/e2e/screenshots/),
    /// then checks the screen's accessibility.
    pub async fn screenshot(&mut self, step: &str) {
        self.shots += 1;
        let dir = screenshot_dir();
        let _ = std::fs::create_dir_all(&dir);
        // What was just found in the DOM may not be painted yet: wait two frames.
        let _ = self
            .client
            .execute_async("requestAnimationFrame(() => requestAnimationFrame(() => arguments[0]()))", vec![])
            .await;
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(dir.join(format!("{}-{:02}-{step}.png", self.name, self.shots)), png);
        }
        // A screen worth looking at is one to measure.
        self.check_accessibility(step).await;
    }
}

/// A port nothing listens on, below the kernel's ephemeral range (32768 and
/// up): a port from that range can be taken as the source port of any
/// outgoing connection before its server binds it, and a readiness check that
/// connects to a free ephemeral port on 127.0.0.1 can connect to itself.
/// Each test process starts at its own place in the range, and each pick in a
/// process at the next port, so parallel flows and processes do not pick the
/// same one between the pick and the server's bind.
pub fn free_port() -> u16 {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    const FIRST: u32 = 20_000;
    const SPAN: u32 = 12_000;
    let start = std::process::id().wrapping_mul(2_654_435_761) % SPAN;
    for _ in 0..SPAN {
        let port = FIRST + (start + NEXT.fetch_add(1, Ordering::Relaxed)) % SPAN;
        let Ok(port) = u16::try_from(port) else { continue };
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port between {FIRST} and {}", FIRST + SPAN)
}

pub(crate) async fn wait_for_port(port: u16) {
    for _ in 0..300 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("nothing listens on port {port} after 30 s");
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The debug build of the app, unless TENANT_DESK_BIN names another.
fn app_binary() -> String {
    if let Ok(bin) = std::env::var("TENANT_DESK_BIN") {
        return bin;
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join("target"));
    let bin = target.join("debug/tenant-desk");
    std::fs::canonicalize(&bin)
        .unwrap_or_else(|e| panic!("app binary {} missing ({e}): run cargo build first", bin.display()))
        .to_string_lossy()
        .into_owned()
}

fn tauri_driver() -> String {
    std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".to_owned())
}

fn screenshot_dir() -> PathBuf {
    std::env::var("E2E_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots"))
}
