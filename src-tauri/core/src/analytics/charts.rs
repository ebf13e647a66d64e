//! The aggregates behind every chart, over local days of the tenant's
//! timezone. The conversations of the range come from one covering index
//! range (`conversations_analytics`) and the billable sessions from
//! `billable_windows_tenant_start`; rows are put into days here, because a
//! local day is not a fixed number of hours.

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;
use crate::store::sql::{params, Tx};

use super::percentile::durations;
use super::range::{date_label, Days};
use super::scope::Scope;
use super::{Analytics, AnalyticsRange, AnalyticsTotals, ChannelDays, OperatorLoad};
use crate::authz::{Actor, Operation};
use crate::error::Result;
use crate::conversations::ConversationStatus;
use crate::{timezones, Desk};

/// What the charts need of one conversation.
struct Row {
    created_at: i64,
    channel: String,
    operator: Option<i64>,
    status: ConversationStatus,
    first_response_ms: Option<i64>,
    resolution_ms: Option<i64>,
}

fn conversations(tx: &Tx, scope: &Scope, days: &Days) -> Result<Vec<Row>> {
    let mut stmt = tx.prepare_cached(
        "SELECT created_at, channel, operator_account_id, status,
                first_response_at - first_customer_at, resolved_at - created_at
           FROM conversations INDEXED BY conversations_analytics
          WHERE tenant_id = ?1 AND created_at >= ?2 AND created_at < ?3
            AND (CAST(?4 AS BIGINT) IS NULL OR operator_account_id = ?4)",
    )?;
    let rows = stmt.query_map(params![scope.tenant_id, days.span.start, days.span.end, scope.operator], |r| {
        let status: ConversationStatus = r.get(3)?;
        Ok(Row {
            created_at: r.get(0)?,
            channel: r.get(1)?,
            operator: r.get(2)?,
            status,
            first_response_ms: r.get(4)?,
            resolution_ms: if status == ConversationStatus::Resolved { r.get(5)? } else { None },
        })
    })?;
    Ok(rows.collect::<crate::store::sql::Result<Vec<_>>>()?)
}

/// Start instants of the billable sessions in the range (on an "Answered
/// only" plan, only those of conversations the customer wrote in).
fn billable_starts(tx: &Tx, scope: &Scope, days: &Days) -> Result<Vec<i64>> {
    let answered_only = crate::billing::answered_only(tx, scope.tenant_id)?;
    let read = |r: &crate::store::sql::Row| r.get::<_, i64>(0);
    let starts = if scope.operator.is_none() && !answered_only {
        tx.prepare_cached("SELECT starts_at FROM billable_windows WHERE tenant_id = ?1 AND starts_at >= ?2 AND starts_at < ?3")?
            .query_map(params![scope.tenant_id, days.span.start, days.span.end], read)?
            .collect::<crate::store::sql::Result<Vec<_>>>()?
    } else {
        tx.prepare_cached(
            "SELECT w.starts_at FROM billable_windows w JOIN conversations c ON c.id = w.conversation_id
              WHERE w.tenant_id = ?1 AND w.starts_at >= ?2 AND w.starts_at < ?3
                AND (CAST(?4 AS BIGINT) IS NULL OR c.operator_account_id = ?4) AND (?5 = 0 OR c.customer_replied = 1)",
        )?
        .query_map(params![scope.tenant_id, days.span.start, days.span.end, scope.operator, answered_only], read)?
        .collect::<crate::store::sql::Result<Vec<_>>>()?
    };
    Ok(starts)
}

/// Names of the tenant's people who handle conversations (Tenant Operators
/// and whoever else has conversations assigned in the range).
fn operator_names(tx: &Tx, tenant_id: i64, assigned: impl Iterator<Item = i64>) -> Result<BTreeMap<i64, String>> {
    let mut names = BTreeMap::new();
    let mut operators = tx.prepare_cached(
        "SELECT a.id, a.name FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.tenant_id = ?1 AND m.role = 'tenant_operator' AND a.deleted_at IS NULL",
    )?;
    for row in operators.query_map([tenant_id], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))? {
        let (id, name) = row?;
        names.insert(id, name);
    }
    let mut named = tx.prepare_cached("SELECT name FROM accounts WHERE id = ?1")?;
    for id in assigned {
        if let std::collections::btree_map::Entry::Vacant(slot) = names.entry(id) {
            slot.insert(named.query_row([id], |r| r.get(0))?);
        }
    }
    Ok(names)
}

