//! Sessions: the conversation model, who reaches which conversation, the
//! list's filters, the tenant key as a caller, idempotency keys, the bulk path.

use std::sync::{Arc, Mutex};

use chrono::Duration;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::idempotency::{Once, Written};
use tenant_desk_core::conversations::{
    Author, ImportedMessage, ImportedConversation, NewMessage, NewConversation, ConversationChange, ConversationQuery, ConversationStatus,
    TEXT_MAX,
};
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn key_caller(h: &Harness, tenant: i64) -> Caller {
    let admin = h.actor_of(ADMIN_EMAIL);
    let key = h.desk.tenant_api_key(&admin, tenant).unwrap();
    h.desk.tenant_key_caller(key.expose()).unwrap().unwrap()
}

fn message(author: Author, text: &str) -> NewMessage {
    NewMessage { author, text: text.into() }
}

fn query() -> ConversationQuery {
    ConversationQuery { page_size: 50, ..ConversationQuery::default() }
}

fn ids(h: &Harness, caller: &Caller, q: &ConversationQuery) -> Vec<i64> {
    h.desk.list_conversations(caller, q).unwrap().rows.iter().map(|r| r.id).collect()
}

#[test]
fn a_conversation_keeps_its_messages_and_counters() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let mut input = new_conversation(None);
    input.messages.insert(0, message(Author::AiAgent, "Hi! How can I help?"));
    let created = h.desk.create_conversation(&admin, input).unwrap();
    assert_eq!(created.conversation.status, ConversationStatus::Open);
    assert_eq!(created.conversation.message_count, 2);
    assert!(created.conversation.customer_replied);
    assert_eq!(created.conversation.created_at, "2026-03-01T09:00:00.000Z");
    assert_eq!(created.timezone, "Europe/Berlin");

    h.clock.advance(Duration::minutes(5));
    let reply = h.desk.append_message(&admin, created.conversation.id, message(Author::Operator, "  Checking now. ")).unwrap();
    assert_eq!(reply.text, "Checking now.");
    let detail = h.desk.conversation(&admin, created.conversation.id).unwrap();
    let texts: Vec<(Author, &str)> = detail.messages.iter().map(|m| (m.author, m.text.as_str())).collect();
    assert_eq!(
        texts,
        vec![
            (Author::AiAgent, "Hi! How can I help?"),
            (Author::Customer, "Hello, my order is late."),
            (Author::Operator, "Checking now.")
        ]
    );
    assert_eq!(detail.conversation.last_activity_at, "2026-03-01T09:05:00.000Z");
    assert_eq!(detail.conversation.last_message.as_deref(), Some("Checking now."));

    let ai_only = NewConversation { messages: vec![message(Author::AiAgent, "Anyone there?")], ..new_conversation(None) };
    assert!(!h.desk.create_conversation(&admin, ai_only).unwrap().conversation.customer_replied);
}

