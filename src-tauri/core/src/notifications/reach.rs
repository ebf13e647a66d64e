//! Whether a notification reaches a person now: they are signed in on this
//! desktop, belong to the tenant it is about, have not paused notifications,
//! and — where they have a schedule and keep "Only during my shift" on — are
//! on shift. Their role does not matter: whoever handles a conversation hears
//! about it.

use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use crate::store::sql::{params, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{authorize, permit, Actor, Operation};
use crate::clock::{from_millis, to_millis};
use crate::error::{Error, Result};
use crate::Desk;

use super::settings::{load, NotificationSettings};

/// How long "Pause notifications" lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PauseFor {
    OneHour,
    /// Until 08:00 tomorrow in the person's time (their schedule's zone, or
    /// their organization's).
    UntilTomorrow,
}

/// The hour of the morning "until tomorrow" ends at.
const MORNING: NaiveTime = match NaiveTime::from_hms_opt(8, 0, 0) {
    Some(t) => t,
    None => NaiveTime::MIN,
};

/// A person's own choices about when notifications reach them.
pub(super) struct Reach {
    pub only_during_shift: bool,
    pub paused_until: Option<i64>,
}

pub(super) fn choices(tx: &Tx, account_id: i64) -> Result<Reach> {
    let stored = tx
        .query_row(
            "SELECT only_during_shift, paused_until FROM notification_reach WHERE account_id = ?1",
            [account_id],
            |r| Ok(Reach { only_during_shift: r.get(0)?, paused_until: r.get(1)? }),
        )
        .optional()?;
    Ok(stored.unwrap_or(Reach { only_during_shift: true, paused_until: None }))
}

/// Whether the account is signed in on this desktop now: a login session,
/// past its code, started since this app opened (older ones are other runs').
fn signed_in_here(tx: &Tx, account_id: i64, opened_at: i64) -> Result<bool> {
    Ok(tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM login_sessions
                         WHERE account_id = ?1 AND ended_at IS NULL AND awaiting_code = 0 AND created_at >= ?2)",
        params![account_id, opened_at],
        |r| r.get(0),
    )?)
}

/// Whether a notice about `tenant_id` reaches `account_id` at `now`.
pub(crate) fn reachable(tx: &Tx, tenant_id: i64, account_id: i64, now: i64, opened_at: i64) -> Result<bool> {
    if !signed_in_here(tx, account_id, opened_at)? {
        return Ok(false);
    }
    let membership: Option<i64> = tx
        .query_row(
            "SELECT id FROM memberships WHERE account_id = ?1 AND tenant_id = ?2",
            params![account_id, tenant_id],
            |r| r.get(0),
        )
        .optional()?;
    let Some(membership) = membership else { return Ok(false) };
    let reach = choices(tx, account_id)?;
    if reach.paused_until.is_some_and(|until| now < until) {
        return Ok(false);
    }
    let shift = crate::schedules::shift_at(tx, membership, from_millis(now))?;
    Ok(!(reach.only_during_shift && shift == Some(false)))
}

/// Whether the actor has a schedule in the tenant they work in, so "Only
/// during my shift" means something for them.
pub(super) fn has_schedule(tx: &Tx, actor: &Actor, now: i64) -> Result<bool> {
    Ok(match membership(tx, actor)? {
        Some(id) => crate::schedules::shift_at(tx, id, from_millis(now))?.is_some(),
        None => false,
    })
}

fn membership(tx: &Tx, actor: &Actor) -> Result<Option<i64>> {
    let Some(tenant) = &actor.tenant else { return Ok(None) };
    Ok(tx
        .query_row(
            "SELECT id FROM memberships WHERE account_id = ?1 AND tenant_id = ?2",
            params![actor.account_id, tenant.tenant_id],
            |r| r.get(0),
        )
        .optional()?)
}

