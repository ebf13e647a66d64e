//! The desktop's notification service through notify-rust (D-Bus
//! org.freedesktop.Notifications on Linux). A service that never answers
//! would block forever, so every call runs on its own thread and is given up
//! after a timeout.
//!
//! Where the service shows actions, a notice offers **Open** (also a click on
//! the notice) and, for a new assignment, **Accept**, which accepts the
//! conversation as the person signed in here. Where it renders markup, the
//! customer's words are escaped so they show as written.

use std::sync::{mpsc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tenant_desk_core::notifications::{Availability, DesktopNotifier, Notice};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::state::AppState;

const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);
const CAPABILITIES_KEPT: Duration = Duration::from_secs(60);
const APP_NAME: &str = "Tenant Desk";
/// The action a notification server invokes when the notice itself is clicked.
const OPEN_ACTION: &str = "default";
const ACCEPT_ACTION: &str = "accept";

/// Sent to the window when a person clicks one of our notifications or one
/// of its actions.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct NotificationClicked {
    pub conversation_id: Option<i64>,
    /// Accept was chosen and the conversation is now the person's.
    pub accepted: bool,
    /// Accept was chosen and refused (another operator was faster, …).
    pub problem: Option<String>,
}

pub struct DesktopNotifications {
    app: AppHandle,
    /// What the service said it can do, and when it said so.
    capabilities: Mutex<Option<(Instant, Capabilities)>>,
}

impl DesktopNotifications {
    pub fn new(app: AppHandle) -> Self {
        Self { app, capabilities: Mutex::new(None) }
    }

    /// The service's capabilities, asked again after [`CAPABILITIES_KEPT`]
    /// (another daemon may have taken over), so a notice costs one call.
    fn capabilities(&self) -> Capabilities {
        let mut kept = self.capabilities.lock().unwrap_or_else(|p| p.into_inner());
        match *kept {
            Some((at, caps)) if at.elapsed() < CAPABILITIES_KEPT => caps,
            _ => {
                let caps = capabilities();
                *kept = Some((Instant::now(), caps));
                caps
            }
        }
    }
}

/// Runs `work` on its own thread and waits at most [`ANSWER_TIMEOUT`].
fn answered_in_time<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(work());
    });
    rx.recv_timeout(ANSWER_TIMEOUT).ok()
}

/// What the notification service can do, as it says (empty when it cannot say).
#[derive(Default, Clone, Copy)]
struct Capabilities {
    actions: bool,
    body_markup: bool,
}

fn capabilities() -> Capabilities {
    match answered_in_time(notify_rust::get_capabilities) {
        Some(Ok(caps)) => Capabilities {
            actions: caps.iter().any(|c| c == "actions"),
            // Hyperlinks and images in a body are markup too: a server that
            // offers them parses the body (dunst does, without "body-markup").
            body_markup: caps.iter().any(|c| matches!(c.as_str(), "body-markup" | "body-hyperlinks" | "body-images")),
        },
        _ => Capabilities::default(),
    }
}

/// The text as a markup-rendering server shows it verbatim: the
/// notification specification's markup is a small XML subset.
pub fn escape_markup(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            c => escaped.push(c),
        }
    }
    escaped
}

impl DesktopNotifier for DesktopNotifications {
    fn availability(&self) -> Availability {
        availability()
    }

    fn show(&self, _account_id: i64, notice: &Notice) -> Result<()> {
        let caps = self.capabilities();
        let body = if caps.body_markup { escape_markup(&notice.body) } else { notice.body.clone() };
        let mut notification = notify_rust::Notification::new();
        notification.appname(APP_NAME).summary(&notice.summary).body(&body).action(OPEN_ACTION, "Open");
        if caps.actions && notice.offers_accept {
            notification.action(ACCEPT_ACTION, "Accept");
        }
        let (shown_tx, shown_rx) = mpsc::channel();
        let app = self.app.clone();
        let conversation_id = notice.conversation_id;
        // The thread lives until the notice is clicked or closed.
        thread::spawn(move || match notification.show() {
            Ok(handle) => {
                let _ = shown_tx.send(Ok(()));
                // The action is handled once the wait is over: the wait runs
                // inside notify-rust's own runtime, where accepting (which
                // waits on the app's runtime) cannot.
                let mut chosen = None;
                handle.wait_for_action(|action| chosen = Some(action.to_owned()));
                match chosen.as_deref() {
                    Some(OPEN_ACTION) => {
                        bring_forward(&app, NotificationClicked { conversation_id, accepted: false, problem: None })
                    }
                    Some(ACCEPT_ACTION) => bring_forward(&app, accept(&app, conversation_id)),
                    _ => {}
                }
            }
            Err(e) => {
                let _ = shown_tx.send(Err(e.to_string()));
            }
        });
        match shown_rx.recv_timeout(ANSWER_TIMEOUT) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(detail)) => Err(Error::new(
                ErrorCode::Desktop,
                format!("The notification could not be shown: {detail}"),
            )),
            Err(_) => Err(Error::new(ErrorCode::Desktop, "The desktop's notification service does not answer.")),
        }
    }
}

/// Whether this desktop's notification service answers (blocking, bounded).
pub fn availability() -> Availability {
    match answered_in_time(notify_rust::get_server_information) {
        Some(Ok(_)) => Availability::Available,
        Some(Err(_)) => Availability::Unavailable("no notification service is running on this desktop.".into()),
        None => Availability::Unavailable("the desktop's notification service does not answer.".into()),
    }
}

/// Accepts the conversation as the person signed in in the window (the core
/// decides whether they may).
fn accept(app: &AppHandle, conversation_id: Option<i64>) -> NotificationClicked {
    let outcome = match (conversation_id, app.try_state::<AppState>()) {
        (Some(id), Some(state)) => {
            tauri::async_runtime::block_on(crate::commands::operations::relay::accept_conversation(&state, id)).map(drop)
        }
        _ => Err(Error::new(ErrorCode::NotAllowed, "There is no session to accept.")),
    };
    match outcome {
        Ok(_) => {
            tracing::info!(conversation_id, "session accepted from a notification");
            NotificationClicked { conversation_id, accepted: true, problem: None }
        }
        Err(e) => {
            tracing::info!(conversation_id, error = %e.message, "accepting from a notification refused");
            NotificationClicked { conversation_id, accepted: false, problem: Some(e.message) }
        }
    }
}

fn bring_forward(app: &AppHandle, clicked: NotificationClicked) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let _ = clicked.emit(app);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_words_show_as_written_on_a_markup_server() {
        assert_eq!(
            escape_markup("<b>5 < 6</b> & \"x\" 'y'"),
            "&lt;b&gt;5 &lt; 6&lt;/b&gt; &amp; &quot;x&quot; &apos;y&apos;"
        );
        assert_eq!(escape_markup("Plain words, ünïcode"), "Plain words, ünïcode");
    }
}