#[test]
fn operators_reach_their_own_and_waiting_conversations_only() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let kenji = h.actor_of("kenji.watanabe@demo.tenant-desk.example");
    let waiting = session_of(&h.desk, &admin, None);
    let mine = session_of(&h.desk, &admin, Some(priya.account_id));
    let theirs = session_of(&h.desk, &admin, Some(kenji.account_id));
    let me: Caller = (&priya).into();

    let mut seen = ids(&h, &me, &query());
    seen.sort();
    assert_eq!(seen, vec![waiting, mine]);
    assert_eq!(h.desk.conversation(&me, theirs).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(h.desk.resolve_conversation(&me, theirs).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(h.desk.resolve_conversation(&me, waiting).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(
        h.desk.append_message(&me, waiting, message(Author::Operator, "Hi")).unwrap_err().code,
        ErrorCode::NotAllowed
    );
    let as_customer = h.desk.append_message(&me, mine, message(Author::Customer, "Hi")).unwrap_err();
    assert_eq!(as_customer.fields["author"], "Operators write as the operator.");

    assert_eq!(h.desk.conversations_waiting(&me).unwrap(), 1);
    let accepted = h.desk.accept_conversation(&priya, waiting).unwrap();
    assert_eq!(accepted.operator.unwrap().account_id, priya.account_id);
    assert_eq!(h.desk.conversations_waiting(&me).unwrap(), 0);
    // Another operator comes too late.
    let late = h.desk.accept_conversation(&kenji, waiting).unwrap_err();
    assert_eq!(late.code, ErrorCode::NotFound, "no longer in Kenji's reach");
    let resolved = h.desk.resolve_conversation(&me, waiting).unwrap();
    assert_eq!(resolved.status, ConversationStatus::Resolved);
    // A customer writing again reopens it.
    h.desk.append_message(&admin, waiting, message(Author::Customer, "One more thing")).unwrap();
    assert_eq!(h.desk.conversation(&me, waiting).unwrap().conversation.status, ConversationStatus::Open);
}

#[test]
fn accepting_a_conversation_someone_else_holds_is_a_conflict() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let id = session_of(&h.desk, &(&admin).into(), Some(priya.account_id));
    assert_eq!(h.desk.accept_conversation(&admin, id).unwrap_err().code, ErrorCode::Conflict);
    assert_eq!(h.desk.accept_conversation(&priya, id).unwrap().operator.unwrap().account_id, priya.account_id);
}

#[test]
fn administrators_assign_reassign_and_take_back_with_an_audit_trail() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    let id = session_of(&h.desk, &caller, None);

    let bad = h.desk.assign_conversation(&caller, id, Some(viewer.account_id)).unwrap_err();
    assert_eq!(bad.fields["operator_account_id"], "Choose a Tenant Operator or Tenant Admin of this tenant.");
    assert_eq!(h.desk.assign_conversation(&caller, id, Some(999_999)).unwrap_err().code, ErrorCode::Validation);
    assert_eq!(h.desk.assign_conversation(&caller, 999_999, None).unwrap_err().code, ErrorCode::NotFound);

    let assigned = h.desk.assign_conversation(&caller, id, Some(priya.account_id)).unwrap();
    assert_eq!(assigned.operator.unwrap().name, "Priya Raman");
    let back = h.desk.assign_conversation(&caller, id, None).unwrap();
    assert!(back.operator.is_none());
    let trail = h.audit("session.assign");
    assert_eq!(trail.len(), 2);
    assert_eq!(trail[0].1.as_deref(), Some(format!("{{\"operator_account_id\":{}}}", priya.account_id).as_str()));
}

#[test]
fn the_list_filters_by_status_channel_operator_dates_and_words() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let web = session_of(&h.desk, &admin, Some(priya.account_id));
    h.clock.advance(Duration::days(2));
    let mail = h
        .desk
        .create_conversation(
            &admin,
            NewConversation {
                channel: "email".into(),
                messages: vec![message(Author::Customer, "Je voudrais un remboursement, s'il vous plaît")],
                ..new_conversation(None)
            },
        )
        .unwrap()
        .conversation
        .id;
    h.desk.resolve_conversation(&admin, web).unwrap();

    assert_eq!(ids(&h, &admin, &query()), vec![mail, web], "newest activity first");
    let q = |f: &dyn Fn(&mut ConversationQuery)| {
        let mut q = query();
        f(&mut q);
        ids(&h, &admin, &q)
    };
    assert_eq!(q(&|q| q.status = Some(ConversationStatus::Resolved)), vec![web]);
    assert_eq!(q(&|q| q.channel = "email".into()), vec![mail]);
    assert_eq!(q(&|q| q.operator_account_id = Some(priya.account_id)), vec![web]);
    assert_eq!(q(&|q| q.unassigned = true), vec![mail]);
    // Dates in the tenant's zone (Berlin): the first started on 1 March.
    assert_eq!(q(&|q| q.to = "2026-03-01".into()), vec![web]);
    assert_eq!(q(&|q| q.from = "2026-03-02".into()), vec![mail]);
    // Words, case and accents ignored; a word also matches as a prefix.
    assert_eq!(q(&|q| q.text = "REMBOURS".into()), vec![mail]);
    assert_eq!(q(&|q| q.text = "plaist".into()), Vec::<i64>::new());
    assert_eq!(q(&|q| q.text = "order late".into()), vec![web]);
    assert_eq!(q(&|q| q.text = "\"*(".into()), Vec::<i64>::new());

    let bad = h.desk.list_conversations(&admin, &ConversationQuery { from: "March".into(), ..query() }).unwrap_err();
    assert_eq!(bad.fields["from"], "Enter a date like 2026-11-26.");

    let page = h.desk.list_conversations(&admin, &ConversationQuery { page_size: 1, ..query() }).unwrap();
    assert_eq!((page.rows.len(), page.has_more, page.waiting), (1, true, 1));
    let last = h.desk.list_conversations(&admin, &ConversationQuery { page_size: 1, page: 1, ..query() }).unwrap();
    assert_eq!((last.rows[0].id, last.has_more), (web, false));

    let filters = h.desk.conversation_filters(&admin).unwrap();
    assert_eq!(filters.channels, vec!["email", "web"]);
    let names: Vec<&str> = filters.operators.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names, vec!["Ada Lovelace", "Grace Hopper", "Kenji Watanabe", "Priya Raman"]);
}

