//! What the property tests found, each kept as a plain test with the input
//! that failed.

use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::archives::format::EntityFile;
use tenant_desk_core::archives::{ImportOutcome, Limits, Progress};
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::authz::{Actor, Caller};
use tenant_desk_core::conversations::{Author, NewMessage, NewConversation, ConversationQuery};
use tenant_desk_core::users::UserQuery;
use tenant_desk_core::ErrorCode;

use super::archive_model::{small_archive, zip};
use crate::support::*;

fn import(h: &Harness, admin: &Actor, bytes: &[u8]) -> ImportOutcome {
    let path = h.dir.path().join("found.tdarchive");
    std::fs::write(&path, bytes).unwrap();
    h.desk.import_tenant_archive(admin, &path, &Progress::new(), Limits::default()).unwrap_or_else(|e| panic!("not a report: {e:?}"))
}

/// The first problem of a refused import: (file, line, problem).
fn first_problem(outcome: ImportOutcome) -> (String, Option<u32>, String) {
    match outcome {
        ImportOutcome::Rejected { problems, .. } => (problems[0].file.clone(), problems[0].line, problems[0].problem.clone()),
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn a_date_past_the_end_of_the_calendar_is_refused_under_its_field() {
    // chrono reads "+262142-12-31"; the day after it (the end of the range) panicked.
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let far = "+262142-12-31";
    let query = ConversationQuery { to: far.into(), page_size: 50, ..ConversationQuery::default() };
    let e = h.desk.list_conversations(&Caller::from(&admin), &query).unwrap_err();
    assert_eq!((e.code, e.fields.keys().map(String::as_str).collect::<Vec<_>>()), (ErrorCode::Validation, vec!["to"]));
    let e = h.desk.audit_log(&admin, &AuditQuery { from: far.into(), to: far.into(), ..AuditQuery::default() }).unwrap_err();
    assert_eq!((e.code, e.fields.keys().map(String::as_str).collect::<Vec<_>>()), (ErrorCode::Validation, vec!["from", "to"]));
    let range = AnalyticsRange { preset: RangePreset::Custom, from: "2026-01-01".into(), to: far.into() };
    let e = h.desk.analytics(&admin, &range).unwrap_err();
    assert_eq!((e.code, e.fields.keys().map(String::as_str).collect::<Vec<_>>()), (ErrorCode::Validation, vec!["to"]));
    // A date of four digits still reads.
    let query = ConversationQuery { from: "2026-01-01".into(), to: "9999-12-31".into(), page_size: 50, ..ConversationQuery::default() };
    assert!(h.desk.list_conversations(&Caller::from(&admin), &query).is_ok());
}

#[test]
fn a_user_search_holding_a_nul_is_looked_for_not_a_database_error() {
    // FTS5 stops reading its query at the NUL: "unterminated string".
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let found = h.desk.list_users(&admin, &UserQuery::search("\0¡A")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(found.rows.is_empty());
    let found = h.desk.list_users(&admin, &UserQuery::search("Grace\0")).unwrap_or_else(|e| panic!("{e:?}"));
    assert!(found.rows.is_empty(), "no name holds a NUL: {:?}", found.rows);
    assert_eq!(h.desk.list_users(&admin, &UserQuery::search("Grace")).unwrap().rows.len(), 1);
}

#[test]
fn a_search_word_with_a_decomposed_accent_finds_its_conversation() {
    // "É" typed as E + U+0301 was split into "E" and "lodie"; the index holds "elodie".
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller = Caller::from(&admin);
    let conversation = NewConversation {
        channel: "web".into(),
        customer: "Customer".into(),
        operator_account_id: None,
        messages: vec![NewMessage { author: Author::Customer, text: "Bonjour, c'est E\u{301}lodie".into() }],
    };
    let id = h.desk.create_conversation(&caller, conversation).unwrap().conversation.id;
    for typed in ["E\u{301}lodie", "e\u{301}lo", "élodie", "elo"] {
        let query = ConversationQuery { text: typed.into(), page_size: 50, ..ConversationQuery::default() };
        let rows = h.desk.list_conversations(&caller, &query).unwrap().rows;
        assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![id], "{typed:?}");
    }
}

#[test]
fn an_entry_with_a_damaged_local_header_is_reported_not_a_storage_error() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut bytes = zip(&small_archive().entries(), true);
    // The local header of memberships.jsonl: its signature, then 26 bytes, then its name.
    let name = EntityFile::Memberships.name().as_bytes();
    let header = (0..bytes.len() - 30 - name.len())
        .find(|&i| bytes[i..i + 4] == *b"PK\x03\x04" && bytes[i + 30..i + 30 + name.len()] == *name)
        .unwrap();
    bytes[header] = b'X';
    let (file, line, problem) = first_problem(import(&h, &admin, &bytes));
    assert_eq!((file.as_str(), line), (EntityFile::Memberships.name(), None));
    assert!(problem.contains("cannot be read"), "{problem}");
}

#[test]
fn a_message_count_beyond_the_archive_is_refused_and_snapshots_still_list() {
    // Summed over conversations, two counts near i64::MAX made SQLite's sum()
    // overflow: the snapshot imported, then no list of snapshots would read.
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut model = small_archive();
    let mut second = model.conversations[0].clone();
    second.id = 2;
    model.conversations.push(second);
    for c in &mut model.conversations {
        c.message_count = i64::MAX;
    }
    let (file, line, problem) = first_problem(import(&h, &admin, &zip(&model.entries(), true)));
    assert_eq!((file.as_str(), line), (EntityFile::Conversations.name(), Some(1)));
    assert!(problem.contains("message_count"), "{problem}");
    model.conversations[0].message_count = -1;
    let (_, line, problem) = first_problem(import(&h, &admin, &zip(&model.entries(), true)));
    assert_eq!(line, Some(1));
    assert!(problem.contains("message_count -1"), "{problem}");
    assert_eq!(h.desk.list_snapshots(&admin).unwrap(), vec![]);
}
