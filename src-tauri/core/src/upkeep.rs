//! What the store forgets, and when, so that tables growing with use stay
//! small. The app runs it at start and every ten minutes.
//!
//! - Idempotency replies of the tenant API: a day after their request.
//! - Sign-in throttle rows: a day after the address last tried to sign in.
//! - Login sessions: 30 days after they ended, or after their last use (a
//!   window's token lives in memory only: one unused that long is gone).
//! - Remembered sign-ins: 30 days after they were revoked or expired.
//!
//! The audit log keeps what happened; nothing here is its business.

use crate::store::sql::params;

use crate::error::Result;
use crate::idempotency::KEPT_FOR_MILLIS;
use crate::Desk;

const DAY_MILLIS: i64 = 24 * 60 * 60 * 1000;
const SESSIONS_KEPT_MILLIS: i64 = 30 * DAY_MILLIS;

/// How many rows each rule removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub idempotency_replies: usize,
    pub throttle_rows: usize,
    pub login_sessions: usize,
    pub remembered_sign_ins: usize,
}

impl Desk {
    pub fn forget_expired(&self) -> Result<Forgotten> {
        let now = self.now_millis();
        let old = now - SESSIONS_KEPT_MILLIS;
        self.db.write(|tx| {
            let idempotency_replies =
                tx.execute("DELETE FROM api_idempotency WHERE created_at < ?1", [now - KEPT_FOR_MILLIS])?;
            let throttle_rows = tx.execute(
                "DELETE FROM sign_in_throttle
                  WHERE coalesce(last_attempt_at, 0) < ?1 AND coalesce(locked_until, 0) < ?2",
                params![now - DAY_MILLIS, now],
            )?;
            let login_sessions = tx.execute(
                "DELETE FROM login_sessions
                  WHERE ended_at < ?1 OR (ended_at IS NULL AND coalesce(last_active_at, created_at) < ?1)",
                [old],
            )?;
            tx.execute(
                "UPDATE login_sessions SET remembered_id = NULL
                  WHERE remembered_id IN (SELECT id FROM remembered_sign_ins WHERE revoked_at < ?1 OR expires_at < ?1)",
                [old],
            )?;
            let remembered_sign_ins =
                tx.execute("DELETE FROM remembered_sign_ins WHERE revoked_at < ?1 OR expires_at < ?1", [old])?;
            Ok(Forgotten { idempotency_replies, throttle_rows, login_sessions, remembered_sign_ins })
        })
    }
}