#[test]
fn bad_input_writes_nothing_and_names_the_field() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let long = NewConversation { messages: vec![message(Author::Customer, &"x".repeat(TEXT_MAX + 1))], ..new_conversation(None) };
    let err = h.desk.create_conversation(&admin, long).unwrap_err();
    assert_eq!(err.fields["messages[0].text"], format!("Text must be at most {TEXT_MAX} characters."));
    let blank = NewConversation { channel: " ".into(), customer: String::new(), ..new_conversation(None) };
    let err = h.desk.create_conversation(&admin, blank).unwrap_err();
    assert_eq!(err.fields["channel"], "Channel is required.");
    assert_eq!(err.fields["customer"], "Customer is required.");
    let id = session_of(&h.desk, &admin, None);
    let err = h.desk.append_message(&admin, id, message(Author::Customer, "")).unwrap_err();
    assert_eq!(err.fields["text"], "Text is required.");
    let detail = h.desk.conversation(&admin, id).unwrap();
    assert_eq!(detail.messages.len(), 1);
    assert_eq!(h.desk.list_conversations(&admin, &query()).unwrap().rows.len(), 1);
}

#[test]
fn a_tenant_key_works_in_its_own_tenant_only() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let home = tenant_id(&admin);
    let other = h.desk.add_tenant(&admin, &valid_tenant("Globex")).unwrap().id;
    let home_key = key_caller(&h, home);
    let other_key = key_caller(&h, other);

    let id = session_of(&h.desk, &home_key, None);
    assert_eq!(ids(&h, &home_key, &query()), vec![id]);
    assert!(ids(&h, &other_key, &query()).is_empty());
    assert_eq!(h.desk.conversation(&other_key, id).unwrap_err().code, ErrorCode::NotFound);
    assert_eq!(
        h.desk.append_message(&other_key, id, message(Author::Customer, "x")).unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(h.desk.resolve_conversation(&other_key, id).unwrap_err().code, ErrorCode::NotFound);
    // An operator of another tenant cannot be given the conversation.
    let err = h.desk.assign_conversation(&home_key, id, Some(admin.account_id)).map(|s| s.operator);
    assert!(err.is_ok(), "the administrator belongs to the home tenant");
    h.desk.create_user(&admin, new_user_input("op@example.com", Role::TenantOperator, other)).unwrap();
    let stranger_id: i64 = h
        .desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT id FROM accounts WHERE email = 'op@example.com'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(h.desk.assign_conversation(&home_key, id, Some(stranger_id)).unwrap_err().code, ErrorCode::Validation);
    // The key manages conversations and nothing else.
    assert_eq!(h.desk.conversations_waiting(&home_key).unwrap(), 0);
}

