//! A tenant as the command line names it: its ID, or its name in any case.

use crate::authz::LocalAdministrator;
use crate::error::{Error, ErrorCode, Result};
use crate::store::fold_case;
use crate::Desk;

impl Desk {
    /// The tenant (ID and name) that `text` names: an ID, or a name that
    /// exactly one tenant has. Snapshots are not tenants here.
    pub fn tenant_named(&self, _local: &LocalAdministrator, text: &str) -> Result<(i64, String)> {
        self.named(text, false)
    }

    /// The snapshot (ID and name) that `text` names, as [`tenant_named`](Self::tenant_named).
    pub fn snapshot_named(&self, _local: &LocalAdministrator, text: &str) -> Result<(i64, String)> {
        self.named(text, true)
    }

    fn named(&self, text: &str, snapshot: bool) -> Result<(i64, String)> {
        let text = text.trim();
        let which = "(CASE WHEN EXISTS (SELECT 1 FROM snapshots s WHERE s.tenant_id = t.id) THEN 1 ELSE 0 END) = ?2";
        self.db.read(|tx| {
            if let Ok(id) = text.parse::<i64>() {
                let by_id = tx
                    .prepare(&format!("SELECT t.id, t.name FROM tenants t WHERE t.id = ?1 AND {which}"))?
                    .query_map(crate::params![id, i64::from(snapshot)], |r| Ok((r.get(0)?, r.get(1)?)))?
                    .next();
                if let Some(found) = by_id {
                    return Ok(found?);
                }
            }
            let mut stmt = tx.prepare(&format!("SELECT t.id, t.name FROM tenants t WHERE fold_case(t.name) = ?1 AND {which} ORDER BY t.id"))?;
            let found: Vec<(i64, String)> =
                stmt.query_map(crate::params![fold_case(text), i64::from(snapshot)], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<crate::store::sql::Result<_>>()?;
            match found.as_slice() {
                [one] => Ok(one.clone()),
                [] if snapshot => Err(Error::new(ErrorCode::NotFound, format!("No snapshot is named \"{text}\" or has this ID."))),
                [] => Err(Error::new(ErrorCode::NotFound, format!("No tenant is named \"{text}\" or has this ID."))),
                many => Err(Error::new(
                    ErrorCode::Validation,
                    format!(
                        "Several {} are named \"{text}\"; name one by its ID: {}.",
                        if snapshot { "snapshots" } else { "tenants" },
                        many.iter().map(|(id, _)| id.to_string()).collect::<Vec<_>>().join(", ")
                    ),
                )),
            }
        })
    }
}
