//! How long finished exports stay, and the clean-up: files past their expiry
//! are deleted (the row stays, saying so), jobs past their time limit are
//! Timed Out, and at startup jobs a quit interrupted are Timed Out too, so
//! none stays In Progress forever.

use crate::store::sql::{params, OptionalExtension, Tx};
use serde_json::json;

use super::jobs::remove;
use super::{EXPIRY_HOURS_DEFAULT, EXPIRY_HOURS_MAX, TIME_LIMIT_MILLIS};
use crate::authz::{authorize, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::audit;
use crate::Desk;

/// The tenant's expiry, in hours.
pub(super) fn hours(tx: &Tx, tenant_id: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT expiry_hours FROM chart_export_settings WHERE tenant_id = ?1")?
        .query_row([tenant_id], |r| r.get(0))
        .optional()?
        .unwrap_or(EXPIRY_HOURS_DEFAULT))
}

impl Desk {
    /// Sets how long the tenant's finished exports stay downloadable (from
    /// the next export on).
    pub fn set_chart_export_expiry(&self, actor: &Actor, expiry_hours: i64) -> Result<()> {
        authorize(actor, Operation::SetChartExportExpiry)?;
        if !(1..=EXPIRY_HOURS_MAX).contains(&expiry_hours) {
            let mut errors = FieldErrors::new();
            errors.add("expiry_hours", format!("Enter a number of hours from 1 to {EXPIRY_HOURS_MAX}."));
            return errors.into_result();
        }
        let now = self.now_millis();
        self.db.write(|tx| {
            let scope = crate::analytics::scope::resolve(tx, actor, Operation::SetChartExportExpiry)?;
            let before = hours(tx, scope.tenant_id)?;
            tx.execute(
                "INSERT INTO chart_export_settings (tenant_id, expiry_hours) VALUES (?1, ?2)
                 ON CONFLICT (tenant_id) DO UPDATE SET expiry_hours = excluded.expiry_hours",
                params![scope.tenant_id, expiry_hours],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: Some(scope.tenant_id),
                    action: "analytics.export_expiry_change",
                    subject: format!("tenant:{}", scope.tenant_id),
                    subject_account_id: None,
                    before: Some(json!({ "expiry_hours": before })),
                    after: Some(json!({ "expiry_hours": expiry_hours })),
                    via: audit::Via::Window,
                },
            )
        })
    }

    /// Deletes the files of exports past their expiry and times out jobs
    /// past their time limit; answers how many exports changed.
    pub fn sweep_chart_exports(&self) -> Result<usize> {
        let now = self.now_millis();
        let (expired, timed_out) = self.db.write(|tx| {
            let files = tx
                .prepare_cached("SELECT file_name FROM chart_exports WHERE state = 'done' AND expires_at <= ?1")?
                .query_map([now], |r| r.get::<_, Option<String>>(0))?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            tx.execute("UPDATE chart_exports SET state = 'expired' WHERE state = 'done' AND expires_at <= ?1", [now])?;
            let timed_out = tx.execute(
                "UPDATE chart_exports SET state = 'timed_out', finished_at = ?1
                  WHERE state = 'in_progress' AND started_at <= ?1 - ?2",
                params![now, TIME_LIMIT_MILLIS],
            )?;
            Ok((files, timed_out))
        })?;
        let dir = self.exports_dir();
        for file in expired.iter().flatten() {
            remove(&dir.join(file));
        }
        Ok(expired.len() + timed_out)
    }

    /// At startup: no job runs yet, so any left In Progress was cut short by
    /// quitting; it is Timed Out and its partial file deleted. Then the
    /// usual sweep. Answers how many jobs were interrupted.
    pub fn recover_chart_exports(&self) -> Result<usize> {
        let now = self.now_millis();
        let interrupted = self.db.write(|tx| {
            Ok(tx.execute("UPDATE chart_exports SET state = 'timed_out', finished_at = ?1 WHERE state = 'in_progress'", [now])?)
        })?;
        let dir = self.exports_dir();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                if entry.path().extension().is_some_and(|e| e == "part") {
                    remove(&entry.path());
                }
            }
        }
        self.sweep_chart_exports()?;
        Ok(interrupted)
    }

    /// Forgets the exports of a tenant that is being removed (inside its
    /// transaction) and answers their files, to delete once it committed.
    pub(crate) fn forget_chart_exports(&self, tx: &crate::store::sql::Tx, tenant_id: i64) -> Result<Vec<std::path::PathBuf>> {
        let files = tx
            .prepare_cached("SELECT file_name FROM chart_exports WHERE tenant_id = ?1 AND file_name IS NOT NULL")?
            .query_map([tenant_id], |r| r.get::<_, String>(0))?
            .collect::<crate::store::sql::Result<Vec<_>>>()?;
        tx.execute("DELETE FROM chart_exports WHERE tenant_id = ?1", [tenant_id])?;
        tx.execute("DELETE FROM chart_export_settings WHERE tenant_id = ?1", [tenant_id])?;
        let dir = self.exports_dir();
        Ok(files.into_iter().map(|f| dir.join(f)).collect())
    }

    /// Deletes files `forget_chart_exports` answered.
    pub(crate) fn delete_chart_export_files(files: &[std::path::PathBuf]) {
        for file in files {
            remove(file);
        }
    }
}
