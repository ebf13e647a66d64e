//! The export history (a person's last 5 exports in the current tenant) and
//! saving a finished file where the person chose.

use crate::store::sql::{params, OptionalExtension, Tx};

use super::{ChartExport, ChartExportFile, ChartExports, ExportState};
use crate::analytics::charts::tenant_zone;
use crate::analytics::scope;
use crate::authz::{authorize, can, Actor, Operation};
use crate::clock::to_wire;
use crate::error::{Error, ErrorCode, Result};
use crate::Desk;

/// How many exports the history shows.
pub const HISTORY_LEN: i64 = 5;

const COLUMNS: &str = "id, from_day, to_day, state, started_at, finished_at, expires_at";

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<ChartExport> {
    let state: ExportState = r.get(3)?;
    let from: String = r.get(1)?;
    let to: String = r.get(2)?;
    Ok(ChartExport {
        id: r.get(0)?,
        file_name: file_name(&from, &to),
        from,
        to,
        state,
        message: state.message().to_owned(),
        started_at: to_wire(r.get(4)?),
        finished_at: r.get::<_, Option<i64>>(5)?.map(to_wire),
        expires_at: r.get::<_, Option<i64>>(6)?.map(to_wire),
    })
}

fn file_name(from: &str, to: &str) -> String {
    format!("tenant-desk-chart-data-{from}-to-{to}.csv")
}

pub(super) fn one(tx: &Tx, id: i64) -> Result<ChartExport> {
    Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM chart_exports WHERE id = ?1"), [id], from_row)?)
}

impl Desk {
    /// The person's last 5 exports, after deleting expired files.
    pub fn chart_exports(&self, actor: &Actor) -> Result<ChartExports> {
        authorize(actor, Operation::ExportChartData)?;
        self.sweep_chart_exports()?;
        self.db.read(|tx| {
            let scope = scope::resolve(tx, actor, Operation::ExportChartData)?;
            let exports = tx
                .prepare_cached(&format!(
                    "SELECT {COLUMNS} FROM chart_exports WHERE tenant_id = ?1 AND account_id = ?2
                      ORDER BY started_at DESC, id DESC LIMIT ?3"
                ))?
                .query_map(params![scope.tenant_id, actor.account_id, HISTORY_LEN], from_row)?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(ChartExports {
                exports,
                expiry_hours: super::expiry::hours(tx, scope.tenant_id)?,
                can_set_expiry: can(actor, Operation::SetChartExportExpiry),
                timezone: tenant_zone(tx, scope.tenant_id)?.name().to_owned(),
            })
        })
    }

    /// A finished export of the person's, to be saved where they choose.
    pub fn chart_export_file(&self, actor: &Actor, id: i64) -> Result<ChartExportFile> {
        authorize(actor, Operation::ExportChartData)?;
        self.sweep_chart_exports()?;
        let file: Option<(ExportState, Option<String>, String, String)> = self.db.read(|tx| {
            let scope = scope::resolve(tx, actor, Operation::ExportChartData)?;
            Ok(tx
                .query_row(
                    "SELECT state, file_name, from_day, to_day FROM chart_exports
                      WHERE id = ?1 AND tenant_id = ?2 AND account_id = ?3",
                    params![id, scope.tenant_id, actor.account_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()?)
        })?;
        let (stored, from, to) = match file {
            None => return Err(Error::not_found("export")),
            Some((ExportState::Download, Some(stored), from, to)) => (stored, from, to),
            Some((ExportState::Expired, ..)) => {
                return Err(Error::new(ErrorCode::NotFound, "This export expired and its file was deleted."))
            }
            Some(_) => return Err(Error::new(ErrorCode::Conflict, "This export has no file to download.")),
        };
        let path = self.exports_dir().join(stored);
        let contents = std::fs::read_to_string(&path)
            .map_err(|e| Error::file_system(format!("cannot read {}: {e}", path.display())))?;
        Ok(ChartExportFile { file_name: file_name(&from, &to), contents })
    }
}
