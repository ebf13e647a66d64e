//! `GET /health`: whether the server can answer, for load balancers and
//! monitoring. It reads the store, so a store that stopped answering shows.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tenant_desk_core::store::integrity::schema_version;
use tenant_desk_core::Desk;

pub fn routes(desk: Arc<Desk>) -> Router {
    Router::new().route("/health", get(health)).with_state(desk)
}

async fn health(State(desk): State<Arc<Desk>>) -> (StatusCode, Json<Value>) {
    let read = tokio::task::spawn_blocking(move || {
        let schema = desk.db().read(|tx| Ok(schema_version(tx)?))?;
        Ok::<_, tenant_desk_core::Error>((schema, desk.needs_setup()?))
    })
    .await;
    match read {
        Ok(Ok((schema, needs_setup))) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "schema_version": schema,
                "set_up": !needs_setup,
            })),
        ),
        Ok(Err(e)) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": e.message }))),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": "the store check failed" }))),
    }
}
