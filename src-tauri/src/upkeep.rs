//! The store's upkeep (`Desk::forget_expired`): at start and every ten
//! minutes, on a thread of its own.

use std::sync::Arc;
use std::time::Duration;

use tenant_desk_core::Desk;

const PERIOD: Duration = Duration::from_secs(10 * 60);

pub fn run_periodically(desk: &Arc<Desk>) {
    let desk = desk.clone();
    std::thread::spawn(move || loop {
        if let Err(e) = desk.forget_expired() {
            eprintln!("tenant-desk: upkeep failed: {e}");
        }
        std::thread::sleep(PERIOD);
    });
}