#[test]
fn idempotency_keys_replay_the_first_reply_and_commit_with_the_write() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let key = key_caller(&h, tenant_id(&admin));
    let person: Caller = (&admin).into();
    let once = |k: &'static str, f: &'static str| Some(Once { key: k, fingerprint: f });
    let count = || -> i64 {
        h.desk.db().read(|tx| Ok(tx.query_row("SELECT count(*) FROM conversations", [], |r| r.get(0))?)).unwrap()
    };
    let first = h.desk.create_conversation_once(&key, new_conversation(None), once("k1", "POST /a")).unwrap();
    let Written::Now(made) = first else { panic!("{first:?}") };
    let again = h.desk.create_conversation_once(&key, new_conversation(None), once("k1", "POST /a")).unwrap();
    assert_eq!(again, Written::Again(made.clone()), "the first reply, and no second write");
    assert_eq!(count(), 1);
    let e = h.desk.create_conversation_once(&key, new_conversation(None), once("k1", "POST /b")).unwrap_err();
    assert_eq!(e.fields["Idempotency-Key"], "Used for a different request.");
    // Another caller's key of the same name is its own.
    assert!(matches!(h.desk.create_conversation_once(&person, new_conversation(None), once("k1", "POST /b")).unwrap(), Written::Now(_)));
    // A write that fails keeps no key: the corrected request runs.
    let mut bad = new_conversation(None);
    bad.customer = String::new();
    assert_eq!(h.desk.create_conversation_once(&key, bad, once("k2", "POST /c")).unwrap_err().code, ErrorCode::Validation);
    assert!(matches!(h.desk.create_conversation_once(&key, new_conversation(None), once("k2", "POST /c")).unwrap(), Written::Now(_)));
    // Kept for a day.
    h.clock.advance(Duration::hours(25));
    assert!(matches!(h.desk.create_conversation_once(&key, new_conversation(None), once("k1", "POST /b")).unwrap(), Written::Now(_)));
    assert_eq!(count(), 4);
}

#[test]
fn listeners_hear_every_committed_change_and_nothing_else() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let heard = Arc::new(Mutex::new(Vec::new()));
    let sink = heard.clone();
    h.desk.on_conversation_change(move |c| sink.lock().unwrap().push(c.clone()));

    let id = session_of(&h.desk, &caller, None);
    let _ = h.desk.append_message(&caller, id, message(Author::Customer, ""));
    h.desk.append_message(&caller, id, message(Author::Customer, "Still there?")).unwrap();
    h.desk.accept_conversation(&priya, id).unwrap();
    h.desk.accept_conversation(&priya, id).unwrap();
    h.desk.resolve_conversation(&caller, id).unwrap();
    let tenant = tenant_id(&admin);
    assert_eq!(
        *heard.lock().unwrap(),
        vec![
            ConversationChange::Created { tenant_id: tenant, conversation_id: id, operator_account_id: None },
            ConversationChange::Message {
                tenant_id: tenant,
                conversation_id: id,
                operator_account_id: None,
                author: Author::Customer,
                text: "Still there?".into()
            },
            ConversationChange::Assigned {
                tenant_id: tenant,
                conversation_id: id,
                operator_account_id: Some(priya.account_id),
                by_account_id: Some(priya.account_id)
            },
            ConversationChange::Resolved { tenant_id: tenant, conversation_id: id },
        ]
    );
}

