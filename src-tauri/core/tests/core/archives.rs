//! Tenant archives: export → import as a snapshot gives the same data; bad
//! archives are reported and change nothing; a killed import leaves the
//! store as it was; a snapshot refuses every change; compare and remove.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::Duration;
use sha2::{Digest, Sha256};
use tenant_desk_core::archives::{ExportOutcome, ImportOutcome, Limits, Problem, Progress, SnapshotRow};
use tenant_desk_core::auth::SessionToken;
use tenant_desk_core::authz::{Actor, Caller, Operation, Role};
use tenant_desk_core::billing::NewPaymentMethod;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, NewMessage, ConversationQuery, ConversationStatus};
use tenant_desk_core::users::{UserChanges, UserQuery};
use tenant_desk_core::{Desk, ErrorCode};

use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};

use crate::support::postgres_store;
use crate::support::*;

/// A small deterministic generator (xorshift), so every seed is a different tenant.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn text(&mut self) -> String {
        const WORDS: [&str; 12] =
            ["order", "late", "Zoë", "refund €12,50", "\"quoted\"", "line\nbreak", "👍", "naïve", "ORD-42", "thanks", "tab\there", "a,b"];
        (0..1 + self.below(8)).map(|_| WORDS[self.below(12) as usize]).collect::<Vec<_>>().join(" ")
    }
}

/// A tenant with members of every role, deleted users, schedules,
/// conversations with messages, and the audit entries all that made.
fn populate(h: &Harness, seed: u64) -> Actor {
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut g = Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    for i in 0..g.below(3) {
        let role = Role::ALL[g.below(4) as usize];
        let user = new_user(&h.desk, &admin, &format!("extra{i}-{seed}@example.com"), role);
        if g.below(2) == 0 {
            h.desk.delete_user(&admin, user.id).unwrap_or_else(|e| panic!("delete: {e:?}"));
        }
    }
    let operator = account_id(&h.desk, member_email(Role::TenantOperator));
    let start = h.desk_now() - 40 * 86_400_000;
    let conversations: Vec<ImportedConversation> = (0..2 + g.below(6))
        .map(|c| {
            let created_at = start + (c as i64) * 3_600_000;
            ImportedConversation {
                channel: ["web", "email", "whatsapp"][g.below(3) as usize].into(),
                customer: format!("Customer {c} «{seed}»"),
                operator_account_id: (g.below(2) == 0).then_some(operator),
                status: if g.below(2) == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                created_at,
                messages: (0..1 + g.below(5))
                    .map(|m| ImportedMessage {
                        author: [Author::Customer, Author::Operator, Author::AiAgent][g.below(3) as usize],
                        text: g.text(),
                        at: created_at + (m as i64) * 40_000_000,
                    })
                    .collect(),
            }
        })
        .collect();
    h.desk.import_conversations(&(&admin).into(), &conversations).unwrap_or_else(|e| panic!("sessions: {e:?}"));
    admin
}

