//! The one way notifications leave the app, so every sender respects the
//! person's consent and categories.

use super::settings::{category_enabled, consent};
use super::{Category, Consent, Notice};
use crate::error::Result;
use crate::Desk;

impl Desk {
    /// Whether the account enabled notifications and keeps this category on.
    pub fn wants_notification(&self, account_id: i64, category: Category) -> Result<bool> {
        self.db.read(|tx| {
            Ok(consent(tx, account_id)? == Consent::Enabled && category_enabled(tx, account_id, category)?)
        })
    }

    /// Shows the notice when the account wants this category; returns whether
    /// it was shown. A desktop that fails to show it is an error for the
    /// caller to log; the caller's own work is already done.
    pub fn notify(&self, account_id: i64, category: Category, notice: &Notice) -> Result<bool> {
        if !self.wants_notification(account_id, category)? {
            return Ok(false);
        }
        self.notifier.show(account_id, notice)?;
        Ok(true)
    }
}
