//! The endpoints: conversations and their messages.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use tenant_desk_core::conversations as core;
use tenant_desk_core::ErrorCode;

use crate::auth::Authenticated;
use crate::body::StrictJson;
use crate::error::ApiError;
use crate::idempotent::{self, IdempotencyKey};
use crate::query::StrictQuery;
use crate::schema::{
    AfterParams, Assignment, ListParams, Message, MessagesAfter, NewMessage, NewConversation, Conversation, ConversationList, ConversationWithMessages,
};
use crate::ApiState;

/// Runs core work off the async threads (SQLite, notifications over D-Bus).
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The request could not be completed.")
    })?
}

/// The `{id}` of a path: digits only (no sign, no spaces) making a number
/// from 1 to the largest 64-bit one, as the document says.
fn conversation_id(raw: &str) -> Result<i64, ApiError> {
    Some(raw)
        .filter(|r| !r.is_empty() && r.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::invalid("id", "id must be a whole number of at least 1."))
}

/// A core error about the conversation named in the path: "not found" names the `id`.
fn about_id(e: tenant_desk_core::Error) -> ApiError {
    if e.code == ErrorCode::NotFound {
        ApiError::unknown_id(e)
    } else {
        e.into()
    }
}

// The responses each endpoint can give, all of them: 401 without a valid key,
// 403 when the key's person may not do it, 422 for a request the document or
// a rule refuses (with `fields`), 500 when the store fails and 507 when the
// disk is full (writes). Bodies: 400 not JSON, 413 too large, 415 not sent as JSON.

#[utoipa::path(
    post, path = "/api/v1/sessions", tag = "sessions",
    summary = "Start a conversation",
    request_body = NewConversation,
    params(IdempotencyKey),
    responses(
        (status = 201, description = "Created", body = ConversationWithMessages),
        (status = 400, description = "The body is not JSON", body = ApiError),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not start conversations", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as JSON", body = ApiError),
        (status = 422, description = "A field or the Idempotency-Key is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed; nothing was written", body = ApiError),
        (status = 507, description = "The disk is full; nothing was written", body = ApiError),
    )
)]
pub async fn create_conversation(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    key: IdempotencyKey,
    body: StrictJson<NewConversation>,
) -> Result<Response, ApiError> {
    let input: core::NewConversation = body.value.into();
    idempotent::write(&state, caller, key, "POST /api/v1/sessions".into(), &body.raw, StatusCode::CREATED, move |desk, caller, once| {
        Ok(desk.create_conversation_once(caller, input, once)?.map(ConversationWithMessages::from))
    })
    .await
}

#[utoipa::path(
    get, path = "/api/v1/sessions", tag = "sessions",
    summary = "List conversations, newest activity first",
    params(ListParams),
    responses(
        (status = 200, description = "A page", body = ConversationList),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not see conversations", body = ApiError),
        (status = 422, description = "A parameter is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed", body = ApiError),
    )
)]
pub async fn list_conversations(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    StrictQuery(params): StrictQuery<ListParams>,
) -> Result<Json<ConversationList>, ApiError> {
    let query: core::ConversationQuery = params.into();
    let desk = state.desk.clone();
    blocking(move || Ok(Json(desk.list_conversations(&caller, &query)?.into()))).await
}

#[utoipa::path(
    get, path = "/api/v1/sessions/{id}", tag = "sessions",
    summary = "A conversation with its messages",
    params(("id" = i64, Path, minimum = 1, description = "Session id")),
    responses(
        (status = 200, description = "The conversation", body = ConversationWithMessages),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not see conversations", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 422, description = "The id is not a whole number of at least 1", body = ApiError),
        (status = 500, description = "The store failed", body = ApiError),
    )
)]
pub async fn get_conversation(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
) -> Result<Json<ConversationWithMessages>, ApiError> {
    let id = conversation_id(&id)?;
    let desk = state.desk.clone();
    blocking(move || Ok(Json(desk.conversation(&caller, id).map_err(about_id)?.into()))).await
}

#[utoipa::path(
    get, path = "/api/v1/sessions/{id}/messages", tag = "sessions",
    summary = "Messages after a cursor (the operators' replies among them)",
    params(("id" = i64, Path, minimum = 1, description = "Session id"), AfterParams),
    responses(
        (status = 200, description = "The messages after the cursor, oldest first", body = MessagesAfter),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not see conversations", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 422, description = "The id or a parameter is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed", body = ApiError),
    )
)]
pub async fn messages_after(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    StrictQuery(params): StrictQuery<AfterParams>,
) -> Result<Json<MessagesAfter>, ApiError> {
    let id = conversation_id(&id)?;
    let desk = state.desk.clone();
    let (after, limit) = (params.after.unwrap_or(0), params.limit.unwrap_or(100));
    blocking(move || Ok(Json(desk.conversation_messages_after(&caller, id, after, limit).map_err(about_id)?.into()))).await
}

