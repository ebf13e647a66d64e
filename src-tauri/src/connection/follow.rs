//! The team server's change stream, followed while the window is signed in
//! there: each change tells the window to update its lists and badge; a
//! notice the server's core decided on for this person is shown as a desktop
//! notification, with today's words and actions; the tray's count follows. When the server cannot be
//! reached the window is told, and the stream is asked for again with
//! backoff, from the last change seen, so nothing is lost or repeated.

use std::io::BufRead;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use specta::Type;
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tenant_desk_core::notifications::{DesktopNotifier, Notice};
use tenant_desk_core::ErrorCode;

use super::TeamServer;
use crate::commands::conversations::ConversationsChanged;
use crate::desktop::change_feed::ChangeFeed;
use crate::desktop_notifier::DesktopNotifications;

const FIRST_WAIT: Duration = Duration::from_secs(1);
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// Whether the team server answers, for the window's banner.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ServerReach {
    pub server: String,
    pub reachable: bool,
}

/// Follows `server`'s stream on a thread of its own, unless one already does.
pub fn start(app: &AppHandle, server: &Arc<TeamServer>) {
    if !server.start_following() {
        return;
    }
    let (app, server) = (app.clone(), server.clone());
    std::thread::spawn(move || {
        follow(&app, &server);
        server.stop_following();
    });
}

fn follow(app: &AppHandle, server: &TeamServer) {
    let notifier = DesktopNotifications::new(app.clone());
    let mut last: Option<String> = None;
    let mut wait = FIRST_WAIT;
    let mut away = false;
    while !server.is_closed() {
        let Some(token) = server.token() else { return };
        match server.events(&token, last.as_deref()) {
            Ok(lines) => {
                if away {
                    away = false;
                    tell(app, server, true);
                }
                wait = FIRST_WAIT;
                read(app, &notifier, lines, &mut last, server, &token);
            }
            // The sign-in ended (signed out here or elsewhere): the window learns it at its next call.
            Err(e) if e.code == ErrorCode::NotSignedIn => return,
            // Signed in but not through yet (the code, a new password, MFA to set up, the idle
            // lock): the server answers; the stream opens once the person is through.
            Err(e) if waits_on_the_person(e.code) => std::thread::sleep(FIRST_WAIT),
            Err(_) => {
                if !away {
                    away = true;
                    tell(app, server, false);
                }
                std::thread::sleep(wait);
                wait = (wait * 2).min(LONGEST_WAIT);
            }
        }
    }
}

fn waits_on_the_person(code: ErrorCode) -> bool {
    matches!(
        code,
        ErrorCode::SecondFactorRequired | ErrorCode::PasswordChangeRequired | ErrorCode::MfaEnrollmentRequired | ErrorCode::SessionLocked
    )
}

/// Reads events until the stream ends, noting the id of each. Nothing is
/// shown once the sign-in the stream was opened for is no longer the
/// window's (signed out here: the server ends the stream within a second).
fn read(
    app: &AppHandle,
    notifier: &DesktopNotifications,
    lines: Box<dyn BufRead + Send>,
    last: &mut Option<String>,
    server: &TeamServer,
    token: &str,
) {
    let (mut kind, mut id, mut data) = (String::new(), None, String::new());
    for line in lines.lines() {
        let Ok(line) = line else { return };
        if server.is_closed() || server.token().as_deref() != Some(token) {
            return;
        }
        if line.is_empty() {
            if !data.is_empty() || !kind.is_empty() {
                handle(app, notifier, &kind, &data);
            }
            if id.is_some() {
                *last = id.take();
            }
            kind.clear();
            data.clear();
            continue;
        }
        let (field, value) = line.split_once(':').unwrap_or((line.as_str(), ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "event" => kind = value.to_owned(),
            "id" => id = Some(value.to_owned()),
            "data" => data.push_str(value),
            _ => {}
        }
    }
}

fn handle(app: &AppHandle, notifier: &DesktopNotifications, kind: &str, data: &str) {
    let body: Value = serde_json::from_str(data).unwrap_or_default();
    let change = match kind {
        "reload" => ConversationsChanged { tenant_id: None, conversation_id: None },
        _ if body["kind"] == "notice" => {
            match serde_json::from_value::<Notice>(body["notice"].clone()) {
                Ok(notice) => {
                    if let Err(e) = notifier.show(0, &notice) {
                        tracing::warn!(error = %e.message, "a notice from the team server not shown");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "a notice from the team server could not be read"),
            }
            return;
        }
        _ => ConversationsChanged { tenant_id: body["tenant_id"].as_i64(), conversation_id: body["conversation_id"].as_i64() },
    };
    if let Some(feed) = app.try_state::<ChangeFeed>() {
        feed.tell(change);
    }
}

fn tell(app: &AppHandle, server: &TeamServer, reachable: bool) {
    tracing::info!(server = server.base(), reachable, "team server");
    let _ = ServerReach { server: server.base().to_owned(), reachable }.emit(app);
    if reachable {
        // What changed while away that the stream could not give back is read again.
        if let Some(feed) = app.try_state::<ChangeFeed>() {
            feed.tell(ConversationsChanged { tenant_id: None, conversation_id: None });
        }
    }
}
