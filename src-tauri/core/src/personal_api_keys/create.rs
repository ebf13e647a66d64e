use chrono::Duration;
use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::list::{row, PersonalApiKeyRow};
use super::{hash, MAX_EXPIRY_DAYS, NAME_MAX_CHARS, PREFIX, RANDOM_BYTES};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::secrets::random;
use crate::audit;
use crate::validate::{required_text, trimmed};
use crate::Desk;

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct NewPersonalApiKey {
    pub name: String,
    /// Days until the key stops working; `None`: it does not expire.
    pub expires_in_days: Option<u32>,
}

/// The new key, in the clear this once, and its row in the list.
#[derive(Clone, Serialize, Type)]
pub struct CreatedPersonalApiKey {
    pub secret: String,
    pub key: PersonalApiKeyRow,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for CreatedPersonalApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedPersonalApiKey").field("key", &self.key).finish_non_exhaustive()
    }
}

impl Desk {
    pub fn create_personal_api_key(&self, actor: &Actor, input: &NewPersonalApiKey) -> Result<CreatedPersonalApiKey> {
        authorize(actor, Operation::CreatePersonalApiKey)?;
        let name = trimmed(&input.name);
        let mut errors = FieldErrors::new();
        errors.check("name", required_text(&name, "Name", NAME_MAX_CHARS));
        if let Some(days) = input.expires_in_days {
            if !(1..=MAX_EXPIRY_DAYS).contains(&days) {
                errors.add("expires_in_days", format!("Choose an expiry from 1 to {MAX_EXPIRY_DAYS} days, or none."));
            }
        }
        errors.into_result()?;
        let secret = format!("{PREFIX}{}", random::token(RANDOM_BYTES)?);
        let now = self.now_millis();
        let expires_at = input.expires_in_days.map(|d| now + Duration::days(i64::from(d)).num_milliseconds());
        let key = self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::CreatePersonalApiKey)?;
            tx.execute(
                "INSERT INTO personal_api_keys (account_id, tenant_id, name, key_hash, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![permit.account_id(), permit.tenant()?, name, hash(&secret), now, expires_at],
            )?;
            let id = tx.last_insert_rowid()?;
            audit::record(
                tx,
                audit::Entry::own_account(
                    permit.account_id(),
                    permit.actor(),
                    now,
                    "account.personal_api_key_create",
                    json!({ "key_id": id, "name": name, "expires_at": expires_at.map(crate::clock::to_wire) }),
                ),
            )?;
            row(tx, id, now)
        })?;
        tracing::info!(account_id = actor.account_id, key_id = key.id, "personal API key created");
        Ok(CreatedPersonalApiKey { secret, key })
    }
}
