//! After a write commits, the window is told (so lists and the badge update
//! without a refresh) and operators may get a notification.

use std::sync::{Arc, Mutex};

use serde::Serialize;
use specta::Type;

use super::Author;
use crate::Desk;

/// A committed change to a tenant's conversations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ConversationChange {
    /// A conversation started; `operator_account_id` when it came assigned.
    Created { tenant_id: i64, conversation_id: i64, operator_account_id: Option<i64> },
    /// A message was added to a conversation handled by `operator_account_id`.
    Message { tenant_id: i64, conversation_id: i64, operator_account_id: Option<i64>, author: Author, text: String },
    /// The conversation now belongs to `operator_account_id` (none: waiting
    /// again), by the decision of `by_account_id` (none: the tenant API key).
    Assigned { tenant_id: i64, conversation_id: i64, operator_account_id: Option<i64>, by_account_id: Option<i64> },
    Resolved { tenant_id: i64, conversation_id: i64 },
    /// A reply of the conversation was delivered, or an attempt failed.
    Delivery { tenant_id: i64, conversation_id: i64 },
    /// Many conversations arrived at once (an import).
    Imported { tenant_id: i64, count: usize },
}

impl ConversationChange {
    pub fn tenant_id(&self) -> i64 {
        match self {
            ConversationChange::Created { tenant_id, .. }
            | ConversationChange::Message { tenant_id, .. }
            | ConversationChange::Assigned { tenant_id, .. }
            | ConversationChange::Resolved { tenant_id, .. }
            | ConversationChange::Delivery { tenant_id, .. }
            | ConversationChange::Imported { tenant_id, .. } => *tenant_id,
        }
    }
}

type Listener = Arc<dyn Fn(&ConversationChange) + Send + Sync>;

#[derive(Default)]
pub(crate) struct Listeners(Mutex<Vec<Listener>>);

impl Desk {
    /// Calls `listener` after every committed change to conversations, on the
    /// thread that made it.
    pub fn on_conversation_change(&self, listener: impl Fn(&ConversationChange) + Send + Sync + 'static) {
        self.conversation_listeners.0.lock().unwrap_or_else(|p| p.into_inner()).push(Arc::new(listener));
    }

    pub(crate) fn publish(&self, change: ConversationChange) {
        self.notify_operator(&change);
        let listeners = self.conversation_listeners.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for listener in listeners {
            listener(&change);
        }
    }
}
