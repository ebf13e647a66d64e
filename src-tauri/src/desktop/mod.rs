//! The app's presence on the desktop beside its window: one instance per data
//! folder, the tray icon, what closing the window does and where the window
//! was, and starting at login.

pub mod single_instance;
pub mod start_at_login;
pub mod tray;
pub mod window_life;
