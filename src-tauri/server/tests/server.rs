//! The team server as its operator runs it: the real binary, a real store,
//! a configuration file, TLS with a certificate made for the test, and a
//! real HTTP client.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use ureq::tls::{Certificate, RootCerts, TlsConfig};

const SERVER: &str = env!("CARGO_BIN_EXE_tenant-desk-server");
const PASSWORD: &str = "correct horse battery staple";

struct Folder {
    dir: tempfile::TempDir,
    /// The team's PostgreSQL database, when the tests run beside a cluster
    /// (`scripts/with-postgres.sh`): every server test then runs on it.
    database: Option<String>,
}

/// A fresh database on the test cluster, if there is one.
fn new_database() -> Option<String> {
    let cluster = std::env::var("TENANT_DESK_TEST_POSTGRES").ok().filter(|c| !c.is_empty())?;
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let name = format!("server_test_{}_{}", std::process::id(), NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&format!("{cluster}/postgres"), postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    Some(format!("{cluster}/{name}"))
}

impl Folder {
    fn new() -> Self {
        Folder { dir: tempfile::tempdir().unwrap(), database: new_database() }
    }

    /// A second server's folder on the same database.
    fn beside(other: &Folder) -> Self {
        Folder { dir: tempfile::tempdir().unwrap(), database: other.database.clone() }
    }

    fn config(&self, text: &str) -> PathBuf {
        let path = self.dir.path().join("server.toml");
        let database = self.database.as_ref().map(|url| format!("database = \"{url}\"\n")).unwrap_or_default();
        std::fs::write(&path, format!("data_dir = \"data\"\n{database}{text}")).unwrap();
        path
    }

    /// Runs `setup`, giving the password on standard input; returns the
    /// tenant API key it prints.
    fn set_up(&self, config: &Path) -> String {
        let mut child = Command::new(SERVER)
            .args(["--config", config.to_str().unwrap(), "setup", "--workspace", "Acme Support", "--timezone", "Europe/Berlin"])
            .args(["--admin-name", "Grace Hopper", "--admin-email", "grace@example.com"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "setup failed: {stdout} {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains("Workspace \"Acme Support\" is set up; grace@example.com can sign in."), "{stdout}");
        stdout.split_whitespace().find(|w| w.starts_with("tdk_")).expect("the tenant API key is printed").to_owned()
    }
}

/// A running server and where it listens (read from its "serving" log line).
struct Running {
    child: Child,
    address: String,
    /// The certificate's SHA-256 as the start-up log gives it (empty without TLS).
    fingerprint: String,
    log: BufReader<ChildStderr>,
}

fn start(config: &Path) -> Running {
    let mut child = Command::new(SERVER).args(["--config", config.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let mut log = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let (address, fingerprint) = loop {
        line.clear();
        if log.read_line(&mut line).unwrap_or(0) == 0 {
            let exit = child.wait().unwrap();
            panic!("the server stopped before serving: {exit}");
        }
        let entry: Value = serde_json::from_str(&line).unwrap_or_else(|e| panic!("a log line that is not JSON: {line}: {e}"));
        if entry["fields"]["message"] == "serving" {
            let fingerprint = entry["fields"]["certificate_sha256"].as_str().unwrap_or_default().to_owned();
            break (entry["fields"]["address"].as_str().unwrap().to_owned(), fingerprint);
        }
    };
    Running { child, address, fingerprint, log }
}

/// A test that fails midway leaves no server running.
impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Running {
    /// Stops it as systemd does and returns the rest of its log.
    fn terminate(mut self) -> String {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(status.success());
        let mut rest = String::new();
        for line in (&mut self.log).lines() {
            rest.push_str(&line.unwrap());
            rest.push('\n');
        }
        let exit = self.child.wait().unwrap();
        assert!(exit.success(), "a graceful stop exits 0: {exit}\n{rest}");
        rest
    }
}

/// A set-up server on loopback, with `limits` added to its config: its
/// folder, tenant API key, process and base URL.
fn running(limits: &str) -> (Folder, String, Running, String) {
    let folder = Folder::new();
    let config = folder.config(&format!("listen = \"127.0.0.1:0\"\n{limits}"));
    let key = folder.set_up(&config);
    let server = start(&config);
    let base = format!("http://{}", server.address);
    (folder, key, server, base)
}

fn agent(root: Option<&[u8]>) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(10)));
    if let Some(der) = root {
        let roots = RootCerts::Specific(Arc::new(vec![Certificate::from_der(der).to_owned()]));
        config = config.tls_config(TlsConfig::builder().root_certs(roots).build());
    }
    config.build().into()
}

