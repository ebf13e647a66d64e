//! A real team server for the flows that connect desktops to one: the
//! `tenant-desk-server` binary on loopback, on a data folder of its own, on
//! a port that stays the same across a restart.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tempfile::TempDir;
use tokio::process::{Child, Command};

pub struct TeamServer {
    dir: TempDir,
    port: u16,
    child: Option<Child>,
    tls: bool,
    /// The team's PostgreSQL database, when the flows run beside a cluster
    /// (`scripts/with-postgres.sh`); the SQLite file in `data_dir` otherwise.
    database: Option<String>,
}

/// Where the seeds find the server's PostgreSQL store: a file in its data
/// folder naming the database (the seeds open the store the server will).
pub const DATABASE_MARKER: &str = "test-database.url";

/// A fresh database on the test cluster, if the flows run beside one.
fn new_database(name: &str) -> Option<String> {
    let cluster = std::env::var("TENANT_DESK_TEST_POSTGRES").ok().filter(|c| !c.is_empty())?;
    let database = format!("e2e_{}_{}", name.replace(|c: char| !c.is_ascii_alphanumeric(), "_"), std::process::id());
    let admin_url = format!("{cluster}/postgres");
    let statements = [format!("DROP DATABASE IF EXISTS {database}"), format!("CREATE DATABASE {database}")];
    // On a thread of its own: the blocking client runs a runtime of its own,
    // which may not start inside the test's.
    std::thread::spawn(move || {
        let mut admin = postgres::Client::connect(&admin_url, postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach the test cluster {admin_url}: {e}"));
        for statement in statements {
            admin.batch_execute(&statement).unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
    })
    .join()
    .unwrap_or_else(|_| panic!("the test database could not be made"));
    Some(format!("{cluster}/{database}"))
}

impl TeamServer {
    /// A folder with the server's configuration; its store is in `data_dir`,
    /// for the test to seed before `start`.
    pub fn prepare(name: &str) -> Self {
        let dir = tempfile::Builder::new()
            .prefix(&format!("tenant-desk-server-{name}-"))
            .tempdir()
            .unwrap_or_else(|e| panic!("tempdir: {e}"));
        let port = super::free_port();
        std::fs::create_dir(dir.path().join("data")).unwrap_or_else(|e| panic!("data folder: {e}"));
        let database = new_database(name);
        if let Some(url) = &database {
            std::fs::write(dir.path().join("data").join(DATABASE_MARKER), url).unwrap_or_else(|e| panic!("marker: {e}"));
        }
        let server = TeamServer { dir, port, child: None, tls: false, database };
        server.write_config("");
        server
    }

    /// The configuration: loopback, the data folder, the PostgreSQL store
    /// if any, then `more` (TOML tables).
    fn write_config(&self, more: &str) {
        let database = self.database.as_ref().map(|url| format!("database = \"{url}\"\n")).unwrap_or_default();
        let config = format!("listen = \"127.0.0.1:{}\"\ndata_dir = \"data\"\n{database}{more}", self.port);
        std::fs::write(self.dir.path().join("server.toml"), config).unwrap_or_else(|e| panic!("server.toml: {e}"));
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// What a person types as the server's address.
    pub fn address(&self) -> String {
        match self.tls {
            true => format!("https://localhost:{}", self.port),
            false => format!("http://127.0.0.1:{}", self.port),
        }
    }

    /// Serves TLS from now on with a new self-signed certificate for
    /// `localhost` (as a team without a certificate authority makes one);
    /// answers its SHA-256 fingerprint as a person reads it.
    pub fn self_signed(&mut self) -> String {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap_or_else(|e| panic!("certificate: {e}"));
        std::fs::write(self.dir.path().join("cert.pem"), made.cert.pem()).unwrap_or_else(|e| panic!("cert.pem: {e}"));
        std::fs::write(self.dir.path().join("key.pem"), made.key_pair.serialize_pem()).unwrap_or_else(|e| panic!("key.pem: {e}"));
        self.write_config("[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n");
        self.tls = true;
        use sha2::Digest;
        sha2::Sha256::digest(made.cert.der()).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the server and waits until it listens.
    pub async fn start(&mut self) {
        let child = Command::new(server_binary())
            .args(["--config", &self.dir.path().join("server.toml").to_string_lossy()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start the team server: {e}"));
        self.child = Some(child);
        super::app::wait_for_port(self.port).await;
    }

    /// Starts it unless it runs.
    pub async fn start_once(&mut self) {
        if self.child.is_none() {
            self.start().await;
        }
    }

    /// Stops it as systemd does (SIGTERM) and waits until it has exited.
    pub async fn stop(&mut self) {
        let Some(mut child) = self.child.take() else { return };
        if let Some(pid) = child.id() {
            let _ = Command::new("kill").args(["-TERM", &pid.to_string()]).status().await;
        }
        let exited = tokio::time::timeout(Duration::from_secs(20), child.wait()).await;
        assert!(matches!(exited, Ok(Ok(status)) if status.success()), "the team server did not stop gracefully: {exited:?}");
    }
}

/// The debug build of the server, unless TENANT_DESK_SERVER_BIN names another.
fn server_binary() -> String {
    if let Ok(bin) = std::env::var("TENANT_DESK_SERVER_BIN") {
        return bin;
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let bin = target.join("debug/tenant-desk-server");
    std::fs::canonicalize(&bin)
        .unwrap_or_else(|e| panic!("server binary {} missing ({e}): run cargo build --bin tenant-desk-server first", bin.display()))
        .to_string_lossy()
        .into_owned()
}
