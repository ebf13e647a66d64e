//! The aggregates behind every chart, over local days of the tenant's
//! timezone. The conversations of the range come from one covering index
//! range (`conversations_analytics`) and the billable sessions from
//! `billable_windows_tenant_start`; rows are put into days here, because a
//! local day is not a fixed number of hours. A range of weeks is read in
//! parts side by side, all at one moment of the store (`Db::read_parts`),
//! and the parts' tallies are added up.

use std::collections::{BTreeMap, HashMap};

use chrono_tz::Tz;
use crate::billing::Span;
use crate::store::sql::{params, Tx};
use crate::store::Db;

use super::percentile::durations;
use super::range::{date_label, Days};
use super::scope::Scope;
use super::{Analytics, AnalyticsRange, AnalyticsTotals, ChannelDays, OperatorLoad};
use crate::authz::{Actor, Operation};
use crate::error::Result;
use crate::conversations::ConversationStatus;
use crate::{timezones, Desk};

/// The range's conversations put into days as they are read: one pass over
/// the covering index, with nothing kept per conversation but its durations.
struct Tally {
    by_channel: Vec<ChannelDays>,
    first_response: Vec<Vec<i64>>,
    resolution: Vec<Vec<i64>>,
    open: Vec<i64>,
    resolved: Vec<i64>,
    load: HashMap<i64, OperatorLoad>,
    billable: Vec<i64>,
}

impl Tally {
    fn new(days: usize) -> Self {
        Self {
            by_channel: Vec::new(),
            first_response: vec![Vec::new(); days],
            resolution: vec![Vec::new(); days],
            open: vec![0; days],
            resolved: vec![0; days],
            load: HashMap::new(),
            billable: vec![0; days],
        }
    }

    /// Adds the tally of another part of the range.
    fn add(&mut self, other: Tally) {
        for theirs in other.by_channel {
            match self.by_channel.iter_mut().find(|c| c.channel == theirs.channel) {
                Some(c) => c.counts.iter_mut().zip(theirs.counts).for_each(|(a, b)| *a += b),
                None => self.by_channel.push(theirs),
            }
        }
        for (mine, theirs) in [(&mut self.first_response, other.first_response), (&mut self.resolution, other.resolution)] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| a.extend(b));
        }
        for (mine, theirs) in [(&mut self.open, other.open), (&mut self.resolved, other.resolved), (&mut self.billable, other.billable)] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
        for (id, theirs) in other.load {
            let mine = self.load.entry(id).or_insert(OperatorLoad { conversations: 0, open: 0, resolved: 0, ..theirs.clone() });
            mine.conversations += theirs.conversations;
            mine.open += theirs.open;
            mine.resolved += theirs.resolved;
        }
    }
}

fn text<'r>(r: &'r crate::store::sql::Row<'_>, index: usize) -> crate::store::sql::Result<&'r str> {
    r.get_ref(index)?.as_str().map_err(|problem| crate::store::sql::Error::Column { index: index.to_string(), problem })
}

/// The conversations that started in `span` (a part of the range).
fn tally_conversations(tx: &Tx, scope: &Scope, days: &Days, span: Span, t: &mut Tally) -> Result<()> {
    let n = days.days.len();
    let mut stmt = tx.prepare_cached(
        "SELECT created_at, channel, operator_account_id, status,
                first_response_at - first_customer_at, resolved_at - created_at
           FROM conversations INDEXED BY conversations_analytics
          WHERE tenant_id = ?1 AND created_at >= ?2 AND created_at < ?3
            AND (CAST(?4 AS BIGINT) IS NULL OR operator_account_id = ?4)",
    )?;
    let rows = stmt.query_map(params![scope.tenant_id, span.start, span.end, scope.operator], |r| {
        let Some(day) = days.index(r.get(0)?) else { return Ok(()) };
        let channel = text(r, 1)?;
        // A tenant has a handful of channels: a scan finds one without hashing or copying its name.
        match t.by_channel.iter_mut().find(|c| c.channel == channel) {
            Some(c) => c.counts[day] += 1,
            None => {
                let mut counts = vec![0; n];
                counts[day] = 1;
                t.by_channel.push(ChannelDays { channel: channel.to_owned(), counts });
            }
        }
        let is_open = text(r, 3)? == ConversationStatus::Open.key();
        if let Some(ms) = r.get::<_, Option<i64>>(4)? {
            t.first_response[day].push(ms / 1000);
        }
        if !is_open {
            if let Some(ms) = r.get::<_, Option<i64>>(5)? {
                t.resolution[day].push(ms / 1000);
            }
        }
        if is_open { t.open[day] += 1 } else { t.resolved[day] += 1 }
        if let Some(operator) = r.get::<_, Option<i64>>(2)? {
            let entry = t.load.entry(operator).or_insert_with(|| OperatorLoad {
                account_id: operator,
                name: String::new(),
                conversations: 0,
                open: 0,
                resolved: 0,
            });
            entry.conversations += 1;
            if is_open { entry.open += 1 } else { entry.resolved += 1 }
        }
        Ok(())
    })?;
    for row in rows {
        row?;
    }
    Ok(())
}

