//! The local tenant API: HTTP on 127.0.0.1, for the platform and
//! integrations to push conversations into Tenant Desk. A thin layer over
//! `tenant_desk_core`: it authenticates the key, reads the request strictly,
//! keeps idempotent replies, and lets the core decide everything else.
//!
//! - `auth`: the Bearer key → a core `Caller`.
//! - `body`: strict JSON bodies, errors naming the field.
//! - `error`: the JSON error every failure leaves as.
//! - `expect`: what a field takes, in words, from the OpenAPI document.
//! - `idempotent`: writes sent with an `Idempotency-Key`.
//! - `query`: query strings held to the document's parameters.
//! - `schema`: the wire types the OpenAPI document describes.
//! - `conversations`: the endpoints (published under `/api/v1/sessions`).

mod auth;
mod body;
mod error;
mod expect;
mod idempotent;
mod query;
mod schema;
mod conversations;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::Router;
use tenant_desk_core::Desk;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use body::BODY_LIMIT;
pub use error::ApiError;

#[derive(Clone)]
pub struct ApiState {
    desk: Arc<Desk>,
    document: Arc<Document>,
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tenant Desk tenant API",
        description = "Push customer conversations into Tenant Desk and manage them. \
            Authenticate with the tenant API key as a Bearer token. Writes accept an \
            Idempotency-Key header: a retry with the same key gets the first reply again."
    ),
    modifiers(&BearerKey),
    security(("api_key" = [])),
    tags((name = "sessions", description = "Customer conversations and their messages"))
)]
struct ApiDoc;

struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The tenant API key (tdk_…)"))
                    .build(),
            ),
        );
    }
}

/// The routes and the document describing them, built from the same
/// annotated handlers so neither can drift from the other.
fn parts() -> (Router<ApiState>, Document) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(conversations::create_conversation, conversations::list_conversations))
        .routes(routes!(conversations::get_conversation))
        .routes(routes!(conversations::append_message, conversations::messages_after))
        .routes(routes!(conversations::assign_conversation))
        .routes(routes!(conversations::accept_conversation))
        .routes(routes!(conversations::resolve_conversation))
        .routes(routes!(conversations::openapi_document))
        .split_for_parts()
}

/// The OpenAPI document of the API.
pub fn openapi() -> Document {
    parts().1
}

pub fn router(desk: Arc<Desk>) -> Router {
    let (routes, document) = parts();
    routes
        .fallback(|| async { ApiError::new(StatusCode::NOT_FOUND, "not_found", "There is no such endpoint.") })
        .method_not_allowed_fallback(|| async {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This endpoint does not take that method.")
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .with_state(ApiState { desk, document: Arc::new(document) })
}

/// The API, serving on 127.0.0.1 until stopped.
pub struct RunningApi {
    pub addr: SocketAddr,
    stop: oneshot::Sender<()>,
    task: JoinHandle<()>,
}

/// Binds 127.0.0.1:`port` (0: any free port) and serves on the current runtime.
pub async fn start(desk: Arc<Desk>, port: u16) -> std::io::Result<RunningApi> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(desk);
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!(error = %e, "local API stopped by a failure");
        }
    });
    tracing::info!(port = addr.port(), "local API listening on 127.0.0.1");
    Ok(RunningApi { addr, stop, task })
}

impl RunningApi {
    /// Stops accepting requests; requests running get a moment to finish.
    pub async fn stop(self) {
        let _ = self.stop.send(());
        let abort = self.task.abort_handle();
        if tokio::time::timeout(Duration::from_secs(2), self.task).await.is_err() {
            abort.abort();
        }
        tracing::info!(port = self.addr.port(), "local API stopped");
    }
}