fn get(agent: &ureq::Agent, url: &str, key: Option<&str>) -> (u16, Value) {
    let mut request = agent.get(url);
    if let Some(key) = key {
        request = request.header("Authorization", &format!("Bearer {key}"));
    }
    let mut response = request.call().unwrap_or_else(|e| panic!("GET {url}: {e}"));
    (response.status().as_u16(), response.body_mut().read_json().unwrap_or(Value::Null))
}

#[test]
fn set_up_from_the_command_line_then_serve_health_and_the_tenant_api_and_stop_gracefully() {
    let (folder, key, server, base) = running("");
    let http = agent(None);

    let (status, health) = get(&http, &format!("{base}/health"), None);
    assert_eq!(status, 200);
    assert_eq!((health["status"].as_str(), health["set_up"].as_bool()), (Some("ok"), Some(true)));
    assert!(health["schema_version"].as_i64().unwrap() >= 14, "{health}");

    assert_eq!(get(&http, &format!("{base}/api/v1/sessions"), None).0, 401, "nothing but health without a key");
    let created = http
        .post(&format!("{base}/api/v1/sessions"))
        .header("Authorization", &format!("Bearer {key}"))
        .send_json(json!({ "channel": "web", "customer": "Jane Customer", "messages": [{ "author": "customer", "text": "Hello" }] }))
        .unwrap();
    assert_eq!(created.status().as_u16(), 201);
    let (status, list) = get(&http, &format!("{base}/api/v1/sessions"), Some(&key));
    assert_eq!((status, list["sessions"][0]["customer"].as_str()), (200, Some("Jane Customer")));

    // One server per data folder: a second one is refused and names why.
    let second = Command::new(SERVER).args(["--config", folder.dir.path().join("server.toml").to_str().unwrap()]).output().unwrap();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("tenant-desk-server: "), "a sentence, not a panic");

    let log = server.terminate();
    assert!(log.contains("SIGTERM: stopping"), "{log}");
    assert!(!log.contains(&key), "the key is never logged");
    // The secrets file is the service account's alone; on PostgreSQL the
    // secrets are in the database, shared by every server process.
    #[cfg(unix)]
    if folder.database.is_none() {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(folder.dir.path().join("data/secrets.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}

#[test]
fn other_machines_are_served_over_tls_only() {
    let folder = Folder::new();
    let refused = Command::new(SERVER).args(["--config", folder.config("listen = \"0.0.0.0:0\"\n").to_str().unwrap()]).output().unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("needs TLS"), "{}", String::from_utf8_lossy(&refused.stderr));

    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    std::fs::write(folder.dir.path().join("cert.pem"), made.cert.pem()).unwrap();
    std::fs::write(folder.dir.path().join("key.pem"), made.key_pair.serialize_pem()).unwrap();
    let config = folder.config("listen = \"127.0.0.1:0\"\n[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n");
    folder.set_up(&config);
    let server = start(&config);
    let port = server.address.rsplit(':').next().unwrap().to_owned();
    // The fingerprint a person compares before trusting a self-signed server.
    let expected: Vec<String> = sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), made.cert.der()))
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    assert_eq!(server.fingerprint, expected.join(":"));

    let (status, health) = get(&agent(Some(made.cert.der())), &format!("https://localhost:{port}/health"), None);
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));
    // Without the certificate trusted, the client refuses the server.
    assert!(agent(None).get(&format!("https://localhost:{port}/health")).call().is_err());
    // Plain HTTP to the TLS port gets no answer.
    assert!(agent(None).get(&format!("http://localhost:{port}/health")).call().is_err());
    server.terminate();
}

#[test]
fn a_client_sending_too_fast_is_told_to_wait() {
    let (_folder, _, server, base) = running("[limits]\nrequests_per_minute = 1\nburst = 3\n");
    let http = agent(None);
    let url = format!("{base}/health");
    let statuses: Vec<u16> = (0..4).map(|_| http.get(&url).call().unwrap().status().as_u16()).collect();
    assert_eq!(statuses, [200, 200, 200, 429]);
    let mut refused = http.get(&url).call().unwrap();
    // One a minute: the next one in about a minute.
    let wait: u64 = refused.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap();
    assert!((55..=60).contains(&wait), "{wait}");
    let body: Value = refused.body_mut().read_json().unwrap();
    assert_eq!(body["code"], "too_many_requests");
    server.terminate();
}

