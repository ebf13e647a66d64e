//! Trial reminders leave the app when conversations change, at startup,
//! every few minutes (days run out while nothing happens) and when someone
//! signs in (a reminder no admin saw waits for the next one); the core makes
//! each one go out once.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use tenant_desk_core::billing::SentReminder;
use tenant_desk_core::{Desk, Result};

const PERIOD: Duration = Duration::from_secs(10 * 60);

fn log(outcome: Result<Vec<SentReminder>>) {
    match outcome {
        Ok(sent) => {
            for reminder in &sent {
                for failure in &reminder.failures {
                    tracing::warn!(tenant_id = reminder.tenant_id, error = %failure, "billing reminder not shown");
                }
            }
        }
        Err(e) => tracing::warn!(error = %e, "billing reminders not checked"),
    }
}

pub fn watch(desk: &Arc<Desk>) {
    let checker = desk.clone();
    desk.on_conversation_change(move |change| log(checker.check_billing_reminders(change.tenant_id()).map(Vec::from_iter)));
    let waiting = Arc::downgrade(desk);
    desk.on_sign_in(move |account_id| {
        // Off the signing-in thread: a desktop slow to show a notice must not delay the window.
        if let Some(desk) = waiting.upgrade() {
            thread::spawn(move || log(desk.deliver_waiting_billing_reminders(account_id)));
        }
    });
    let periodic = desk.clone();
    thread::spawn(move || loop {
        log(periodic.check_all_billing_reminders());
        thread::sleep(PERIOD);
    });
}
