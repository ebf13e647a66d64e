use crate::store::sql::{Row, Tx};
use serde::Serialize;
use specta::Type;

use crate::authz::{permit, Actor, Operation};
use crate::error::{Error, Result};
use crate::tenants::in_zone;
use crate::Desk;

/// One key as the list shows it; times in the tenant's timezone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct PersonalApiKeyRow {
    pub id: i64,
    pub name: String,
    pub created_on: String,
    pub last_used_on: Option<String>,
    pub expires_on: Option<String>,
    pub expired: bool,
}

pub(super) const SELECT: &str = "SELECT k.id, k.name, k.created_at, k.last_used_at, k.expires_at, t.timezone
                        FROM personal_api_keys k JOIN tenants t ON t.id = k.tenant_id";

pub(super) fn from_row(r: &Row, now: i64) -> crate::store::sql::Result<PersonalApiKeyRow> {
    let zone: String = r.get(5)?;
    let expires_at: Option<i64> = r.get(4)?;
    Ok(PersonalApiKeyRow {
        id: r.get(0)?,
        name: r.get(1)?,
        created_on: in_zone(r.get(2)?, &zone),
        last_used_on: r.get::<_, Option<i64>>(3)?.map(|t| in_zone(t, &zone)),
        expires_on: expires_at.map(|t| in_zone(t, &zone)),
        expired: expires_at.is_some_and(|t| t <= now),
    })
}

pub(crate) fn row(tx: &Tx, id: i64, now: i64) -> Result<PersonalApiKeyRow> {
    tx.query_row(&format!("{SELECT} WHERE k.id = ?1"), [id], |r| from_row(r, now)).map_err(Error::from)
}

impl Desk {
    /// The person's keys in the current tenant, newest first; revoked keys are gone.
    pub fn personal_api_keys(&self, actor: &Actor) -> Result<Vec<PersonalApiKeyRow>> {
        let now = self.now_millis();
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ListPersonalApiKeys)?;
            let mut stmt = tx.prepare(&format!(
                "{SELECT} WHERE k.account_id = ?1 AND k.tenant_id = ?2 AND k.revoked_at IS NULL ORDER BY k.id DESC"
            ))?;
            let rows = stmt
                .query_map([permit.account_id(), permit.tenant()?], |r| from_row(r, now))?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }
}
