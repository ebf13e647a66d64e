//! Desktop notifications: what a person agreed to receive, by category, when
//! they reach them (`reach`: signed in here, not paused, on shift if they
//! choose), and the desktop service that shows them. Senders (operator assignments, billing
//! reminders) go through [`Desk::notify`](crate::Desk::notify), which applies
//! the person's choices.

mod category;
mod desktop;
mod reach;
mod recorder;
mod send;
mod settings;

pub use category::Category;
pub use desktop::{Availability, DesktopNotifier, Notice};
pub(crate) use reach::reachable;
pub use reach::{tomorrow_morning, PauseFor};
pub use recorder::Recorder;
pub use settings::{CategorySetting, Consent, NotificationSettings};