#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/messages", tag = "sessions",
    summary = "Add a message",
    request_body = NewMessage,
    params(("id" = i64, Path, minimum = 1, description = "Session id"), IdempotencyKey),
    responses(
        (status = 201, description = "Added", body = Message),
        (status = 400, description = "The body is not JSON", body = ApiError),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not write in this conversation", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as JSON", body = ApiError),
        (status = 422, description = "The id, a field or the Idempotency-Key is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed; nothing was written", body = ApiError),
        (status = 507, description = "The disk is full; nothing was written", body = ApiError),
    )
)]
pub async fn append_message(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    key: IdempotencyKey,
    body: StrictJson<NewMessage>,
) -> Result<Response, ApiError> {
    let id = conversation_id(&id)?;
    let input: core::NewMessage = body.value.into();
    let request = format!("POST /api/v1/sessions/{id}/messages");
    idempotent::write(&state, caller, key, request, &body.raw, StatusCode::CREATED, move |desk, caller, once| {
        Ok(desk.append_message_once(caller, id, input, once).map_err(about_id)?.map(Message::from))
    })
    .await
}

#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/assign", tag = "sessions",
    summary = "Assign, reassign or put back to waiting",
    request_body = Assignment,
    params(("id" = i64, Path, minimum = 1, description = "Session id"), IdempotencyKey),
    responses(
        (status = 200, description = "Assigned", body = Conversation),
        (status = 400, description = "The body is not JSON", body = ApiError),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not assign", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 413, description = "The body is too large", body = ApiError),
        (status = 415, description = "The body is not sent as JSON", body = ApiError),
        (status = 422, description = "The id, the operator or the Idempotency-Key is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed; nothing was written", body = ApiError),
        (status = 507, description = "The disk is full; nothing was written", body = ApiError),
    )
)]
pub async fn assign_conversation(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    key: IdempotencyKey,
    body: StrictJson<Assignment>,
) -> Result<Response, ApiError> {
    let id = conversation_id(&id)?;
    let operator = body.value.operator_account_id;
    let request = format!("POST /api/v1/sessions/{id}/assign");
    idempotent::write(&state, caller, key, request, &body.raw, StatusCode::OK, move |desk, caller, once| {
        Ok(desk.assign_conversation_once(caller, id, operator, once).map_err(about_id)?.map(Conversation::from))
    })
    .await
}

#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/accept", tag = "sessions",
    summary = "Accept a waiting conversation (a person's key: an operator takes it)",
    params(("id" = i64, Path, minimum = 1, description = "Session id"), IdempotencyKey),
    responses(
        (status = 200, description = "Accepted", body = Conversation),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "Only a person can accept; the tenant key cannot", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 409, description = "Another operator accepted it first, or it is resolved", body = ApiError),
        (status = 422, description = "The id or the Idempotency-Key is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed; nothing was written", body = ApiError),
        (status = 507, description = "The disk is full; nothing was written", body = ApiError),
    )
)]
pub async fn accept_conversation(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    key: IdempotencyKey,
) -> Result<Response, ApiError> {
    let id = conversation_id(&id)?;
    let request = format!("POST /api/v1/sessions/{id}/accept");
    idempotent::write(&state, caller, key, request, &[], StatusCode::OK, move |desk, caller, once| match caller {
        tenant_desk_core::authz::Caller::Person(actor) => {
            Ok(desk.accept_conversation_once(actor, id, once).map_err(about_id)?.map(Conversation::from))
        }
        tenant_desk_core::authz::Caller::TenantKey(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "not_allowed",
            "Only a person accepts a session; assign it to an operator instead.",
        )),
    })
    .await
}

#[utoipa::path(
    post, path = "/api/v1/sessions/{id}/resolve", tag = "sessions",
    summary = "Mark a conversation resolved",
    params(("id" = i64, Path, minimum = 1, description = "Session id"), IdempotencyKey),
    responses(
        (status = 200, description = "Resolved", body = Conversation),
        (status = 401, description = "No valid key", body = ApiError),
        (status = 403, description = "The key's person may not resolve it", body = ApiError),
        (status = 404, description = "No such conversation for this key", body = ApiError),
        (status = 422, description = "The id or the Idempotency-Key is wrong; `fields` names it", body = ApiError),
        (status = 500, description = "The store failed; nothing was written", body = ApiError),
        (status = 507, description = "The disk is full; nothing was written", body = ApiError),
    )
)]
pub async fn resolve_conversation(
    State(state): State<ApiState>,
    Authenticated(caller): Authenticated,
    Path(id): Path<String>,
    key: IdempotencyKey,
) -> Result<Response, ApiError> {
    let id = conversation_id(&id)?;
    let request = format!("POST /api/v1/sessions/{id}/resolve");
    idempotent::write(&state, caller, key, request, &[], StatusCode::OK, move |desk, caller, once| {
        Ok(desk.resolve_conversation_once(caller, id, once).map_err(about_id)?.map(Conversation::from))
    })
    .await
}

#[utoipa::path(
    get, path = "/api/v1/openapi.json", tag = "sessions",
    summary = "This document",
    security(()),
    responses((status = 200, description = "The OpenAPI document of this API", content_type = "application/json"))
)]
pub async fn openapi_document(State(state): State<ApiState>) -> Json<utoipa::openapi::OpenApi> {
    Json((*state.document).clone())
}
