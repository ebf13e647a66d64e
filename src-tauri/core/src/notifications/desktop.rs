use serde::{Deserialize, Serialize};
use specta::Type;

use crate::error::Result;

/// One desktop notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
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

/// The desktop's notification service (the app's is notify-rust over D-Bus;
/// a team server's passes each notice on to its person's desktops).
/// Calls block; the core makes them on worker threads.
pub trait DesktopNotifier: Send + Sync {
    fn availability(&self) -> Availability;
    /// Shows `notice` to the person of `account_id`.
    fn show(&self, account_id: i64, notice: &Notice) -> Result<()>;
}
