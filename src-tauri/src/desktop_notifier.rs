//! The desktop's notification service through notify-rust (D-Bus
//! org.freedesktop.Notifications on Linux). A service that never answers
//! would block forever, so every call runs on its own thread and is given up
//! after a timeout; a click on a notice brings the window forward.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tenant_desk_core::notifications::{Availability, DesktopNotifier, Notice};
use tenant_desk_core::{Error, ErrorCode, Result};

const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);
const APP_NAME: &str = "Tenant Desk";
/// The action a notification server invokes when the notice itself is clicked.
const DEFAULT_ACTION: &str = "default";

/// Sent to the window when a person clicks one of our notifications.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct NotificationClicked {
    pub conversation_id: Option<i64>,
}

pub struct DesktopNotifications {
    app: AppHandle,
}

impl DesktopNotifications {
    pub fn new(app: AppHandle) -> Self {
        Self { app }
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

impl DesktopNotifier for DesktopNotifications {
    fn availability(&self) -> Availability {
        match answered_in_time(notify_rust::get_server_information) {
            Some(Ok(_)) => Availability::Available,
            Some(Err(_)) => Availability::Unavailable("no notification service is running on this desktop.".into()),
            None => Availability::Unavailable("the desktop's notification service does not answer.".into()),
        }
    }

    fn show(&self, notice: &Notice) -> Result<()> {
        let mut notification = notify_rust::Notification::new();
        notification
            .appname(APP_NAME)
            .summary(&notice.summary)
            .body(&notice.body)
            .action(DEFAULT_ACTION, "Open");
        let (shown_tx, shown_rx) = mpsc::channel();
        let app = self.app.clone();
        let conversation_id = notice.conversation_id;
        // The thread lives until the notice is clicked or closed.
        thread::spawn(move || match notification.show() {
            Ok(handle) => {
                let _ = shown_tx.send(Ok(()));
                handle.wait_for_action(|action| {
                    if action == DEFAULT_ACTION {
                        bring_forward(&app, conversation_id);
                    }
                });
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

fn bring_forward(app: &AppHandle, conversation_id: Option<i64>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    let _ = NotificationClicked { conversation_id }.emit(app);
}
