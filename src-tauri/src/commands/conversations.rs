//! Sessions: the list, one conversation, accept, resolve, assign; and the
//! event that tells the window a conversation changed.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::replies::Delivery;
use tenant_desk_core::conversations::{
    Author, Message, NewMessage, ConversationChange, ConversationDetail, ConversationFilters, ConversationPage, ConversationQuery, ConversationSummary,
};
use tenant_desk_core::Result;

use crate::state::AppState;

/// Emitted after every committed change to conversations (from the window,
/// the local API or an import), so lists and the menu badge update at once.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ConversationsChanged {
    pub tenant_id: i64,
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
        Self { tenant_id: change.tenant_id(), conversation_id }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_conversations(state: State<'_, AppState>, query: ConversationQuery) -> Result<ConversationPage> {
    state.as_actor(move |desk, actor| desk.list_conversations(&Caller::from(actor), &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_conversation(state: State<'_, AppState>, id: i64) -> Result<ConversationDetail> {
    state.as_actor(move |desk, actor| desk.conversation(&Caller::from(actor), id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_conversation_filters(state: State<'_, AppState>) -> Result<ConversationFilters> {
    state.as_actor(|desk, actor| desk.conversation_filters(&Caller::from(actor))).await
}

#[tauri::command]
#[specta::specta]
pub async fn count_waiting_conversations(state: State<'_, AppState>) -> Result<i64> {
    state.as_actor(|desk, actor| desk.conversations_waiting(&Caller::from(actor))).await
}

#[tauri::command]
#[specta::specta]
pub async fn accept_conversation(state: State<'_, AppState>, id: i64) -> Result<ConversationSummary> {
    state.as_actor(move |desk, actor| desk.accept_conversation(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_conversation(state: State<'_, AppState>, id: i64) -> Result<ConversationSummary> {
    state.as_actor(move |desk, actor| desk.resolve_conversation(&Caller::from(actor), id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn assign_conversation(
    state: State<'_, AppState>,
    id: i64,
    operator_account_id: Option<i64>,
) -> Result<ConversationSummary> {
    state.as_actor(move |desk, actor| desk.assign_conversation(&Caller::from(actor), id, operator_account_id)).await
}

/// A reply to the customer: an operator message, shown at once and sent on
/// through the tenant API (and the delivery address, if the tenant has one).
#[tauri::command]
#[specta::specta]
pub async fn reply_to_conversation(state: State<'_, AppState>, id: i64, text: String) -> Result<Message> {
    state
        .as_actor(move |desk, actor| {
            desk.append_message(&Caller::from(actor), id, NewMessage { author: Author::Operator, text })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn retry_delivery(state: State<'_, AppState>, id: i64, message_id: i64) -> Result<Delivery> {
    state.as_actor(move |desk, actor| desk.retry_delivery(&Caller::from(actor), id, message_id)).await
}
