//! Operator schedules: per weekday, hour ranges in the zone they were entered
//! in. Instants are derived with chrono-tz whenever they are needed, so a
//! schedule stays right across timezones and daylight-saving changes.
//!
//! - `rules`: what a valid schedule is (hours, order, overlaps).
//! - `instants`: wall-clock hours to UTC instants, with the DST rule, and `on_shift`.
//! - `preview`: the coming week in UTC and in the tenant's zone, for the editor.
//! - `store`: reading and writing a membership's schedule.

mod instants;
mod preview;
mod rules;
pub(crate) mod store;

use serde::{Deserialize, Serialize};
use specta::Type;

pub use instants::{occurrences, Shift};
pub use preview::{preview, PreviewInput, WeekPreview};
pub use rules::check;

/// One working range of a weekday, in whole hours of the schedule's zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct HourRange {
    /// 0 = Monday … 6 = Sunday.
    pub weekday: u8,
    /// 0–23.
    pub start_hour: u8,
    /// 1–24, after `start_hour`; 24 is the end of the day.
    pub end_hour: u8,
}

/// An operator's working week, as entered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Schedule {
    /// The IANA zone the hours were entered in (the editor's local time).
    pub zone: String,
    pub ranges: Vec<HourRange>,
}

use chrono::{DateTime, Utc};

use crate::authz::{Actor, Operation};
use crate::error::Result;
use crate::Desk;

/// Whether the membership is on shift at `at`: `None` when it has no
/// schedule that applies (only a Tenant Operator's does).
pub(crate) fn shift_at(tx: &crate::store::sql::Tx, membership_id: i64, at: DateTime<Utc>) -> Result<Option<bool>> {
    let operator: bool = tx.query_row(
        "SELECT count(*) FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.id = ?1 AND m.role = 'tenant_operator' AND a.deleted_at IS NULL",
        [membership_id],
        |r| r.get(0),
    )?;
    if !operator {
        return Ok(None);
    }
    Ok(store::load(tx, membership_id)?.map(|s| s.on_shift(at)))
}

impl Desk {
    /// Whether the operator (a membership) is on shift at `at`. Someone who
    /// is not a Tenant Operator, or has no schedule, never is. Asked by the
    /// core itself (notifications), not by a person.
    pub fn on_shift(&self, membership_id: i64, at: DateTime<Utc>) -> Result<bool> {
        self.db.read(|tx| Ok(shift_at(tx, membership_id, at)? == Some(true)))
    }

    /// The coming week of a schedule being edited, in UTC and the tenant's zone.
    pub fn preview_schedule(&self, actor: &Actor, input: &PreviewInput) -> Result<WeekPreview> {
        self.check(actor, Operation::ListUsers)?;
        Ok(preview(&input.schedule, &input.tenant_zone, &input.viewer_zone, self.clock.now()))
    }
}
