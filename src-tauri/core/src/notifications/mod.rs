//! Desktop notifications: what a person agreed to receive, by category, and the
//! desktop service that shows them. Senders (operator assignments, billing
//! reminders) go through [`Desk::notify`](crate::Desk::notify), which applies
//! the person's choices.

mod category;
mod desktop;
mod recorder;
mod send;
mod settings;

pub use category::Category;
pub use desktop::{Availability, DesktopNotifier, Notice};
pub use recorder::Recorder;
pub use settings::{CategorySetting, Consent, NotificationSettings};
