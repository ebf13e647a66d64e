//! `GET /health`: whether the server can answer, for load balancers and
//! monitoring. It reads the store, so a store that stopped answering shows
//! (503, with the reason); it names the store and, on PostgreSQL, the
//! connection pool's state.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use tenant_desk_core::store::{schema_version, Db};
use tenant_desk_core::Desk;

pub fn routes(desk: Arc<Desk>) -> Router {
    Router::new().route("/health", get(health)).with_state(desk)
}

/// The store part of the answer: which engine, and for PostgreSQL where it
/// is (without its password) and the pool's connections.
fn store(desk: &Desk) -> Value {
    match desk.db() {
        Db::Sqlite(_) => json!({ "engine": "sqlite", "location": desk.db().describe() }),
        Db::Postgres(pg) => {
            let (open, idle, size) = pg.pool_state();
            json!({
                "engine": "postgresql",
                "location": pg.describe(),
                "pool": { "size": size, "open": open, "idle": idle },
            })
        }
    }
}

async fn health(State(desk): State<Arc<Desk>>) -> (StatusCode, Json<Value>) {
    let read = tokio::task::spawn_blocking(move || {
        let read = desk.db().read(schema_version).and_then(|schema| Ok((schema, desk.needs_setup()?)));
        (read, store(&desk))
    })
    .await;
    match read {
        Ok((Ok((schema, needs_setup)), store)) => (
            StatusCode::OK,
            Json(json!({
                "status": "ok",
                "version": env!("CARGO_PKG_VERSION"),
                "schema_version": schema,
                "set_up": !needs_setup,
                "store": store,
            })),
        ),
        Ok((Err(e), store)) => {
            (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": e.message, "store": store })))
        }
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Json(json!({ "status": "unavailable", "reason": "the store check failed" }))),
    }
}