/// The billable sessions starting in each day of the range (on an "Answered
/// only" plan, only those of conversations the customer wrote in), counted
/// day by day in the index: only the counts leave the store.
fn tally_billable(tx: &Tx, scope: &Scope, days: &Days, t: &mut Tally) -> Result<()> {
    let answered_only = crate::billing::answered_only(tx, scope.tenant_id)?;
    if scope.operator.is_none() && !answered_only {
        let mut count = tx.prepare_cached(
            "SELECT count(*) FROM billable_windows WHERE tenant_id = ?1 AND starts_at >= ?2 AND starts_at < ?3",
        )?;
        for ((_, day), billable) in days.days.iter().zip(t.billable.iter_mut()) {
            *billable = count.query_row(params![scope.tenant_id, day.start, day.end], |r| r.get(0))?;
        }
    } else {
        let mut count = tx.prepare_cached(
            "SELECT count(*) FROM billable_windows w JOIN conversations c ON c.id = w.conversation_id
              WHERE w.tenant_id = ?1 AND w.starts_at >= ?2 AND w.starts_at < ?3
                AND (CAST(?4 AS BIGINT) IS NULL OR c.operator_account_id = ?4) AND (?5 = 0 OR c.customer_replied = 1)",
        )?;
        for ((_, day), billable) in days.days.iter().zip(t.billable.iter_mut()) {
            *billable = count.query_row(params![scope.tenant_id, day.start, day.end, scope.operator, answered_only], |r| r.get(0))?;
        }
    }
    Ok(())
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

/// Days a part of the range holds at least: a shorter range is read whole.
const DAYS_PER_PART_AT_LEAST: usize = 7;
/// Parts a range is read in at most: one a core, up to four, and two on any
/// machine (so a range of two weeks or more is read the same way everywhere).
const PARTS_AT_MOST: usize = 4;

/// The range in consecutive parts of whole days, read side by side.
fn parts_of(days: &Days) -> Vec<Span> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let parts = (days.days.len() / DAYS_PER_PART_AT_LEAST).clamp(1, cores.clamp(2, PARTS_AT_MOST));
    let per_part = days.days.len().div_ceil(parts).max(1);
    days.days
        .chunks(per_part)
        .filter_map(|chunk| Some(Span { start: chunk.first()?.1.start, end: chunk.last()?.1.end }))
        .collect()
}

/// The charts of `days` for the scope `scope_of` decides, read in each part
/// of the range's transaction (so the role is read again where the data is).
pub(crate) fn compute(
    db: &Db,
    scope_of: impl Fn(&Tx) -> Result<Scope> + Sync,
    zone: Tz,
    days: &Days,
) -> Result<Analytics> {
    let n = days.days.len();
    let spans = parts_of(days);
    let parts = db.read_parts(spans.len().max(1), |tx, part| {
        let scope = scope_of(tx)?;
        let mut t = Tally::new(n);
        if let Some(span) = spans.get(part) {
            tally_conversations(tx, &scope, days, *span, &mut t)?;
        }
        if part == 0 {
            tally_billable(tx, &scope, days, &mut t)?;
        }
        let names =
            if scope.whole_tenant() { operator_names(tx, scope.tenant_id, t.load.keys().copied())? } else { BTreeMap::new() };
        Ok((scope, t, names))
    })?;
    let mut t = Tally::new(n);
    let mut names = BTreeMap::new();
    let mut scope = None;
    for (part_scope, part, part_names) in parts {
        scope.get_or_insert(part_scope);
        t.add(part);
        names.extend(part_names);
    }
    let scope = scope.ok_or_else(|| crate::error::Error::internal("a read of no parts"))?;
    let Tally { by_channel, mut first_response, mut resolution, open, resolved, mut load, billable } = t;
    let mut conversations_by_channel = by_channel;
    conversations_by_channel.sort_by(|a, b| {
        b.counts.iter().sum::<i64>().cmp(&a.counts.iter().sum::<i64>()).then_with(|| a.channel.cmp(&b.channel))
    });
    let operator_load = if scope.whole_tenant() {
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
        first_response: durations(&mut first_response.concat()),
        resolution: durations(&mut resolution.concat()),
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
        first_response: first_response.iter_mut().map(|day| durations(day)).collect(),
        resolution: resolution.iter_mut().map(|day| durations(day)).collect(),
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
        let (zone, days) = self.db.read(|tx| {
            let scope = super::scope::resolve(tx, actor, Operation::ViewAnalytics)?;
            let zone = tenant_zone(tx, scope.tenant_id)?;
            Ok((zone, super::range::resolve(range, zone, now)?))
        })?;
        compute(&self.db, |tx| super::scope::resolve(tx, actor, Operation::ViewAnalytics), zone, &days)
    }
}
