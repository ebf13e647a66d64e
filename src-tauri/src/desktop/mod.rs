//! The app's presence on the desktop beside its window: one instance per data
//! folder, session changes told to the window and the tray, the tray icon, what closing the window does and where the window
//! was, and starting at login.

pub mod change_feed;
pub mod single_instance;
pub mod start_at_login;
pub mod tray;
pub mod window_life;
