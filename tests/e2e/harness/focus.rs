//! The one keyboard focus of the shared X display. Tests running in parallel
//! share the display; a window that comes forward (an app starting, a notice
//! opening its conversation, a second launch) takes the keyboard from whatever
//! had it. Typing into a file chooser, and anything that brings a window
//! forward, hold this so the keys reach the window they are meant for.

static FOCUS: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Holds the keyboard focus until the guard is dropped.
pub async fn hold() -> tokio::sync::MutexGuard<'static, ()> {
    FOCUS.lock().await
}
