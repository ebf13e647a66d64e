//! The Sessions list against plain queries, on data shaped like the
//! benchmark's (`conversations_at_scale`: twelve of 24 words a message, a rare
//! word now and then): for a sample of filters, search terms and pages, as a
//! Tenant Admin (the whole tenant) and a Tenant Operator (own and unassigned),
//! the page the core answers is the page a plain query gives, with no index
//! chosen, no counter kept and no shortcut, its search answered here by
//! reading every message's words rather than by either store's word index.
//! Reading faster never changes what is found or its order. Another tenant's conversations carry the same words and never
//! show; the menu badge is the count of waiting conversations.

use chrono::TimeZone;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::conversations::{
    Author, ConversationQuery, ConversationStatus, ImportedConversation, ImportedMessage, NewConversation, NewMessage,
};
use tenant_desk_core::store::sql::{params_from_iter, Value};
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::support::*;

const WORDS: [&str; 24] = [
    "order", "parcel", "refund", "invoice", "delivery", "address", "password", "account", "payment", "card",
    "tracking", "return", "exchange", "size", "colour", "discount", "coupon", "warehouse", "courier", "late",
    "damaged", "missing", "subscription", "cancel",
];
const CHANNELS: [&str; 4] = ["web", "whatsapp", "email", "messenger"];
const CONVERSATIONS: usize = 3_000;
const PER_CONVERSATION: usize = 10;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

fn text(rng: &mut Lcg, i: usize) -> String {
    let mut words: Vec<&str> = (0..12).map(|_| WORDS[rng.next() % WORDS.len()]).collect();
    if i % 997 == 7 {
        words.push("zeppelin");
    }
    format!("Hello, {} please.", words.join(" "))
}

/// Searches as typed: a word in 40 % of messages, two such words, a rare
/// one, a prefix of a longer word, a word that is also the start of a longer
/// one ("refund", "refunded"), a longer one itself, and words with accents
/// and capitals.
const TERMS: [&str; 7] = ["", "refund", "damaged courier", "zeppelin", "sub", "refunded", "Délivery  CARD!"];

