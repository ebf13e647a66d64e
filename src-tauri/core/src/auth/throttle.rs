//! Failed sign-in throttle. Each attempt is counted *before* the password is
//! checked, inside one `BEGIN IMMEDIATE` transaction, so parallel attempts
//! cannot slip past the limit. A success resets the count.

use chrono::Duration;
use crate::store::sql::{params, OptionalExtension, Tx};

use crate::error::{Error, ErrorCode, Result};

/// Attempts allowed before the first wait.
pub const FREE_ATTEMPTS: i64 = 5;
const FIRST_WAIT_SECS: i64 = 30;
const LONGEST_WAIT_SECS: i64 = 15 * 60;

/// The wait imposed after `failures` failed attempts: none for the first
/// four, then 30 s doubling each time, never more than 15 minutes.
pub fn wait_after(failures: i64) -> Option<Duration> {
    if failures < FREE_ATTEMPTS {
        return None;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(20) as u32;
    let secs = (FIRST_WAIT_SECS << doublings).min(LONGEST_WAIT_SECS);
    Some(Duration::seconds(secs))
}

/// Refuses the attempt while a wait is running; otherwise counts it.
pub(crate) fn begin_attempt(tx: &Tx, email_key: &str, now: i64) -> Result<()> {
    let row: Option<(i64, Option<i64>)> = tx
        .query_row(
            "SELECT failures, locked_until FROM sign_in_throttle WHERE email_key = ?1",
            [email_key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let (failures, locked_until) = row.unwrap_or((0, None));
    if let Some(until) = locked_until.filter(|until| *until > now) {
        return Err(throttled(until - now));
    }
    let failures = failures + 1;
    let locked_until = wait_after(failures).map(|w| now + w.num_milliseconds());
    tx.execute(
        "INSERT INTO sign_in_throttle (email_key, failures, locked_until, last_attempt_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (email_key) DO UPDATE SET failures = ?2, locked_until = ?3, last_attempt_at = ?4",
        params![email_key, failures, locked_until, now],
    )?;
    Ok(())
}

/// When the running wait of `email_key` ends, if one runs.
pub(crate) fn locked_until(tx: &Tx, email_key: &str, now: i64) -> Result<Option<i64>> {
    let until: Option<Option<i64>> = tx
        .query_row("SELECT locked_until FROM sign_in_throttle WHERE email_key = ?1", [email_key], |r| r.get(0))
        .optional()?;
    Ok(until.flatten().filter(|until| *until > now))
}

pub(crate) fn clear(tx: &Tx, email_key: &str) -> Result<()> {
    tx.execute("DELETE FROM sign_in_throttle WHERE email_key = ?1", [email_key])?;
    Ok(())
}

fn throttled(remaining_ms: i64) -> Error {
    let secs = (remaining_ms + 999) / 1000;
    let wait = if secs >= 120 {
        format!("{} minutes", (secs + 59) / 60)
    } else {
        format!("{secs} seconds")
    };
    Error::new(ErrorCode::Throttled, format!("Too many failed sign-in attempts. Try again in {wait}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_grow_and_cap_at_fifteen_minutes() {
        assert_eq!(wait_after(4), None);
        assert_eq!(wait_after(5), Some(Duration::seconds(30)));
        assert_eq!(wait_after(6), Some(Duration::seconds(60)));
        assert_eq!(wait_after(9), Some(Duration::seconds(480)));
        assert_eq!(wait_after(10), Some(Duration::minutes(15)));
        assert_eq!(wait_after(1000), Some(Duration::minutes(15)));
    }
}