fn post(agent: &ureq::Agent, url: &str, bearer: Option<&str>, body: Value) -> (u16, Value) {
    let mut request = agent.post(url);
    if let Some(token) = bearer {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let mut response = request.send_json(body).unwrap_or_else(|e| panic!("POST {url}: {e}"));
    (response.status().as_u16(), response.body_mut().read_json().unwrap_or(Value::Null))
}

/// One server-sent event: its `event:` (empty for a change), `id:` and `data:`.
fn next_event(lines: &mut impl Iterator<Item = std::io::Result<String>>) -> (String, String, Value) {
    let (mut kind, mut id, mut data) = (String::new(), String::new(), Value::Null);
    for line in lines {
        let line = line.expect("the stream stays open until the event");
        if line.is_empty() && data != Value::Null {
            return (kind, id, data);
        }
        if let Some(v) = line.strip_prefix("event: ").or_else(|| line.strip_prefix("event:")) {
            kind = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("id: ").or_else(|| line.strip_prefix("id:")) {
            id = v.trim().to_owned();
        } else if let Some(v) = line.strip_prefix("data: ").or_else(|| line.strip_prefix("data:")) {
            data = serde_json::from_str(v.trim()).unwrap();
        }
    }
    panic!("the stream ended before an event");
}

fn events(agent: &ureq::Agent, base: &str, token: &str, last: Option<&str>) -> impl Iterator<Item = std::io::Result<String>> {
    let mut request = agent.get(&format!("{base}/api/desk/v1/events")).header("Authorization", &format!("Bearer {token}"));
    if let Some(last) = last {
        request = request.header("Last-Event-ID", last);
    }
    let response = request.call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    BufReader::new(response.into_body().into_reader()).lines()
}

fn start_conversation(agent: &ureq::Agent, base: &str, key: &str, customer: &str) -> i64 {
    let body = json!({ "channel": "web", "customer": customer, "messages": [{ "author": "customer", "text": "Secret words" }] });
    let (status, created) = post(agent, &format!("{base}/api/v1/sessions"), Some(key), body);
    assert_eq!(status, 201, "{created}");
    created["session"]["id"].as_i64().unwrap()
}

#[test]
fn a_desktop_signs_in_and_follows_changes_catching_up_after_a_reconnect() {
    let (_folder, key, server, base) = running("");
    let http = agent(None);
    let sign_in = format!("{base}/api/desk/v1/sign-in");

    let (status, refused) = post(&http, &sign_in, None, json!({ "email": "grace@example.com", "password": "wrong horse" }));
    assert_eq!((status, refused["code"].as_str()), (401, Some("wrong_credentials")));
    let (status, session) = post(&http, &sign_in, None, json!({ "email": "grace@example.com", "password": PASSWORD }));
    assert_eq!(status, 200, "{session}");
    assert_eq!(session["signed_in"]["account"]["email"], "grace@example.com");
    let token = session["token"].as_str().unwrap().to_owned();
    assert_eq!(get(&http, &format!("{base}/api/desk/v1/me"), Some(&token)).0, 200);
    assert_eq!(get(&http, &format!("{base}/api/desk/v1/me"), Some("not-a-token")).0, 401);

    // A change made through the tenant API reaches the signed-in desktop, its text left out.
    let mut stream = events(&http, &base, &token, None);
    let first = start_conversation(&http, &base, &key, "Jane Customer");
    let (kind, id, data) = next_event(&mut stream);
    assert_eq!((kind.as_str(), data["kind"].as_str(), data["conversation_id"].as_i64()), ("", Some("created"), Some(first)));
    let (epoch, seq) = id.split_once(':').unwrap();
    assert_eq!(seq, "1");
    drop(stream);

    // Away while another conversation starts: on reconnecting it gets exactly that one.
    let second = start_conversation(&http, &base, &key, "John Customer");
    let mut stream = events(&http, &base, &token, Some(&format!("{epoch}:1")));
    let (_, id, data) = next_event(&mut stream);
    assert_eq!((id, data["conversation_id"].as_i64()), (format!("{epoch}:2"), Some(second)));
    assert!(data.get("text").is_none());
    drop(stream);

    // From another run of the server: told to reload.
    let mut stream = events(&http, &base, &token, Some("0123456789abcdef:7"));
    assert_eq!(next_event(&mut stream).0, "reload");
    drop(stream);

    // A stream open at sign-out ends, with no change coming to end it.
    let mut open = events(&http, &base, &token, None);
    let (status, _) = post(&http, &format!("{base}/api/desk/v1/sign-out"), Some(&token), json!({}));
    assert_eq!(status, 204);
    // (The client gives up after 10 s: a read error fails this too.)
    assert!(open.all(|line| line.map(|l| l.is_empty() || l.starts_with(':')).unwrap_or(false)), "it ends, without an event");
    assert_eq!(get(&http, &format!("{base}/api/desk/v1/me"), Some(&token)).0, 401);
    assert_eq!(get(&http, &format!("{base}/api/desk/v1/events"), Some(&token)).0, 401);
    let log = server.terminate();
    assert!(!log.contains(&token) && !log.contains(PASSWORD), "no secret in the log");
}

#[test]
fn failed_sign_ins_are_bounded_per_client_address_across_accounts() {
    let (_folder, _, server, base) = running("");
    let http = agent(None);
    let sign_in = format!("{base}/api/desk/v1/sign-in");
    // A different address each time: the per-account throttle never starts.
    for n in 0..20 {
        let (status, _) = post(&http, &sign_in, None, json!({ "email": format!("guess{n}@example.com"), "password": "wrong horse" }));
        assert_eq!(status, 401);
    }
    let (status, refused) = post(&http, &sign_in, None, json!({ "email": "grace@example.com", "password": PASSWORD }));
    assert_eq!((status, refused["code"].as_str()), (429, Some("throttled")), "{refused}");
    assert!(refused["message"].as_str().unwrap().starts_with("Too many failed sign-ins from this computer."));
    server.terminate();
}

#[test]
fn a_desktop_downloads_the_tenant_as_an_archive_and_reviews_it_offline_as_a_snapshot() {
    use tenant_desk_core::archives::{ImportOutcome, Limits, Progress};
    use tenant_desk_core::{Desk, DeskConfig};

    let (folder, key, server, base) = running("");
    let http = agent(None);
    start_conversation(&http, &base, &key, "Jane Customer");
    assert_eq!(get(&http, &format!("{base}/api/desk/v1/archive"), None).0, 401);
    let (_, session) = post(&http, &format!("{base}/api/desk/v1/sign-in"), None, json!({ "email": "grace@example.com", "password": PASSWORD }));
    let token = session["token"].as_str().unwrap();

    let mut response = http.get(&format!("{base}/api/desk/v1/archive")).header("Authorization", &format!("Bearer {token}")).call().unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/zip"));
    let bytes = response.body_mut().with_config().limit(100 * 1024 * 1024).read_to_vec().unwrap();
    assert!(bytes.starts_with(b"PK"), "a zip archive");
    assert!(std::fs::read_dir(folder.dir.path().join("data/archive-downloads")).unwrap().next().is_none(), "nothing left on the server");
    server.terminate();

    // Another computer, with no connection: its own store, the archive imported as a snapshot.
    let desktop = tempfile::tempdir().unwrap();
    let archive = desktop.path().join("acme.zip");
    std::fs::write(&archive, &bytes).unwrap();
    let local = Desk::open(DeskConfig {
        data_dir: desktop.path().join("data"),
        clock: std::sync::Arc::new(tenant_desk_core::clock::SystemClock),
        secrets: std::sync::Arc::new(tenant_desk_core::secrets::MemoryStore::new()),
        notifier: std::sync::Arc::new(tenant_desk_core::notifications::Recorder::default()),
    })
    .unwrap();
    let (token, _) = local
        .complete_setup(tenant_desk_core::setup::SetupInput {
            tenant_name: "Reviewer".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: "Ada Lovelace".into(),
            email: "ada@example.com".into(),
            password: PASSWORD.into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap();
    let reviewer = local.actor(&token).unwrap();
    match local.import_tenant_archive(&reviewer, &archive, &Progress::new(), Limits::default()).unwrap() {
        ImportOutcome::Imported { snapshot } => {
            assert_eq!(snapshot.source_name, "Acme Support");
            assert_eq!(snapshot.users, 1);
            assert!(!snapshot.data_as_of.is_empty());
        }
        other => panic!("not imported: {other:?}"),
    }
}

#[test]
fn a_silent_connection_is_closed_at_the_header_deadline_and_connections_past_the_bound_wait() {
    use std::io::Read;
    let (_folder, _, server, base) = running("[limits]\nmax_connections = 1\nrequest_header_seconds = 3\n");
    // A client that connects and sends nothing takes the only slot.
    let mut silent = std::net::TcpStream::connect(&server.address).unwrap();
    silent.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // Meanwhile a request is not answered: it waits to be accepted.
    let impatient: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_millis(500))).build().into();
    assert!(impatient.get(&format!("{base}/health")).call().is_err(), "served past max_connections");
    // The server closes the silent connection at the deadline (a read sees the end, not the timeout)…
    assert_eq!(silent.read(&mut [0u8; 16]).expect("closed by the server, not left open"), 0);
    // …and the slot serves the next request.
    assert_eq!(get(&agent(None), &format!("{base}/health"), None).0, 200);
    server.terminate();
}

/// An operation of the window, run on the server for the holder of `token`.
fn op(agent: &ureq::Agent, base: &str, token: &str, name: &str, args: Value) -> (u16, Value) {
    post(agent, &format!("{base}/api/desk/v1/op/{name}"), Some(token), args)
}

fn sign_in(agent: &ureq::Agent, base: &str, email: &str, password: &str) -> Value {
    let (status, session) = post(agent, &format!("{base}/api/desk/v1/sign-in"), None, json!({ "email": email, "password": password }));
    assert_eq!(status, 200, "{session}");
    session
}

#[test]
fn the_window_operations_run_on_the_server_with_its_rules_and_its_field_messages() {
    let (_folder, _, server, base) = running("");
    let http = agent(None);
    let admin = sign_in(&http, &base, "grace@example.com", PASSWORD);
    let token = admin["token"].as_str().unwrap();
    let tenant_id = admin["signed_in"]["tenant"]["id"].as_i64().unwrap();
    let query = json!({ "query": { "term": "", "sort": "name", "descending": false, "page": 0, "page_size": 25 } });

    let (status, page) = op(&http, &base, token, "list_users", query.clone());
    assert_eq!((status, page["rows"].as_array().map(Vec::len)), (200, Some(1)), "{page}");

    // A validation refusal keeps the field it is about.
    let mut operator = json!({ "input": {
        "name": "Ada Lovelace", "email": "not an address", "password": "Tr0ub4dor&3-horse-staple", "role": "tenant_operator",
        "tenant_id": tenant_id, "schedule": null } });
    let (status, refused) = op(&http, &base, token, "create_user", operator.clone());
    assert_eq!((status, refused["code"].as_str()), (422, Some("validation")), "{refused}");
    assert!(refused["fields"]["email"].is_string(), "{refused}");
    operator["input"]["email"] = json!("ada@example.com");
    let (status, created) = op(&http, &base, token, "create_user", operator);
    assert_eq!((status, created["email"].as_str()), (200, Some("ada@example.com")), "{created}");

    // The operator's role decides on the server, whatever the desktop sends.
    let ada = sign_in(&http, &base, "ada@example.com", "Tr0ub4dor&3-horse-staple");
    let ada_token = ada["token"].as_str().unwrap();
    let (status, refused) = op(&http, &base, ada_token, "list_users", query.clone());
    assert_eq!((status, refused["code"].as_str()), (403, Some("password_change_required")), "{refused}");
    let (status, _) = op(&http, &base, ada_token, "set_new_password", json!({ "input": { "password": "another-Long-passphrase-9", "confirm": "another-Long-passphrase-9" } }));
    assert_eq!(status, 200);
    let (status, refused) = op(&http, &base, ada_token, "list_users", query);
    assert_eq!((status, refused["code"].as_str()), (403, Some("not_allowed")), "{refused}");

    // Arguments that are not the declared ones, an unknown name, no sign-in.
    let (status, refused) = op(&http, &base, token, "get_user", json!({ "id": "three" }));
    assert_eq!((status, refused["code"].as_str()), (422, Some("validation")), "{refused}");
    assert_eq!(op(&http, &base, token, "drop_everything", json!({})).0, 404);
    assert_eq!(op(&http, &base, "not-a-token", "get_profile", json!({})).0, 401);
    server.terminate();
}

#[test]
fn a_csv_of_forty_thousand_users_reaches_the_servers_import_whole() {
    let (_folder, _, server, base) = running("");
    let http = agent(None);
    let admin = sign_in(&http, &base, "grace@example.com", PASSWORD);
    let token = admin["token"].as_str().unwrap();
    let tenant_id = admin["signed_in"]["tenant"]["id"].as_i64().unwrap();
    // About 3 MB: more than a JSON body may carry to any other operation.
    let mut csv = String::from("Name,Email,Role\n");
    for i in 0..40_000 {
        csv.push_str(&format!("Person Number {i},person.number.{i}@example.com,Tenant User\n"));
    }
    assert!(csv.len() > 2 << 20);
    let (status, report) = op(&http, &base, token, "import_users", json!({ "input": { "tenant_id": tenant_id, "csv": csv, "dry_run": true } }));
    assert_eq!(status, 200, "{}", report["message"]);
    assert_eq!((report["rows"].as_u64(), report["written"].as_bool()), (Some(40_000), Some(false)));
    assert_eq!(report["problems"], json!([]));
    server.terminate();
}

#[test]
fn two_server_processes_on_one_database_deliver_each_others_changes_and_notices() {
    let first = Folder::new();
    let Some(database) = first.database.clone() else {
        eprintln!("skipped: two server processes need a PostgreSQL database (scripts/with-postgres.sh)");
        return;
    };
    let config = first.config("listen = \"127.0.0.1:0\"\n");
    let key = first.set_up(&config);
    let one = start(&config);
    let second = Folder::beside(&first);
    let two = start(&second.config("listen = \"127.0.0.1:0\"\n"));
    let (base_one, base_two) = (format!("http://{}", one.address), format!("http://{}", two.address));
    let http = agent(None);

    // Both report the same PostgreSQL store, and its pool.
    let (status, health) = get(&http, &format!("{base_two}/health"), None);
    assert_eq!((status, health["store"]["engine"].as_str()), (200, Some("postgresql")), "{health}");
    assert!(database.ends_with(health["store"]["location"].as_str().unwrap().rsplit('/').next().unwrap()), "{health}");
    assert!(health["store"]["pool"]["size"].as_u64().unwrap() >= 1);

    // The administrator works through the second; the operator Ada through the first.
    let admin = sign_in(&http, &base_two, "grace@example.com", PASSWORD);
    let admin_token = admin["token"].as_str().unwrap().to_owned();
    let tenant_id = admin["signed_in"]["tenant"]["id"].as_i64().unwrap();
    let ada = json!({ "input": {
        "name": "Ada Lovelace", "email": "ada@example.com", "password": "Tr0ub4dor&3-horse-staple", "role": "tenant_operator",
        "tenant_id": tenant_id, "schedule": null } });
    let (status, created) = op(&http, &base_two, &admin_token, "create_user", ada);
    assert_eq!(status, 200, "{created}");
    let ada_id = created["account_id"].as_i64().unwrap_or_else(|| panic!("{created}"));
    let session = sign_in(&http, &base_one, "ada@example.com", "Tr0ub4dor&3-horse-staple");
    let token = session["token"].as_str().unwrap().to_owned();
    let new_password = json!({ "input": { "password": "another-Long-passphrase-9", "confirm": "another-Long-passphrase-9" } });
    assert_eq!(op(&http, &base_one, &token, "set_new_password", new_password).0, 200);
    // One store: her sign-in holds on the second as well.
    assert_eq!(get(&http, &format!("{base_two}/api/desk/v1/me"), Some(&token)).0, 200);
    assert_eq!(op(&http, &base_one, &token, "enable_notifications", json!({})).0, 200);
    let mut stream = events(&http, &base_one, &token, None);

    // A conversation started through the second reaches the first's desktop.
    let id = start_conversation(&http, &base_two, &key, "Jane Customer");
    let (_, _, data) = next_event(&mut stream);
    assert_eq!((data["kind"].as_str(), data["conversation_id"].as_i64()), (Some("created"), Some(id)), "{data}");

    // Assigned to Ada through the second: her desktop on the first hears the
    // change, and gets the notice the core decided for her.
    let assign = json!({ "id": id, "operator_account_id": ada_id });
    let (status, assigned) = op(&http, &base_two, &admin_token, "assign_conversation", assign);
    assert_eq!(status, 200, "{assigned}");
    let mut seen = Vec::new();
    while !(seen.iter().any(|d: &Value| d["kind"] == "notice") && seen.iter().any(|d: &Value| d["kind"] == "assigned")) {
        let (_, _, data) = next_event(&mut stream);
        seen.push(data);
        assert!(seen.len() < 10, "{seen:?}");
    }
    let notice = seen.iter().find(|d| d["kind"] == "notice").unwrap();
    assert!(notice.to_string().contains("You have new session assigned."), "{notice}");
    assert_eq!(notice["notice"]["conversation_id"].as_i64(), Some(id));
    drop(stream);
    two.terminate();
    one.terminate();
}

fn sha256_of(path: &Path) -> Vec<u8> {
    sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), std::fs::read(path).unwrap())).to_vec()
}

