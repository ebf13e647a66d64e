//! The store's upkeep, on a thread of its own: at start, the snapshots a
//! stopped app left half imported or half removed
//! (`Desk::discard_unfinished_snapshots`); at start and every ten minutes,
//! what has expired (`Desk::forget_expired`).

use std::sync::Arc;
use std::time::Duration;

use tenant_desk_core::Desk;

const PERIOD: Duration = Duration::from_secs(10 * 60);

pub fn run_periodically(desk: &Arc<Desk>) {
    let desk = desk.clone();
    std::thread::spawn(move || {
        desk.db().wait_until_sound();
        if let Err(e) = desk.discard_unfinished_snapshots() {
            tracing::warn!(error = %e, "unfinished snapshot not removed");
        }
        loop {
            if let Err(e) = desk.forget_expired() {
                tracing::warn!(error = %e, "upkeep failed");
            }
            std::thread::sleep(PERIOD);
        }
    });
}
