//! The API's own wire types (the OpenAPI document describes these), made
//! from the core's.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use tenant_desk_core::conversations as core;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Open,
    Resolved,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Author {
    Customer,
    Operator,
    AiAgent,
}

impl From<core::ConversationStatus> for Status {
    fn from(s: core::ConversationStatus) -> Self {
        match s {
            core::ConversationStatus::Open => Status::Open,
            core::ConversationStatus::Resolved => Status::Resolved,
        }
    }
}

impl From<Status> for core::ConversationStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Open => core::ConversationStatus::Open,
            Status::Resolved => core::ConversationStatus::Resolved,
        }
    }
}

impl From<core::Author> for Author {
    fn from(a: core::Author) -> Self {
        match a {
            core::Author::Customer => Author::Customer,
            core::Author::Operator => Author::Operator,
            core::Author::AiAgent => Author::AiAgent,
        }
    }
}

impl From<Author> for core::Author {
    fn from(a: Author) -> Self {
        match a {
            Author::Customer => core::Author::Customer,
            Author::Operator => core::Author::Operator,
            Author::AiAgent => core::Author::AiAgent,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Operator {
    pub account_id: i64,
    pub name: String,
}

/// A conversation ("session"). Times are RFC 3339 in UTC.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = Session)]
pub struct Conversation {
    pub id: i64,
    pub channel: String,
    pub customer: String,
    /// Who handles it; null while it waits for an operator.
    pub operator: Option<Operator>,
    pub status: Status,
    pub created_at: String,
    pub last_activity_at: String,
    /// The customer wrote at least one message.
    pub customer_replied: bool,
    pub message_count: i64,
    pub last_message: Option<String>,
}

impl From<core::ConversationSummary> for Conversation {
    fn from(s: core::ConversationSummary) -> Self {
        Self {
            id: s.id,
            channel: s.channel,
            customer: s.customer,
            operator: s.operator.map(|o| Operator { account_id: o.account_id, name: o.name }),
            status: s.status.into(),
            created_at: s.created_at,
            last_activity_at: s.last_activity_at,
            customer_replied: s.customer_replied,
            message_count: s.message_count,
            last_message: s.last_message,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Message {
    pub id: i64,
    pub author: Author,
    pub text: String,
    pub at: String,
}

impl From<core::Message> for Message {
    fn from(m: core::Message) -> Self {
        Self { id: m.id, author: m.author.into(), text: m.text, at: m.at }
    }
}

/// A conversation's messages after a cursor, oldest first: how the platform
/// reads the operators' replies written in the desktop.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MessagesAfter {
    pub messages: Vec<Message>,
    /// Ask with this `after` next time (the last message's id, or the one
    /// asked with when nothing is new).
    pub cursor: i64,
    /// More messages wait after these: ask again at once.
    pub more: bool,
}

impl From<core::MessagesAfter> for MessagesAfter {
    fn from(m: core::MessagesAfter) -> Self {
        Self { messages: m.messages.into_iter().map(Into::into).collect(), cursor: m.cursor, more: m.more }
    }
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AfterParams {
    /// The cursor: the id of the last message already read; 0 (the default) for all.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// 100 when not given.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SessionWithMessages)]
pub struct ConversationWithMessages {
    pub session: Conversation,
    pub messages: Vec<Message>,
}

impl From<core::ConversationDetail> for ConversationWithMessages {
    fn from(d: core::ConversationDetail) -> Self {
        Self { session: d.conversation.into(), messages: d.messages.into_iter().map(Into::into).collect() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = SessionList)]
pub struct ConversationList {
    pub sessions: Vec<Conversation>,
    pub page: u32,
    pub page_size: u32,
    pub has_more: bool,
    /// Open conversations waiting for an operator.
    pub waiting: i64,
}

impl From<core::ConversationPage> for ConversationList {
    fn from(p: core::ConversationPage) -> Self {
        Self {
            sessions: p.rows.into_iter().map(Into::into).collect(),
            page: p.page,
            page_size: p.page_size,
            has_more: p.has_more,
            waiting: p.waiting,
        }
    }
}

/// An account id or null. The document calls it an integer, and JSON Schema
/// counts `12.0` as one, so it is taken as 12.
fn account_id<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<serde_json::Number>::deserialize(d)? {
        None => Ok(None),
        Some(n) => crate::expect::whole(&n).map(Some).ok_or_else(|| D::Error::custom("not a whole number")),
    }
}

// Text fields must hold something besides spaces, as the core's `trim` has
// it (Unicode White_Space); the pattern spells that class out because `\S`
// means slightly different things in the regex dialects integrators use. No
// text holds U+0000, which neither store may keep (PostgreSQL cannot).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub author: Author,
    /// 1–4000 characters, not all of them spaces.
    #[schema(min_length = 1, max_length = 4000, pattern = r"^[^\u0000]*[^\u0000\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000]*$")]
    pub text: String,
}

impl From<NewMessage> for core::NewMessage {
    fn from(m: NewMessage) -> Self {
        Self { author: m.author.into(), text: m.text }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = NewSession)]
pub struct NewConversation {
    /// Where the conversation happens ("web", "whatsapp", "email", …), 1–40
    /// characters, not all of them spaces.
    #[schema(min_length = 1, max_length = 40, pattern = r"^[^\u0000]*[^\u0000\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000]*$")]
    pub channel: String,
    /// The customer's name or handle, 1–200 characters, not all of them spaces.
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\u0000\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000][^\u0000]*$")]
    pub customer: String,
    /// Assign at once to this Tenant Operator or Tenant Admin of the tenant
    /// (anyone else is refused with 422).
    #[serde(default, deserialize_with = "account_id")]
    #[schema(minimum = 1)]
    pub operator_account_id: Option<i64>,
    /// The first messages, at most 100.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub messages: Vec<NewMessage>,
}

impl From<NewConversation> for core::NewConversation {
    fn from(s: NewConversation) -> Self {
        Self {
            channel: s.channel,
            customer: s.customer,
            operator_account_id: s.operator_account_id,
            messages: s.messages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Assignment {
    /// A Tenant Operator or Tenant Admin of the tenant (anyone else is
    /// refused with 422); null puts the conversation back to waiting.
    #[serde(default, deserialize_with = "account_id")]
    #[schema(minimum = 1)]
    pub operator_account_id: Option<i64>,
}

/// Filters and paging of the list. Conversations come newest activity first.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub status: Option<Status>,
    /// Exact channel (no U+0000, 422 otherwise).
    #[param(pattern = r"^[^\u0000]*$")]
    pub channel: Option<String>,
    /// Conversations of this operator.
    #[param(minimum = 1)]
    pub operator_account_id: Option<i64>,
    /// Only conversations without an operator.
    pub unassigned: Option<bool>,
    /// First day (the tenant's timezone) the conversation started.
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day (the tenant's timezone), included; not before `from` (422).
    #[param(format = Date)]
    pub to: Option<String>,
    /// Words a message contains (prefixes; case and accents ignored): at
    /// most 10 words of at most 64 letters or digits (422 otherwise).
    pub text: Option<String>,
    /// From 0.
    pub page: Option<u32>,
    /// 50 when not given.
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u32>,
}

impl From<ListParams> for core::ConversationQuery {
    fn from(p: ListParams) -> Self {
        Self {
            status: p.status.map(Into::into),
            channel: p.channel.unwrap_or_default(),
            operator_account_id: p.operator_account_id,
            unassigned: p.unassigned.unwrap_or(false),
            from: p.from.unwrap_or_default(),
            to: p.to.unwrap_or_default(),
            text: p.text.unwrap_or_default(),
            page: p.page.unwrap_or(0),
            page_size: p.page_size.unwrap_or(50),
        }
    }
}
