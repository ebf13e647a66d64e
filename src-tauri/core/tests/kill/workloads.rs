//! kill -9 in the middle of the store's long work, and what must hold after:
//! shared by the crash test (a handful of kill points) and the kill-points
//! benchmark (`scripts/kill-points.sh`, sixty and more).
//!
//! A worker process opens the store and runs one workload, printing a line
//! after each change it saw committed; the supervisor kills it with SIGKILL
//! at a moment of its choosing, opens the store as the next start would and
//! checks it: `PRAGMA integrity_check` answers ok, every change the worker
//! saw committed is there, and nothing half done is visible.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tenant_desk_core::archives::{Limits, Progress};
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::{Actor, Caller};
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::conversations::{Author, NewMessage, NewConversation};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

const EMAIL: &str = "kill@example.com";
const PASSWORD: &str = "violet marble canyon drifts";
const WORKLOAD: &str = "TD_KILL_WORKLOAD";
const DIR: &str = "TD_KILL_DIR";
/// The archive the import workload loads, in the data folder.
const ARCHIVE_NAME: &str = "kill-points-source.tdarchive.zip";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Workload {
    /// Conversations written one after another, as the tenant API does.
    Writes,
    /// An archive imported as a snapshot.
    Import,
    /// Backups written to the backup folder, one after another.
    Backup,
    /// The tenant exported to archives, one after another.
    Export,
}

impl Workload {
    pub const ALL: [Workload; 4] = [Workload::Writes, Workload::Import, Workload::Backup, Workload::Export];

    fn name(self) -> &'static str {
        match self {
            Workload::Writes => "writes",
            Workload::Import => "import",
            Workload::Backup => "backup",
            Workload::Export => "export",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|w| w.name() == name)
    }
}

pub fn open(dir: &Path) -> Desk {
    Desk::open(DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    })
    .unwrap_or_else(|e| panic!("the store does not open after a kill: {e:?}"))
}

fn signed_in(desk: &Desk) -> Actor {
    let (token, _) = desk
        .sign_in(SignInInput { email: EMAIL.into(), password: PASSWORD.into(), remember: false })
        .unwrap_or_else(|e| panic!("{e:?}"));
    desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"))
}

/// A store set up with the demo team and its conversations, and an archive
/// of `messages` messages beside it, for the import workload.
pub fn prepare(dir: &Path, messages: u64) {
    let desk = open(dir);
    desk.complete_setup(SetupInput {
        tenant_name: "Kill Points".into(),
        timezone: "UTC".into(),
        admin_name: "Kill Admin".into(),
        email: EMAIL.into(),
        password: PASSWORD.into(),
        load_demo: true,
        load_demo_conversations: true,
    })
    .unwrap_or_else(|e| panic!("{e:?}"));
    write_archive(&dir.join(ARCHIVE_NAME), messages);
}

