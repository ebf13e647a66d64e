//! Sessions: the list, one conversation, accept, resolve, assign; and the
//! event that tells the window a conversation changed.

use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::replies::Delivery;
use tenant_desk_core::sessions::{
    Author, Message, NewMessage, SessionChange, SessionDetail, SessionFilters, SessionPage, SessionQuery, SessionSummary,
};
use tenant_desk_core::Result;

use crate::state::AppState;

/// Emitted after every committed change to conversations (from the window,
/// the local API or an import), so lists and the menu badge update at once.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct SessionsChanged {
    pub tenant_id: i64,
    /// The conversation that changed (none for an import of many).
    pub session_id: Option<i64>,
}

impl From<&SessionChange> for SessionsChanged {
    fn from(change: &SessionChange) -> Self {
        let session_id = match change {
            SessionChange::Created { session_id, .. }
            | SessionChange::Message { session_id, .. }
            | SessionChange::Assigned { session_id, .. }
            | SessionChange::Resolved { session_id, .. }
            | SessionChange::Delivery { session_id, .. } => Some(*session_id),
            SessionChange::Imported { .. } => None,
        };
        Self { tenant_id: change.tenant_id(), session_id }
    }
}

#[tauri::command]
#[specta::specta]
pub async fn list_sessions(state: State<'_, AppState>, query: SessionQuery) -> Result<SessionPage> {
    state.as_actor(move |desk, actor| desk.list_sessions(&Caller::from(actor), &query)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_session(state: State<'_, AppState>, id: i64) -> Result<SessionDetail> {
    state.as_actor(move |desk, actor| desk.session(&Caller::from(actor), id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn get_session_filters(state: State<'_, AppState>) -> Result<SessionFilters> {
    state.as_actor(|desk, actor| desk.session_filters(&Caller::from(actor))).await
}

#[tauri::command]
#[specta::specta]
pub async fn count_waiting_sessions(state: State<'_, AppState>) -> Result<i64> {
    state.as_actor(|desk, actor| desk.sessions_waiting(&Caller::from(actor))).await
}

#[tauri::command]
#[specta::specta]
pub async fn accept_session(state: State<'_, AppState>, id: i64) -> Result<SessionSummary> {
    state.as_actor(move |desk, actor| desk.accept_session(actor, id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn resolve_session(state: State<'_, AppState>, id: i64) -> Result<SessionSummary> {
    state.as_actor(move |desk, actor| desk.resolve_session(&Caller::from(actor), id)).await
}

#[tauri::command]
#[specta::specta]
pub async fn assign_session(
    state: State<'_, AppState>,
    id: i64,
    operator_account_id: Option<i64>,
) -> Result<SessionSummary> {
    state.as_actor(move |desk, actor| desk.assign_session(&Caller::from(actor), id, operator_account_id)).await
}

/// A reply to the customer: an operator message, shown at once and sent on
/// through the tenant API (and the delivery address, if the tenant has one).
#[tauri::command]
#[specta::specta]
pub async fn reply_to_session(state: State<'_, AppState>, id: i64, text: String) -> Result<Message> {
    state
        .as_actor(move |desk, actor| {
            desk.append_session_message(&Caller::from(actor), id, NewMessage { author: Author::Operator, text })
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn retry_delivery(state: State<'_, AppState>, id: i64, message_id: i64) -> Result<Delivery> {
    state.as_actor(move |desk, actor| desk.retry_delivery(&Caller::from(actor), id, message_id)).await
}
