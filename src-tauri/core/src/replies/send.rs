//! The attempts. The shell's worker calls [`Desk::deliver_due_replies`]
//! when a reply is written and every few seconds; each due reply is POSTed
//! outside any transaction, then its row records the outcome.
//!
//! Each request carries `Idempotency-Key: reply-<install>-<message id>` (the
//! same on every attempt, so a receiver that got it before can drop the
//! repeat), `X-Tenant-Desk-Timestamp` (Unix seconds) and
//! `X-Tenant-Desk-Signature: sha256=<hex>`, the HMAC-SHA256 of
//! "<timestamp>.<body>" under the tenant API key — the key the platform
//! already holds — so a receiver checks both origin and freshness.

use std::time::Duration;

use hmac::{Hmac, Mac};
use crate::store::sql::params;
use serde_json::json;
use sha2::Sha256;

use crate::api_keys::hash as key_hash;
use crate::clock::to_wire;
use crate::error::Result;
use crate::Desk;

pub const SIGNATURE_HEADER: &str = "X-Tenant-Desk-Signature";
pub const TIMESTAMP_HEADER: &str = "X-Tenant-Desk-Timestamp";
/// Attempts before a reply's delivery fails for good (about 21 minutes of backoff).
pub const MAX_ATTEMPTS: i64 = 8;
/// Wait after the first failed attempt; each next one doubles it.
const FIRST_BACKOFF_MILLIS: i64 = 5_000;
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Replies taken per call, oldest due first.
const BATCH: i64 = 20;

