//! Operators' replies leaving for the customer, through the tenant API.
//!
//! A reply written in the window is an operator message of its conversation
//! (`conversations::append`). The platform reads a conversation's messages after a
//! cursor (`conversations::read`); where the tenant named a delivery address, each
//! reply is also POSTed there:
//!
//! - `address`: the tenant's delivery address, set by its Tenant Admins.
//! - `outbox`: a reply queued in the transaction that stores it; a failed
//!   one retried on request.
//! - `send`: the attempts — signed with HMAC-SHA256 under the tenant API key,
//!   one idempotency key per reply for every attempt, retried with backoff,
//!   failed for good after [`MAX_ATTEMPTS`] or an answer that retrying cannot
//!   change; the state and the reason stay on the message.

mod address;
mod outbox;
mod send;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use address::DeliveryAddress;
pub(crate) use outbox::enqueue;
pub(crate) use outbox::delivery_of;
pub use send::{signature, MAX_ATTEMPTS, SIGNATURE_HEADER, TIMESTAMP_HEADER};

/// Where a reply is on its way to the delivery address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Not tried yet.
    Pending,
    /// An attempt failed; another is due.
    Retrying,
    Sent,
    /// Given up: the reason says why; Retry delivery tries again.
    Failed,
}

impl DeliveryState {
    fn key(self) -> &'static str {
        match self {
            DeliveryState::Pending => "pending",
            DeliveryState::Retrying => "retrying",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
        }
    }

    fn from_key(key: &str) -> Option<Self> {
        [DeliveryState::Pending, DeliveryState::Retrying, DeliveryState::Sent, DeliveryState::Failed]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// A reply's delivery, shown on the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Delivery {
    pub state: DeliveryState,
    pub attempts: i64,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    /// When the next attempt is due (RFC 3339 UTC), while one is.
    pub next_at: Option<String>,
}