#[test]
fn the_bulk_path_checks_everything_before_writing() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let conversation = |text: &str| ImportedConversation {
        channel: "whatsapp".into(),
        customer: "Bulk Customer".into(),
        operator_account_id: None,
        status: ConversationStatus::Resolved,
        created_at: 1_700_000_000_000,
        messages: vec![
            ImportedMessage { author: Author::Customer, text: text.into(), at: 1_700_000_000_000 },
            ImportedMessage { author: Author::AiAgent, text: "Done.".into(), at: 1_700_000_060_000 },
        ],
    };
    let err = h.desk.import_conversations(&admin, &[conversation("fine"), conversation("")]).unwrap_err();
    assert_eq!(err.fields["sessions[1].messages[0].text"], "Text is required.");
    assert!(ids(&h, &admin, &query()).is_empty());
    assert_eq!(h.desk.import_conversations(&admin, &[conversation("first"), conversation("second")]).unwrap(), 2);
    let page = h.desk.list_conversations(&admin, &ConversationQuery { text: "second".into(), ..query() }).unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].last_activity_at, "2023-11-14T22:14:20.000Z");
    assert_eq!(page.rows[0].message_count, 2);
}

/// A read-only tenant's conversations can be read, by people and by its key,
/// and every change is refused.
#[test]
fn a_read_only_tenant_refuses_every_change_to_its_sessions() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let tenant = tenant_id(&admin);
    let caller: Caller = (&admin).into();
    let id = session_of(&h.desk, &caller, None);
    let key = key_caller(&h, tenant);
    h.mark_read_only(tenant);

    assert_eq!(ids(&h, &caller, &query()), vec![id]);
    assert_eq!(ids(&h, &key, &query()), vec![id]);
    let refused = [
        h.desk.create_conversation(&caller, new_conversation(None)).map(drop),
        h.desk.create_conversation(&key, new_conversation(None)).map(drop),
        h.desk.append_message(&key, id, message(Author::Customer, "Hello?")).map(drop),
        h.desk.assign_conversation(&caller, id, Some(admin.account_id)).map(drop),
        h.desk.accept_conversation(&admin, id).map(drop),
        h.desk.resolve_conversation(&caller, id).map(drop),
    ];
    for outcome in refused {
        let e = outcome.unwrap_err();
        assert_eq!((e.code, e.message.as_str()), (ErrorCode::NotAllowed, "This tenant is read-only and cannot be changed."));
    }
    let detail = h.desk.conversation(&caller, id).unwrap();
    assert_eq!(detail.messages.len(), 1, "nothing was written");
}

#[test]
fn a_search_is_bounded_and_reads_only_the_callers_tenant() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    let with = |text: &str| {
        let mut s = new_conversation(None);
        s.messages[0].text = text.into();
        h.desk.create_conversation(&caller, s).unwrap().conversation.id
    };
    let parcel = with("my parcel is late");
    let letter = with("a b c parcels");
    let search = |text: &str| h.desk.list_conversations(&caller, &ConversationQuery { text: text.into(), page_size: 50, ..ConversationQuery::default() });
    let ids = |text: &str| search(text).unwrap().rows.into_iter().map(|r| r.id).collect::<Vec<_>>();
    assert_eq!(ids("parc"), [letter, parcel], "two letters or more: a prefix");
    assert_eq!(ids("a"), [letter], "one letter: the whole word only");
    let e = search(&["word"; 11].join(" ")).unwrap_err();
    assert_eq!(e.fields["text"], "Search for at most 10 words of at most 64 characters.");
    assert_eq!(search(&"x".repeat(65)).unwrap_err().code, ErrorCode::Validation);
    // Another tenant's messages never come up.
    let other = h.desk.add_tenant(&admin, &valid_tenant("Other")).unwrap();
    let theirs = key_caller(&h, other.id);
    let mut s = new_conversation(None);
    s.messages[0].text = "parcel elsewhere".into();
    h.desk.create_conversation(&theirs, s).unwrap();
    assert_eq!(ids("parcel"), [letter, parcel]);
    let e = h.desk.list_users(&admin, &tenant_desk_core::users::UserQuery::search(&"x".repeat(255))).unwrap_err();
    assert_eq!(e.fields["term"], "Search for at most 254 characters.");
}

