//! Replies leave for the tenants' delivery addresses on a thread of their
//! own, never the window's: woken when a reply is written, and every few
//! seconds for the retries that fall due (the core keeps the outbox and the
//! backoff; a restart picks up where it was).

use std::sync::mpsc;
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use tenant_desk_core::conversations::{Author, ConversationChange};
use tenant_desk_core::Desk;

/// How often due retries are looked for when nothing wakes the thread.
const TICK: Duration = Duration::from_secs(2);

pub fn run(desk: &Arc<Desk>) {
    let (wake, woken) = mpsc::channel::<()>();
    desk.on_conversation_change(move |change| {
        if let ConversationChange::Message { author: Author::Operator, .. } = change {
            let _ = wake.send(());
        }
    });
    let desk = desk.clone();
    thread::spawn(move || loop {
        if let Err(e) = desk.deliver_due_replies() {
            tracing::warn!(error = %e, "replies not delivered");
        }
        if let Err(mpsc::RecvTimeoutError::Disconnected) = woken.recv_timeout(TICK) {
            return;
        }
    });
}