/// An archive of one tenant, `messages` messages ten to a conversation,
/// written record by record as another program would.
fn write_archive(path: &Path, messages: u64) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap_or_else(|e| panic!("{e}")));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let exported_at: i64 = 1_767_225_600_000;
    let start = exported_at - 30 * 86_400_000;
    let conversations = messages.div_ceil(10);
    let manifest = serde_json::json!({
        "format": "tenant-desk-archive", "format_version": 1, "source_install_id": "kill-points",
        "tenant_id": 1, "tenant_name": "Killed", "exported_at": exported_at,
        "counts": {"tenant": 1, "users": 0, "memberships": 0, "schedules": 0, "conversations": conversations,
                   "messages": messages, "audit_log": 0}
    });
    let mut put = |name: &str, bytes: &[u8]| {
        w.start_file(name, options).unwrap_or_else(|e| panic!("{e}"));
        w.write_all(bytes).unwrap_or_else(|e| panic!("{e}"));
    };
    put("manifest.json", manifest.to_string().as_bytes());
    put("tenant.jsonl", br#"{"id":1,"name":"Killed","description":"","billing_email":"","phone":"","website":"","country":"","street":"","zip_code":"","timezone":"UTC","labels":[],"require_mfa":false,"created_at":0,"modified_at":0}"#);
    for empty in ["users.jsonl", "memberships.jsonl", "schedules.jsonl", "audit_log.jsonl"] {
        put(empty, b"");
    }
    let mut text = String::new();
    for c in 1..=conversations as i64 {
        text.push_str(&format!(
            r#"{{"id":{c},"channel":"web","customer":"C{c}","operator_user_id":null,"status":"open","created_at":{},"last_activity_at":{},"customer_replied":true,"message_count":10}}"#,
            start + (c - 1) * 10 + 1,
            start + c * 10
        ));
        text.push('\n');
    }
    put("conversations.jsonl", text.as_bytes());
    let mut text = String::new();
    for m in 1..=messages as i64 {
        text.push_str(&format!(
            r#"{{"id":{m},"conversation_id":{},"author":"customer","text":"message {m} about an order","at":{}}}"#,
            (m - 1) / 10 + 1,
            start + m
        ));
        text.push('\n');
    }
    put("messages.jsonl", text.as_bytes());
    w.finish().unwrap_or_else(|e| panic!("{e}"));
}

/// In a worker process (its environment names the workload): runs it until
/// killed and answers true; anywhere else answers false at once.
pub fn work_if_asked() -> bool {
    let (Some(workload), Some(dir)) = (std::env::var(WORKLOAD).ok().and_then(|w| Workload::named(&w)), std::env::var_os(DIR)) else {
        return false;
    };
    let dir = PathBuf::from(dir);
    let desk = open(&dir);
    let actor = signed_in(&desk);
    let out = std::io::stdout();
    let say = |line: String| {
        let mut out = out.lock();
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    };
    say("READY".into());
    let caller: Caller = (&actor).into();
    for n in 1u64.. {
        match workload {
            Workload::Writes => {
                let customer = format!("Kill {}-{n}", std::process::id());
                desk.create_conversation(
                    &caller,
                    NewConversation {
                        channel: "web".into(),
                        customer: customer.clone(),
                        operator_account_id: None,
                        messages: vec![NewMessage { author: Author::Customer, text: "Where is my order?".into() }],
                    },
                )
                .unwrap_or_else(|e| panic!("{e:?}"));
                say(format!("COMMITTED session {customer}"));
            }
            Workload::Import => {
                let outcome = desk.import_tenant_archive(&actor, &dir.join(ARCHIVE_NAME), &Progress::new(), Limits::default());
                say(format!("COMMITTED import {outcome:?}"));
            }
            Workload::Backup => {
                let backup = desk.back_up_store(&actor, &dir.join(format!("kill-{}-{n}.tdbackup", std::process::id())));
                let backup = backup.unwrap_or_else(|e| panic!("{e:?}"));
                say(format!("COMMITTED backup {}", backup.path));
            }
            Workload::Export => {
                let target = dir.join(format!("kill-{}-{n}.tdarchive", std::process::id()));
                desk.export_tenant_archive(&actor, &target, &Progress::new()).unwrap_or_else(|e| panic!("{e:?}"));
                say(format!("COMMITTED export {}", target.display()));
            }
        }
    }
    true
}