/// A word as the index folds it: accents off, lower case.
fn folded(word: &str) -> String {
    word.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// The tenant's conversations with a message holding, for every typed word,
/// a word it starts (a single letter: the word itself), found by reading
/// every message's text here, not by either store's word index.
fn matching(h: &Harness, tenant: i64, typed: &str) -> Vec<i64> {
    let words: Vec<String> = typed.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(folded).collect();
    let messages: Vec<(i64, String)> = h
        .desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT m.conversation_id, m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id
                  WHERE c.tenant_id = ?1",
            )?;
            let rows = stmt.query_map([tenant], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .unwrap();
    let mut ids: Vec<i64> = messages
        .into_iter()
        .filter(|(_, text)| {
            let held: Vec<String> = text.split(|c: char| !c.is_alphanumeric()).map(folded).collect();
            words.iter().all(|w| held.iter().any(|t| if w.chars().count() < 2 { t == w } else { t.starts_with(w.as_str()) }))
        })
        .map(|(id, _)| id)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The filters of the sample, each as the list takes it and as plain SQL
/// (with its values; `?N` numbered after the tenant's ?1).
fn filters(operator: i64, zone: chrono_tz::Tz) -> Vec<(ConversationQuery, String, Vec<Value>)> {
    let q = ConversationQuery { page_size: 50, ..ConversationQuery::default() };
    let day = |d: u32| zone.with_ymd_and_hms(2026, 1, d, 0, 0, 0).unwrap().timestamp_millis();
    vec![
        (q.clone(), String::new(), vec![]),
        (ConversationQuery { status: Some(ConversationStatus::Open), ..q.clone() }, " AND c.status = ?N".into(), vec!["open".into()]),
        (ConversationQuery { channel: "email".into(), ..q.clone() }, " AND c.channel = ?N".into(), vec!["email".into()]),
        (ConversationQuery { operator_account_id: Some(operator), ..q.clone() }, " AND c.operator_account_id = ?N".into(), vec![operator.into()]),
        (ConversationQuery { unassigned: true, ..q.clone() }, " AND c.operator_account_id IS NULL".into(), vec![]),
        (
            ConversationQuery { from: "2026-01-10".into(), to: "2026-01-20".into(), ..q.clone() },
            " AND c.created_at >= ?N AND c.created_at < ?N".into(),
            vec![day(10).into(), day(21).into()],
        ),
        (
            ConversationQuery { status: Some(ConversationStatus::Resolved), channel: "web".into(), ..q.clone() },
            " AND c.status = ?N AND c.channel = ?N".into(),
            vec!["resolved".into(), "web".into()],
        ),
    ]
}

/// The page as a plain query finds it.
fn plain_page(h: &Harness, tenant: i64, reach: Option<i64>, filter: &(String, Vec<Value>), matches: Option<&[i64]>, page: u32) -> (Vec<i64>, bool) {
    h.desk
        .db()
        .read(|tx| {
            let mut sql = String::from("SELECT c.id FROM conversations c WHERE c.tenant_id = ?1");
            let mut values: Vec<Value> = vec![tenant.into()];
            let mut add = |sql: &mut String, clause: &str, clause_values: Vec<Value>| {
                let mut clause = clause.to_owned();
                for v in clause_values {
                    values.push(v);
                    clause = clause.replacen("?N", &format!("?{}", values.len()), 1);
                }
                sql.push_str(&clause);
            };
            if let Some(me) = reach {
                add(&mut sql, " AND (c.operator_account_id = ?N OR c.operator_account_id IS NULL)", vec![me.into()]);
            }
            add(&mut sql, &filter.0, filter.1.clone());
            if let Some(ids) = matches {
                let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
                sql.push_str(&format!(" AND c.id IN ({list})"));
            }
            sql.push_str(&format!(" ORDER BY c.last_activity_at DESC, c.id DESC LIMIT 51 OFFSET {}", page * 50));
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut ids = stmt.query_map(params_from_iter(values), |r| r.get::<_, i64>(0))?.collect::<Result<Vec<_>, _>>()?;
            let more = ids.len() > 50;
            ids.truncate(50);
            Ok((ids, more))
        })
        .unwrap()
}

fn load(h: &Harness, admin: &Caller, operators: &[i64], start: i64) {
    let mut rng = Lcg(42);
    let mut n = 0;
    for batch in 0..CONVERSATIONS.div_ceil(500) {
        let conversations: Vec<ImportedConversation> = (batch * 500..(batch * 500 + 500).min(CONVERSATIONS))
            .map(|c| {
                // 40 minutes apart, with ties: one conversation in ten starts
                // (and ends) with the one before it, so the id breaks the tie.
                let created = start + (c as i64 - i64::from(c % 10 == 1)) * 2_400_000;
                let messages = (0..PER_CONVERSATION)
                    .map(|m| {
                        n += 1;
                        ImportedMessage {
                            author: if m % 2 == 0 { Author::Customer } else { Author::AiAgent },
                            text: text(&mut rng, n),
                            at: created + m as i64 * 20_000,
                        }
                    })
                    .collect();
                ImportedConversation {
                    channel: CHANNELS[c % CHANNELS.len()].into(),
                    customer: format!("Customer {c}"),
                    operator_account_id: (c % 5 != 0).then(|| operators[c % operators.len()]),
                    status: if c % 3 == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                    created_at: created,
                    messages,
                }
            })
            .collect();
        h.desk.import_conversations(admin, &conversations).unwrap();
    }
}

#[test]
fn every_page_of_the_sample_is_the_page_a_plain_query_gives() {
    let h = Harness::new();
    h.set_up(true);
    let admin_actor = h.actor_of(ADMIN_EMAIL);
    let admin = Caller::from(&admin_actor);
    let operator_actor = h.actor_of(member_email(Role::TenantOperator));
    let operator = Caller::from(&operator_actor);
    let tenant = tenant_id(&admin_actor);
    let zone = chrono_tz::Europe::Berlin;
    let operators: Vec<i64> = h.desk.conversation_filters(&admin).unwrap().operators.iter().map(|o| o.account_id).collect();
    assert!(operators.contains(&operator_actor.account_id));
    load(&h, &admin, &operators, zone.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap().timestamp_millis());

    // Later writes move older conversations up: new ones through the API's
    // path, and messages added to a few, some of them resolved.
    let newest = h.desk.list_conversations(&admin, &ConversationQuery { page_size: 200, page: 3, ..Default::default() }).unwrap();
    for (k, row) in newest.rows.iter().enumerate().filter(|(k, _)| k % 9 == 0) {
        let words = format!("{} {} zeppelin", WORDS[k % WORDS.len()], WORDS[(k * 7) % WORDS.len()]);
        h.desk.append_message(&admin, row.id, NewMessage { author: Author::Customer, text: words }).unwrap();
    }
    for k in 0..12 {
        let input = NewConversation {
            channel: CHANNELS[k % CHANNELS.len()].into(),
            customer: format!("Late customer {k}"),
            operator_account_id: (k % 3 == 0).then_some(operator_actor.account_id),
            // Half of them hold only a longer word "refund" starts.
            messages: vec![NewMessage {
                author: Author::Customer,
                text: format!("my {} for the damaged {} courier", if k % 2 == 0 { "refunded" } else { "refund" }, WORDS[k]),
            }],
        };
        h.desk.create_conversation(&admin, input).unwrap();
    }
    // Another tenant, with the same words.
    let other = h.desk.add_tenant(&admin_actor, &valid_tenant("Other")).unwrap();
    let other_key = h.desk.tenant_api_key(&admin_actor, other.id).unwrap();
    let theirs = h.desk.tenant_key_caller(other_key.expose()).unwrap().unwrap();
    for k in 0..30 {
        let mut input = new_conversation(None);
        input.messages[0].text = format!("zeppelin refund damaged courier sub delivery card {}", WORDS[k % WORDS.len()]);
        h.desk.create_conversation(&theirs, input).unwrap();
    }

    let terms: Vec<(&str, Option<Vec<i64>>)> =
        TERMS.iter().map(|t| (*t, (!t.is_empty()).then(|| matching(&h, tenant, t)))).collect();
    // Both ways a search finds its page are in the sample: a few matches
    // looked up and ordered, and many found along the list's order.
    let counts: Vec<usize> = terms.iter().filter_map(|(_, m)| m.as_ref().map(Vec::len)).collect();
    assert!(counts.iter().any(|&n| n > 0 && n < 100) && counts.iter().any(|&n| n > 2_500), "{counts:?}");

    let (mut pages, mut with_rows) = (0, 0);
    for (who, caller, reach) in [("admin", &admin, None), ("operator", &operator, Some(operator_actor.account_id))] {
        for (query, clause, values) in filters(operators[1], zone) {
            for (term, matches) in &terms {
                for page in [0, 2] {
                    let asked = ConversationQuery { text: (*term).into(), page, ..query.clone() };
                    let answered = h.desk.list_conversations(caller, &asked).unwrap();
                    let ids: Vec<i64> = answered.rows.iter().map(|r| r.id).collect();
                    let (plain, more) = plain_page(&h, tenant, reach, &(clause.clone(), values.clone()), matches.as_deref(), page);
                    assert_eq!(ids, plain, "{who}, {asked:?}");
                    assert_eq!(answered.has_more, more, "{who}, {asked:?}");
                    pages += 1;
                    with_rows += usize::from(!ids.is_empty());
                }
            }
        }
    }
    // The sample is not vacuous: most of its pages hold rows.
    assert!(with_rows * 2 > pages, "{with_rows} of {pages} pages hold rows");

    let waiting: i64 = h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row(
                "SELECT count(*) FROM conversations WHERE tenant_id = ?1 AND status = 'open' AND operator_account_id IS NULL",
                [tenant],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert!(waiting > 0);
    assert_eq!(h.desk.conversations_waiting(&admin).unwrap(), waiting);
}
