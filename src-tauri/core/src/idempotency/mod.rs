//! Idempotency keys of the tenant API's writes: the first request with a key
//! runs, and a retry with the same key gets that reply again without a second
//! write. The key's claim, the write and the reply commit in one
//! transaction: a key is never claimed by a write that did not happen, nor a
//! write done without its key. Keys are per caller (the tenant key and each
//! personal key have their own) and kept for a day (`upkeep`).

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::authz::Caller;
use crate::error::{Error, ErrorCode, Result};
use crate::conversations::ConversationChange;
use crate::Desk;

/// How long a key and its reply are kept.
pub const KEPT_FOR_MILLIS: i64 = 24 * 60 * 60 * 1000;
/// The longest key accepted.
pub const KEY_MAX: usize = 255;

/// A write sent with an idempotency key, and what the request was (method,
/// path, body), so a key reused for something else is told apart from a retry.
#[derive(Debug, Clone, Copy)]
pub struct Once<'a> {
    pub key: &'a str,
    pub fingerprint: &'a str,
}

/// What a write with a key did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written<T> {
    /// It ran now.
    Now(T),
    /// This key answered before: the reply it gave, with nothing written.
    Again(T),
}

impl<T> Written<T> {
    pub fn into_inner(self) -> T {
        match self {
            Written::Now(v) | Written::Again(v) => v,
        }
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Written<U> {
        match self {
            Written::Now(v) => Written::Now(f(v)),
            Written::Again(v) => Written::Again(f(v)),
        }
    }
}

fn mismatch() -> Error {
    let mut e = Error::new(ErrorCode::Validation, "This Idempotency-Key was used for a different request.");
    e.fields.insert("Idempotency-Key".into(), "Used for a different request.".into());
    e
}

impl Desk {
    /// Runs a conversation write once per key (when `once` gives one): its
    /// claim, the write and its reply in one transaction; then tells the
    /// listeners about the change, if the write made one.
    pub(crate) fn write_once<T: Serialize + DeserializeOwned>(
        &self,
        caller: &Caller,
        once: Option<Once>,
        write: impl FnOnce(&Tx) -> Result<(T, Option<ConversationChange>)>,
    ) -> Result<Written<T>> {
        let tenant_id = caller.tenant_id().ok_or_else(Error::not_allowed)?;
        let now = self.now_millis();
        let (written, change) = self.db.write(|tx| {
            if let Some(once) = once {
                let kept: Option<(String, Option<String>, i64)> = tx
                    .query_row(
                        "SELECT fingerprint, body, created_at FROM api_idempotency
                          WHERE tenant_id = ?1 AND caller = ?2 AND key = ?3",
                        params![tenant_id, caller.key_name(), once.key],
                        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                    )
                    .optional()?;
                match kept {
                    Some((_, _, created)) if now - created >= KEPT_FOR_MILLIS => {}
                    Some((stored, _, _)) if stored != once.fingerprint => return Err(mismatch()),
                    Some((_, Some(body), _)) => {
                        let reply = serde_json::from_str(&body).map_err(Error::internal)?;
                        return Ok((Written::Again(reply), None));
                    }
                    Some((_, None, _)) | None => {}
                }
            }
            let (value, change) = write(tx)?;
            if let Some(once) = once {
                let body = serde_json::to_string(&value).map_err(Error::internal)?;
                tx.execute(
                    "INSERT INTO api_idempotency (tenant_id, caller, key, fingerprint, body, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                     ON CONFLICT (tenant_id, caller, key) DO UPDATE SET fingerprint = excluded.fingerprint,
                         body = excluded.body, created_at = excluded.created_at",
                    params![tenant_id, caller.key_name(), once.key, once.fingerprint, body, now],
                )?;
            }
            Ok((Written::Now(value), change))
        })?;
        if let Some(change) = change {
            self.publish(change);
        }
        Ok(written)
    }
}