/// `move-to-postgres --from <folder>` with the configuration `config`.
fn move_to_postgres(config: &Path, from: &Path) -> (bool, String, String) {
    let out = Command::new(SERVER)
        .args(["--config", config.to_str().unwrap(), "move-to-postgres", "--from", from.to_str().unwrap()])
        .output()
        .unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

fn accounts_in(database: &str) -> i64 {
    let mut client = postgres::Client::connect(database, postgres::NoTls).unwrap();
    client.query_one("SELECT count(*) FROM accounts", &[]).unwrap().get(0)
}

/// Text that COPY must escape, and text beyond ASCII.
const TO_ESCAPE: &str = "A tab\there, a new line\nthen \\N, a backslash \\ and a carriage return\r: Ünïcödé, 日本語, 😀";

/// A SQLite server's folder, set up, with two conversations started through
/// the tenant API: the folder and the tenant API key.
fn sqlite_server_with_two_conversations() -> (Folder, String) {
    let source = Folder { dir: tempfile::tempdir().unwrap(), database: None };
    let config = source.config("listen = \"127.0.0.1:0\"\n");
    let key = source.set_up(&config);
    let server = start(&config);
    let (http, base) = (agent(None), format!("http://{}", server.address));
    start_conversation(&http, &base, &key, "Jane Customer");
    let body = json!({ "channel": "web", "customer": "John Customer", "messages": [{ "author": "customer", "text": TO_ESCAPE }] });
    let (status, created) = post(&http, &format!("{base}/api/v1/sessions"), Some(&key), body);
    assert_eq!(status, 201, "{created}");
    server.terminate();
    (source, key)
}

#[test]
fn a_sqlite_server_moves_to_postgresql_verified_and_serves_its_team_from_there_with_the_same_key() {
    let Some(database) = new_database() else {
        eprintln!("skipped: moving to PostgreSQL needs a PostgreSQL database (scripts/with-postgres.sh)");
        return;
    };
    let (source, key) = sqlite_server_with_two_conversations();
    let data = source.dir.path().join("data");
    let store = data.join("tenant-desk.sqlite3");
    let before = sha256_of(&store);

    let target = Folder { dir: tempfile::tempdir().unwrap(), database: Some(database.clone()) };
    let config = target.config("listen = \"127.0.0.1:0\"\n");
    let (moved, out, err) = move_to_postgres(&config, &data);
    assert!(moved, "{out}\n{err}");
    for table in ["accounts", "tenants", "memberships", "conversations", "messages", "tenant_api_keys", "user_search_text"] {
        let listed = out.lines().any(|l| l.trim_start().starts_with(&format!("{table} ")) && (l.ends_with(" row") || l.ends_with(" rows")));
        assert!(listed, "{table} is not listed:\n{out}");
    }
    assert!(out.lines().any(|l| l.trim_start().starts_with("conversations ") && l.ends_with(" 2 rows")), "{out}");
    assert!(out.contains("tenant 1: archive SHA-256 "), "{out}");
    assert!(out.trim_end().ends_with("Moved and verified."), "{out}");
    assert_eq!(sha256_of(&store), before, "the source store is not changed");

    let server = start(&config);
    let (http, base) = (agent(None), format!("http://{}", server.address));
    let (status, health) = get(&http, &format!("{base}/health"), None);
    assert_eq!((status, health["store"]["engine"].as_str()), (200, Some("postgresql")), "{health}");
    sign_in(&http, &base, "grace@example.com", PASSWORD);
    // The key's hash moved: the integration goes on with the same key.
    let (status, list) = get(&http, &format!("{base}/api/v1/sessions"), Some(&key));
    assert_eq!(status, 200, "{list}");
    let mut customers: Vec<&str> = list["sessions"].as_array().unwrap().iter().map(|s| s["customer"].as_str().unwrap()).collect();
    customers.sort();
    assert_eq!(customers, ["Jane Customer", "John Customer"]);
    let john = list["sessions"].as_array().unwrap().iter().find(|s| s["customer"] == "John Customer").unwrap()["id"].as_i64().unwrap();
    let (status, messages) = get(&http, &format!("{base}/api/v1/sessions/{john}/messages"), Some(&key));
    assert_eq!((status, messages["messages"][0]["text"].as_str()), (200, Some(TO_ESCAPE)), "{messages}");
    // New rows get ids past the moved ones.
    let third = start_conversation(&http, &base, &key, "Joan Customer");
    assert!(list["sessions"].as_array().unwrap().iter().all(|s| s["id"].as_i64().unwrap() < third), "{list} {third}");
    server.terminate();

    // Again into the same database, which now holds the store: refused, and left as it was.
    let accounts = accounts_in(&database);
    let (moved, out, err) = move_to_postgres(&config, &data);
    assert!(!moved, "{out}");
    assert!(err.contains("already holds a Tenant Desk store; move into an empty database."), "{err}");
    assert_eq!(accounts_in(&database), accounts);
    assert_eq!(sha256_of(&store), before);
}

#[test]
fn moving_a_folder_in_use_or_without_a_database_to_move_into_is_refused() {
    let Some(database) = new_database() else {
        eprintln!("skipped: moving to PostgreSQL needs a PostgreSQL database (scripts/with-postgres.sh)");
        return;
    };
    let (source, _) = sqlite_server_with_two_conversations();
    let data = source.dir.path().join("data");

    // The source's own configuration names no PostgreSQL database.
    let (moved, _, err) = move_to_postgres(&source.dir.path().join("server.toml"), &data);
    assert!(!moved);
    assert!(err.contains("has no database: set database = \"postgres://…\""), "{err}");

    // A server holds the folder: refused, and the database gets nothing.
    let server = start(&source.config("listen = \"127.0.0.1:0\"\n"));
    let target = Folder { dir: tempfile::tempdir().unwrap(), database: Some(database.clone()) };
    let (moved, out, err) = move_to_postgres(&target.config("listen = \"127.0.0.1:0\"\n"), &data);
    assert!(!moved, "{out}");
    assert!(err.contains("is already open with the data folder"), "{err}");
    let mut client = postgres::Client::connect(&database, postgres::NoTls).unwrap();
    let made: bool = client.query_one("SELECT to_regclass('accounts') IS NOT NULL", &[]).unwrap().get(0);
    assert!(!made, "nothing was written to the database");
    server.terminate();
}

#[test]
fn a_move_whose_check_finds_a_difference_leaves_the_database_as_empty_as_it_was() {
    let Some(database) = new_database() else {
        eprintln!("skipped: moving to PostgreSQL needs a PostgreSQL database (scripts/with-postgres.sh)");
        return;
    };
    let (source, _) = sqlite_server_with_two_conversations();
    // A database that changes what it is given: each message's text.
    drop(tenant_desk_core::store::Db::open_postgres(&tenant_desk_core::store::PgSettings::new(database.clone())).unwrap());
    let mut client = postgres::Client::connect(&database, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "CREATE FUNCTION altered() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.text := NEW.text || '!'; RETURN NEW; END $$;
             CREATE TRIGGER altered BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION altered();",
        )
        .unwrap();
    let state = |client: &mut postgres::Client| -> (i64, i64, i64) {
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM accounts), (SELECT count(*) FROM plans), (SELECT count(*) FROM pg_constraint WHERE contype = 'f')",
                &[],
            )
            .unwrap();
        (row.get(0), row.get(1), row.get(2))
    };
    let before = state(&mut client);

    let target = Folder { dir: tempfile::tempdir().unwrap(), database: Some(database) };
    let (moved, out, err) = move_to_postgres(&target.config("listen = \"127.0.0.1:0\"\n"), &source.dir.path().join("data"));
    assert!(!moved, "{out}");
    assert!(err.contains("Tenant 1's archive differs between the store") && err.contains("Nothing was moved."), "{err}");
    assert!(!out.contains("Moved and verified."), "{out}");
    // No account, the seeded plans and every reference back: as before the move.
    assert_eq!(state(&mut client), before);
    assert_eq!(before.0, 0);
}

