//! Chart data exports outside any command: at startup, jobs the last run
//! left In Progress are Timed Out (nothing runs them any more); then, every
//! minute, expired files are deleted and jobs past their time limit timed
//! out, and the window is told when anything changed.

use std::sync::Arc;
use std::thread;
use std::time::Duration;

use tauri::AppHandle;
use tenant_desk_core::Desk;

use crate::commands::analytics::tell_window;

const PERIOD: Duration = Duration::from_secs(60);

pub fn recover_and_sweep(desk: &Arc<Desk>, app: AppHandle) {
    let desk = desk.clone();
    thread::spawn(move || {
        // Once the store is checked: the window does not wait for it.
        desk.db().wait_until_sound();
        match desk.recover_chart_exports() {
            Ok(0) => {}
            Ok(interrupted) => tracing::info!(interrupted, "chart data exports cut short by quitting are now Timed Out"),
            Err(e) => tracing::warn!(error = %e, "chart data exports cut short not recovered"),
        }
        loop {
            thread::sleep(PERIOD);
            match desk.sweep_chart_exports() {
                Ok(0) => {}
                Ok(_) => tell_window(&app, None),
                Err(e) => tracing::warn!(error = %e, "chart data exports not cleaned up"),
            }
        }
    });
}