pub(crate) fn compute(tx: &Tx, scope: &Scope, zone: Tz, days: &Days) -> Result<Analytics> {
    let n = days.days.len();
    let rows = conversations(tx, scope, days)?;
    let mut by_channel: HashMap<String, Vec<i64>> = HashMap::new();
    let mut first_response = vec![Vec::new(); n];
    let mut resolution = vec![Vec::new(); n];
    let (mut open, mut resolved) = (vec![0; n], vec![0; n]);
    let mut load: HashMap<i64, OperatorLoad> = HashMap::new();
    for row in &rows {
        let Some(day) = days.index(row.created_at) else { continue };
        by_channel.entry(row.channel.clone()).or_insert_with(|| vec![0; n])[day] += 1;
        if let Some(ms) = row.first_response_ms {
            first_response[day].push(ms / 1000);
        }
        if let Some(ms) = row.resolution_ms {
            resolution[day].push(ms / 1000);
        }
        let is_open = row.status == ConversationStatus::Open;
        if is_open { open[day] += 1 } else { resolved[day] += 1 }
        if let Some(operator) = row.operator {
            let entry = load.entry(operator).or_insert_with(|| OperatorLoad {
                account_id: operator,
                name: String::new(),
                conversations: 0,
                open: 0,
                resolved: 0,
            });
            entry.conversations += 1;
            if is_open { entry.open += 1 } else { entry.resolved += 1 }
        }
    }
    let mut billable = vec![0; n];
    for at in billable_starts(tx, scope, days)? {
        if let Some(day) = days.index(at) {
            billable[day] += 1;
        }
    }
    let mut conversations_by_channel: Vec<ChannelDays> =
        by_channel.into_iter().map(|(channel, counts)| ChannelDays { channel, counts }).collect();
    conversations_by_channel.sort_by(|a, b| {
        b.counts.iter().sum::<i64>().cmp(&a.counts.iter().sum::<i64>()).then_with(|| a.channel.cmp(&b.channel))
    });
    let operator_load = if scope.whole_tenant() {
        let names = operator_names(tx, scope.tenant_id, load.keys().copied())?;
        let mut rows: Vec<OperatorLoad> = names
            .into_iter()
            .map(|(account_id, name)| {
                let counted = load.remove(&account_id);
                OperatorLoad {
                    account_id,
                    name,
                    conversations: counted.as_ref().map_or(0, |l| l.conversations),
                    open: counted.as_ref().map_or(0, |l| l.open),
                    resolved: counted.as_ref().map_or(0, |l| l.resolved),
                }
            })
            .collect();
        rows.sort_by(|a, b| b.conversations.cmp(&a.conversations).then_with(|| a.name.cmp(&b.name)));
        Some(rows)
    } else {
        None
    };
    let totals = AnalyticsTotals {
        conversations: open.iter().sum::<i64>() + resolved.iter().sum::<i64>(),
        billable_sessions: billable.iter().sum(),
        first_response: durations(first_response.iter().flatten().copied().collect()),
        resolution: durations(resolution.iter().flatten().copied().collect()),
        open: open.iter().sum(),
        resolved: resolved.iter().sum(),
    };
    Ok(Analytics {
        from: date_label(days.from),
        to: date_label(days.to),
        timezone: zone.name().to_owned(),
        whole_tenant: scope.whole_tenant(),
        days: days.labels(),
        conversations_by_channel,
        billable_sessions: billable,
        first_response: first_response.into_iter().map(durations).collect(),
        resolution: resolution.into_iter().map(durations).collect(),
        open,
        resolved,
        operator_load,
        totals,
    })
}

pub(crate) fn tenant_zone(tx: &Tx, tenant_id: i64) -> Result<Tz> {
    let name: String = tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
    Ok(timezones::parse(&name).unwrap_or(Tz::UTC))
}

impl Desk {
    /// The Analytics screen's charts over `range`: the whole tenant for
    /// Tenant Admins, their own conversations for Tenant Operators.
    pub fn analytics(&self, actor: &Actor, range: &AnalyticsRange) -> Result<Analytics> {
        crate::authz::authorize(actor, Operation::ViewAnalytics)?;
        let now = self.now_millis();
        self.db.read(|tx| {
            let scope = super::scope::resolve(tx, actor, Operation::ViewAnalytics)?;
            let zone = tenant_zone(tx, scope.tenant_id)?;
            let days = super::range::resolve(range, zone, now)?;
            compute(tx, &scope, zone, &days)
        })
    }
}