/// The person's zone for "tomorrow morning": their schedule's, else their
/// organization's, else UTC.
fn zone(tx: &Tx, actor: &Actor) -> Result<Tz> {
    let scheduled: Option<String> = match membership(tx, actor)? {
        Some(id) => tx
            .query_row("SELECT zone FROM operator_schedules WHERE membership_id = ?1", [id], |r| r.get(0))
            .optional()?,
        None => None,
    };
    let name = match (scheduled, &actor.tenant) {
        (Some(zone), _) => Some(zone),
        (None, Some(tenant)) => tx
            .query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant.tenant_id], |r| r.get(0))
            .optional()?,
        (None, None) => None,
    };
    Ok(name.and_then(|n| n.parse().ok()).unwrap_or(Tz::UTC))
}

/// 08:00 of the day after `now` in `zone`.
pub fn tomorrow_morning(now: DateTime<Utc>, zone: Tz) -> Option<DateTime<Utc>> {
    let day = now.with_timezone(&zone).date_naive().checked_add_days(Days::new(1))?;
    zone.from_local_datetime(&day.and_time(MORNING)).earliest().map(|t| t.with_timezone(&Utc))
}

impl Desk {
    /// Pauses one's notifications; a pause replaces the one before.
    pub fn pause_notifications(&self, actor: &Actor, pause: PauseFor) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            let until = match pause {
                PauseFor::OneHour => now + 3_600_000,
                PauseFor::UntilTomorrow => tomorrow_morning(from_millis(now), zone(tx, actor)?)
                    .map(to_millis)
                    .ok_or_else(|| Error::internal("tomorrow morning does not exist"))?,
            };
            store(tx, account_id, "paused_until", Some(until))?;
            tracing::info!(account_id, until, "notifications paused");
            load(tx, actor, &availability, now)
        })
    }

    /// Until when one's notifications are paused (RFC 3339 UTC), if they are.
    pub fn notifications_paused_until(&self, actor: &Actor) -> Result<Option<String>> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let now = self.now_millis();
        self.db.read(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            Ok(choices(tx, account_id)?.paused_until.filter(|until| *until > now).map(crate::clock::to_wire))
        })
    }

    pub fn resume_notifications(&self, actor: &Actor) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            store(tx, account_id, "paused_until", None)?;
            load(tx, actor, &availability, now)
        })
    }

    /// "Only during my shift": where one has a schedule, notifications come
    /// only on shift.
    pub fn set_only_during_shift(&self, actor: &Actor, only: bool) -> Result<NotificationSettings> {
        authorize(actor, Operation::ManageOwnNotifications)?;
        let availability = self.notifier.availability();
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnNotifications)?.account_id();
            store(tx, account_id, "only_during_shift", Some(i64::from(only)))?;
            load(tx, actor, &availability, now)
        })
    }
}

/// Sets one column of the account's row, creating the row with the defaults.
fn store(tx: &Tx, account_id: i64, column: &'static str, value: Option<i64>) -> Result<()> {
    tx.execute("INSERT INTO notification_reach (account_id) VALUES (?1) ON CONFLICT DO NOTHING", [account_id])?;
    tx.execute(&format!("UPDATE notification_reach SET {column} = ?2 WHERE account_id = ?1"), params![account_id, value])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tomorrow_morning_is_eight_oclock_in_the_zone_across_a_dst_change() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap_or(Tz::UTC);
        // Saturday 2026-03-28 23:30 in Berlin (22:30 UTC); Sunday the clocks go forward.
        let now = Utc.with_ymd_and_hms(2026, 3, 28, 22, 30, 0).single().unwrap_or_default();
        let until = tomorrow_morning(now, berlin);
        assert_eq!(until, Utc.with_ymd_and_hms(2026, 3, 29, 6, 0, 0).single(), "08:00 CEST is 06:00 UTC");
        // Just after midnight it is the next day's morning, not the same day's.
        let after_midnight = Utc.with_ymd_and_hms(2026, 1, 5, 23, 5, 0).single().unwrap_or_default();
        assert_eq!(tomorrow_morning(after_midnight, berlin), Utc.with_ymd_and_hms(2026, 1, 7, 7, 0, 0).single());
    }
}
