//! The Sessions list (filters, paging), one conversation with its messages,
//! and the number waiting for an operator.
//!
//! The list is newest activity first. Each filter has an index in that order
//! (`0007_sessions.sql`), so a page stops after its rows; a word search
//! first finds the matching conversations (`word_search` on SQLite).

use chrono::Duration;
use chrono_tz::Tz;
use crate::store::sql::Value;
use crate::store::sql::{params, Dialect, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;
use unicode_normalization::char::is_combining_mark;

use super::scope::{self, Reach, Scope};
use super::{word_index, word_search};
use super::{Message, MessagesAfter, OperatorRef, ConversationDetail, ConversationStatus, ConversationSummary};
use crate::audit::{day_start, parse_day};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::clock::to_wire;
use crate::error::{FieldErrors, Result};
use crate::validate::without_nul;
use crate::Desk;

pub const PAGE_SIZE_MAX: u32 = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConversationQuery {
    pub status: Option<ConversationStatus>,
    /// Exact channel; empty for all.
    pub channel: String,
    /// Conversations of this operator.
    pub operator_account_id: Option<i64>,
    /// Only conversations without an operator.
    pub unassigned: bool,
    /// Dates (YYYY-MM-DD) the conversation started, in the tenant's
    /// timezone, both included; empty for open.
    pub from: String,
    pub to: String,
    /// Words that a message of the conversation contains (each word also
    /// matches as the start of a longer one; case and accents ignored).
    pub text: String,
    /// From 0.
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ConversationPage {
    pub rows: Vec<ConversationSummary>,
    pub page: u32,
    pub page_size: u32,
    pub has_more: bool,
    /// Open conversations without an operator (the menu badge).
    pub waiting: i64,
    pub timezone: String,
}

/// The values the list's filters offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ConversationFilters {
    pub channels: Vec<String>,
    /// Who conversations can be assigned to.
    pub operators: Vec<OperatorRef>,
}

const SUMMARY_COLUMNS: &str = "SELECT c.id, c.channel, c.customer, c.operator_account_id, a.name, c.status,
        c.created_at, c.last_activity_at, c.customer_replied, c.message_count,
        (SELECT text FROM messages WHERE conversation_id = c.id ORDER BY at DESC, id DESC LIMIT 1),
        c.accepted_at IS NOT NULL";

fn summary_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<ConversationSummary> {
    let operator_id: Option<i64> = r.get(3)?;
    let operator_name: Option<String> = r.get(4)?;
    Ok(ConversationSummary {
        id: r.get(0)?,
        channel: r.get(1)?,
        customer: r.get(2)?,
        operator: operator_id.map(|account_id| OperatorRef { account_id, name: operator_name.unwrap_or_default() }),
        status: r.get(5)?,
        created_at: to_wire(r.get(6)?),
        last_activity_at: to_wire(r.get(7)?),
        customer_replied: r.get(8)?,
        message_count: r.get(9)?,
        last_message: r.get(10)?,
        accepted: operator_id.is_some() && r.get::<_, bool>(11)?,
    })
}

pub(super) fn summary(tx: &Tx, id: i64) -> Result<ConversationSummary> {
    let sql = format!("{SUMMARY_COLUMNS} FROM conversations c LEFT JOIN accounts a ON a.id = c.operator_account_id WHERE c.id = ?1");
    Ok(tx.prepare_cached(&sql)?.query_row([id], summary_row)?)
}

pub(super) fn detail(tx: &Tx, caller: &Caller, tenant_id: i64, found: &scope::Found) -> Result<ConversationDetail> {
    let id = found.id;
    let conversation = summary(tx, id)?;
    let actions = super::actions::of(tx, caller, found, conversation.accepted);
    let mut stmt =
        tx.prepare_cached("SELECT id, author, text, at FROM messages WHERE conversation_id = ?1 ORDER BY at, id")?;
    let messages = stmt
        .query_map([id], message_row)?
        .collect::<crate::store::sql::Result<Vec<_>>>()?
        .into_iter()
        .map(|m| with_delivery(tx, m))
        .collect::<Result<Vec<_>>>()?;
    Ok(ConversationDetail { conversation, messages, timezone: timezone(tx, tenant_id)?, actions })
}

fn message_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<Message> {
    Ok(Message { id: r.get(0)?, author: r.get(1)?, text: r.get(2)?, at: to_wire(r.get(3)?), delivery: None })
}

/// Operators' replies carry their delivery; other messages have none.
fn with_delivery(tx: &Tx, mut message: Message) -> Result<Message> {
    if message.author == super::Author::Operator {
        message.delivery = crate::replies::delivery_of(tx, message.id)?;
    }
    Ok(message)
}

/// The most messages one read after a cursor returns.
pub const MESSAGES_AFTER_MAX: u32 = 500;

fn timezone(tx: &Tx, tenant_id: i64) -> Result<String> {
    Ok(tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?)
}

/// Kept by the conversations' triggers (`0015_sessions_at_scale.sql`); a tenant
/// that never had a conversation waiting has no row.
fn waiting(tx: &Tx, tenant_id: i64) -> Result<i64> {
    Ok(tx
        .query_row("SELECT waiting FROM conversation_counts WHERE tenant_id = ?1", [tenant_id], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// The most words a search may have, and the longest word.
pub const SEARCH_WORDS_MAX: usize = 10;
pub const SEARCH_WORD_MAX_CHARS: usize = 64;

/// The words people typed, for each store's word search. `None` when
/// nothing searchable was typed; too many or too long words are refused
/// under the field.
fn words_query(text: &str) -> Result<Option<WordsQuery>> {
    // Combining marks belong to their word, as in the index's tokenizer: a
    // decomposed "é" (e + U+0301) does not split "élodie" in two.
    let in_word = |c: char| c.is_alphanumeric() || is_combining_mark(c);
    let words: Vec<&str> = text.split(|c: char| !in_word(c)).filter(|w| !w.is_empty()).collect();
    if words.len() > SEARCH_WORDS_MAX || words.iter().any(|w| w.chars().count() > SEARCH_WORD_MAX_CHARS) {
        let mut errors = FieldErrors::new();
        errors.add("text", format!("Search for at most {SEARCH_WORDS_MAX} words of at most {SEARCH_WORD_MAX_CHARS} characters."));
        errors.into_result()?;
    }
    // PostgreSQL folds and splits the same words with the function its index
    // is made with (`desk_words_query`), so both sides read them alike.
    let lines = words.join("\n");
    Ok((!words.is_empty()).then(|| WordsQuery { words: words.iter().map(|w| (*w).to_owned()).collect(), lines }))
}

/// A word search in each store's words.
struct WordsQuery {
    /// For SQLite's FTS5 query ([`word_search::fts5_query`]).
    words: Vec<String>,
    /// The words, one per line, for PostgreSQL's `desk_words_query`.
    lines: String,
}

impl Desk {
    /// A page of the caller's conversations, newest activity first.
    pub fn list_conversations(&self, caller: &Caller, query: &ConversationQuery) -> Result<ConversationPage> {
        self.conversations_page(caller, query, query.page_size.clamp(1, PAGE_SIZE_MAX))
    }

    /// The Sessions list's query with a page of any size (the CSV export takes
    /// every row in one page).
    pub(crate) fn conversations_page(&self, caller: &Caller, query: &ConversationQuery, page_size: u32) -> Result<ConversationPage> {
        authorize_caller(caller, Operation::ViewConversations)?;
        let mut errors = FieldErrors::new();
        errors.check("channel", without_nul(&query.channel, "Channel"));
        let from = parse_day("from", &query.from, &mut errors);
        let to = parse_day("to", &query.to, &mut errors);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add("to", "The end date must not be before the start date.");
            }
        }
        errors.into_result()?;
        let words = words_query(query.text.trim())?;
        self.db.read(|tx| {
            let scope = scope::resolve(tx, caller, Operation::ViewConversations)?;
            let timezone = timezone(tx, scope.tenant_id)?;
            let zone: Tz = timezone.parse().unwrap_or(Tz::UTC);
            let mut filters = String::from("c.tenant_id = ?1");
            let mut params: Vec<Value> = vec![scope.tenant_id.into()];
            let mut add = |sql: &mut String, clause: &str, value: Value| {
                params.push(value);
                sql.push_str(&clause.replace("?N", &format!("?{}", params.len())));
            };
            if let Reach::OwnAndUnassigned(me) = scope.reach {
                add(&mut filters, " AND (c.operator_account_id = ?N OR c.operator_account_id IS NULL)", me.into());
            }
            if let Some(status) = query.status {
                add(&mut filters, " AND c.status = ?N", status.key().to_owned().into());
            }
            if !query.channel.trim().is_empty() {
                add(&mut filters, " AND c.channel = ?N", query.channel.trim().to_owned().into());
            }
            if query.unassigned {
                filters.push_str(" AND c.operator_account_id IS NULL");
            } else if let Some(operator) = query.operator_account_id {
                add(&mut filters, " AND c.operator_account_id = ?N", operator.into());
            }
            if let Some(f) = from {
                add(&mut filters, " AND c.created_at >= ?N", day_start(zone, f).into());
            }
            if let Some(t) = to {
                add(&mut filters, " AND c.created_at < ?N", day_start(zone, t + Duration::days(1)).into());
            }
            let mut nothing = false;
            let mut matches = None;
            if !query.text.trim().is_empty() {
                match &words {
                    Some(q) => match tx.dialect() {
                        Dialect::Sqlite => {
                            let index = word_index::Index::of_tenant(tx, scope.tenant_id)?;
                            let fts5 = word_search::fts5_query(tx, &index, &q.words)?;
                            matches = Some(word_search::matching_conversations(tx, &index, &fts5)?);
                        }
                        // The matching messages of this tenant's conversations
                        // only, by the expression of the `messages_words` index.
                        Dialect::Postgres => add(
                            &mut filters,
                            " AND c.id IN (SELECT m.conversation_id FROM messages m
                                             JOIN conversations mc ON mc.id = m.conversation_id AND mc.tenant_id = ?1
                                            WHERE to_tsvector('simple', desk_words(m.text)) @@ desk_words_query(?N))",
                            q.lines.clone().into(),
                        ),
                    },
                    None => nothing = true,
                }
            }
            let skip = page_size as usize * query.page as usize;
            let take = page_size as usize + 1;
            let mut rows = if nothing {
                Vec::new()
            } else if let Some(matches) = matches {
                word_search::page(tx, &filters, &params, &matches, skip, take)?
                    .into_iter()
                    .map(|id| summary(tx, id))
                    .collect::<Result<Vec<_>>>()?
            } else {
                params.push((i64::from(page_size) + 1).into());
                params.push((i64::from(query.page) * i64::from(page_size)).into());
                let n = params.len();
                let page_sql = format!(
                    "{SUMMARY_COLUMNS} FROM (SELECT c.id FROM conversations c WHERE {filters}
                                              ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?{} OFFSET ?{n}) p
                       CROSS JOIN conversations c ON c.id = p.id LEFT JOIN accounts a ON a.id = c.operator_account_id
                      ORDER BY c.last_activity_at DESC, c.id DESC",
                    n - 1
                );
                let mut stmt = tx.prepare_cached(&page_sql)?;
                let rows = stmt.query_map(crate::store::sql::params_from_iter(params), summary_row)?;
                rows.collect::<crate::store::sql::Result<Vec<_>>>()?
            };
            let has_more = rows.len() > page_size as usize;
            rows.truncate(page_size as usize);
            Ok(ConversationPage { rows, page: query.page, page_size, has_more, waiting: waiting(tx, scope.tenant_id)?, timezone })
        })
    }

    /// One conversation with its messages.
    pub fn conversation(&self, caller: &Caller, id: i64) -> Result<ConversationDetail> {
        authorize_caller(caller, Operation::ViewConversations)?;
        self.db.read(|tx| {
            let scope: Scope = scope::resolve(tx, caller, Operation::ViewConversations)?;
            let found = scope.conversation(tx, id)?;
            detail(tx, caller, scope.tenant_id, &found)
        })
    }

    /// The conversation's messages after `cursor` (a message id; 0 for all),
    /// oldest first, at most `limit` (1–500): how the platform reads the
    /// replies written here.
    pub fn conversation_messages_after(&self, caller: &Caller, id: i64, cursor: i64, limit: u32) -> Result<MessagesAfter> {
        authorize_caller(caller, Operation::ViewConversations)?;
        let limit = limit.clamp(1, MESSAGES_AFTER_MAX);
        self.db.read(|tx| {
            let scope: Scope = scope::resolve(tx, caller, Operation::ViewConversations)?;
            let found = scope.conversation(tx, id)?;
            let mut stmt = tx.prepare_cached(
                "SELECT id, author, text, at FROM messages WHERE conversation_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3",
            )?;
            let mut messages = stmt
                .query_map(params![found.id, cursor, i64::from(limit) + 1], message_row)?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            let more = messages.len() > limit as usize;
            messages.truncate(limit as usize);
            let messages = messages.into_iter().map(|m| with_delivery(tx, m)).collect::<Result<Vec<_>>>()?;
            let cursor = messages.last().map_or(cursor, |m| m.id);
            Ok(MessagesAfter { messages, cursor, more })
        })
    }

    /// Open conversations waiting for an operator, for the menu badge.
    pub fn conversations_waiting(&self, caller: &Caller) -> Result<i64> {
        authorize_caller(caller, Operation::ViewConversations)?;
        self.db.read(|tx| {
            let scope = scope::resolve(tx, caller, Operation::ViewConversations)?;
            waiting(tx, scope.tenant_id)
        })
    }

    /// The channels in use and the people conversations can be assigned to.
    pub fn conversation_filters(&self, caller: &Caller) -> Result<ConversationFilters> {
        authorize_caller(caller, Operation::ViewConversations)?;
        self.db.read(|tx| {
            let scope = scope::resolve(tx, caller, Operation::ViewConversations)?;
            let channels = tx
                .prepare_cached("SELECT DISTINCT channel FROM conversations WHERE tenant_id = ?1 ORDER BY channel")?
                .query_map([scope.tenant_id], |r| r.get(0))?
                .collect::<crate::store::sql::Result<Vec<String>>>()?;
            let operators = tx
                .prepare_cached(
                    "SELECT a.id, a.name FROM memberships m JOIN accounts a ON a.id = m.account_id
                      WHERE m.tenant_id = ?1 AND m.role IN ('tenant_operator', 'tenant_admin') AND a.deleted_at IS NULL
                      ORDER BY lower(a.name), a.id",
                )?
                .query_map(params![scope.tenant_id], |r| Ok(OperatorRef { account_id: r.get(0)?, name: r.get(1)? }))?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(ConversationFilters { channels, operators })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::words_query;

    #[test]
    fn typed_words_are_split_from_what_is_between() {
        let words = |text: &str| words_query(text).unwrap_or_else(|e| panic!("{e:?}")).map(|q| q.words);
        assert_eq!(words("refund  card!"), Some(vec!["refund".to_owned(), "card".to_owned()]));
        assert_eq!(words("\"OR\" NEAR(x)"), Some(vec!["OR".to_owned(), "NEAR".to_owned(), "x".to_owned()]));
        assert!(words(" -- ").is_none());
    }

    #[test]
    fn typed_words_reach_postgresql_split_as_for_sqlite() {
        let lines = |text: &str| words_query(text).unwrap_or_else(|e| panic!("{e:?}")).map(|q| q.lines);
        assert_eq!(lines("refund,  card! -x").as_deref(), Some("refund\ncard\nx"));
        assert_eq!(lines("e\u{301}lodie").as_deref(), Some("e\u{301}lodie"));
    }
}