#[test]
fn each_person_is_offered_exactly_what_the_writes_allow() {
    use tenant_desk_core::conversations::ConversationActions;
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    let waiting = session_of(&h.desk, &Caller::from(&admin), None);
    let offered = |actor: &tenant_desk_core::authz::Actor, id: i64| h.desk.conversation(&Caller::from(actor), id).unwrap().actions;
    let none = ConversationActions::default();

    assert_eq!(offered(&admin, waiting), ConversationActions { accept: true, resolve: true, assign: true, reply: true });
    assert_eq!(offered(&priya, waiting), ConversationActions { accept: true, ..none }, "waiting: hers to take, not yet to answer");
    assert_eq!(offered(&viewer, waiting), none);

    h.desk.assign_conversation(&Caller::from(&admin), waiting, Some(priya.account_id)).unwrap();
    assert_eq!(offered(&priya, waiting), ConversationActions { accept: true, resolve: true, reply: true, ..none }, "assigned to her: to accept");
    h.desk.accept_conversation(&priya, waiting).unwrap();
    assert_eq!(offered(&priya, waiting), ConversationActions { resolve: true, reply: true, ..none });
    // And what is offered is what the writes do.
    h.desk
        .append_message(&Caller::from(&priya), waiting, NewMessage { author: Author::Operator, text: "On it.".into() })
        .unwrap();
    h.desk.resolve_conversation(&Caller::from(&priya), waiting).unwrap();
    assert_eq!(offered(&priya, waiting), ConversationActions { reply: true, ..none }, "resolved: only a word more");
    assert_eq!(offered(&admin, waiting), ConversationActions { assign: true, reply: true, ..none });
}

/// The badge's kept count follows every way a conversation starts or stops
/// waiting: it always equals what the list finds open without an operator.
#[test]
fn the_badge_count_follows_every_change_that_starts_or_ends_a_wait() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let listed = || {
        let q = ConversationQuery { status: Some(ConversationStatus::Open), unassigned: true, page_size: 200, ..query() };
        h.desk.list_conversations(&admin, &q).unwrap().rows.len() as i64
    };
    let badge_is = |expected: i64, step: &str| {
        assert_eq!(h.desk.conversations_waiting(&admin).unwrap(), expected, "badge after {step}");
        assert_eq!(listed(), expected, "list after {step}");
    };
    badge_is(0, "setup");
    let a = session_of(&h.desk, &admin, None);
    let b = session_of(&h.desk, &admin, None);
    let c = session_of(&h.desk, &admin, Some(priya.account_id));
    badge_is(2, "three new, one with an operator");
    h.desk.assign_conversation(&admin, a, Some(priya.account_id)).unwrap();
    badge_is(1, "assigning one");
    h.desk.assign_conversation(&admin, a, None).unwrap();
    badge_is(2, "taking it back");
    h.desk.accept_conversation(&priya, b).unwrap();
    badge_is(1, "an operator accepting one");
    h.desk.resolve_conversation(&admin, a).unwrap();
    badge_is(0, "resolving the last waiting one");
    h.desk.append_message(&admin, a, message(Author::Customer, "Still there?")).unwrap();
    badge_is(1, "the customer reopening it");
    h.desk.resolve_conversation(&admin, c).unwrap();
    h.desk.append_message(&admin, c, message(Author::Customer, "One more thing")).unwrap();
    badge_is(1, "reopening one that keeps its operator");
    let waiting_import = ImportedConversation {
        channel: "web".into(),
        customer: "Bulk".into(),
        operator_account_id: None,
        status: ConversationStatus::Open,
        created_at: 1_700_000_000_000,
        messages: vec![ImportedMessage { author: Author::Customer, text: "Hello".into(), at: 1_700_000_000_000 }],
    };
    let resolved_import = ImportedConversation { status: ConversationStatus::Resolved, ..waiting_import.clone() };
    h.desk.import_conversations(&admin, &[waiting_import.clone(), resolved_import, waiting_import]).unwrap();
    badge_is(3, "the bulk path");
}

