//! Calls to the team server: setup, sign-in and sign-out, who is signed in,
//! health, and every operation by name. The sign-in's token is the bearer
//! credential; it lives in memory, and in the OS keyring only when the person
//! chose "Keep me signed in". Calls block (ureq): they run on worker threads.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value};
use ureq::tls::{Certificate, RootCerts, TlsConfig};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::ServerAddress;

/// How long an operation may take before the desktop says the server does
/// not answer (an archive or a large import takes its own route).
const CALL_DEADLINE: Duration = Duration::from_secs(30);
const CONNECT_DEADLINE: Duration = Duration::from_secs(5);

pub struct TeamServer {
    address: ServerAddress,
    calls: ureq::Agent,
    /// The change stream stays open: no deadline on its body.
    stream: ureq::Agent,
    token: Mutex<Option<String>>,
    /// Set when the desktop stops using this server: its stream ends.
    closed: AtomicBool,
    /// Whether a thread follows its change stream.
    following: AtomicBool,
}

impl TeamServer {
    pub fn new(address: ServerAddress) -> Arc<Self> {
        let roots = match address.pinned.as_deref().map(tenant_desk_core::operations::decode_bytes) {
            Some(Ok(der)) => RootCerts::Specific(Arc::new(vec![Certificate::from_der(&der).to_owned()])),
            _ => RootCerts::PlatformVerifier,
        };
        let tls = TlsConfig::builder().root_certs(roots).build();
        let agent = |deadline: Option<Duration>| -> ureq::Agent {
            ureq::Agent::config_builder()
                .http_status_as_error(false)
                .timeout_connect(Some(CONNECT_DEADLINE))
                .timeout_global(deadline)
                .tls_config(tls.clone())
                .build()
                .into()
        };
        Arc::new(TeamServer {
            address,
            calls: agent(Some(CALL_DEADLINE)),
            stream: agent(None),
            token: Mutex::default(),
            closed: AtomicBool::new(false),
            following: AtomicBool::new(false),
        })
    }

    pub fn base(&self) -> &str {
        &self.address.base
    }

    pub fn token(&self) -> Option<String> {
        self.token.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn set_token(&self, token: Option<String>) {
        *self.token.lock().unwrap_or_else(|p| p.into_inner()) = token;
    }

    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
    }

    /// True for the one caller that is to follow the change stream.
    pub fn start_following(&self) -> bool {
        !self.following.swap(true, Ordering::SeqCst)
    }

    pub fn stop_following(&self) {
        self.following.store(false, Ordering::SeqCst);
    }

    /// Runs the operation `name` on the server for the signed-in person.
    pub async fn call(self: &Arc<Self>, name: &str, args: Map<String, Value>) -> Result<Value> {
        let token = self.token().ok_or_else(Error::not_signed_in)?;
        self.post(&format!("/api/desk/v1/op/{name}"), Some(token), Value::Object(args)).await
    }

    /// Whether the workspace on the server is set up yet.
    pub async fn is_set_up(self: &Arc<Self>) -> Result<bool> {
        let health = self.get("/health", None).await?;
        Ok(health["set_up"].as_bool().unwrap_or(true))
    }

    /// `{token, signed_in}` after a password sign-in or a setup.
    pub async fn open_session(self: &Arc<Self>, path: &str, body: Value) -> Result<(String, Value)> {
        let answer = self.post(path, None, body).await?;
        let token = answer["token"].as_str().ok_or_else(|| odd("no token"))?.to_owned();
        Ok((token, answer["signed_in"].clone()))
    }

    pub async fn me(self: &Arc<Self>, token: &str) -> Result<Value> {
        self.get("/api/desk/v1/me", Some(token.to_owned())).await
    }

    pub async fn sign_out(self: &Arc<Self>, token: String) -> Result<()> {
        self.post("/api/desk/v1/sign-out", Some(token), Value::Object(Map::new())).await.map(drop)
    }