/// Everything a tenant holds, without ids of this install, as one JSON text:
/// equal dumps mean every entity and count is the same.
fn dump(desk: &Desk, tenant_id: i64) -> String {
    let q = |sql: &str| -> Vec<serde_json::Value> {
        desk.db()
            .read(|tx| {
                let mut stmt = tx.prepare(sql)?;
                let n = stmt.column_count();
                let rows = stmt.query_map([tenant_id], |r| {
                    let mut row = Vec::with_capacity(n);
                    for i in 0..n {
                        row.push(match r.get_ref(i)? {
                            tenant_desk_core::store::sql::ValueRef::Null => serde_json::Value::Null,
                            tenant_desk_core::store::sql::ValueRef::Integer(v) => v.into(),
                            tenant_desk_core::store::sql::ValueRef::Real(v) => v.into(),
                            tenant_desk_core::store::sql::ValueRef::Text(t) => t.into(),
                            tenant_desk_core::store::sql::ValueRef::Blob(b) => format!("{b:?}").into(),
                        });
                    }
                    Ok(serde_json::Value::Array(row))
                })?;
                Ok(rows.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?)
            })
            .unwrap_or_else(|e| panic!("dump {sql}: {e:?}"))
    };
    let email = |col: &str| format!("(SELECT email FROM accounts WHERE id = {col})");
    let word_index = word_index_of(desk, tenant_id);
    let sqlite_search = format!(
        "SELECT count(*) FROM {word_index} WHERE {word_index} MATCH 'order' AND rowid IN
           (SELECT (m.conversation_id << 32) | (m.id & 4294967295) FROM messages m
              JOIN conversations c ON c.id = m.conversation_id WHERE c.tenant_id = ?1)"
    );
    serde_json::json!({
        "tenant": q("SELECT name, description, billing_email, phone, website, country, street, zip_code, timezone, labels,
                            require_mfa, created_at, modified_at FROM tenants WHERE id = ?1"),
        "members": q("SELECT a.email, a.name, a.phone, a.company, a.created_at, a.modified_at, a.deleted_at, m.role,
                             m.created_at, m.modified_at
                        FROM memberships m JOIN accounts a ON a.id = m.account_id
                       WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0 ORDER BY a.email"),
        "schedules": q("SELECT a.email, s.zone, r.weekday, r.start_minute, r.end_minute
                          FROM operator_schedules s JOIN memberships m ON m.id = s.membership_id
                          JOIN accounts a ON a.id = m.account_id
                          JOIN operator_schedule_ranges r ON r.membership_id = s.membership_id
                         WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0 ORDER BY a.email, r.weekday, r.start_minute"),
        "conversations": q(&format!("SELECT channel, customer, {}, status, created_at, last_activity_at, customer_replied,
                                            message_count, first_customer_at, first_response_at, resolved_at
                                       FROM conversations c WHERE tenant_id = ?1 ORDER BY id", email("c.operator_account_id"))),
        "messages": q("SELECT c.customer, c.created_at, m.author, m.text, m.at FROM messages m
                         JOIN conversations c ON c.id = m.conversation_id WHERE c.tenant_id = ?1 ORDER BY m.id"),
        "windows": q("SELECT c.created_at, w.idx, w.starts_at FROM billable_windows w JOIN conversations c ON c.id = w.conversation_id
                       WHERE w.tenant_id = ?1 ORDER BY c.id, w.idx"),
        "audit": q(&format!("SELECT at, {}, {}, action, subject, before, after FROM audit_log l WHERE tenant_id = ?1 ORDER BY id",
                            email("l.actor_account_id"), email("l.subject_account_id"))),
        "search": q(if postgres_store::on_postgres() {
            "SELECT count(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
              WHERE c.tenant_id = ?1 AND to_tsvector('simple', desk_words(m.text)) @@ desk_words_query('order')"
        } else {
            &sqlite_search
        }),
    })
    .to_string()
}

fn export(h: &Harness, actor: &Actor, name: &str) -> PathBuf {
    let path = h.dir.path().join(name);
    match h.desk.export_tenant_archive(actor, &path, &Progress::new()) {
        Ok(ExportOutcome::Exported { .. }) => path,
        other => panic!("export: {other:?}"),
    }
}

fn import(h: &Harness, actor: &Actor, path: &Path) -> ImportOutcome {
    h.desk.import_tenant_archive(actor, path, &Progress::new(), Limits::default()).unwrap_or_else(|e| panic!("import: {e:?}"))
}

fn imported(outcome: ImportOutcome) -> SnapshotRow {
    match outcome {
        ImportOutcome::Imported { snapshot } => snapshot,
        other => panic!("not imported: {other:?}"),
    }
}

#[test]
fn export_then_import_gives_every_entity_and_count_unchanged() {
    for seed in 1..=5 {
        let h = Harness::new();
        let admin = populate(&h, seed);
        let tenant = tenant_id(&admin);
        let before = dump(&h.desk, tenant);
        let path = export(&h, &admin, "acme.tdarchive");
        let snapshot = imported(import(&h, &admin, &path));
        assert_eq!(dump(&h.desk, snapshot.tenant_id), before, "seed {seed}");
        assert!(before.contains("\"tenant_operator\""), "the generated tenant has members");
        assert_eq!(snapshot.source_name, "Acme Support");
    }
}

/// A snapshot has a word index of its own (SQLite), built beside the store
/// as it is imported: the Sessions search finds in it what it found in the
/// exported tenant, in the same order, for whole words, prefixes, a word
/// with an accent folded and two words together. A backup of the store
/// holding it (SQLite's file) passes the check of what Tenant Desk makes.
#[test]
fn a_snapshot_is_searched_as_its_tenant_was() {
    let h = Harness::new();
    let admin = populate(&h, 3);
    let tenant = tenant_id(&admin);
    let (token, _) = h.session_of(ADMIN_EMAIL);
    h.desk
        .append_message(&(&admin).into(), first_conversation(&h, &admin), NewMessage { author: Author::Operator, text: "Café crème".into() })
        .unwrap_or_else(|e| panic!("{e:?}"));
    let path = export(&h, &admin, "acme.tdarchive");
    let snapshot = imported(import(&h, &admin, &path));
    let search = |tenant: i64, text: &str| -> Vec<(String, String, i64)> {
        h.desk.switch_organization(&token, tenant).unwrap_or_else(|e| panic!("{e:?}"));
        let actor = h.desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
        let query = ConversationQuery { text: text.into(), page_size: 200, ..ConversationQuery::default() };
        let page = h.desk.list_conversations(&(&actor).into(), &query).unwrap_or_else(|e| panic!("{e:?}"));
        page.rows.into_iter().map(|r| (r.customer, r.created_at, r.message_count)).collect()
    };
    let mut found_any = false;
    for text in ["order", "ord", "refund", "order refund", "cafe", "CRÈME", "zzzz"] {
        let before = search(tenant, text);
        found_any |= !before.is_empty();
        assert_eq!(search(snapshot.tenant_id, text), before, "{text}");
    }
    assert!(found_any, "the searches found something");
    assert_eq!(search(snapshot.tenant_id, "cafe").len(), 1);
    assert!(word_index_is_whole(&h.desk));
    if postgres_store::on_postgres() {
        return;
    }
    let backup = h.desk.backup_folder(&admin).unwrap_or_else(|e| panic!("{e:?}")).join("with-snapshot.sqlite3");
    h.desk.back_up_store(&admin, &backup).unwrap_or_else(|e| panic!("{e:?}"));
    h.desk.inspect_backup(&admin, &backup).unwrap_or_else(|e| panic!("a store with a snapshot is refused: {e:?}"));
}

/// The conversation listed first in `actor`'s tenant.
fn first_conversation(h: &Harness, actor: &Actor) -> i64 {
    h.desk.list_conversations(&actor.into(), &ConversationQuery::default()).unwrap_or_else(|e| panic!("{e:?}")).rows[0].id
}

/// Word indexes of snapshots in the store (SQLite).
fn snapshot_word_indexes(desk: &Desk) -> Vec<String> {
    if postgres_store::on_postgres() {
        return Vec::new();
    }
    desk.db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT name FROM sqlite_master WHERE name GLOB 'message_search_[0-9]*' ORDER BY 1")?;
            let names = stmt.query_map([], |r| r.get(0))?.collect::<tenant_desk_core::store::sql::Result<Vec<String>>>()?;
            Ok(names)
        })
        .unwrap_or_else(|e| panic!("{e:?}"))
}

#[test]
fn snapshot_people_keep_their_names_and_emails_but_never_sign_in() {
    let h = Harness::new();
    let admin = populate(&h, 7);
    let path = export(&h, &admin, "acme.tdarchive");
    let snapshot = imported(import(&h, &admin, &path));
    let (token, _) = h.session_of(ADMIN_EMAIL);
    h.desk.switch_organization(&token, snapshot.tenant_id).unwrap_or_else(|e| panic!("switch: {e:?}"));
    let reader = h.desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
    let users = h.desk.list_users(&reader, &UserQuery::search("")).unwrap_or_else(|e| panic!("{e:?}"));
    let emails: Vec<&str> = users.rows.iter().map(|u| u.email.as_str()).collect();
    assert!(emails.contains(&member_email(Role::TenantViewer)), "{emails:?}");
    assert!(emails.contains(&ADMIN_EMAIL), "the exported admin is a user of the snapshot");
    assert_eq!(emails.iter().filter(|e| **e == ADMIN_EMAIL).count(), 1, "the reader is not listed as a user");
    // The real accounts still sign in as themselves, into their own tenant.
    let (_, viewer) = h.session_of(member_email(Role::TenantViewer));
    assert_eq!(tenant_id(&viewer), tenant_id(&admin));
    // A snapshot person's account has no usable credential and no findable email.
    let keys: Vec<(String, String)> = h
        .desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT a.email_key, a.password_hash FROM accounts a JOIN memberships m ON m.account_id = a.id
                  WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0",
            )?;
            let rows = stmt.query_map([snapshot.tenant_id], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?)
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!keys.is_empty());
    for (key, hash) in keys {
        assert!(key.starts_with(" snapshot:"), "{key}");
        assert_eq!(hash, "!");
    }
    // The switcher marks it.
    let orgs = h.desk.organizations(&reader).unwrap_or_else(|e| panic!("{e:?}"));
    let choice = orgs.organizations.iter().find(|o| o.tenant_id == snapshot.tenant_id).unwrap_or_else(|| panic!("not listed"));
    assert_eq!(choice.snapshot_data_as_of.as_deref(), Some(snapshot.data_as_of.as_str()));
    assert!(!orgs.can_edit_current);
}

/// Every committed row of the store as one hash, and the main database file's
/// bytes' hash. The word index is read in its storage: it keeps no rows of
/// its own to read back.
fn fingerprint(h: &Harness) -> (String, String) {
    let rows = rows_fingerprint(&h.desk, |name| name != "message_search");
    let main = std::fs::read(h.dir.path().join("tenant-desk.sqlite3")).unwrap_or_default();
    (rows, format!("{:x}", Sha256::digest(&main)))
}

/// A hash of every row of every table `keep` names.
fn rows_fingerprint(desk: &Desk, keep: impl Fn(&str) -> bool) -> String {
    desk.db()
        .write(|tx| {
            let tables = if postgres_store::on_postgres() {
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            } else {
                let _ = tx.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            };
            let mut tables = tx.prepare(tables)?;
            let names = tables.query_map([], |r| r.get::<_, String>(0))?.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?;
            let mut hasher = Sha256::new();
            for name in names.into_iter().filter(|n| keep(n)) {
                let mut stmt = tx.prepare(&format!("SELECT * FROM \"{name}\""))?;
                let n = stmt.column_count();
                hasher.update(name.as_bytes());
                // Sorted: PostgreSQL returns rows in no fixed order.
                let mut rows = stmt
                    .query_map([], |r| (0..n).map(|i| Ok(format!("{:?}|", r.get_ref(i)?))).collect::<tenant_desk_core::store::sql::Result<String>>())?
                    .collect::<tenant_desk_core::store::sql::Result<Vec<String>>>()?;
                rows.sort();
                for row in rows {
                    hasher.update(row.as_bytes());
                }
            }
            Ok(format!("{:x}", hasher.finalize()))
        })
        .unwrap_or_else(|e| panic!("fingerprint: {e:?}"))
}

/// Rows apart from the word index's own storage, which keeps the marks of
/// rows deleted from it (its content is checked by `search_index_is_whole`).
fn data_fingerprint(desk: &Desk) -> String {
    rows_fingerprint(desk, |name| !name.starts_with("message_search"))
}


/// A copy of `archive` with each entry passed through `change` (`None` drops it).
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

fn replace_line(bytes: Vec<u8>, line: usize, with: &str) -> Vec<u8> {
    let text = String::from_utf8(bytes).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    lines[line - 1] = with.to_string();
    (lines.join("\n") + "\n").into_bytes()
}

/// `bytes` with the JSON record on `line` passed through `change`.
fn edit_line(bytes: Vec<u8>, line: usize, change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let text = String::from_utf8(bytes.clone()).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(text.lines().nth(line - 1).unwrap()).unwrap();
    change(&mut v);
    replace_line(bytes, line, &v.to_string())
}

fn manifest_with(bytes: Vec<u8>, change: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut m: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    change(&mut m);
    serde_json::to_vec(&m).unwrap()
}

#[test]
fn every_bad_archive_is_reported_by_file_line_and_problem_and_writes_nothing() {
    let h = Harness::new();
    let admin = populate(&h, 3);
    let good = export(&h, &admin, "good.tdarchive");
    let dir = h.dir.path();
    let bytes = std::fs::read(&good).unwrap();
    let case = |name: &str| dir.join(name);

    std::fs::write(case("empty.tdarchive"), b"").unwrap();
    std::fs::write(case("truncated.tdarchive"), &bytes[..bytes.len() / 2]).unwrap();
    rewrite(&good, &case("version.tdarchive"), |n, b| {
        Some(if n == "manifest.json" { manifest_with(b, |m| m["format_version"] = 2.into()) } else { b })
    });
    rewrite(&good, &case("missing.tdarchive"), |n, b| (n != "messages.jsonl").then_some(b));
    rewrite(&good, &case("bad-json.tdarchive"), |n, b| {
        Some(if n == "messages.jsonl" { replace_line(b, 2, "{\"id\": 2, \"conversation_id\":") } else { b })
    });
    rewrite(&good, &case("dangling.tdarchive"), |n, b| {
        Some(if n == "messages.jsonl" {
            let line = String::from_utf8(b.clone()).unwrap().lines().next().unwrap().to_string();
            let mut v: serde_json::Value = serde_json::from_str(&line).unwrap();
            v["conversation_id"] = 999_999.into();
            replace_line(b, 1, &v.to_string())
        } else {
            b
        })
    });
    rewrite(&good, &case("duplicate.tdarchive"), |n, b| {
        Some(if n == "users.jsonl" {
            let first = String::from_utf8(b.clone()).unwrap().lines().next().unwrap().to_string();
            replace_line(b, 2, &first)
        } else {
            b
        })
    });
    // The first message's id again, after greater ones.
    rewrite(&good, &case("duplicate-message.tdarchive"), |n, b| {
        Some(if n == "messages.jsonl" {
            let first: serde_json::Value = serde_json::from_slice(b.split(|c| *c == b'\n').next().unwrap()).unwrap();
            edit_line(b, 3, |v| v["id"] = first["id"].clone())
        } else {
            b
        })
    });
    rewrite(&good, &case("count.tdarchive"), |n, b| {
        Some(if n == "manifest.json" {
            manifest_with(b, |m| m["counts"]["messages"] = (m["counts"]["messages"].as_u64().unwrap() + 1).into())
        } else {
            b
        })
    });
    rewrite(&good, &case("long-line.tdarchive"), |n, b| {
        Some(if n == "audit_log.jsonl" { replace_line(b, 1, &"x".repeat(2 << 20)) } else { b })
    });
    // 64 MiB of blank lines: a few kilobytes packed; stopped at 8 MiB however the header reads.
    rewrite(&good, &case("bomb.tdarchive"), |n, b| Some(if n == "audit_log.jsonl" { vec![b'\n'; 64 << 20] } else { b }));

    // Times: each bounds rows the import derives (billable windows, chart times).
    let exported_at = {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(&good).unwrap()).unwrap();
        let m: serde_json::Value = serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap();
        m["exported_at"].as_i64().unwrap()
    };
    let day = 86_400_000i64;
    let edited = |name: &str, file: &'static str, change: Box<dyn Fn(&mut serde_json::Value)>| {
        rewrite(&good, &case(name), |n, b| Some(if n == file { edit_line(b, 1, &change) } else { b }));
    };
    edited("late-message.tdarchive", "messages.jsonl", Box::new(move |v| v["at"] = (exported_at + 10 * day).into()));
    edited(
        "long-conversation.tdarchive",
        "conversations.jsonl",
        Box::new(|v| v["created_at"] = (v["last_activity_at"].as_i64().unwrap() - 400 * 86_400_000).into()),
    );
    edited("beyond-export.tdarchive", "conversations.jsonl", Box::new(move |v| v["last_activity_at"] = (exported_at + day).into()));
    edited("ancient.tdarchive", "audit_log.jsonl", Box::new(|v| v["at"] = i64::MIN.into()));
    edited("backwards.tdarchive", "conversations.jsonl", Box::new(|v| {
        v["last_activity_at"] = (v["created_at"].as_i64().unwrap() - 1).into();
    }));
    // PostgreSQL text cannot hold U+0000: refused on SQLite too.
    edited("nul-name.tdarchive", "users.jsonl", Box::new(|v| v["name"] = "Ada\0Lovelace".into()));
    rewrite(&good, &case("future.tdarchive"), |n, b| {
        Some(if n == "manifest.json" { manifest_with(b, |m| m["exported_at"] = i64::MAX.into()) } else { b })
    });

    let cases: [(&str, Limits, &str, Option<u32>, &str); 18] = [
        ("empty.tdarchive", Limits::default(), "empty.tdarchive", None, "empty (0 bytes)"),
        ("truncated.tdarchive", Limits::default(), "truncated.tdarchive", None, "truncated"),
        ("version.tdarchive", Limits::default(), "manifest.json", None, "format version 2 is not supported"),
        ("missing.tdarchive", Limits::default(), "messages.jsonl", None, "missing from the archive"),
        ("bad-json.tdarchive", Limits::default(), "messages.jsonl", Some(2), "bad JSON"),
        ("dangling.tdarchive", Limits::default(), "messages.jsonl", Some(1), "conversation_id 999999 is not in conversations.jsonl"),
        ("duplicate.tdarchive", Limits::default(), "users.jsonl", Some(2), "duplicate user id"),
        ("duplicate-message.tdarchive", Limits::default(), "messages.jsonl", Some(3), "duplicate message id"),
        ("count.tdarchive", Limits::default(), "messages.jsonl", None, "the manifest counts"),
        ("long-line.tdarchive", Limits::default(), "audit_log.jsonl", Some(1), "longer than 1024 KiB"),
        ("bomb.tdarchive", Limits { max_entry_bytes: 8 << 20, ..Limits::default() }, "audit_log.jsonl", None, "larger than 8 MiB"),
        ("late-message.tdarchive", Limits::default(), "messages.jsonl", Some(1), "after its conversation's last_activity_at"),
        ("long-conversation.tdarchive", Limits::default(), "conversations.jsonl", Some(1), "one lasts 366 at most"),
        ("beyond-export.tdarchive", Limits::default(), "conversations.jsonl", Some(1), "is after the export"),
        ("ancient.tdarchive", Limits::default(), "audit_log.jsonl", Some(1), "more than 20 years before the export"),
        ("backwards.tdarchive", Limits::default(), "conversations.jsonl", Some(1), "is before created_at"),
        ("future.tdarchive", Limits::default(), "manifest.json", None, "exported_at is in the future"),
        ("nul-name.tdarchive", Limits::default(), "users.jsonl", Some(1), "name cannot contain the character U+0000"),
    ];
    let before = fingerprint(&h);
    for (archive, limits, file, line, words) in cases {
        let outcome = h
            .desk
            .import_tenant_archive(&admin, &case(archive), &Progress::new(), limits)
            .unwrap_or_else(|e| panic!("{archive}: {e:?}"));
        let ImportOutcome::Rejected { problems, .. } = outcome else { panic!("{archive} was not rejected: {outcome:?}") };
        let found = problems.iter().any(|p: &Problem| {
            p.file == file && (line.is_none() || p.line == line) && p.problem.contains(words)
        });
        assert!(found, "{archive}: expected {file}:{line:?} \"{words}\", got {problems:?}");
        assert_eq!(fingerprint(&h), before, "{archive} changed the store");
    }
    // The untouched archive still imports.
    imported(import(&h, &admin, &good));
}

#[test]
fn cancelled_export_leaves_no_file_and_cancelled_import_writes_nothing() {
    let h = Harness::new();
    let admin = populate(&h, 4);
    let target = h.dir.path().join("cancelled.tdarchive");
    let progress = Progress::new();
    progress.cancel();
    let outcome = h.desk.export_tenant_archive(&admin, &target, &progress).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(outcome, ExportOutcome::Cancelled);
    let leftovers: Vec<_> = std::fs::read_dir(h.dir.path()).unwrap().filter_map(|e| e.ok()).map(|e| e.file_name()).collect();
    assert!(leftovers.iter().all(|n| !n.to_string_lossy().contains("cancelled")), "{leftovers:?}");

    let path = export(&h, &admin, "acme.tdarchive");
    let before = fingerprint(&h);
    let progress = Progress::new();
    progress.cancel();
    let outcome = h.desk.import_tenant_archive(&admin, &path, &progress, Limits::default()).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(outcome, ImportOutcome::Cancelled);
    assert_eq!(fingerprint(&h), before);
}

/// When the synthetic archive was exported (2026-01-01) and its first conversation began.
const SYNTHETIC_EXPORTED_AT: i64 = 1_767_225_600_000;
const SYNTHETIC_START: i64 = SYNTHETIC_EXPORTED_AT - 30 * 86_400_000;

/// Writes an archive of one tenant with `messages` messages (10 per
/// conversation, a millisecond apart) straight from records, as another
/// program would.
fn synthetic_archive(path: &Path, messages: u64) {
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let conversations = messages.div_ceil(10);
    let manifest = serde_json::json!({
        "format": "tenant-desk-archive", "format_version": 1, "source_install_id": "synthetic",
        "tenant_id": 1, "tenant_name": "Synthetic", "exported_at": SYNTHETIC_EXPORTED_AT,
        "counts": {"tenant": 1, "users": 0, "memberships": 0, "schedules": 0, "conversations": conversations,
                   "messages": messages, "audit_log": 0}
    });
    w.start_file("manifest.json", options).unwrap();
    w.write_all(manifest.to_string().as_bytes()).unwrap();
    w.start_file("tenant.jsonl", options).unwrap();
    w.write_all(br#"{"id":1,"name":"Synthetic","description":"","billing_email":"","phone":"","website":"","country":"","street":"","zip_code":"","timezone":"UTC","labels":[],"require_mfa":false,"created_at":0,"modified_at":0}"#).unwrap();
    for empty in ["users.jsonl", "memberships.jsonl", "schedules.jsonl", "audit_log.jsonl"] {
        w.start_file(empty, options).unwrap();
    }
    w.start_file("conversations.jsonl", options).unwrap();
    for c in 1..=conversations {
        let (created, last) = (SYNTHETIC_START + (c as i64 - 1) * 10 + 1, SYNTHETIC_START + c as i64 * 10);
        writeln!(w, r#"{{"id":{c},"channel":"web","customer":"C{c}","operator_user_id":null,"status":"open","created_at":{created},"last_activity_at":{last},"customer_replied":true,"message_count":10}}"#).unwrap();
    }
    w.start_file("messages.jsonl", options).unwrap();
    for m in 1..=messages {
        let at = SYNTHETIC_START + m as i64;
        writeln!(w, r#"{{"id":{m},"conversation_id":{},"author":"customer","text":"message number {m} about an order","at":{at}}}"#, (m - 1) / 10 + 1).unwrap();
    }
    w.finish().unwrap();
}

/// Rows in the synthetic archive of `messages` messages: the tenant, its
/// conversations and messages.
fn synthetic_rows(messages: u64) -> u64 {
    1 + messages.div_ceil(10) + messages
}

#[test]
fn a_killed_import_is_hidden_and_removed_at_the_next_start() {
    // The child: imports the archive into the data folder it is given and
    // says how far it got, until it is killed.
    if let (Ok(dir), Ok(archive)) = (std::env::var("TD_KILL_DIR"), std::env::var("TD_KILL_ARCHIVE")) {
        let config = tenant_desk_core::DeskConfig {
            data_dir: dir.into(),
            clock: std::sync::Arc::new(tenant_desk_core::clock::SystemClock),
            secrets: std::sync::Arc::new(tenant_desk_core::secrets::MemoryStore::new()),
            notifier: std::sync::Arc::new(tenant_desk_core::notifications::Recorder::new()),
        };
        let desk = match std::env::var("TD_KILL_DATABASE").ok().filter(|url| !url.is_empty()) {
            Some(url) => {
                let db = tenant_desk_core::store::Db::open_postgres(&tenant_desk_core::store::PgSettings::new(url)).unwrap();
                tenant_desk_core::Desk::open_on(config, db)
            }
            None => tenant_desk_core::Desk::open(config),
        }
        .unwrap();
        let (token, _) = sign_in(&desk, ADMIN_EMAIL, PASSWORD).unwrap();
        let actor = desk.actor(&token).unwrap();
        // Signed in (a write of its own); the parent takes its fingerprint now.
        println!("TD-READY");
        let mut go = String::new();
        std::io::stdin().read_line(&mut go).unwrap();
        let progress = std::sync::Arc::new(Progress::new());
        let watch = progress.clone();
        std::thread::spawn(move || loop {
            println!("TD-PROGRESS {}", watch.done());
            std::thread::sleep(std::time::Duration::from_millis(20));
        });
        let outcome = desk.import_tenant_archive(&actor, Path::new(&archive), &progress, Limits::default());
        println!("TD-FINISHED {outcome:?}");
        return;
    }
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let admin = h.desk.actor(&token).unwrap();
    let archive = h.dir.path().join("big.tdarchive");
    let messages = 300_000;
    synthetic_archive(&archive, messages);
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "archives::a_killed_import_is_hidden_and_removed_at_the_next_start", "--nocapture", "--test-threads=1"])
        .env("TD_KILL_DIR", h.dir.path())
        .env("TD_KILL_DATABASE", postgres_store::database_for(h.dir.path()).unwrap_or_default())
        .env("TD_KILL_ARCHIVE", &archive)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    while !line.contains("TD-READY") {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0, "the child did not start");
    }
    let before = data_fingerprint(&h.desk);
    writeln!(child.stdin.take().unwrap(), "go").unwrap();
    // The check pass counts every row once, the load pass once more: kill
    // it well into the load, with many short transactions committed.
    let into_the_load = synthetic_rows(messages) + 50_000;
    loop {
        line.clear();
        assert!(std::io::BufRead::read_line(&mut out, &mut line).unwrap() > 0, "the child ended before it got going");
        assert!(!line.contains("TD-FINISHED"), "the import finished before it could be killed: {line}");
        let done: u64 = line.split("TD-PROGRESS ").nth(1).and_then(|n| n.trim().parse().ok()).unwrap_or(0);
        if done > into_the_load {
            break;
        }
    }
    // SIGKILL: no destructor, no rollback runs in the child.
    std::process::Command::new("kill").args(["-9", &child.id().to_string()]).status().unwrap();
    child.wait().unwrap();
    let written: i64 = h.desk.db().read(|tx| Ok(tx.query_row("SELECT count(*) FROM messages", [], |r| r.get(0))?)).unwrap();
    assert!(written > 0, "the load committed nothing before it was killed");
    let listed = h.desk.list_tenants(&admin, "").unwrap();
    assert!(listed.iter().all(|t| t.name != "Synthetic"), "a half-imported snapshot is listed");
    assert!(h.desk.list_snapshots(&admin).unwrap().is_empty());
    let reopened = h.reopen();
    assert_eq!(reopened.discard_unfinished_snapshots().unwrap(), 1);
    assert_eq!(data_fingerprint(&reopened), before);
    assert!(word_index_is_whole(&reopened));
    assert_eq!(snapshot_word_indexes(&reopened), Vec::<String>::new());
    assert_eq!(reopened.discard_unfinished_snapshots().unwrap(), 0);
}

#[test]
fn a_large_import_lets_people_sign_in_and_write_and_stays_hidden_until_whole() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let admin = h.desk.actor(&token).unwrap();
    let archive = h.dir.path().join("big.tdarchive");
    let messages = 200_000;
    synthetic_archive(&archive, messages);
    let progress = Progress::new();
    let finished = std::sync::atomic::AtomicBool::new(false);
    let outcome = std::thread::scope(|scope| {
        let importing = scope.spawn(|| {
            let outcome = h.desk.import_tenant_archive(&admin, &archive, &progress, Limits::default());
            finished.store(true, std::sync::atomic::Ordering::SeqCst);
            outcome
        });
        while progress.done() < synthetic_rows(messages) + 10_000 {
            assert!(!finished.load(std::sync::atomic::Ordering::SeqCst), "the import ended before its load pass");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        // Into the load pass: the store takes other writers and hides the snapshot.
        let (other, _) = sign_in(&h.desk, ADMIN_EMAIL, PASSWORD).unwrap_or_else(|e| panic!("{e:?}"));
        let other = h.desk.actor(&other).unwrap();
        new_user(&h.desk, &other, "during.import@example.com", Role::TenantUser);
        let listed = h.desk.list_tenants(&other, "").unwrap();
        let still_loading = !finished.load(std::sync::atomic::Ordering::SeqCst);
        assert!(still_loading, "the import finished before the writes beside it: make the archive larger");
        assert!(listed.iter().all(|t| t.name != "Synthetic"), "the unfinished snapshot is listed");
        importing.join().unwrap()
    });
    let snapshot = imported(outcome.unwrap_or_else(|e| panic!("{e:?}")));
    assert_eq!(snapshot.source_name, "Synthetic");
    assert!(h.desk.list_tenants(&admin, "").unwrap().iter().any(|t| t.name == "Synthetic"));
    let count: i64 = h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM messages WHERE conversation_id IN (SELECT id FROM conversations WHERE tenant_id = ?1)",
                [snapshot.tenant_id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(count as u64, messages);
    // Its word index, built in several batches beside the store and merged
    // there, is sound and whole once copied in.
    assert!(word_index_is_whole(&h.desk));
    assert_eq!(h.desk.discard_unfinished_snapshots().unwrap(), 0, "a whole snapshot is not discarded");
}

#[test]
fn an_import_cancelled_while_loading_removes_what_it_wrote() {
    let h = Harness::new();
    let (token, _) = h.set_up(false);
    let admin = h.desk.actor(&token).unwrap();
    let archive = h.dir.path().join("big.tdarchive");
    let messages = 100_000;
    synthetic_archive(&archive, messages);
    let before = data_fingerprint(&h.desk);
    let progress = Progress::new();
    let outcome = std::thread::scope(|scope| {
        let importing = scope.spawn(|| h.desk.import_tenant_archive(&admin, &archive, &progress, Limits::default()));
        while progress.done() < synthetic_rows(messages) + 20_000 && !importing.is_finished() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        progress.cancel();
        importing.join().unwrap()
    });
    assert_eq!(outcome.unwrap_or_else(|e| panic!("{e:?}")), ImportOutcome::Cancelled);
    assert_eq!(data_fingerprint(&h.desk), before);
    assert!(word_index_is_whole(&h.desk));
    assert_eq!(snapshot_word_indexes(&h.desk), Vec::<String>::new());
}

/// Every operation that changes a tenant, run against a snapshot by its
/// reader working in it: each is refused by the core, and the snapshot's
/// data stays as it was.
#[test]
fn a_snapshot_refuses_every_change() {
    let h = Harness::new();
    let admin = populate(&h, 5);
    let path = export(&h, &admin, "acme.tdarchive");
    let snapshot = imported(import(&h, &admin, &path));
    let id = snapshot.tenant_id;
    let before = dump(&h.desk, id);
    let (token, _): (SessionToken, Actor) = h.session_of(ADMIN_EMAIL);
    h.desk.switch_organization(&token, id).unwrap_or_else(|e| panic!("{e:?}"));
    let reader = h.desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
    let caller: Caller = (&reader).into();
    let users = h.desk.list_users(&reader, &UserQuery::search("")).unwrap_or_else(|e| panic!("{e:?}")).rows;
    let user = users[0].id;
    let operator = users.iter().find(|u| u.role == Role::TenantOperator).map(|u| u.id).unwrap_or(user);
    let operator_account = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT account_id FROM memberships WHERE id = ?1", [operator], |r| r.get::<_, i64>(0))?))
        .unwrap();
    let conversation = h.desk.list_conversations(&caller, &ConversationQuery::default()).unwrap_or_else(|e| panic!("{e:?}")).rows[0].id;
    let refused = |op: Operation, outcome: tenant_desk_core::Result<()>| {
        let e = outcome.expect_err(&format!("{op:?} was allowed on a snapshot"));
        assert_eq!(e.code, ErrorCode::NotAllowed, "{op:?}: {e:?}");
        assert!(e.message.contains("read-only"), "{op:?}: {}", e.message);
    };
    let mut ran = 0;
    for op in Operation::ALL {
        let outcome: tenant_desk_core::Result<()> = match op {
            Operation::CreateUser => {
                h.desk.create_user(&reader, new_user_input("new@example.com", Role::TenantUser, id)).map(drop)
            }
            Operation::UpdateUser => h
                .desk
                .update_user(&reader, user, UserChanges { name: "Renamed".into(), role: Role::TenantViewer, tenant_id: id, schedule: None })
                .map(drop),
            Operation::DeleteUser => h.desk.delete_user(&reader, user).map(drop),
            Operation::ResetUserPassword => h.desk.reset_user_password(&reader, user).map(drop),
            Operation::ResetUserMfa => h.desk.reset_user_mfa(&reader, user),
            Operation::UpdateOwnOrganization => h.desk.update_own_organization(&reader, &valid_organization("Renamed")).map(drop),
            Operation::UpdateTenant => h.desk.update_tenant(&reader, id, &valid_tenant("Renamed")).map(drop),
            Operation::RotateTenantApiKey => h.desk.rotate_tenant_api_key(&reader, id),
            Operation::CreateConversation => h.desk.create_conversation(&caller, new_conversation(None)).map(drop),
            Operation::AppendMessage => h
                .desk
                .append_message(&caller, conversation, NewMessage { author: Author::Operator, text: "Hi".into() })
                .map(drop),
            Operation::AssignConversation => h.desk.assign_conversation(&caller, conversation, Some(operator_account)).map(drop),
            Operation::AcceptConversation => h.desk.accept_conversation(&reader, conversation).map(drop),
            Operation::ResolveConversation => h.desk.resolve_conversation(&caller, conversation).map(drop),
            Operation::ManageMemberApiKeys => h.desk.revoke_member_api_key(&reader, 1),
            Operation::CreatePersonalApiKey => h
                .desk
                .create_personal_api_key(&reader, &NewPersonalApiKey { name: "k".into(), expires_in_days: None })
                .map(drop),
            Operation::RevokePersonalApiKey => h.desk.revoke_personal_api_key(&reader, 1),
            Operation::ManageBilling => h
                .desk
                .add_payment_method(&reader, &NewPaymentMethod { brand: "Visa".into(), last4: "4242".into(), exp_month: 1, exp_year: 2030 })
                .map(drop)
                .and_then(|()| h.desk.start_trial(&reader))
                .and_then(|()| h.desk.change_plan(&reader, &credit_plan())),
            Operation::AddCredits => h.desk.add_credits(&reader, 10).map(drop),
            Operation::SetChartExportExpiry => h.desk.set_chart_export_expiry(&reader, 48),
            // Not changes of the tenant (one's own account, reading, the
            // snapshots themselves): `changes_tenant_data` says so, checked below.
            Operation::ViewOwnProfile
            | Operation::UpdateOwnDetails
            | Operation::ListUsers
            | Operation::ViewAuditLog
            | Operation::ViewOwnOrganization
            | Operation::ListTenants
            | Operation::AddTenant
            | Operation::CopyTenantApiKey
            | Operation::ViewConversations
            | Operation::ManageOwnNotifications
            | Operation::ViewOwnMfa
            | Operation::EnableOwnMfa
            | Operation::DisableOwnMfa
            | Operation::RegenerateRecoveryCodes
            | Operation::ListOwnOrganizations
            | Operation::SwitchOrganization
            | Operation::CreateOrganization
            | Operation::ListPersonalApiKeys
            | Operation::ManageOwnPreferences
            | Operation::ViewBilling
            | Operation::ExportTenantArchive
            | Operation::ImportTenantArchive
            | Operation::ViewSnapshots
            | Operation::RemoveSnapshot
            | Operation::ViewAnalytics
            | Operation::ExportChartData
            | Operation::BackUpStore
            | Operation::RestoreStore
            // The whole install, or one's own sign-in.
            | Operation::ManageLocalApi
            | Operation::ManagePlatformAdmins
            | Operation::ViewInstallAuditLog
            | Operation::ViewDiagnostics
            | Operation::ReadAppLog
            | Operation::ChangeOwnPassword
            | Operation::ManageOwnSignIns
            | Operation::AnswerInvitations => {
                assert!(!op.changes_tenant_data(), "{op:?}");
                continue;
            }
        };
        assert!(op.changes_tenant_data(), "{op:?}");
        refused(op, outcome);
        ran += 1;
    }
    assert_eq!(ran, Operation::ALL.iter().filter(|op| op.changes_tenant_data()).count());
    // From a real tenant too: a platform administrator reaches the snapshot's users and details.
    let (token, _) = h.session_of(ADMIN_EMAIL);
    h.desk.switch_organization(&token, tenant_id(&admin)).unwrap();
    let platform = h.desk.actor(&token).unwrap();
    assert_ne!(tenant_id(&platform), id);
    refused(Operation::UpdateTenant, h.desk.update_tenant(&platform, id, &valid_tenant("Renamed")).map(drop));
    refused(Operation::RotateTenantApiKey, h.desk.rotate_tenant_api_key(&platform, id));
    refused(Operation::CreateUser, h.desk.create_user(&platform, new_user_input("x@example.com", Role::TenantUser, id)).map(drop));
    refused(Operation::DeleteUser, h.desk.delete_user(&platform, user).map(drop));
    refused(Operation::ResetUserPassword, h.desk.reset_user_password(&platform, user).map(drop));
    refused(Operation::ResetUserMfa, h.desk.reset_user_mfa(&platform, user));
    // Reading works: sessions with search, the audit log.
    let found = h
        .desk
        .list_conversations(&caller, &ConversationQuery { text: "order".into(), ..ConversationQuery::default() })
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert!(!found.rows.is_empty());
    assert!(!h.desk.audit_log(&reader, &Default::default()).unwrap_or_else(|e| panic!("{e:?}")).entries.is_empty());
    h.desk.analytics(&reader, &AnalyticsRange::preset(RangePreset::Last30Days)).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(dump(&h.desk, id), before);
    // A snapshot is not exported again.
    let again = h.desk.export_tenant_archive(&reader, &h.dir.path().join("again.tdarchive"), &Progress::new());
    assert_eq!(again.map_err(|e| e.code), Err(ErrorCode::NotAllowed));
}

/// What the window is told it may offer: in the snapshot no change at all,
/// for the same Tenant Admin who may change everything in the source tenant.
#[test]
fn a_snapshot_offers_its_reader_no_change() {
    let h = Harness::new();
    let admin = populate(&h, 6);
    let path = export(&h, &admin, "acme.tdarchive");
    let snapshot = imported(import(&h, &admin, &path)).tenant_id;
    let (token, _): (SessionToken, Actor) = h.session_of(ADMIN_EMAIL);
    let offered = |tenant: i64| {
        h.desk.switch_organization(&token, tenant).unwrap_or_else(|e| panic!("{e:?}"));
        let actor = h.desk.actor(&token).unwrap_or_else(|e| panic!("{e:?}"));
        let signed_in = h.desk.signed_in(&token).unwrap_or_else(|e| panic!("{e:?}"));
        let summary = signed_in.tenant.expect("a current tenant");
        assert_eq!(summary.id, tenant);
        let organization = h.desk.organization(&actor).unwrap_or_else(|e| panic!("{e:?}")).expect("an organization");
        let billing = h.desk.billing(&actor).unwrap_or_else(|e| panic!("{e:?}")).expect("billing");
        let exports = h.desk.chart_exports(&actor).unwrap_or_else(|e| panic!("{e:?}"));
        (summary.read_only, organization.can_edit, billing.can_manage, exports.can_set_expiry)
    };
    assert_eq!(offered(tenant_id(&admin)), (false, true, true, true));
    assert_eq!(offered(snapshot), (true, false, false, false));
}

#[test]
fn two_snapshots_of_one_tenant_compare_and_a_snapshot_is_removed_whole() {
    let h = Harness::new();
    let admin = populate(&h, 6);
    let tenant = tenant_id(&admin);
    let first = imported(import(&h, &admin, &export(&h, &admin, "march.tdarchive")));
    h.clock.advance(Duration::days(30));
    new_user(&h.desk, &admin, "newcomer@example.com", Role::TenantUser);
    let viewer = h.desk.list_users(&admin, &UserQuery::search("elodie")).unwrap().rows[0].clone();
    h.desk
        .update_user(&admin, viewer.id, UserChanges { name: viewer.name.clone(), role: Role::TenantAdmin, tenant_id: tenant, schedule: None })
        .unwrap();
    let sam = h.desk.list_users(&admin, &UserQuery::search("sam.carter")).unwrap().rows[0].id;
    h.desk.delete_user(&admin, sam).unwrap();
    h.desk.create_conversation(&(&admin).into(), new_conversation(None)).unwrap();
    let second = imported(import(&h, &admin, &export(&h, &admin, "april.tdarchive")));

    let c = h.desk.compare_snapshots(&admin, second.tenant_id, first.tenant_id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(c.older.tenant_id, first.tenant_id);
    assert_eq!(c.users_added.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["newcomer@example.com"]);
    assert_eq!(c.users_removed.iter().map(|u| u.email.as_str()).collect::<Vec<_>>(), ["sam.carter@demo.tenant-desk.example"]);
    assert_eq!(c.role_changes.len(), 1);
    assert_eq!((c.role_changes[0].before, c.role_changes[0].after), (Role::TenantViewer, Role::TenantAdmin));
    assert_eq!(c.conversations_newer.total, c.conversations_older.total + 1);

    let listed = h.desk.list_snapshots(&admin).unwrap();
    assert_eq!(listed.iter().map(|s| s.tenant_id).collect::<Vec<_>>(), [second.tenant_id, first.tenant_id]);
    // Someone working in the snapshot is moved out when it goes.
    let (token, _) = h.session_of(ADMIN_EMAIL);
    h.desk.switch_organization(&token, first.tenant_id).unwrap();
    // Its chart data exports go with it, files included.
    let reader = h.desk.actor(&token).unwrap();
    let job = h.desk.start_chart_export(&reader, &AnalyticsRange::preset(RangePreset::Last30Days)).unwrap();
    h.desk.run_chart_export(job.id).unwrap();
    let exports_dir = h.dir.path().join("exports");
    let files = || std::fs::read_dir(&exports_dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files(), 1);
    let source_before = dump(&h.desk, tenant);
    let second_before = dump(&h.desk, second.tenant_id);
    h.desk.remove_snapshot(&admin, first.tenant_id).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(h.desk.list_snapshots(&admin).unwrap().len(), 1);
    assert_eq!(tenant_id(&h.desk.actor(&token).unwrap()), tenant);
    let kept = |d: &str| {
        let v: serde_json::Value = serde_json::from_str(d).unwrap();
        (v["members"].clone(), v["conversations"].clone(), v["messages"].clone())
    };
    assert_eq!(kept(&dump(&h.desk, tenant)), kept(&source_before), "the source tenant keeps its data");
    assert_eq!(dump(&h.desk, second.tenant_id), second_before);
    let left: i64 = h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT (SELECT count(*) FROM tenants WHERE id = ?1) + (SELECT count(*) FROM memberships WHERE tenant_id = ?1)
                      + (SELECT count(*) FROM conversations WHERE tenant_id = ?1)
                      + (SELECT count(*) FROM accounts WHERE email_key LIKE ' snapshot:' || ?1 || ':%')",
                [first.tenant_id],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(files(), 0, "the snapshot's chart data export file is deleted");
    // The full-text index holds no message of the removed snapshot; its own
    // index is gone, the other snapshot's stays.
    assert!(word_index_is_whole(&h.desk));
    let indexes = snapshot_word_indexes(&h.desk);
    assert!(indexes.iter().all(|name| name.starts_with(&format!("message_search_{}", second.tenant_id))), "{indexes:?}");
    assert_eq!(indexes.is_empty(), postgres_store::on_postgres(), "{indexes:?}");
}

/// Anyone may create an organization and import into it, so one person's
/// snapshots are limited; a platform administrator's are not.
#[test]
fn one_person_keeps_at_most_ten_snapshots_unless_a_platform_administrator() {
    let h = Harness::new();
    h.set_up(true);
    let member = member_email(Role::TenantUser);
    let (token, _) = h.session_of(member);
    let member_actor = h.desk.actor(&token).unwrap();
    let org = h
        .desk
        .create_organization(
            &member_actor,
            &tenant_desk_core::organizations::NewOrganization {
                name: "Side Project".into(),
                billing_email: "b@example.com".into(),
                timezone: "UTC".into(),
            },
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
    h.desk.switch_organization(&token, org.id).unwrap();
    let owner = h.desk.actor(&token).unwrap();
    let archive = export(&h, &owner, "side.tdarchive");
    for _ in 0..tenant_desk_core::archives::SNAPSHOTS_PER_ACCOUNT {
        imported(import(&h, &owner, &archive));
    }
    let refused = h.desk.import_tenant_archive(&owner, &archive, &Progress::new(), Limits::default()).unwrap_err();
    assert_eq!(refused.code, ErrorCode::NotAllowed);
    assert!(refused.message.contains("Remove one before importing another"), "{}", refused.message);

    let (_, admin) = h.session_of(ADMIN_EMAIL);
    let admin_archive = export(&h, &admin, "acme.tdarchive");
    for _ in 0..=tenant_desk_core::archives::SNAPSHOTS_PER_ACCOUNT {
        imported(import(&h, &admin, &admin_archive));
    }
}