/// Starts `worker` (this program, told to work by its environment) on
/// `dir`, kills it with SIGKILL `after` its READY, and checks the store.
/// Answers how many committed changes were checked.
pub fn kill_and_check(mut worker: Command, dir: &Path, workload: Workload, after: Duration) -> Result<usize, String> {
    let mut child = worker
        .env(WORKLOAD, workload.name())
        .env(DIR, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start the worker: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let (lines, seen) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    // A test harness says a word of its own first, on the same line.
    loop {
        let line = seen.recv_timeout(Duration::from_secs(60)).map_err(|_| "the worker never got ready".to_string())?;
        if line.ends_with("READY") {
            break;
        }
    }
    let until = Instant::now() + after;
    while Instant::now() < until {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = Command::new("kill").args(["-9", &child.id().to_string()]).status();
    let _ = child.wait();
    let _ = reader.join();
    let committed: Vec<String> = seen.try_iter().filter_map(|l| l.strip_prefix("COMMITTED ").map(str::to_owned)).collect();
    check(dir, &committed)?;
    Ok(committed.len())
}

/// The store as the next start finds it.
fn check(dir: &Path, committed: &[String]) -> Result<(), String> {
    let desk = open(dir);
    desk.discard_unfinished_snapshots().map_err(|e| format!("{e:?}"))?;
    let integrity: String = desk
        .db()
        .read(|tx| Ok(tx.query_row("PRAGMA integrity_check", [], |r| r.get(0))?))
        .map_err(|e| format!("{e:?}"))?;
    if integrity != "ok" {
        return Err(format!("integrity_check: {integrity}"));
    }
    let count = |sql: &str, param: &str| -> Result<i64, String> {
        desk.db().read(|tx| Ok(tx.query_row(sql, [param], |r| r.get(0))?)).map_err(|e| format!("{e:?}"))
    };
    for change in committed {
        let (kind, what) = change.split_once(' ').ok_or("a bad line")?;
        match kind {
            "session" => {
                if count("SELECT count(*) FROM conversations WHERE customer = ?1", what)? != 1 {
                    return Err(format!("the committed conversation {what} is missing"));
                }
            }
            "backup" => {
                tenant_desk_core::backups::backup_summary(Path::new(what)).map_err(|e| format!("backup {what}: {e:?}"))?;
            }
            "export" => {
                let file = std::fs::File::open(what).map_err(|e| format!("export {what}: {e}"))?;
                let mut zip = zip::ZipArchive::new(file).map_err(|e| format!("export {what}: {e}"))?;
                zip.by_name("manifest.json").map_err(|e| format!("export {what}: {e}"))?;
            }
            "import" => {}
            other => return Err(format!("unknown change {other}")),
        }
    }
    // Every snapshot is whole: the one being imported when the kill came is
    // gone, and none is left hidden.
    let (short, hidden): (i64, i64) = desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT (SELECT count(*) FROM snapshots s
                          WHERE (SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
                                  WHERE c.tenant_id = s.tenant_id) <> ?1),
                        (SELECT count(*) FROM unfinished_snapshots)",
                [archive_messages(dir)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?)
        })
        .map_err(|e| format!("{e:?}"))?;
    if short != 0 || hidden != 0 {
        return Err(format!("{short} snapshot(s) not whole, {hidden} left unfinished"));
    }
    // No half-written file under a name a person would take for a whole one.
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with("kill-") && name.ends_with(".tdarchive") && !committed.iter().any(|c| c.ends_with(&name)) {
            let whole = std::fs::File::open(entry.path()).ok().and_then(|f| zip::ZipArchive::new(f).ok()).is_some();
            if !whole {
                return Err(format!("a half-written archive is named {name}"));
            }
        }
    }
    Ok(())
}

/// The messages in the archive the import workload loads (its manifest says).
fn archive_messages(dir: &Path) -> i64 {
    let archive = dir.join(ARCHIVE_NAME);
    let Ok(file) = std::fs::File::open(archive) else { return 0 };
    let Ok(mut zip) = zip::ZipArchive::new(file) else { return 0 };
    let Ok(entry) = zip.by_name("manifest.json") else { return 0 };
    let manifest: serde_json::Value = serde_json::from_reader(entry).unwrap_or_default();
    manifest["counts"]["messages"].as_i64().unwrap_or(0)
}

/// A small deterministic generator (xorshift) for kill moments.
pub struct Moments(pub u64);

impl Moments {
    pub fn next_millis(&mut self, below: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % below.max(1)
    }
}
