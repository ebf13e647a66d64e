//! The accept loop: a bounded number of connections, TLS where configured,
//! HTTP/1.1 with a deadline on each request's headers, requests per client
//! address bounded, and a graceful stop that lets running requests finish.

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use futures_util::future::Either;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tenant_desk_api::ApiError;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::config::Limits;
use crate::rate::RateLimit;

/// 429 with when to try again, in the API's error shape.
fn too_many(wait: u64) -> Response<Body> {
    let refusal = ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", "Too many requests from this address; try again shortly.");
    let mut response = refusal.into_response();
    if let Ok(value) = header::HeaderValue::from_str(&wait.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

pub async fn serve(listener: TcpListener, tls: Option<TlsAcceptor>, app: Router, limits: Limits, stop: impl Future<Output = ()>) {
    let graceful = GracefulShutdown::new();
    let rate = Arc::new(RateLimit::new(limits.requests_per_minute, limits.burst));
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    tokio::pin!(stop);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => match slot { Ok(slot) => slot, Err(_) => break },
            _ = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = &mut stop => break,
        };
        let app = app.clone();
        let rate = rate.clone();
        let service = service_fn(move |request: Request<Incoming>| {
            match rate.take(peer.ip(), Instant::now()) {
                Ok(()) => {
                    let mut request = request.map(Body::new);
                    request.extensions_mut().insert(ConnectInfo(peer));
                    Either::Left(app.clone().oneshot(request))
                }
                Err(wait) => Either::Right(std::future::ready(Ok(too_many(wait)))),
            }
        });
        let mut http = http1::Builder::new();
        http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout());
        let watcher = graceful.watcher();
        let tls = tls.clone();
        let handshake = limits.header_timeout();
        tokio::spawn(async move {
            let _slot = slot;
            let served = match tls {
                Some(acceptor) => match tokio::time::timeout(handshake, acceptor.accept(stream)).await {
                    Ok(Ok(stream)) => watcher.watch(http.serve_connection(TokioIo::new(stream), service)).await,
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "TLS handshake refused");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "TLS handshake not finished in time");
                        return;
                    }
                },
                None => watcher.watch(http.serve_connection(TokioIo::new(stream), service)).await,
            };
            if let Err(e) = served {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    tracing::info!("stopped accepting connections; letting running requests finish");
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("every connection closed"),
        _ = tokio::time::sleep(limits.shutdown_grace()) => tracing::warn!("requests still running after the grace period were cut off"),
    }
}
