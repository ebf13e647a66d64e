//! Reading the audit log (Settings > Identity > Audit log): the filters, the
//! page, and the dates in the tenant's timezone.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use crate::store::sql::Value;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{can, permit, Actor, Operation};
use crate::clock::to_wire;
use crate::error::{FieldErrors, Result};
use crate::store::fold_case;
use crate::validate::without_nul;
use crate::Desk;

pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct AuditQuery {
    /// Part of the name or email of the person who acted or was acted on.
    pub user: String,
    /// An action name ("user.create", …); empty for all.
    pub action: String,
    /// Dates (YYYY-MM-DD) in the tenant's timezone, both included; empty for open.
    pub from: String,
    pub to: String,
    pub page: u32,
    /// The install's own entries (backups, restore, the local API, the
    /// platform flag, sign-ins of unknown addresses) instead of the tenant's:
    /// platform administrators only.
    pub install: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    /// Who acted, and how when not in the window ("Tenant API key", or a
    /// person "(personal API key)").
    pub actor: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    /// JSON text of the values before and after; never a password or hash.
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub page: u32,
    pub has_more: bool,
    /// Every action recorded for the tenant, for the filter.
    pub actions: Vec<String>,
    pub timezone: String,
    /// The install's own entries may be asked for.
    pub can_view_install: bool,
}

pub(crate) fn day_start(zone: Tz, day: NaiveDate) -> i64 {
    zone.from_local_datetime(&day.and_time(NaiveTime::MIN))
        .earliest()
        .map(|t| t.timestamp_millis())
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc().timestamp_millis())
}

pub(crate) fn parse_day(field: &str, value: &str, errors: &mut FieldErrors) -> Option<NaiveDate> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    // Four-digit years only: chrono also reads signed years of six digits,
    // whose next day (the end of a range) is past the calendar's end.
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok().filter(|d| (1..=9999).contains(&d.year()));
    if parsed.is_none() {
        errors.add(field, "Enter a date like 2026-11-26.");
    }
    parsed
}

impl Desk {
    /// The current tenant's audit log, newest first, filtered.
    pub fn audit_log(&self, actor: &Actor, query: &AuditQuery) -> Result<AuditPage> {
        self.audit_page(actor, query, PAGE_SIZE)
    }

    /// The audit log's query with a page of any size (the CSV export takes
    /// every entry in one page).
    pub(crate) fn audit_page(&self, actor: &Actor, query: &AuditQuery, page_size: u32) -> Result<AuditPage> {
        let operation = if query.install { Operation::ViewInstallAuditLog } else { Operation::ViewAuditLog };
        let can_view_install = can(actor, Operation::ViewInstallAuditLog);
        let mut errors = FieldErrors::new();
        errors.check("user", without_nul(&query.user, "User"));
        errors.check("action", without_nul(&query.action, "Action"));
        let from = parse_day("from", &query.from, &mut errors);
        let to = parse_day("to", &query.to, &mut errors);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add("to", "The end date must not be before the start date.");
            }
        }
        errors.into_result()?;
        self.db.read(|tx| {
            let permit = permit(tx, actor, operation)?;
            let tenant_id = permit.tenant_id();
            if tenant_id.is_none() && !query.install {
                return Ok(AuditPage { entries: vec![], page: 0, has_more: false, actions: vec![], timezone: "UTC".into(), can_view_install });
            }
            let timezone: String = match tenant_id {
                Some(id) => tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [id], |r| r.get(0))?,
                None => "UTC".into(),
            };
            let zone: Tz = timezone.parse().unwrap_or(Tz::UTC);
            // A tenant's log holds its own entries and those about one of its
            // members' accounts (sign-ins, the platform flag); the install's
            // holds every entry of no tenant.
            let mut params: Vec<Value> = vec![];
            let whose = match (query.install, tenant_id) {
                (false, Some(id)) => {
                    params.push(id.into());
                    "(l.tenant_id = ?1 OR (l.tenant_id IS NULL AND l.subject_account_id IN
                        (SELECT account_id FROM memberships WHERE tenant_id = ?1 AND snapshot_reader = 0)))"
                }
                _ => "l.tenant_id IS NULL",
            };
            let mut sql = format!(
                "SELECT l.id, l.at,
                        CASE WHEN l.via = 'tenant_api_key' THEN 'Tenant API key'
                             WHEN l.via = 'command_line' THEN 'Local administrator (command line)'
                             ELSE act.name || ' <' || act.email || '>'
                                  || CASE WHEN l.via = 'personal_api_key' THEN ' (personal API key)' ELSE '' END END,
                        l.action, sub.name || ' <' || sub.email || '>', l.before, l.after
                   FROM audit_log l
                   LEFT JOIN accounts act ON act.id = l.actor_account_id
                   LEFT JOIN accounts sub ON sub.id = l.subject_account_id
                  WHERE {whose}"
            );
            let filters_from = params.len();
            let user = fold_case(query.user.trim());
            if !user.is_empty() {
                params.push(user.into());
                let n = params.len();
                sql.push_str(&format!(
                    " AND (instr(fold_case(act.name || ' ' || act.email), ?{n}) > 0
                        OR instr(fold_case(sub.name || ' ' || sub.email), ?{n}) > 0)"
                ));
            }
            if !query.action.trim().is_empty() {
                params.push(query.action.trim().to_owned().into());
                sql.push_str(&format!(" AND l.action = ?{}", params.len()));
            }
            if let Some(f) = from {
                params.push(day_start(zone, f).into());
                sql.push_str(&format!(" AND l.at >= ?{}", params.len()));
            }
            if let Some(t) = to {
                params.push(day_start(zone, t + Duration::days(1)).into());
                sql.push_str(&format!(" AND l.at < ?{}", params.len()));
            }
            params.push((i64::from(page_size) + 1).into());
            params.push((i64::from(query.page) * i64::from(page_size)).into());
            sql.push_str(&format!(" ORDER BY l.at DESC, l.id DESC LIMIT ?{} OFFSET ?{}", params.len() - 1, params.len()));
            let mut stmt = tx.prepare(&sql)?;
            let mut entries = stmt
                .query_map(crate::store::sql::params_from_iter(params.iter().cloned()), |r| {
                    Ok(AuditEntry {
                        id: r.get(0)?,
                        at: to_wire(r.get(1)?),
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        subject: r.get(4)?,
                        before: r.get(5)?,
                        after: r.get(6)?,
                    })
                })?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            let has_more = entries.len() > page_size as usize;
            entries.truncate(page_size as usize);
            let mut stmt = tx.prepare(&format!("SELECT DISTINCT l.action FROM audit_log l WHERE {whose} ORDER BY l.action"))?;
            let actions = stmt
                .query_map(crate::store::sql::params_from_iter(params[..filters_from].iter().cloned()), |r| r.get(0))?
                .collect::<crate::store::sql::Result<Vec<String>>>()?;
            Ok(AuditPage { entries, page: query.page, has_more, actions, timezone, can_view_install })
        })
    }
}
