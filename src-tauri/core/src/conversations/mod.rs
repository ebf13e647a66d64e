//! Sessions: a tenant's customer conversations and their messages.
//!
//! They arrive through the tenant API (or an import) and are handled in the
//! Sessions screen. Every operation takes a [`Caller`](crate::authz::Caller):
//! a person, or the tenant API key.
//!
//! - `rules`: what a valid conversation and message are.
//! - `scope`: which conversations a caller reaches (operators: their own and
//!   unassigned ones).
//! - `create`, `append`, `assign`, `resolve`: the writes; `import`: the bulk path.
//! - `read`: the list with its filters, one conversation, the waiting count;
//!   `word_search`: its search on SQLite, in the word index (`word_index`).
//! - `changes`: who is told after a write (the window, and `notify`: the
//!   operators' desktop notifications).

mod actions;
mod append;
mod assign;
mod changes;
mod create;
mod import;
mod notify;
mod read;
mod resolve;
mod rules;
mod scope;
mod whole;
pub(crate) mod word_index;
mod word_search;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use actions::ConversationActions;
pub use changes::ConversationChange;
pub(crate) use changes::Listeners;
pub use import::{ImportedMessage, ImportedConversation};
pub(crate) use import::insert as insert_imported;
pub(crate) use notify::Bursts;
pub(crate) use scope::resolve as resolve_scope;
pub use notify::{shorten, BURST_LIMIT, BURST_WINDOW_MILLIS, NEW_MESSAGE, SESSION_ASSIGNED};
pub use read::{ConversationFilters, ConversationPage, ConversationQuery, MESSAGES_AFTER_MAX, PAGE_SIZE_MAX};
pub use rules::{CHANNEL_MAX, CUSTOMER_MAX, MESSAGES_MAX, TEXT_MAX};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ConversationStatus {
    Open,
    Resolved,
}

impl ConversationStatus {
    pub fn key(self) -> &'static str {
        match self {
            ConversationStatus::Open => "open",
            ConversationStatus::Resolved => "resolved",
        }
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Operator,
    AiAgent,
}

impl Author {
    pub fn key(self) -> &'static str {
        match self {
            Author::Customer => "customer",
            Author::Operator => "operator",
            Author::AiAgent => "ai_agent",
        }
    }
}

macro_rules! stored_as_key {
    ($t:ty, $($v:expr),+) => {
        impl crate::store::sql::FromSql for $t {
            fn column_result(value: crate::store::sql::ValueRef<'_>) -> crate::store::sql::FromSqlResult<Self> {
                let key = value.as_str()?;
                [$($v),+].into_iter().find(|v| v.key() == key).ok_or(crate::store::sql::FromSqlError::InvalidType)
            }
        }
        impl crate::store::sql::ToSql for $t {
            fn to_sql(&self) -> crate::store::sql::Result<crate::store::sql::ToSqlOutput<'_>> {
                Ok(self.key().into())
            }
        }
    };
}
stored_as_key!(ConversationStatus, ConversationStatus::Open, ConversationStatus::Resolved);
stored_as_key!(Author, Author::Customer, Author::Operator, Author::AiAgent);

/// A person who can handle conversations (a Tenant Operator or Tenant Admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct OperatorRef {
    pub account_id: i64,
    pub name: String,
}

/// One row of the Sessions list. Times are RFC 3339 UTC. Kept as an
/// idempotent write's reply, so it reads back too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConversationSummary {
    pub id: i64,
    pub channel: String,
    pub customer: String,
    pub operator: Option<OperatorRef>,
    pub status: ConversationStatus,
    pub created_at: String,
    pub last_activity_at: String,
    pub customer_replied: bool,
    pub message_count: i64,
    /// The latest message, as written.
    pub last_message: Option<String>,
    /// The person handling it accepted it (an assignment by someone else is
    /// offered until they do).
    #[serde(default)]
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Message {
    /// Increasing within the install: the cursor the platform reads after.
    pub id: i64,
    pub author: Author,
    pub text: String,
    pub at: String,
    /// For a reply written here while the tenant had a delivery address:
    /// where it is on its way there.
    pub delivery: Option<crate::replies::Delivery>,
}

/// Messages of a conversation after a cursor, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MessagesAfter {
    pub messages: Vec<Message>,
    /// The cursor to ask with next time: the last message's id, or the one
    /// asked with when nothing is new.
    pub cursor: i64,
    /// More wait after these (the page was full).
    pub more: bool,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct ConversationDetail {
    pub conversation: ConversationSummary,
    pub messages: Vec<Message>,
    /// The tenant's timezone, for showing the times.
    pub timezone: String,
    /// What the caller may do with it now.
    #[serde(default)]
    pub actions: ConversationActions,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct NewMessage {
    pub author: Author,
    pub text: String,
}

/// A conversation to start, with its first messages (if any) and operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct NewConversation {
    pub channel: String,
    pub customer: String,
    pub operator_account_id: Option<i64>,
    pub messages: Vec<NewMessage>,
}