/// "sha256=" and the hex HMAC-SHA256 of "<timestamp>.<body>" under `key`.
pub fn signature(key: &str, timestamp: &str, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes a key of any length.
        Err(_) => return String::new(),
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    let hex: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// One due reply, with what its request needs.
struct Due {
    message_id: i64,
    tenant_id: i64,
    conversation_id: i64,
    attempts: i64,
    url: String,
    body: Vec<u8>,
}

/// What an attempt came to.
enum Outcome {
    Sent,
    /// Worth another try (a 5xx, 408, 429, no answer).
    Again(String),
    /// Retrying cannot help (another 4xx, no key to sign with, no address).
    GiveUp(String),
}

impl Desk {
    /// Sends the replies whose attempt is due; returns how many were tried.
    pub fn deliver_due_replies(&self) -> Result<usize> {
        let now = self.now_millis();
        let due = self.db.read(|tx| {
            let mut stmt = tx.prepare_cached(
                "SELECT d.message_id, d.tenant_id, d.attempts, t.delivery_url, m.text, m.at, m.conversation_id,
                        c.customer, c.channel, c.operator_account_id, a.name
                   FROM reply_deliveries d
                   JOIN messages m ON m.id = d.message_id
                   JOIN conversations c ON c.id = m.conversation_id
                   JOIN tenants t ON t.id = d.tenant_id
                   LEFT JOIN accounts a ON a.id = c.operator_account_id
                  WHERE d.state IN ('pending', 'retrying') AND d.next_at <= ?1
                  ORDER BY d.next_at LIMIT ?2",
            )?;
            let rows = stmt.query_map(params![now, BATCH], |r| {
                let url: Option<String> = r.get(3)?;
                let body = json!({
                    "event": "reply",
                    "tenant_id": r.get::<_, i64>(1)?,
                    "session": {
                        "id": r.get::<_, i64>(6)?,
                        "customer": r.get::<_, String>(7)?,
                        "channel": r.get::<_, String>(8)?,
                    },
                    "message": {
                        "id": r.get::<_, i64>(0)?,
                        "author": "operator",
                        "text": r.get::<_, String>(4)?,
                        "at": to_wire(r.get(5)?),
                    },
                    "operator": r.get::<_, Option<i64>>(9)?.map(|id| json!({ "account_id": id, "name": r.get::<_, Option<String>>(10).ok().flatten() })),
                });
                Ok(Due {
                    message_id: r.get(0)?,
                    tenant_id: r.get(1)?,
                    conversation_id: r.get(6)?,
                    attempts: r.get(2)?,
                    url: url.unwrap_or_default(),
                    body: serde_json::to_vec(&body).unwrap_or_default(),
                })
            })?;
            Ok(rows.collect::<crate::store::sql::Result<Vec<_>>>()?)
        })?;
        for reply in &due {
            let outcome = self.attempt(reply);
            self.record(reply, outcome)?;
            self.publish(crate::conversations::ConversationChange::Delivery { tenant_id: reply.tenant_id, conversation_id: reply.conversation_id });
        }
        Ok(due.len())
    }

    fn attempt(&self, reply: &Due) -> Outcome {
        if reply.url.is_empty() {
            return Outcome::GiveUp("The organization no longer has a delivery address.".into());
        }
        let Some(key) = self.signing_key(reply.tenant_id) else {
            return Outcome::GiveUp(
                "The tenant's API key is not on this computer, so the reply cannot be signed: rotate the key here, then retry.".into(),
            );
        };
        let timestamp = (self.now_millis() / 1000).to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(REQUEST_TIMEOUT))
            .http_status_as_error(false)
            .build()
            .into();
        let answer = agent
            .post(&reply.url)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", format!("reply-{}-{}", self.install_id(), reply.message_id))
            .header(TIMESTAMP_HEADER, &timestamp)
            .header(SIGNATURE_HEADER, signature(&key, &timestamp, &reply.body))
            .send(&reply.body[..]);
        match answer {
            Ok(response) => {
                let status = response.status();
                let code = status.as_u16();
                let reason = format!("The delivery address answered {code} {}.", status.canonical_reason().unwrap_or(""));
                match code {
                    200..=299 => Outcome::Sent,
                    408 | 429 | 500..=599 => Outcome::Again(reason.replace(" .", ".")),
                    _ => Outcome::GiveUp(reason.replace(" .", ".")),
                }
            }
            Err(e) => Outcome::Again(format!("The delivery address could not be reached: {e}.")),
        }
    }

    /// The tenant API key from this computer's keyring, when it is the tenant's current one.
    fn signing_key(&self, tenant_id: i64) -> Option<String> {
        let stored: Option<String> = self
            .db
            .read(|tx| {
                Ok(crate::store::sql::OptionalExtension::optional(tx.query_row(
                    "SELECT key_hash FROM tenant_api_keys WHERE tenant_id = ?1",
                    [tenant_id],
                    |r| r.get(0),
                ))?)
            })
            .ok()
            .flatten();
        let key = self.secrets.get(&self.api_key_entry(tenant_id)).ok().flatten()?;
        (stored == Some(key_hash(&key))).then_some(key)
    }

    fn record(&self, reply: &Due, outcome: Outcome) -> Result<()> {
        let now = self.now_millis();
        let attempts = reply.attempts + 1;
        self.db.write(|tx| {
            match &outcome {
                Outcome::Sent => tx.execute(
                    "UPDATE reply_deliveries SET state = 'sent', attempts = ?2, next_at = NULL, last_error = NULL, sent_at = ?3
                      WHERE message_id = ?1",
                    params![reply.message_id, attempts, now],
                )?,
                Outcome::Again(reason) if attempts < MAX_ATTEMPTS => {
                    let wait = FIRST_BACKOFF_MILLIS << (attempts - 1).clamp(0, 20);
                    tx.execute(
                        "UPDATE reply_deliveries SET state = 'retrying', attempts = ?2, next_at = ?3, last_error = ?4
                          WHERE message_id = ?1",
                        params![reply.message_id, attempts, now + wait, reason],
                    )?
                }
                Outcome::Again(reason) | Outcome::GiveUp(reason) => tx.execute(
                    "UPDATE reply_deliveries SET state = 'failed', attempts = ?2, next_at = NULL, last_error = ?3
                      WHERE message_id = ?1",
                    params![reply.message_id, attempts, reason],
                )?,
            };
            Ok(())
        })?;
        match &outcome {
            Outcome::Sent => tracing::info!(message_id = reply.message_id, attempts, "reply delivered"),
            Outcome::Again(reason) => tracing::warn!(message_id = reply.message_id, attempts, %reason, "reply delivery failed, retried later"),
            Outcome::GiveUp(reason) => tracing::warn!(message_id = reply.message_id, attempts, %reason, "reply delivery failed"),
        }
        Ok(())
    }
}
