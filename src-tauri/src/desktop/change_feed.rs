//! Session changes told to the window and the tray: the first at once, then
//! at most one telling each 100 ms for whatever came meanwhile. The tenant API
//! can commit hundreds of changes a second, and each telling makes the window
//! read its list, filters and badge again and the tray count again; told one by
//! one, those reads took the window's main thread and the store from the
//! people using them.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use tauri::AppHandle;
use tauri_specta::Event;

use crate::commands::conversations::ConversationsChanged;

const INTERVAL: Duration = Duration::from_millis(100);

pub struct ChangeFeed(Sender<ConversationsChanged>);

impl ChangeFeed {
    /// Starts the thread that tells the window and the tray.
    pub fn start(app: AppHandle) -> Self {
        let (sender, changes) = mpsc::channel();
        std::thread::spawn(move || {
            tell_gathered(&changes, INTERVAL, |change| {
                if let Err(e) = change.emit(&app) {
                    tracing::warn!(error = %e, "the window not told of a session change");
                }
                super::tray::refresh(&app);
            })
        });
        Self(sender)
    }

    pub fn tell(&self, change: ConversationsChanged) {
        let _ = self.0.send(change);
    }
}

/// Tells each change that comes after a quiet `interval` at once; changes
/// that come sooner wait for the interval's end and are told as one. Returns
/// when every sender is gone.
fn tell_gathered(changes: &Receiver<ConversationsChanged>, interval: Duration, mut tell: impl FnMut(ConversationsChanged)) {
    let mut quiet_from = Instant::now();
    while let Ok(first) = changes.recv() {
        let mut told = first;
        while let Some(left) = quiet_from.checked_duration_since(Instant::now()).filter(|left| !left.is_zero()) {
            match changes.recv_timeout(left) {
                Ok(next) => told = together(told, next),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return tell(told),
            }
        }
        tell(told);
        quiet_from = Instant::now() + interval;
    }
}

/// Two changes as one: the conversation, or the tenant, when both name the
/// same; otherwise none, which asks for everything shown to be read again.
fn together(a: ConversationsChanged, b: ConversationsChanged) -> ConversationsChanged {
    let tenant_id = if a.tenant_id == b.tenant_id { a.tenant_id } else { None };
    let conversation_id = if tenant_id.is_some() && a.conversation_id == b.conversation_id { a.conversation_id } else { None };
    ConversationsChanged { tenant_id, conversation_id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(tenant_id: Option<i64>, conversation_id: Option<i64>) -> ConversationsChanged {
        ConversationsChanged { tenant_id, conversation_id }
    }

    fn told(changes: &[ConversationsChanged], interval: Duration) -> Vec<(Option<i64>, Option<i64>)> {
        let (sender, receiver) = mpsc::channel();
        for c in changes {
            sender.send(c.clone()).unwrap_or_default();
        }
        drop(sender);
        let mut told = Vec::new();
        tell_gathered(&receiver, interval, |c| told.push((c.tenant_id, c.conversation_id)));
        told
    }

    #[test]
    fn changes_that_come_together_are_told_once_after_the_first() {
        let burst: Vec<_> = (1..=200).map(|id| change(Some(7), Some(id))).collect();
        // The first at once; the other 199 within the interval, as one.
        assert_eq!(told(&burst, Duration::from_secs(60)), [(Some(7), Some(1)), (Some(7), None)]);
    }

    #[test]
    fn what_is_told_names_what_all_its_changes_share() {
        let same = [change(Some(7), Some(3)), change(Some(7), Some(3)), change(Some(7), Some(3))];
        assert_eq!(told(&same, Duration::from_secs(60)), [(Some(7), Some(3)), (Some(7), Some(3))]);
        let tenants = [change(Some(7), Some(3)), change(Some(7), Some(3)), change(Some(8), Some(3))];
        assert_eq!(told(&tenants, Duration::from_secs(60)), [(Some(7), Some(3)), (None, None)]);
        let import = [change(Some(7), None), change(Some(7), None), change(Some(7), Some(3))];
        assert_eq!(told(&import, Duration::from_secs(60)), [(Some(7), None), (Some(7), None)]);
    }

    #[test]
    fn a_change_after_a_quiet_interval_is_told_at_once() {
        let apart = [change(Some(7), Some(1)), change(Some(7), Some(2))];
        assert_eq!(told(&apart, Duration::ZERO), [(Some(7), Some(1)), (Some(7), Some(2))]);
    }
}