/// A conversation stored whole writes its row once: its counters, last
/// activity and chart times are what its messages make of them, as the
/// messages themselves say, whatever their order; and every message's words
/// are in the word index.
#[test]
fn a_conversation_stored_whole_has_what_its_messages_make_of_it() {
    let h = Harness::new();
    h.set_up(true);
    let admin: Caller = (&h.actor_of(ADMIN_EMAIL)).into();
    let priya = h.actor_of(member_email(Role::TenantOperator));
    let start = 1_700_000_000_000;
    let m = |author, text: &str, at| ImportedMessage { author, text: text.into(), at };
    let whole = |customer: &str, status, messages| ImportedConversation {
        channel: "web".into(),
        customer: customer.into(),
        operator_account_id: Some(priya.account_id),
        status,
        created_at: start,
        messages,
    };
    let conversations = [
        // Out of order: an operator before the customer's first message, an
        // earlier customer message last.
        whole(
            "Out of order",
            ConversationStatus::Resolved,
            vec![
                m(Author::Operator, "quokka early", start + 1_000),
                m(Author::Customer, "quokka later", start + 9_000),
                m(Author::Operator, "quokka answer", start + 12_000),
                m(Author::Customer, "quokka first", start + 5_000),
                m(Author::AiAgent, "quokka bot", start + 6_000),
            ],
        ),
        whole("Nobody answered", ConversationStatus::Open, vec![m(Author::Customer, "wombat", start + 2_000)]),
        whole("Only agents", ConversationStatus::Open, vec![m(Author::AiAgent, "numbat", start), m(Author::Operator, "numbat too", start + 3_000)]),
    ];
    h.desk.import_conversations(&admin, &conversations).unwrap();
    let through_the_api = NewConversation {
        customer: "Through the API".into(),
        messages: vec![message(Author::Customer, "bilby"), message(Author::Operator, "bilby back")],
        ..new_conversation(None)
    };
    h.desk.create_conversation(&admin, through_the_api).unwrap();

    type Row = (i64, i64, i64, Option<i64>, Option<i64>, Option<i64>);
    let stored_and_derived: Vec<(Row, Row)> = h
        .desk
        .db()
        .read(|tx| {
            let mut statement = tx.prepare(
                "SELECT c.message_count, c.last_activity_at, c.customer_replied, c.first_customer_at, c.first_response_at, c.resolved_at,
                        (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id),
                        coalesce((SELECT max(at) FROM messages m WHERE m.conversation_id = c.id), c.created_at),
                        (SELECT CASE WHEN count(*) > 0 THEN 1 ELSE 0 END FROM messages m WHERE m.conversation_id = c.id AND m.author = 'customer'),
                        (SELECT min(at) FROM messages m WHERE m.conversation_id = c.id AND m.author = 'customer'),
                        (SELECT min(at) FROM messages m WHERE m.conversation_id = c.id AND m.author = 'operator'
                            AND m.at >= (SELECT min(at) FROM messages m2 WHERE m2.conversation_id = c.id AND m2.author = 'customer')),
                        CASE WHEN c.status = 'resolved' THEN (SELECT max(at) FROM messages m WHERE m.conversation_id = c.id) END
                   FROM conversations c WHERE c.customer IN ('Out of order', 'Nobody answered', 'Only agents', 'Through the API')",
            )?;
            let rows = statement
                .query_map([], |r| {
                    Ok((
                        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                        (r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?),
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(stored_and_derived.len(), 4);
    for (stored, derived) in &stored_and_derived {
        assert_eq!(stored, derived, "stored (left) and what the messages make of it (right)");
    }
    let out_of_order = stored_and_derived.iter().find(|(s, _)| s.0 == 5).map(|(s, _)| *s);
    assert_eq!(out_of_order, Some((5, start + 12_000, 1, Some(start + 5_000), Some(start + 12_000), Some(start + 12_000))));

    for (word, count) in [("quokka", 1), ("wombat", 1), ("numbat", 1), ("bilby", 1)] {
        let q = ConversationQuery { text: word.into(), ..query() };
        assert_eq!(ids(&h, &admin, &q).len(), count, "{word} is found through the word index");
    }
    assert!(word_index_is_whole(&h.desk), "the word index matches the messages");
}
