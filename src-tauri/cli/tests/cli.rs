//! The real `tenant-desk-cli` binary on a real data folder: a store set up by
//! the core, commands run as a separate process, outcomes read back through
//! the core.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::FileStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::store::folder_lock::FolderLock;
use tenant_desk_core::store::DATABASE_FILE;
use tenant_desk_core::{Desk, DeskConfig, ErrorCode};

const ADMIN: &str = "grace@example.com";
const PASSWORD: &str = "correct horse battery staple";

struct Folder {
    dir: tempfile::TempDir,
}

impl Folder {
    /// A data folder set up as the app's first run does, with the demo team.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let desk = open(dir.path());
        desk.complete_setup(SetupInput {
            tenant_name: "Acme Support".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: "Grace Hopper".into(),
            email: ADMIN.into(),
            password: PASSWORD.into(),
            load_demo: true,
            load_demo_conversations: false,
        })
        .unwrap();
        Self { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn cli(&self) -> Command {
        let mut cmd = Command::cargo_bin("tenant-desk-cli").unwrap();
        cmd.env("TENANT_DESK_DATA_DIR", self.path()).env_remove("DBUS_SESSION_BUS_ADDRESS").current_dir(self.path());
        cmd
    }

    /// Runs with `--json` and reads what it printed.
    fn json(&self, args: &[&str]) -> (i32, Value) {
        let output = self.cli().arg("--json").args(args).output().unwrap();
        let value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{args:?} printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stdout)));
        (output.status.code().unwrap_or(-1), value)
    }

    fn desk(&self) -> Desk {
        open(self.path())
    }

    fn users(&self) -> Vec<Value> {
        let (code, v) = self.json(&["users", "list"]);
        assert_eq!(code, 0, "{v}");
        v.as_array().unwrap().clone()
    }
}

/// The core on the folder, as the team server opens it (secrets in secrets.json).
fn open(dir: &Path) -> Desk {
    Desk::open(DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(FileStore::new(dir.join("secrets.json"))),
        notifier: Arc::new(Recorder::new()),
    })
    .unwrap()
}

fn sign_in(desk: &Desk, email: &str, password: &str) -> tenant_desk_core::Result<tenant_desk_core::auth::SignedIn> {
    desk.sign_in(SignInInput { email: email.into(), password: password.into(), remember: false }).map(|(_, s)| s)
}