    /// Writes the archive of the person's tenant (`GET /api/desk/v1/archive`)
    /// to `to`, through a file beside it renamed once complete; blocking.
    pub fn save_archive(&self, to: &std::path::Path) -> Result<()> {
        let token = self.token().ok_or_else(Error::not_signed_in)?;
        let response = self
            .stream
            .get(&format!("{}/api/desk/v1/archive", self.base()))
            .header("Authorization", &bearer(&token))
            .call()
            .map_err(|e| unreachable(self.base(), &e))?;
        if !response.status().is_success() {
            return Err(refusal(response));
        }
        let partial = to.with_extension("zip.part");
        let written = std::fs::File::create(&partial)
            .and_then(|mut file| std::io::copy(&mut response.into_body().into_reader(), &mut file).and_then(|_| file.sync_all()))
            .and_then(|()| std::fs::rename(&partial, to));
        written.map_err(|e| {
            let _ = std::fs::remove_file(&partial);
            Error::new(ErrorCode::Storage, format!("The archive could not be saved to {}: {e}", to.display()))
        })
    }

    /// The change stream after `last` (`epoch:seq`), as lines; blocking.
    pub fn events(&self, token: &str, last: Option<&str>) -> Result<Box<dyn BufRead + Send>> {
        let mut request = self.stream.get(&format!("{}/api/desk/v1/events", self.base())).header("Authorization", &bearer(token));
        if let Some(last) = last {
            request = request.header("Last-Event-ID", last);
        }
        let response = request.call().map_err(|e| unreachable(self.base(), &e))?;
        if !response.status().is_success() {
            return Err(refusal(response));
        }
        Ok(Box::new(std::io::BufReader::new(response.into_body().into_reader())))
    }

    async fn post(self: &Arc<Self>, path: &str, token: Option<String>, body: Value) -> Result<Value> {
        let server = self.clone();
        let url = format!("{}{path}", self.base());
        blocking(move || {
            let mut request = server.calls.post(&url);
            if let Some(token) = &token {
                request = request.header("Authorization", &bearer(token));
            }
            let text = serde_json::to_string(&body).map_err(|e| Error::internal(e.to_string()))?;
            let response = request.content_type("application/json").send(text).map_err(|e| unreachable(server.base(), &e))?;
            answer(response)
        })
        .await
    }

    async fn get(self: &Arc<Self>, path: &str, token: Option<String>) -> Result<Value> {
        let server = self.clone();
        let url = format!("{}{path}", self.base());
        blocking(move || {
            let mut request = server.calls.get(&url);
            if let Some(token) = &token {
                request = request.header("Authorization", &bearer(token));
            }
            answer(request.call().map_err(|e| unreachable(server.base(), &e))?)
        })
        .await
    }
}

async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(work).await.map_err(|e| Error::internal(format!("worker failed: {e}")))?
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// A success's JSON (`null` for none), or the server's refusal.
fn answer(response: ureq::http::Response<ureq::Body>) -> Result<Value> {
    if !response.status().is_success() {
        return Err(refusal(response));
    }
    let text = response.into_body().read_to_string().map_err(|e| odd(&e.to_string()))?;
    if text.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| odd(&e.to_string()))
}

/// The core's error as the server sent it, so the window shows the same
/// message under the same field; the server's own refusals (too many
/// requests, a body too large) in its words.
fn refusal(response: ureq::http::Response<ureq::Body>) -> Error {
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().unwrap_or_default();
    if let Ok(error) = serde_json::from_str::<Error>(&text) {
        return error;
    }
    let message = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("The team server refused the request (HTTP {status})."));
    let code = if status == 429 { ErrorCode::Throttled } else { ErrorCode::Internal };
    Error::new(code, message)
}

fn unreachable(base: &str, e: &ureq::Error) -> Error {
    tracing::info!(server = base, error = %e, "team server not reached");
    if refuses_certificate(e) {
        return Error::new(
            ErrorCode::ServerUnreachable,
            format!("The team server {base} presents a certificate this computer does not trust (or no longer the one you confirmed). Choose Change on Sign in to check it again."),
        );
    }
    Error::new(
        ErrorCode::ServerUnreachable,
        format!("The team server {base} cannot be reached. What you typed is kept; try again when the connection is back."),
    )
}

/// A TLS refusal: the handshake's own error, or rustls's inside the
/// transport's I/O error.
fn refuses_certificate(e: &ureq::Error) -> bool {
    match e {
        ureq::Error::Rustls(_) | ureq::Error::Tls(_) => true,
        ureq::Error::Io(io) => io.get_ref().is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some()),
        _ => false,
    }
}

fn odd(detail: &str) -> Error {
    Error::internal(format!("the team server's answer could not be read: {detail}"))
}
