//! The API's own wire types (the OpenAPI document describes these), made
//! from the core's.

use serde::{Deserialize, Serialize};
use tenant_desk_core::sessions as core;
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

impl From<core::SessionStatus> for Status {
    fn from(s: core::SessionStatus) -> Self {
        match s {
            core::SessionStatus::Open => Status::Open,
            core::SessionStatus::Resolved => Status::Resolved,
        }
    }
}

impl From<Status> for core::SessionStatus {
    fn from(s: Status) -> Self {
        match s {
            Status::Open => core::SessionStatus::Open,
            Status::Resolved => core::SessionStatus::Resolved,
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
pub struct Session {
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

impl From<core::SessionSummary> for Session {
    fn from(s: core::SessionSummary) -> Self {
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

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionWithMessages {
    pub session: Session,
    pub messages: Vec<Message>,
}

impl From<core::SessionDetail> for SessionWithMessages {
    fn from(d: core::SessionDetail) -> Self {
        Self { session: d.session.into(), messages: d.messages.into_iter().map(Into::into).collect() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionList {
    pub sessions: Vec<Session>,
    pub page: u32,
    pub page_size: u32,
    pub has_more: bool,
    /// Open conversations waiting for an operator.
    pub waiting: i64,
}

impl From<core::SessionPage> for SessionList {
    fn from(p: core::SessionPage) -> Self {
        Self {
            sessions: p.rows.into_iter().map(Into::into).collect(),
            page: p.page,
            page_size: p.page_size,
            has_more: p.has_more,
            waiting: p.waiting,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    pub author: Author,
    /// 1–4000 characters.
    #[schema(min_length = 1, max_length = 4000)]
    pub text: String,
}

impl From<NewMessage> for core::NewMessage {
    fn from(m: NewMessage) -> Self {
        Self { author: m.author.into(), text: m.text }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSession {
    /// Where the conversation happens ("web", "whatsapp", "email", …), 1–40 characters.
    #[schema(min_length = 1, max_length = 40)]
    pub channel: String,
    /// The customer's name or handle, 1–200 characters.
    #[schema(min_length = 1, max_length = 200)]
    pub customer: String,
    /// Assign at once to this Tenant Operator or Tenant Admin.
    #[serde(default)]
    pub operator_account_id: Option<i64>,
    /// The first messages, at most 100.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub messages: Vec<NewMessage>,
}

impl From<NewSession> for core::NewSession {
    fn from(s: NewSession) -> Self {
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
    /// A Tenant Operator or Tenant Admin of the tenant; null puts the
    /// conversation back to waiting.
    pub operator_account_id: Option<i64>,
}

/// Filters and paging of the list. Conversations come newest activity first.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    pub status: Option<Status>,
    /// Exact channel.
    pub channel: Option<String>,
    /// Conversations of this operator.
    pub operator_account_id: Option<i64>,
    /// Only conversations without an operator.
    pub unassigned: Option<bool>,
    /// First day (YYYY-MM-DD, the tenant's timezone) the conversation started.
    pub from: Option<String>,
    /// Last day (YYYY-MM-DD, the tenant's timezone), included.
    pub to: Option<String>,
    /// Words a message contains (prefixes; case and accents ignored).
    pub text: Option<String>,
    /// From 0.
    pub page: Option<u32>,
    /// 1–200; 50 when not given.
    pub page_size: Option<u32>,
}

impl From<ListParams> for core::SessionQuery {
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
