//! The event that tells the window a conversation changed. The operations
//! on conversations are declared in `tenant_desk_core::operations`.

use serde::{Deserialize, Serialize};
use specta::Type;
use tenant_desk_core::conversations::ConversationChange;

/// Emitted after committed changes to conversations (from the window, the
/// local API, an import, or the team server's change stream), so lists and
/// the menu badge update at once; changes that come together are told
/// together (`desktop::change_feed`).
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ConversationsChanged {
    /// None: everything shown must be read again (the team server's stream
    /// was away longer than it keeps changes).
    pub tenant_id: Option<i64>,
    /// The conversation that changed (none for an import of many).
    pub conversation_id: Option<i64>,
}

impl From<&ConversationChange> for ConversationsChanged {
    fn from(change: &ConversationChange) -> Self {
        let conversation_id = match change {
            ConversationChange::Created { conversation_id, .. }
            | ConversationChange::Message { conversation_id, .. }
            | ConversationChange::Assigned { conversation_id, .. }
            | ConversationChange::Resolved { conversation_id, .. }
            | ConversationChange::Delivery { conversation_id, .. } => Some(*conversation_id),
            ConversationChange::Imported { .. } => None,
        };
        Self { tenant_id: Some(change.tenant_id()), conversation_id }
    }
}
