//! `POST /api/desk/v1/op/<name>`: every operation the window offers, by the
//! name and with the arguments of its one declaration
//! (`tenant_desk_core::operations`), run by the server's core for the holder
//! of the bearer token. Refusals are the core's own errors, so the desktop
//! shows the same message under the same field as it would locally.

use axum::extract::{Path, State};
use axum::Json;
use serde_json::Value;
use tenant_desk_api::ApiError;
use tenant_desk_core::operations;

use super::{blocking, Bearer, DeskApi};

pub async fn run(
    State(api): State<DeskApi>,
    Bearer(token): Bearer,
    Path(name): Path<String>,
    Json(args): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let desk = api.desk.clone();
    blocking(move || Ok(operations::dispatch(&desk, &token, &name, args)?)).await.map(Json)
}
