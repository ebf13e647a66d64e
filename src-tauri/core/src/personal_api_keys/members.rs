//! Identity > API keys: a tenant's administrators see the personal API keys
//! of its members and revoke any of them (a key acts with its owner's role in
//! the tenant, so it is the tenant's business too).

use crate::store::sql::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use super::list::{from_row, PersonalApiKeyRow, SELECT};
use crate::authz::{permit, Actor, Operation};
use crate::error::{Error, Result};
use crate::audit;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct MemberApiKeyRow {
    pub key: PersonalApiKeyRow,
    pub owner_name: String,
    pub owner_email: String,
}

impl Desk {
    /// The live keys of the current tenant's members, newest first.
    pub fn member_api_keys(&self, actor: &Actor) -> Result<Vec<MemberApiKeyRow>> {
        let now = self.now_millis();
        self.db.read(|tx| {
            let tenant_id = permit(tx, actor, Operation::ManageMemberApiKeys)?.tenant()?;
            let mut stmt = tx.prepare(&format!(
                "SELECT * FROM ({SELECT} WHERE k.tenant_id = ?1 AND k.revoked_at IS NULL) keys
                   JOIN (SELECT k.id AS key_id, a.name, a.email FROM personal_api_keys k JOIN accounts a ON a.id = k.account_id) o
                     ON o.key_id = keys.id
                  ORDER BY keys.id DESC"
            ))?;
            let rows = stmt
                .query_map([tenant_id], |r| {
                    Ok(MemberApiKeyRow { key: from_row(r, now)?, owner_name: r.get(7)?, owner_email: r.get(8)? })
                })?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Stops a member's key at once. A key of another tenant is "not found".
    pub fn revoke_member_api_key(&self, actor: &Actor, key_id: i64) -> Result<()> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageMemberApiKeys)?;
            let tenant_id = permit.tenant()?;
            let owner: i64 = tx
                .query_row(
                    "SELECT account_id FROM personal_api_keys WHERE id = ?1 AND tenant_id = ?2 AND revoked_at IS NULL",
                    params![key_id, tenant_id],
                    |r| r.get(0),
                )
                .map_err(|_| Error::not_found("API key"))?;
            tx.execute("UPDATE personal_api_keys SET revoked_at = ?2 WHERE id = ?1", params![key_id, now])?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(permit.account_id()),
                    tenant_id: Some(tenant_id),
                    action: "personal_api_key.revoke",
                    subject: format!("personal_api_key:{key_id}"),
                    subject_account_id: Some(owner),
                    before: None,
                    after: Some(json!({ "key_id": key_id, "revoked": true })),
                    via: audit::Via::Window,
                },
            )
        })
    }
}
