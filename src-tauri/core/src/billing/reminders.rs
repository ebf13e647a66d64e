//! Trial reminders: at 60 % and 90 % of the trial's sessions used, at 7 and
//! 2 days left, and at the end. Each is recorded once per tenant (the
//! `billing_reminders` key), also across restarts: the app checks after
//! conversations change, at startup, periodically and when someone signs in.
//! When several fall due together (the app was closed for days), all are
//! recorded and only the latest is shown, so nobody gets a burst of stale
//! notices.
//!
//! A reminder goes only to the tenant's Tenant Admins signed in on this
//! desktop. When none of them sees it (nobody signed in, or paused), it
//! waits, unsettled, and goes to the next admin of the tenant who signs in:
//! never lost, and once one admin saw it, never repeated.

use crate::store::sql::{params, OptionalExtension, Tx};
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
        Notice { summary, body, conversation_id: None, offers_accept: false }
    }
}

fn sent_keys(tx: &Tx, tenant_id: i64) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached("SELECT reminder FROM billing_reminders WHERE tenant_id = ?1")?;
    let sent = stmt.query_map([tenant_id], |r| r.get::<_, String>(0))?.collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(sent)
}

/// The latest reminder sent for the tenant's current trial, for the banner.
pub(crate) fn latest_sent(tx: &Tx, tenant_id: i64) -> Result<Option<Reminder>> {
    let sent = sent_keys(tx, tenant_id)?;
    Ok(Reminder::ALL.into_iter().rev().find(|r| sent.iter().any(|k| k == r.key())))
}

/// The tenant's reminder still waiting for an admin to see it, if any.
fn unsettled(tx: &Tx, tenant_id: i64) -> Result<Option<Reminder>> {
    let key: Option<String> = tx
        .prepare_cached("SELECT reminder FROM billing_reminders WHERE tenant_id = ?1 AND settled_at IS NULL")?
        .query_row([tenant_id], |r| r.get(0))
        .optional()?;
    Ok(key.and_then(|k| Reminder::ALL.into_iter().find(|r| r.key() == k)))
}

/// Tenant Admins of the tenant a notice reaches now (signed in on this
/// desktop, not paused).
fn reachable_admins(tx: &Tx, tenant_id: i64, now: i64, opened_at: i64) -> Result<Vec<i64>> {
    let mut stmt = tx.prepare_cached("SELECT account_id FROM memberships WHERE tenant_id = ?1 AND role = 'tenant_admin'")?;
    let admins = stmt.query_map([tenant_id], |r| r.get(0))?.collect::<crate::store::sql::Result<Vec<i64>>>()?;
    let mut reached = Vec::new();
    for admin in admins {
        if crate::notifications::reachable(tx, tenant_id, admin, now, opened_at)? {
            reached.push(admin);
        }
    }
    Ok(reached)
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
    /// Records the tenant's reminders that fell due, then shows the one still
    /// waiting to the Tenant Admins signed in here. Nobody there to see it:
    /// it waits for the next admin's sign-in (or the next check).
    pub fn check_billing_reminders(&self, tenant_id: i64) -> Result<Option<SentReminder>> {
        let now = self.now_millis();
        // Most checks (every message) find nothing due and nothing waiting: they only read.
        let pending = self.db.read(|tx| {
            if unsettled(tx, tenant_id)?.is_some() && !reachable_admins(tx, tenant_id, now, self.opened_at)?.is_empty() {
                return Ok(true);
            }
            let Some(s) = status(tx, tenant_id, now)? else { return Ok(false) };
            let sent = sent_keys(tx, tenant_id)?;
            Ok(Reminder::ALL.into_iter().any(|r| r.due(&s) && !sent.iter().any(|k| k == r.key())))
        })?;
        if !pending {
            return Ok(None);
        }
        let waiting = self.db.write(|tx| {
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
            if let Some(newest) = newest {
                // Only the latest word goes out: earlier ones still waiting are superseded.
                tx.execute(
                    "UPDATE billing_reminders SET settled_at = ?3
                      WHERE tenant_id = ?1 AND settled_at IS NULL AND reminder <> ?2",
                    params![tenant_id, newest.key(), now],
                )?;
            }
            Ok(match unsettled(tx, tenant_id)? {
                Some(r) => Some((r, r.notice(&s), reachable_admins(tx, tenant_id, now, self.opened_at)?)),
                None => None,
            })
        })?;
        let Some((reminder, notice, admins)) = waiting else { return Ok(None) };
        let mut sent = SentReminder { tenant_id, reminder, notice, shown_to: Vec::new(), failures: Vec::new() };
        for admin in admins {
            match self.notify(admin, Category::BillingReminders, &sent.notice) {
                Ok(true) => sent.shown_to.push(admin),
                Ok(false) => {}
                Err(e) => sent.failures.push(e.message),
            }
        }
        if !sent.shown_to.is_empty() {
            self.db.write(|tx| {
                tx.execute(
                    "UPDATE billing_reminders SET settled_at = ?3 WHERE tenant_id = ?1 AND reminder = ?2 AND settled_at IS NULL",
                    params![tenant_id, reminder.key(), now],
                )?;
                Ok(())
            })?;
        }
        Ok(Some(sent))
    }

    /// The reminders that waited for this person: every tenant they
    /// administer (after they sign in).
    pub fn deliver_waiting_billing_reminders(&self, account_id: i64) -> Result<Vec<SentReminder>> {
        let tenants: Vec<i64> = self.db.read(|tx| {
            let mut stmt = tx.prepare(
                "SELECT DISTINCT m.tenant_id FROM memberships m JOIN billing_reminders b ON b.tenant_id = m.tenant_id
                  WHERE m.account_id = ?1 AND m.role = 'tenant_admin' AND b.settled_at IS NULL",
            )?;
            let ids = stmt.query_map([account_id], |r| r.get(0))?.collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(ids)
        })?;
        let mut sent = Vec::new();
        for tenant_id in tenants {
            sent.extend(self.check_billing_reminders(tenant_id)?);
        }
        Ok(sent)
    }

    /// Every tenant's due reminders (at startup and periodically).
    pub fn check_all_billing_reminders(&self) -> Result<Vec<SentReminder>> {
        let tenants: Vec<i64> = self.db.read(|tx| {
            let mut stmt = tx.prepare("SELECT tenant_id FROM trials")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(ids)
        })?;
        let mut sent = Vec::new();
        for tenant_id in tenants {
            sent.extend(self.check_billing_reminders(tenant_id)?);
        }
        Ok(sent)
    }
}
