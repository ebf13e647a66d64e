//! Reading the audit log (Settings > Identity > Audit log). Entries are
//! written by each change, in its own transaction (`store::audit`).

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{authorize, Actor, Operation};
use crate::clock::to_wire;
use crate::error::{FieldErrors, Result};
use crate::store::fold_case;
use crate::users::scope_check;
use crate::Desk;

pub const PAGE_SIZE: u32 = 50;

#[derive(Debug, Clone, Default, Deserialize, Type)]
pub struct AuditQuery {
    /// Part of the name or email of the person who acted or was acted on.
    pub user: String,
    /// An action name ("user.create", …); empty for all.
    pub action: String,
    /// Dates (YYYY-MM-DD) in the tenant's timezone, both included; empty for open.
    pub from: String,
    pub to: String,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AuditEntry {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
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
    let parsed = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok();
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
        authorize(actor, Operation::ViewAuditLog)?;
        let Some(tenant_id) = actor.tenant.as_ref().map(|t| t.tenant_id) else {
            return Ok(AuditPage { entries: vec![], page: 0, has_more: false, actions: vec![], timezone: "UTC".into() });
        };
        let mut errors = FieldErrors::new();
        let from = parse_day("from", &query.from, &mut errors);
        let to = parse_day("to", &query.to, &mut errors);
        if let (Some(f), Some(t)) = (from, to) {
            if t < f {
                errors.add("to", "The end date must not be before the start date.");
            }
        }
        errors.into_result()?;
        self.db.read(|tx| {
            scope_check(tx, actor, tenant_id)?;
            let timezone: String = tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
            let zone: Tz = timezone.parse().unwrap_or(Tz::UTC);
            let mut sql = String::from(
                "SELECT l.id, l.at, act.name || ' <' || act.email || '>', l.action,
                        sub.name || ' <' || sub.email || '>', l.before, l.after
                   FROM audit_log l
                   LEFT JOIN accounts act ON act.id = l.actor_account_id
                   LEFT JOIN accounts sub ON sub.id = l.subject_account_id
                  WHERE l.tenant_id = ?1",
            );
            let mut params: Vec<Value> = vec![tenant_id.into()];
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
                .query_map(rusqlite::params_from_iter(params), |r| {
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
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let has_more = entries.len() > page_size as usize;
            entries.truncate(page_size as usize);
            let mut stmt = tx.prepare("SELECT DISTINCT action FROM audit_log WHERE tenant_id = ?1 ORDER BY action")?;
            let actions = stmt.query_map([tenant_id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(AuditPage { entries, page: query.page, has_more, actions, timezone })
        })
    }
}
