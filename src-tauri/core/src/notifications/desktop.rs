use serde::Serialize;
use specta::Type;

use crate::error::Result;

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Notice {
    pub summary: String,
    pub body: String,
    /// The conversation a click on the notification opens, if any.
    pub conversation_id: Option<i64>,
    /// The notice offers Accept (a conversation newly assigned to its reader),
    /// where the desktop's notification service shows actions.
    pub offers_accept: bool,
}

/// Whether this desktop can show notifications at all, found out by asking
/// its notification service (not guessed from the platform).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Availability {
    Available,
    /// No notification service answered; the reason is shown to people.
    Unavailable(String),
}

/// The desktop's notification service (the app's is notify-rust over D-Bus).
/// Calls block; the core makes them on worker threads.
pub trait DesktopNotifier: Send + Sync {
    fn availability(&self) -> Availability;
    fn show(&self, notice: &Notice) -> Result<()>;
}