#[test]
fn a_locked_out_administrator_gets_back_in_with_one_command() {
    let folder = Folder::new();
    // Forgotten: five wrong attempts start the throttle too.
    {
        let desk = folder.desk();
        for _ in 0..6 {
            let _ = sign_in(&desk, ADMIN, "not the password at all");
        }
    }
    let (code, out) = folder.json(&["admin", "reset-password", "GRACE@example.com"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out["email"], ADMIN);
    let temporary = out["temporary_password"].as_str().unwrap().to_owned();
    assert!(temporary.len() >= 16);

    let desk = folder.desk();
    assert_eq!(sign_in(&desk, ADMIN, PASSWORD).unwrap_err().code, ErrorCode::WrongCredentials);
    let signed_in = sign_in(&desk, ADMIN, &temporary).unwrap();
    assert!(signed_in.must_change_password, "the temporary password must be replaced at once");

    // Audited as the local administrator, not as anyone's account.
    let (via, actor, after): (Option<String>, Option<i64>, String) = desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT via, actor_account_id, after FROM audit_log WHERE action = 'account.password_reset'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(via.as_deref(), Some("command_line"));
    assert_eq!(actor, None);
    assert!(after.contains("os_user"), "{after}");
}

#[test]
fn an_unknown_address_is_refused_with_the_cores_message() {
    let folder = Folder::new();
    folder
        .cli()
        .args(["admin", "reset-password", "nobody@example.com"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("No account has the address nobody@example.com."));
}

#[test]
fn grant_platform_makes_an_account_platform_administrator_again() {
    let folder = Folder::new();
    let operator = folder.users().into_iter().find(|u| u["role"] == "tenant_operator").unwrap();
    assert_eq!(operator["platform_admin"], false);
    let email = operator["email"].as_str().unwrap();
    let (code, out) = folder.json(&["admin", "grant-platform", email]);
    assert_eq!((code, out["changed"].as_bool()), (0, Some(true)), "{out}");
    let (_, admins) = folder.json(&["users", "list", "--platform-admins"]);
    let admins: Vec<&str> = admins.as_array().unwrap().iter().filter_map(|u| u["email"].as_str()).collect();
    assert!(admins.contains(&email), "{admins:?}");
    let (code, again) = folder.json(&["admin", "grant-platform", email]);
    assert_eq!((code, again["changed"].as_bool()), (0, Some(false)));
}

#[test]
fn changing_commands_refuse_while_another_process_holds_the_folder_and_reading_ones_work() {
    let folder = Folder::new();
    // This test's process holds the folder, as the open app would.
    let lock = FolderLock::acquire(folder.path()).unwrap();
    folder
        .cli()
        .args(["admin", "reset-password", ADMIN])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is already open with the data folder").and(predicate::str::contains("changed nothing")));
    let csv = folder.path().join("one.csv");
    std::fs::write(&csv, "Name,Email,Role\nAda Lovelace,ada@example.com,Tenant User\n").unwrap();
    folder.cli().args(["users", "import"]).arg(&csv).args(["--tenant", "Acme Support"]).assert().code(1);
    assert!(sign_in(&folder.desk(), ADMIN, PASSWORD).is_ok(), "the refused reset changed the password");
    assert_eq!(folder.users().len(), 7, "nothing was imported");

    folder.cli().args(["users", "list"]).assert().success().stdout(predicate::str::contains(ADMIN));
    folder.cli().arg("check").assert().success();
    folder.cli().args(["backup", "create"]).assert().success();
    drop(lock);
    folder.cli().args(["admin", "reset-password", ADMIN]).assert().success();
}

#[test]
fn a_damaged_store_is_found_by_check_and_restored_from_a_backup() {
    let folder = Folder::new();
    let (code, backup) = folder.json(&["backup", "create"]);
    assert_eq!(code, 0, "{backup}");
    let backup = PathBuf::from(backup["path"].as_str().unwrap());
    let (_, listed) = folder.json(&["backup", "list"]);
    assert!(listed.as_array().unwrap().iter().any(|b| b["path"] == backup.display().to_string()));
    folder.cli().args(["backup", "verify"]).arg(&backup).assert().success().stdout(predicate::str::contains("7 users"));

    damage(&folder.path().join(DATABASE_FILE));
    let (code, report) = folder.json(&["check"]);
    assert_eq!(code, 1, "{report}");
    assert!(!report["problems"].as_array().unwrap().is_empty());

    // Not on a terminal: a restore needs --yes.
    folder.cli().args(["backup", "restore"]).arg(&backup).assert().code(1).stderr(predicate::str::contains("--yes"));
    folder.cli().args(["backup", "restore", "--yes"]).arg(&backup).assert().success();
    folder.cli().arg("check").assert().success().stdout(predicate::str::contains("Sound"));
    assert!(sign_in(&folder.desk(), ADMIN, PASSWORD).is_ok());
    // The damaged store is kept aside, never deleted.
    let (_, listed) = folder.json(&["backup", "list"]);
    assert!(listed.as_array().unwrap().iter().any(|b| b["kind"] == "damaged"), "{listed}");
}

#[test]
fn a_sound_store_is_restored_with_a_copy_of_it_kept_and_the_restore_audited() {
    let folder = Folder::new();
    let (_, backup) = folder.json(&["backup", "create"]);
    let backup = backup["path"].as_str().unwrap().to_owned();
    let csv = folder.path().join("later.csv");
    std::fs::write(&csv, "Name,Email,Role\nAda Lovelace,ada@example.com,Tenant User\n").unwrap();
    folder.cli().args(["users", "import"]).arg(&csv).args(["--tenant", "Acme Support"]).assert().success();
    assert_eq!(folder.users().len(), 8);
    let (code, restored) = folder.json(&["backup", "restore", &backup, "--yes"]);
    assert_eq!(code, 0, "{restored}");
    assert_eq!(restored["previous_store"]["kind"], "before_restore");
    assert_eq!(folder.users().len(), 7, "the backup's users are back");
    let restores: i64 = folder
        .desk()
        .db()
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM audit_log WHERE action = 'store.restore' AND via = 'command_line'", [], |r| r.get(0))?))
        .unwrap();
    assert!(restores >= 1);
}

/// Overwrites pages in the middle of the file, as a failing disk would.
fn damage(path: &Path) {
    let mut file = std::fs::OpenOptions::new().read(true).write(true).open(path).unwrap();
    let len = file.metadata().unwrap().len();
    let mut header = [0u8; 16];
    file.read_exact(&mut header).unwrap();
    for at in (4096..len).step_by(8192) {
        file.seek(SeekFrom::Start(at)).unwrap();
        file.write_all(&[0xA5; 512]).unwrap();
    }
    file.sync_all().unwrap();
}

#[test]
fn an_archive_is_exported_verified_imported_and_compared() {
    let folder = Folder::new();
    let first = folder.path().join("first.tdarchive");
    let (code, out) = folder.json(&["archive", "export", "Acme Support", first.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    folder.cli().args(["archive", "export", "Acme Support"]).arg(&first).assert().code(1).stderr(predicate::str::contains("exists already"));
    folder.cli().args(["archive", "verify"]).arg(&first).assert().success().stdout(predicate::str::contains("is a valid archive of Acme Support"));

    let (code, imported) = folder.json(&["archive", "import", first.to_str().unwrap(), "--for", ADMIN]);
    assert_eq!(code, 0, "{imported}");
    let one = imported["snapshot"]["tenant_id"].as_i64().unwrap();

    let csv = folder.path().join("more.csv");
    std::fs::write(&csv, "Name,Email,Role\nAda Lovelace,ada@example.com,Tenant User\n").unwrap();
    folder.cli().args(["users", "import"]).arg(&csv).args(["--tenant", "Acme Support"]).assert().success();
    let second = folder.path().join("second.tdarchive");
    folder.cli().args(["archive", "export", "Acme Support"]).arg(&second).assert().success();
    let (_, imported) = folder.json(&["archive", "import", second.to_str().unwrap(), "--for", ADMIN]);
    let two = imported["snapshot"]["tenant_id"].as_i64().unwrap();

    let (code, diff) = folder.json(&["archive", "diff", &one.to_string(), &two.to_string()]);
    assert_eq!(code, 0, "{diff}");
    assert_eq!(diff["users_added"][0]["email"], "ada@example.com");
    folder
        .cli()
        .args(["archive", "diff", &two.to_string(), &one.to_string()])
        .assert()
        .success()
        .stdout(predicate::str::contains("+ Ada Lovelace <ada@example.com>, Tenant User"));
    // The reader opens them in the window.
    let (_, listed) = folder.json(&["archive", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[test]
fn every_bad_archive_is_reported_and_verify_writes_nothing() {
    let folder = Folder::new();
    let good = folder.path().join("good.tdarchive");
    folder.cli().args(["archive", "export", "Acme Support"]).arg(&good).assert().success();
    let bytes = std::fs::read(&good).unwrap();
    let case = |name: &str| folder.path().join(name);
    std::fs::write(case("empty.tdarchive"), b"").unwrap();
    std::fs::write(case("truncated.tdarchive"), &bytes[..bytes.len() / 2]).unwrap();
    rewrite(&good, &case("version.tdarchive"), |n, b| {
        Some(if n == "manifest.json" { with_json(&b, |m| m["format_version"] = 2.into()) } else { b })
    });
    rewrite(&good, &case("missing.tdarchive"), |n, b| (n != "users.jsonl").then_some(b));
    rewrite(&good, &case("bad-json.tdarchive"), |n, b| Some(if n == "users.jsonl" { replace_line(&b, 2, "{\"id\": 2,") } else { b }));
    rewrite(&good, &case("duplicate.tdarchive"), |n, b| {
        Some(if n == "users.jsonl" {
            let first = String::from_utf8(b.clone()).unwrap().lines().next().unwrap().to_owned();
            replace_line(&b, 2, &first)
        } else {
            b
        })
    });
    rewrite(&good, &case("count.tdarchive"), |n, b| {
        Some(if n == "manifest.json" { with_json(&b, |m| m["counts"]["users"] = (m["counts"]["users"].as_u64().unwrap() + 1).into()) } else { b })
    });
    let cases = [
        ("empty.tdarchive", "empty.tdarchive", None, "empty (0 bytes)"),
        ("truncated.tdarchive", "truncated.tdarchive", None, "truncated"),
        ("version.tdarchive", "manifest.json", None, "format version 2 is not supported"),
        ("missing.tdarchive", "users.jsonl", None, "missing from the archive"),
        ("bad-json.tdarchive", "users.jsonl", Some(2), "bad JSON"),
        ("duplicate.tdarchive", "users.jsonl", Some(2), "duplicate user id"),
        ("count.tdarchive", "users.jsonl", None, "the manifest counts"),
    ];
    let store = folder.path().join(DATABASE_FILE);
    let before = std::fs::read(&store).unwrap();
    for (archive, file, line, words) in cases {
        let (code, verdict) = folder.json(&["archive", "verify", case(archive).to_str().unwrap()]);
        assert_eq!(code, 1, "{archive}: {verdict}");
        assert_eq!(verdict["kind"], "rejected", "{archive}: {verdict}");
        let found = verdict["problems"].as_array().unwrap().iter().any(|p| {
            p["file"] == file && (line.is_none() || p["line"].as_u64() == line) && p["problem"].as_str().unwrap().contains(words)
        });
        assert!(found, "{archive}: expected {file}:{line:?} \"{words}\", got {verdict}");
        // The report for a person names file and line too.
        let text = folder.cli().args(["archive", "verify"]).arg(case(archive)).output().unwrap();
        assert!(String::from_utf8_lossy(&text.stdout).contains(file), "{archive}");
    }
    assert!(std::fs::read(&store).unwrap() == before, "verify changed the store");
    // Importing one is refused the same way, and adds no snapshot.
    folder
        .cli()
        .args(["archive", "import"])
        .arg(case("duplicate.tdarchive"))
        .args(["--for", ADMIN])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("users.jsonl, line 2: duplicate user id"));
    let (_, listed) = folder.json(&["archive", "list"]);
    assert_eq!(listed.as_array().unwrap().len(), 0);
}

fn rewrite(archive: &Path, out: &Path, change: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(archive).unwrap()).unwrap();
    let mut w = zip::ZipWriter::new(std::fs::File::create(out).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = change(&name, bytes) {
            w.start_file(name, options).unwrap();
            w.write_all(&bytes).unwrap();
        }
    }
    w.finish().unwrap();
}

fn replace_line(bytes: &[u8], line: usize, with: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line - 1] = with.to_string();
    (lines.join("\n") + "\n").into_bytes()
}

fn with_json(bytes: &[u8], change: impl Fn(&mut Value)) -> Vec<u8> {
    let mut v: Value = serde_json::from_slice(bytes).unwrap();
    change(&mut v);
    serde_json::to_vec(&v).unwrap()
}

/// `n` people of a CSV file, with a schedule for every tenth (an operator).
fn people(n: usize) -> String {
    let mut csv = String::from("Name,Email,Role,Schedule\n");
    for i in 0..n {
        if i % 10 == 0 {
            csv.push_str(&format!("Operator {i},operator{i}@example.com,Tenant Operator,Mon-Fri 9-17\n"));
        } else {
            csv.push_str(&format!("Person {i},person{i}@example.com,{}\n", ["Tenant User", "viewer", "Tenant Admin"][i % 3]));
        }
    }
    csv
}

#[test]
fn ten_thousand_users_with_one_bad_row_are_refused_whole_then_the_fixed_file_is_added() {
    let folder = Folder::new();
    let good = people(10_000);
    // Line 5,003 (row 5,002) gets an address that is no address.
    let bad = good.replace("person5001@example.com", "person5001-at-example.com");
    let file = folder.path().join("team.csv");
    std::fs::write(&file, &bad).unwrap();
    let (code, report) = folder.json(&["users", "import", file.to_str().unwrap(), "--tenant", "Acme Support"]);
    assert_eq!(code, 1, "{}", report["problems"]);
    assert_eq!(report["problems"].as_array().unwrap().len(), 1, "{}", report["problems"]);
    assert_eq!(report["problems"][0]["line"], 5_003);
    assert_eq!(report["problems"][0]["column"], "Email");
    assert_eq!(report["written"], false);
    assert_eq!(folder.users().len(), 7, "a refused file adds no one");
    assert!(std::fs::read_dir(folder.path()).unwrap().all(|e| !e.unwrap().file_name().to_string_lossy().starts_with("temporary-passwords")));

    std::fs::write(&file, &good).unwrap();
    let (code, dry) = folder.json(&["users", "import", file.to_str().unwrap(), "--tenant", "Acme Support", "--dry-run"]);
    assert_eq!((code, dry["written"].as_bool(), dry["users"].as_array().map(Vec::len)), (0, Some(false), Some(10_000)));
    assert_eq!(folder.users().len(), 7, "a dry run adds no one");

    let passwords = folder.path().join("passwords.csv");
    let (code, report) =
        folder.json(&["users", "import", file.to_str().unwrap(), "--tenant", "1", "--passwords", passwords.to_str().unwrap()]);
    assert_eq!(code, 0, "{}", report["problems"]);
    assert_eq!(report["written"], true);
    assert_eq!(folder.users().len(), 10_007);
    assert_eq!(report["temporary_passwords"], serde_json::json!([]), "passwords go to the file only");

    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&passwords).unwrap().permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&passwords).unwrap();
    assert_eq!(text.lines().count(), 10_001);
    let line = text.lines().find(|l| l.contains("operator9990@example.com")).unwrap();
    let password = line.rsplit(',').next().unwrap();
    let desk = folder.desk();
    assert!(sign_in(&desk, "operator9990@example.com", password).unwrap().must_change_password);
    let (_, operators) = folder.json(&["users", "list", "--role", "operator", "--search", "OPERATOR999"]);
    assert_eq!(operators.as_array().unwrap().len(), 1);

    // The same file again: every address has an account now.
    let (code, again) = folder.json(&["users", "import", file.to_str().unwrap(), "--tenant", "Acme Support", "--dry-run"]);
    assert_eq!(code, 1);
    assert_eq!(again["more_problems"], true);
    assert!(again["problems"][0]["problem"].as_str().unwrap().contains("already has a Tenant Desk account"));
}

#[test]
fn a_csv_report_names_line_and_column_for_a_person() {
    let folder = Folder::new();
    let file = folder.path().join("mixed.csv");
    std::fs::write(
        &file,
        "Email,Name,Role,Schedule,Team\n\
         ada@example.com,Ada Lovelace,owner,\n\
         ADA@example.com,Ada Again,Tenant User,\n\
         op@example.com,Op,Tenant User,Mon-Fri 9-17\n\
         op2@example.com,Op Two,operator,weekdays\n",
    )
    .unwrap();
    folder
        .cli()
        .args(["users", "import"])
        .arg(&file)
        .args(["--tenant", "acme support"])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("Columns not read: Team.")
                .and(predicate::str::contains("line 2, Role: Enter one of Tenant Admin"))
                .and(predicate::str::contains("line 3, Email: This address is on line 2 too."))
                .and(predicate::str::contains("line 4, Schedule: Only Tenant Operators have a schedule"))
                .and(predicate::str::contains("line 5, Schedule: Write the hours as days and hours")),
        );
}

#[test]
fn usage_errors_exit_2_and_every_subcommands_help_says_what_it_changes() {
    let folder = Folder::new();
    folder.cli().arg("frobnicate").assert().code(2);
    folder.cli().args(["users", "import"]).assert().code(2);
    for command in [
        vec!["admin", "reset-password"],
        vec!["admin", "reset-mfa"],
        vec!["admin", "grant-platform"],
        vec!["check"],
        vec!["backup", "create"],
        vec!["backup", "list"],
        vec!["backup", "verify"],
        vec!["backup", "restore"],
        vec!["archive", "export"],
        vec!["archive", "verify"],
        vec!["archive", "import"],
        vec!["archive", "list"],
        vec!["archive", "diff"],
        vec!["users", "list"],
        vec!["users", "import"],
    ] {
        folder
            .cli()
            .args(&command)
            .arg("--help")
            .assert()
            .success()
            .stdout(predicate::str::contains("Changes").or(predicate::str::contains("changes")));
    }
    folder.cli().arg("--help").assert().success().stdout(predicate::str::contains("Exit codes"));
    folder.cli().args(["completions", "bash"]).assert().success().stdout(predicate::str::contains("reset-password"));
    folder.cli().arg("manpage").assert().success().stdout(predicate::str::contains(".TH tenant-desk-cli"));
}

#[test]
fn a_folder_with_no_store_is_named_and_never_made() {
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = Command::cargo_bin("tenant-desk-cli").unwrap();
    cmd.env("TENANT_DESK_DATA_DIR", empty.path())
        .args(["admin", "reset-password", ADMIN])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("There is no Tenant Desk store in"));
    assert!(!empty.path().join(DATABASE_FILE).exists());
}

#[test]
fn root_is_sent_to_the_folders_owner_so_the_files_stay_theirs() {
    use std::os::unix::fs::MetadataExt;
    let folder = Folder::new();
    if std::fs::metadata(folder.path()).unwrap().uid() != 0 {
        // Not root: the owner's own runs are every other test here.
        return;
    }
    std::os::unix::fs::chown(folder.path(), Some(65534), None).unwrap();
    folder
        .cli()
        .args(["admin", "reset-password", ADMIN])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("belongs to another user").and(predicate::str::contains("sudo -u '#65534'")));
    folder.cli().args(["users", "list"]).assert().code(1);
    std::os::unix::fs::chown(folder.path(), Some(0), None).unwrap();
    assert!(sign_in(&folder.desk(), ADMIN, PASSWORD).is_ok(), "nothing changed");
}
