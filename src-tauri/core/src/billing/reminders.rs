//! Trial reminders: at 60 % and 90 % of the trial's sessions used, at 7 and
//! 2 days left, and at the end. Each is sent once per tenant (the
//! `billing_reminders` key), also across restarts: the app checks after
//! conversations change, at startup and periodically. When several fall due
//! together (the app was closed for days), all are marked sent and only the
//! latest is shown, so nobody gets a burst of stale notices.

use rusqlite::{params, Transaction};
use serde::Serialize;
use specta::Type;

use super::trial::{status, TrialStatus};
use crate::error::Result;
use crate::notifications::{Category, Notice};
use crate::Desk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Reminder {
    Sessions60,
    Sessions90,
    Days7,
    Days2,
    Ended,
}

impl Reminder {
    /// In the order they fall due within each kind; `Ended` is the last word.
    pub const ALL: [Reminder; 5] = [Reminder::Sessions60, Reminder::Sessions90, Reminder::Days7, Reminder::Days2, Reminder::Ended];

    fn key(self) -> &'static str {
        match self {
            Reminder::Sessions60 => "sessions_60",
            Reminder::Sessions90 => "sessions_90",
            Reminder::Days7 => "days_7",
            Reminder::Days2 => "days_2",
            Reminder::Ended => "ended",
        }
    }

    fn due(self, s: &TrialStatus) -> bool {
        let used_percent = |p: i64| s.used * 100 >= s.trial.sessions_limit * p;
        match self {
            Reminder::Sessions60 => used_percent(60),
            Reminder::Sessions90 => used_percent(90),
            Reminder::Days7 => s.days_left <= 7,
            Reminder::Days2 => s.days_left <= 2,
            Reminder::Ended => s.expired,
        }
    }

    /// The words of the notification and of the banner.
    pub(crate) fn notice(self, s: &TrialStatus) -> Notice {
        let (summary, body) = match self {
            Reminder::Sessions60 | Reminder::Sessions90 => (
                format!("Your trial has used {}% of its sessions", if self == Reminder::Sessions60 { 60 } else { 90 }),
                format!("{} of {} trial sessions used. Choose a plan to keep serving your customers.", s.used, s.trial.sessions_limit),
            ),
            Reminder::Days7 | Reminder::Days2 => (
                format!("{} days left in your trial", if self == Reminder::Days7 { 7 } else { 2 }),
                format!("{} trial sessions left. Choose a plan before the trial ends.", s.sessions_left),
            ),
            Reminder::Ended => (
                "Your trial has ended".to_owned(),
                "Choose a plan in Profile > Billing to keep serving your customers.".to_owned(),
            ),
        };
        Notice { summary, body, conversation_id: None }
    }
}

fn sent_keys(tx: &Transaction, tenant_id: i64) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached("SELECT reminder FROM billing_reminders WHERE tenant_id = ?1")?;
    let sent = stmt.query_map([tenant_id], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(sent)
}

/// The latest reminder sent for the tenant's current trial, for the banner.
pub(crate) fn latest_sent(tx: &Transaction, tenant_id: i64) -> Result<Option<Reminder>> {
    let sent = sent_keys(tx, tenant_id)?;
    Ok(Reminder::ALL.into_iter().rev().find(|r| sent.iter().any(|k| k == r.key())))
}

fn tenant_admins(tx: &Transaction, tenant_id: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT account_id FROM memberships WHERE tenant_id = ?1 AND role = 'tenant_admin'")?;
    let ids = stmt.query_map([tenant_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(ids)
}

/// A reminder that went out: whom it was shown to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReminder {
    pub tenant_id: i64,
    pub reminder: Reminder,
    pub notice: Notice,
    /// Tenant Admins whose desktop showed it (the others turned the category off).
    pub shown_to: Vec<i64>,
    /// Desktop failures, for the app's log.
    pub failures: Vec<String>,
}

impl Desk {
    /// Sends the tenant's reminders that fell due and were not sent yet.
    pub fn check_billing_reminders(&self, tenant_id: i64) -> Result<Option<SentReminder>> {
        let now = self.now_millis();
        // Most checks (every message) find nothing due: they only read.
        let pending = self.db.read(|tx| {
            let Some(s) = status(tx, tenant_id, now)? else { return Ok(false) };
            let sent = sent_keys(tx, tenant_id)?;
            Ok(Reminder::ALL.into_iter().any(|r| r.due(&s) && !sent.iter().any(|k| k == r.key())))
        })?;
        if !pending {
            return Ok(None);
        }
        let due = self.db.write(|tx| {
            let Some(s) = status(tx, tenant_id, now)? else { return Ok(None) };
            let mut newest = None;
            for reminder in Reminder::ALL {
                if reminder.due(&s)
                    && tx.execute(
                        "INSERT INTO billing_reminders (tenant_id, reminder, sent_at) VALUES (?1, ?2, ?3)
                         ON CONFLICT DO NOTHING",
                        params![tenant_id, reminder.key(), now],
                    )? == 1
                {
                    newest = Some(reminder);
                }
            }
            Ok(match newest {
                Some(r) => Some((r, r.notice(&s), tenant_admins(tx, tenant_id)?)),
                None => None,
            })
        })?;
        let Some((reminder, notice, admins)) = due else { return Ok(None) };
        let mut sent = SentReminder { tenant_id, reminder, notice, shown_to: Vec::new(), failures: Vec::new() };
        for admin in admins {
            match self.notify(admin, Category::BillingReminders, &sent.notice) {
                Ok(true) => sent.shown_to.push(admin),
                Ok(false) => {}
                Err(e) => sent.failures.push(e.message),
            }
        }
        Ok(Some(sent))
    }

    /// Every tenant's due reminders (at startup and periodically).
    pub fn check_all_billing_reminders(&self) -> Result<Vec<SentReminder>> {
        let tenants: Vec<i64> = self.db.read(|tx| {
            let mut stmt = tx.prepare("SELECT tenant_id FROM trials")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ids)
        })?;
        let mut sent = Vec::new();
        for tenant_id in tenants {
            sent.extend(self.check_billing_reminders(tenant_id)?);
        }
        Ok(sent)
    }
}
