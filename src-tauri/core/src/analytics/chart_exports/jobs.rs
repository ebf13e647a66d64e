//! Starting an export and running it. Starting records the job (In
//! Progress) and returns at once; the caller runs [`Desk::run_chart_export`]
//! on a worker thread, so the window stays usable and the job goes on while
//! the person looks at other screens. The job reads the charts in one short
//! read (the same aggregates the screen shows), then writes the file outside
//! the database lock, checking its time limit between steps.

use std::path::PathBuf;

use chrono::NaiveDate;
use crate::store::sql::{params, OptionalExtension};

use super::{ChartExport, ExportState, TIME_LIMIT_MILLIS};
use crate::analytics::charts::{compute, tenant_zone};
use crate::analytics::range::{self, date_label, Days};
use crate::analytics::scope::{self, Scope};
use crate::analytics::AnalyticsRange;
use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, Result};
use crate::Desk;

const FOLDER: &str = "exports";

struct Job {
    scope: Scope,
    from: NaiveDate,
    to: NaiveDate,
    state: ExportState,
    started_at: i64,
}

impl Desk {
    pub(super) fn exports_dir(&self) -> PathBuf {
        self.data_dir.join(FOLDER)
    }

    /// Records an export of `range` (In Progress) for the person's scope and
    /// returns it; [`run_chart_export`](Self::run_chart_export) does the work.
    pub fn start_chart_export(&self, actor: &Actor, range: &AnalyticsRange) -> Result<ChartExport> {
        authorize(actor, Operation::ExportChartData)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let scope = scope::resolve(tx, actor, Operation::ExportChartData)?;
            let zone = tenant_zone(tx, scope.tenant_id)?;
            let days = range::resolve(range, zone, now)?;
            tx.execute(
                "INSERT INTO chart_exports (tenant_id, account_id, operator_account_id, from_day, to_day, state, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 'in_progress', ?6)",
                params![scope.tenant_id, actor.account_id, scope.operator, date_label(days.from), date_label(days.to), now],
            )?;
            super::history::one(tx, tx.last_insert_rowid()?)
        })
    }

    /// Runs an export started by [`start_chart_export`](Self::start_chart_export)
    /// and answers the state it ends in. A job already finished (or timed
    /// out meanwhile) is left as it is. A job that fails is Timed Out rather
    /// than left In Progress.
    pub fn run_chart_export(&self, id: i64) -> Result<ExportState> {
        match self.export_job(id) {
            Ok(ExportState::InProgress) => self.time_out_export(id),
            Ok(state) => Ok(state),
            Err(e) => {
                tracing::warn!(export_id = id, error = %e.message, "chart data export failed, now Timed Out");
                self.time_out_export(id)?;
                Err(e)
            }
        }
    }

    fn export_job(&self, id: i64) -> Result<ExportState> {
        let job = self.db.read(|tx| {
            tx.query_row(
                "SELECT tenant_id, operator_account_id, from_day, to_day, state, started_at FROM chart_exports WHERE id = ?1",
                [id],
                |r| {
                    let day = |i: usize| {
                        let text: String = r.get(i)?;
                        NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                            .map_err(|e| crate::store::sql::Error::Conversion(format!("column {i}: {e}")))
                    };
                    Ok(Job {
                        scope: Scope { tenant_id: r.get(0)?, operator: r.get(1)? },
                        from: day(2)?,
                        to: day(3)?,
                        state: r.get(4)?,
                        started_at: r.get(5)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::not_found("export"))
        })?;
        let in_time = || self.now_millis() - job.started_at < TIME_LIMIT_MILLIS;
        if job.state != ExportState::InProgress || !in_time() {
            return Ok(job.state);
        }
        let zone = self.db.read(|tx| tenant_zone(tx, job.scope.tenant_id))?;
        let analytics = compute(&self.db, |_| Ok(job.scope), zone, &Days::new(zone, job.from, job.to))?;
        if !in_time() {
            return Ok(ExportState::InProgress);
        }
        let dir = self.exports_dir();
        crate::store::private::private_dir(&dir).map_err(|e| Error::file_system(format!("cannot create {}: {e}", dir.display())))?;
        let file_name = format!("chart-data-{id}.csv");
        let partial = dir.join(format!("{file_name}.part"));
        super::csv::write(&partial, &analytics).map_err(|e| Error::file_system(format!("cannot write {}: {e}", partial.display())))?;
        let finished = dir.join(&file_name);
        std::fs::rename(&partial, &finished).map_err(|e| Error::file_system(format!("cannot finish {}: {e}", finished.display())))?;
        let now = self.now_millis();
        if now - job.started_at >= TIME_LIMIT_MILLIS {
            remove(&finished);
            return Ok(ExportState::InProgress);
        }
        let done = self.db.write(|tx| {
            let hours = super::expiry::hours(tx, job.scope.tenant_id)?;
            Ok(tx.execute(
                "UPDATE chart_exports SET state = 'done', finished_at = ?2, expires_at = ?3, file_name = ?4
                  WHERE id = ?1 AND state = 'in_progress'",
                params![id, now, now + hours * 3_600_000, file_name],
            )? == 1)
        })?;
        if done {
            Ok(ExportState::Download)
        } else {
            // Timed out by the sweep while the file was being written.
            remove(&finished);
            Ok(ExportState::TimedOut)
        }
    }

    fn time_out_export(&self, id: i64) -> Result<ExportState> {
        self.db.write(|tx| {
            tx.execute("UPDATE chart_exports SET state = 'timed_out', finished_at = ?2 WHERE id = ?1 AND state = 'in_progress'", params![id, self.now_millis()])?;
            Ok(tx.query_row("SELECT state FROM chart_exports WHERE id = ?1", [id], |r| r.get(0))?)
        })
    }
}

/// Deletes an export's file; a file already gone is fine.
pub(super) fn remove(path: &std::path::Path) {
    if let Err(e) = std::fs::remove_file(path) {
        if e.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(file = %path.display(), error = %e, "chart data export not deleted");
        }
    }
}
