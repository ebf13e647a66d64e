//! Idempotency keys of the tenant API's writes: the first request with a key
//! claims it, its reply is kept, and a retry with the same key gets that
//! reply again without a second write. Keys are per caller (the tenant key
//! and each personal key have their own) and kept for a day.

use rusqlite::{params, OptionalExtension};

use crate::authz::Caller;
use crate::error::{Error, Result};
use crate::Desk;

/// How long a key and its reply are kept.
pub const KEPT_FOR_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// The longest key accepted.
pub const KEY_MAX: usize = 255;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: run the write, then [`Desk::keep_idempotent_reply`] or
    /// [`Desk::release_idempotency_key`].
    Fresh,
    /// The same request was answered before: send this again.
    Replay { status: u16, body: String },
    /// The first request with this key has not finished.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

impl Desk {
    /// `fingerprint` names the request (method, path, body), so a key reused
    /// for something else is told apart from a retry.
    pub fn claim_idempotency_key(&self, caller: &Caller, key: &str, fingerprint: &str) -> Result<Claim> {
        let tenant_id = caller.tenant_id().ok_or_else(Error::not_allowed)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let existing: Option<(String, Option<u16>, Option<String>, i64)> = tx
                .query_row(
                    "SELECT fingerprint, status, body, created_at FROM api_idempotency
                      WHERE tenant_id = ?1 AND caller = ?2 AND key = ?3",
                    params![tenant_id, caller.key_name(), key],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?;
            match existing {
                Some((_, _, _, created)) if now - created >= KEPT_FOR_MILLIS => {}
                Some((stored, _, _, _)) if stored != fingerprint => return Ok(Claim::Mismatch),
                Some((_, Some(status), Some(body), _)) => return Ok(Claim::Replay { status, body }),
                Some(_) => return Ok(Claim::InProgress),
                None => {}
            }
            tx.execute(
                "INSERT INTO api_idempotency (tenant_id, caller, key, fingerprint, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (tenant_id, caller, key) DO UPDATE SET fingerprint = excluded.fingerprint,
                     status = NULL, body = NULL, created_at = excluded.created_at",
                params![tenant_id, caller.key_name(), key, fingerprint, now],
            )?;
            Ok(Claim::Fresh)
        })
    }

    /// Keeps the reply of a claimed key's write.
    pub fn keep_idempotent_reply(&self, caller: &Caller, key: &str, status: u16, body: &str) -> Result<()> {
        let tenant_id = caller.tenant_id().ok_or_else(Error::not_allowed)?;
        self.db.write(|tx| {
            tx.execute(
                "UPDATE api_idempotency SET status = ?4, body = ?5 WHERE tenant_id = ?1 AND caller = ?2 AND key = ?3",
                params![tenant_id, caller.key_name(), key, status, body],
            )?;
            Ok(())
        })
    }

    /// Frees a claimed key whose write failed (nothing was written), so the
    /// client can send a corrected request with it.
    pub fn release_idempotency_key(&self, caller: &Caller, key: &str) -> Result<()> {
        let tenant_id = caller.tenant_id().ok_or_else(Error::not_allowed)?;
        self.db.write(|tx| {
            tx.execute(
                "DELETE FROM api_idempotency WHERE tenant_id = ?1 AND caller = ?2 AND key = ?3 AND status IS NULL",
                params![tenant_id, caller.key_name(), key],
            )?;
            Ok(())
        })
    }
}
