use serde::{Deserialize, Serialize};
use specta::Type;

/// What a notification is about; each can be turned off on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ConversationAssigned,
    NewMessage,
    BillingReminders,
    ProductNews,
}

impl Category {
    pub const ALL: [Category; 4] =
        [Category::ConversationAssigned, Category::NewMessage, Category::BillingReminders, Category::ProductNews];

    /// The words people see next to the switch.
    pub fn label(self) -> &'static str {
        match self {
            Category::ConversationAssigned => "New session assigned",
            Category::NewMessage => "New message in my sessions",
            Category::BillingReminders => "Billing and trial reminders",
            Category::ProductNews => "Product news",
        }
    }

    /// The stored name (also the serialized one).
    pub(crate) fn key(self) -> &'static str {
        match self {
            Category::ConversationAssigned => "session_assigned",
            Category::NewMessage => "new_message",
            Category::BillingReminders => "billing_reminders",
            Category::ProductNews => "product_news",
        }
    }
}
