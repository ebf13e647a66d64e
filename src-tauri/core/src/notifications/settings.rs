//! Settings > Notifications: one's own consent and categories.

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::reach::{choices, has_schedule};
use super::{Availability, Category, Notice};
use crate::clock::to_wire;
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::Desk;

/// Whether the person wants desktop notifications from this app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    /// Not asked yet: the app offers "Allow notifications" at sign-in.
    Undecided,
    Enabled,
    /// Turned off in the app's settings; they can be turned back on there.
    Blocked,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct CategorySetting {
    pub category: Category,
    pub label: String,
    pub enabled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct NotificationSettings {
    pub consent: Consent,
    /// Whether this desktop has a notification service.
    pub available: bool,
    /// Why not, when it has none.
    pub unavailable_reason: Option<String>,
    pub categories: Vec<CategorySetting>,
    /// "Only during my shift" (it applies where one has a schedule).
    pub only_during_shift: bool,
    /// Whether one has a schedule in the organization one works in.
    pub has_schedule: bool,
    /// Until when notifications are paused (RFC 3339 UTC), if they are.
    pub paused_until: Option<String>,
}

/// The notice that proves, when enabling, that notifications reach the desktop.
fn welcome() -> Notice {
    Notice {
        summary: "Notifications enabled".into(),
        body: "Tenant Desk will notify you here.".into(),
        conversation_id: None,
        offers_accept: false,
    }
}

impl Desk {
    pub fn notification_settings(&self, actor: &Actor) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        let now = self.now_millis();
        self.db.read(|tx| {
            permit(tx, actor, Operation::ManageOwnNotifications)?;
            load(tx, actor, &availability, now)
        })
    }

    /// Turns notifications on (also after blocking them) by showing one: the
    /// desktop must have a service that accepts it, or nothing changes.
    pub fn enable_notifications(&self, actor: &Actor) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        if let Availability::Unavailable(reason) = &availability {
            tracing::warn!(account_id = actor.account_id, %reason, "notifications unavailable");
            return Err(unavailable(reason));
        }
        self.notifier.show(actor.account_id, &welcome()).inspect_err(|e| {
            tracing::warn!(account_id = actor.account_id, error = %e.message, "notification not shown");
        })?;
        self.set_consent(actor, Consent::Enabled, &availability)
    }

    pub fn block_notifications(&self, actor: &Actor) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        self.set_consent(actor, Consent::Blocked, &availability)
    }

    pub fn set_notification_category(
        &self,
        actor: &Actor,
        category: Category,
        enabled: bool,
    ) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            if enabled {
                tx.execute(
                    "DELETE FROM notification_categories_off WHERE account_id = ?1 AND category = ?2",
                    params![account_id, category.key()],
                )?;
            } else {
                tx.execute(
                    "INSERT INTO notification_categories_off (account_id, category) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
                    params![account_id, category.key()],
                )?;
            }
            load(tx, actor, &availability, now)
        })
    }

    fn set_consent(
        &self,
        actor: &Actor,
        consent: Consent,
        availability: &Availability,
    ) -> Result<NotificationSettings> {
        let stored = match consent {
            Consent::Enabled => "enabled",
            Consent::Blocked => "blocked",
            Consent::Undecided => return Err(Error::internal("consent cannot be undecided again")),
        };
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            tx.execute(
                "INSERT INTO notification_consent (account_id, consent, decided_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id) DO UPDATE SET consent = excluded.consent, decided_at = excluded.decided_at",
                params![account_id, stored, now],
            )?;
            load(tx, actor, availability, now)
        })
    }
}

fn unavailable(reason: &str) -> Error {
    Error::new(ErrorCode::Desktop, format!("Notifications are unavailable on this desktop: {reason}"))
}

pub(super) fn consent(tx: &Tx, account_id: i64) -> Result<Consent> {
    let stored: Option<String> = tx
        .query_row("SELECT consent FROM notification_consent WHERE account_id = ?1", [account_id], |r| r.get(0))
        .optional()?;
    Ok(match stored.as_deref() {
        Some("enabled") => Consent::Enabled,
        Some("blocked") => Consent::Blocked,
        _ => Consent::Undecided,
    })
}

pub(super) fn category_enabled(tx: &Tx, account_id: i64, category: Category) -> Result<bool> {
    let off: Option<i64> = tx
        .query_row(
            "SELECT 1 FROM notification_categories_off WHERE account_id = ?1 AND category = ?2",
            params![account_id, category.key()],
            |r| r.get(0),
        )
        .optional()?;
    Ok(off.is_none())
}

pub(super) fn load(tx: &Tx, actor: &Actor, availability: &Availability, now: i64) -> Result<NotificationSettings> {
    let account_id = actor.account_id;
    let categories = Category::ALL
        .into_iter()
        .map(|category| {
            Ok(CategorySetting {
                category,
                label: category.label().to_owned(),
                enabled: category_enabled(tx, account_id, category)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let unavailable_reason = match availability {
        Availability::Available => None,
        Availability::Unavailable(reason) => Some(reason.clone()),
    };
    let reach = choices(tx, account_id)?;
    Ok(NotificationSettings {
        consent: consent(tx, account_id)?,
        available: unavailable_reason.is_none(),
        unavailable_reason,
        categories,
        only_during_shift: reach.only_during_shift,
        has_schedule: has_schedule(tx, actor, now)?,
        paused_until: reach.paused_until.filter(|until| *until > now).map(to_wire),
    })
}