#[test]
fn a_postgresql_store_is_backed_up_with_pg_dump_and_restored_into_an_empty_database() {
    let folder = Folder::new();
    let Some(database) = folder.database.clone() else {
        eprintln!("skipped: pg_dump and pg_restore need a PostgreSQL database (scripts/with-postgres.sh)");
        return;
    };
    let config = folder.config("listen = \"127.0.0.1:0\"\n");
    let key = folder.set_up(&config);
    let server = start(&config);
    let http = agent(None);
    let base = format!("http://{}", server.address);
    let id = start_conversation(&http, &base, &key, "Jane Customer");

    // Dumped while the server runs, as the docs say.
    let dump = folder.dir.path().join("team.dump");
    let dumped = Command::new("pg_dump").args(["--format=custom", "--file"]).arg(&dump).arg(&database).output().unwrap();
    assert!(dumped.status.success(), "pg_dump: {}", String::from_utf8_lossy(&dumped.stderr));
    server.terminate();

    let restored = Folder::new();
    let target = restored.database.clone().unwrap();
    let loaded = Command::new("pg_restore").args(["--no-owner", "--exit-on-error", "--dbname", &target]).arg(&dump).output().unwrap();
    assert!(loaded.status.success(), "pg_restore: {}", String::from_utf8_lossy(&loaded.stderr));

    // A server on the restored database: the same workspace, key, sign-in and conversation.
    let server = start(&restored.config("listen = \"127.0.0.1:0\"\n"));
    let base = format!("http://{}", server.address);
    sign_in(&http, &base, "grace@example.com", PASSWORD);
    let (status, listed) = get(&http, &format!("{base}/api/v1/sessions"), Some(&key));
    assert_eq!(status, 200, "{listed}");
    assert!(listed.to_string().contains(&format!("\"id\":{id}")), "{listed}");
    let created = start_conversation(&http, &base, &key, "After the restore");
    assert!(created > id, "new conversations continue after the restored ones");
    server.terminate();
}
