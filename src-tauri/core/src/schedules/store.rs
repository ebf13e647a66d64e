use crate::store::sql::{params, OptionalExtension, Tx};

use super::{HourRange, Schedule};
use crate::error::Result;

pub(crate) fn load(tx: &Tx, membership_id: i64) -> Result<Option<Schedule>> {
    let zone: Option<String> = tx
        .query_row("SELECT zone FROM operator_schedules WHERE membership_id = ?1", [membership_id], |r| r.get(0))
        .optional()?;
    let Some(zone) = zone else { return Ok(None) };
    let mut stmt = tx.prepare(
        "SELECT weekday, start_minute, end_minute FROM operator_schedule_ranges
          WHERE membership_id = ?1 ORDER BY weekday, start_minute",
    )?;
    let ranges = stmt
        .query_map([membership_id], |r| {
            Ok(HourRange {
                weekday: r.get(0)?,
                start_hour: (r.get::<_, u16>(1)? / 60) as u8,
                end_hour: (r.get::<_, u16>(2)? / 60) as u8,
            })
        })?
        .collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(Some(Schedule { zone, ranges }))
}

/// Replaces the membership's schedule (`None` removes it).
pub(crate) fn save(tx: &Tx, membership_id: i64, schedule: Option<&Schedule>) -> Result<()> {
    tx.execute("DELETE FROM operator_schedule_ranges WHERE membership_id = ?1", [membership_id])?;
    tx.execute("DELETE FROM operator_schedules WHERE membership_id = ?1", [membership_id])?;
    let Some(schedule) = schedule else { return Ok(()) };
    tx.execute(
        "INSERT INTO operator_schedules (membership_id, zone) VALUES (?1, ?2)",
        params![membership_id, schedule.zone],
    )?;
    for r in &schedule.ranges {
        tx.execute(
            "INSERT INTO operator_schedule_ranges (membership_id, weekday, start_minute, end_minute)
             VALUES (?1, ?2, ?3, ?4)",
            params![membership_id, r.weekday, u16::from(r.start_hour) * 60, u16::from(r.end_hour) * 60],
        )?;
    }
    Ok(())
}
