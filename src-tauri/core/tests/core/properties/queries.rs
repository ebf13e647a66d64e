//! What people type into searches and list filters, on one store with the
//! demo team: any search term, date or page gets a page or a message under
//! its field, never another error; a piece of a person's name or email finds
//! them; a word of a message, or its start, finds its conversation.

use proptest::prelude::*;
use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::conversations::{Author, NewMessage, NewConversation, ConversationQuery};
use tenant_desk_core::users::{UserQuery, UserSort};
use tenant_desk_core::{Error, ErrorCode};
use unicode_normalization::char::is_combining_mark;

use super::{any_text, check, config, typed_text};
use crate::support::*;

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/queries.txt");

/// A day as typed into a date field: well-formed, nearly so, at the ends of
/// the calendar, or anything.
fn day() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => Just(String::new()),
        3 => (1900i32..2100, 1u32..=12, 1u32..=31).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        2 => "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}".prop_map(String::from),
        1 => proptest::sample::select(vec!["+262142-12-31", "-262143-01-01", "+262143-01-01", "9999-12-31", "0000-01-01", "2026-02-29", "2024-02-29"]).prop_map(String::from),
        1 => any_text(12),
    ]
}

fn sort() -> impl Strategy<Value = UserSort> {
    proptest::sample::select(vec![UserSort::Id, UserSort::Name, UserSort::Email, UserSort::Role, UserSort::Tenant, UserSort::CreatedOn, UserSort::ModifiedOn])
}

/// A page, or a refusal naming only `fields`.
fn page_or_refusal<T>(outcome: Result<T, Error>, fields: &[&str]) -> Result<Option<T>, TestCaseError> {
    match outcome {
        Ok(page) => Ok(Some(page)),
        Err(e) => {
            prop_assert_eq!(e.code, ErrorCode::Validation, "{:?}", e);
            prop_assert!(!e.fields.is_empty());
            prop_assert!(e.fields.keys().all(|f| fields.contains(&f.as_str())), "{:?} not among {:?}", e.fields, fields);
            Ok(None)
        }
    }
}

#[test]
fn any_filter_gets_a_page_or_a_message_under_its_field() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let operator = h.actor_of(member_email(Role::TenantOperator));
    let text = prop_oneof![any_text(40), typed_text(80), "([a-z]{1,3} ){8,12}".prop_map(String::from)];
    let filters = ((text.clone(), day(), day(), any_text(6)), (any::<u32>(), any::<u32>(), sort(), any::<bool>(), any::<bool>()));
    check(config(REGRESSIONS, 48), filters, |((text, from, to, channel), (page, page_size, sort, descending, as_operator))| {
        let who = if as_operator { &operator } else { &admin };
        let users = h.desk.list_users(&admin, &UserQuery { term: text.clone(), sort, descending, page, page_size });
        if let Some(users) = page_or_refusal(users, &["term"])? {
            prop_assert!(users.rows.len() <= 200);
        }
        let query = ConversationQuery { channel, from: from.clone(), to: to.clone(), text: text.clone(), page, page_size, ..ConversationQuery::default() };
        page_or_refusal(h.desk.list_conversations(&Caller::from(who), &query), &["text", "from", "to", "channel"])?;
        let audit = AuditQuery { user: text.clone(), action: text.clone(), from: from.clone(), to: to.clone(), page, install: false };
        page_or_refusal(h.desk.audit_log(&admin, &audit), &["user", "action", "from", "to"])?;
        let range = AnalyticsRange { preset: RangePreset::Custom, from, to };
        page_or_refusal(h.desk.analytics(who, &range), &["from", "to"])?;
        Ok(())
    });
}

#[test]
fn a_piece_of_a_name_or_email_finds_its_person() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let everyone = h.desk.list_users(&admin, &UserQuery::search("")).unwrap().rows;
    let texts: Vec<String> = everyone.iter().flat_map(|u| [u.name.clone(), u.email.clone()]).collect();
    let piece = (proptest::sample::select(texts), any::<proptest::sample::Index>(), 1usize..12, any::<bool>(), sort());
    check(config(REGRESSIONS, 48), piece, |(text, start, len, upper, sort)| {
        let chars: Vec<char> = text.chars().collect();
        let start = start.index(chars.len());
        let piece: String = chars[start..(start + len).min(chars.len())].iter().collect();
        let term = if upper { piece.to_uppercase() } else { piece.clone() };
        let found = h.desk.list_users(&admin, &UserQuery { term: term.clone(), sort, descending: false, page: 0, page_size: 200 }).unwrap();
        let holders: Vec<&str> = everyone.iter().filter(|u| u.name == text || u.email == text).map(|u| u.email.as_str()).collect();
        prop_assert!(found.rows.iter().any(|u| holders.contains(&u.email.as_str())), "{:?} did not find {:?}", term, holders);
        Ok(())
    });
}

/// A message as people write it: words of any script, accents composed or
/// not, digits, punctuation and emoji. Not symbols newer than the index
/// tokenizer's Unicode 6.1 tables (skin tones, say): it reads those as
/// letters of the word beside them.
fn message_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => "[a-zA-Z0-9]{1,6}".prop_map(String::from),
        2 => proptest::sample::select(vec![" ", "  ", ", ", ". ", "!", "?", "-", "'", "\"", "(", ")", "\n", "€", "😀", "👍"]).prop_map(String::from),
        2 => proptest::sample::select(vec!["é", "e\u{301}", "ü", "u\u{308}", "ß", "ø", "Ł", "ñ", "n\u{303}", "ç", "İ", "ǅ", "中文", "日本", "Ж", "ω", "ي", "²", "½", "١"]).prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|p| p.concat())
}

#[test]
fn a_word_of_a_message_or_its_start_finds_its_conversation() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller = Caller::from(&admin);
    let message = message_text().prop_filter("a word to look for", |t| t.chars().any(char::is_alphanumeric));
    check(config(REGRESSIONS, 48), (message, any::<proptest::sample::Index>(), 0usize..8), |(text, which, shorter)| {
        let conversation = NewConversation {
            channel: "web".into(),
            customer: "Customer".into(),
            operator_account_id: None,
            messages: vec![NewMessage { author: Author::Customer, text: text.clone() }],
        };
        let id = h.desk.create_conversation(&caller, conversation).unwrap().conversation.id;
        // Words as the index reads them: a combining mark stays with its letter.
        let in_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
        let words: Vec<&str> = text.split(|c: char| !in_word(c)).filter(|w| !w.is_empty()).collect();
        let mut letters: Vec<String> = Vec::new();
        for c in which.get(&words).chars() {
            match letters.last_mut() {
                Some(letter) if is_combining_mark(c) => letter.push(c),
                _ => letters.push(c.to_string()),
            }
        }
        // The whole word, or a start of it of two letters or more.
        let keep = letters.len().saturating_sub(shorter).max(2).min(letters.len());
        let term: String = letters[..keep].concat();
        let query = ConversationQuery { text: term.clone(), page_size: 200, ..ConversationQuery::default() };
        let found = h.desk.list_conversations(&caller, &query).unwrap();
        prop_assert!(found.rows.iter().any(|r| r.id == id), "{:?} did not find {:?}", term, text);
        Ok(())
    });
}
