//! The credits ledger of a tenant on a credit-based plan: the balance is the
//! sum of its transactions. A spend beyond the balance is refused inside the
//! write transaction (and `balance_after >= 0` is a table constraint), so
//! parallel spends can never take it below zero.

use crate::store::sql::{params, Row, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::plans::terms;
use super::windows::WINDOW_MILLIS;
use crate::authz::{authorize, permit, Actor, Operation};
use crate::clock::to_wire;
use crate::error::{Error, FieldErrors, Result};
use crate::audit::{self, Entry};
use crate::Desk;

/// Credits one purchase may add.
pub const ADD_MAX: i64 = 1_000_000;
pub const PAGE_SIZE: u32 = 50;
/// Recent transactions shown in the Credits section.
pub const RECENT: i64 = 5;
/// The estimate projects the spending of this many last days to 30 days.
const ESTIMATE_DAYS: i64 = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CreditKind {
    Added,
    Spent,
}

impl CreditKind {
    fn key(self) -> &'static str {
        match self {
            CreditKind::Added => "added",
            CreditKind::Spent => "spent",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CreditTransaction {
    pub id: i64,
    /// UTC, RFC 3339.
    pub at: String,
    pub kind: CreditKind,
    /// Positive for additions, negative for spends.
    pub amount: i64,
    pub balance_after: i64,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Credits {
    pub balance: i64,
    /// Credits spent in the last 30 days: the projection of the coming month.
    pub estimated_monthly_usage: i64,
    pub recent: Vec<CreditTransaction>,
    /// Billable sessions the balance could not pay for.
    pub uncovered_sessions: i64,
    pub can_add: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct CreditQuery {
    /// `None`: every kind.
    pub kind: Option<CreditKind>,
    pub page: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CreditPage {
    pub transactions: Vec<CreditTransaction>,
    pub page: u32,
    pub has_more: bool,
}

pub(crate) fn balance(tx: &Tx, tenant_id: i64) -> Result<i64> {
    Ok(tx
        .prepare_cached("SELECT coalesce(sum(amount), 0) FROM credit_transactions WHERE tenant_id = ?1")?
        .query_row([tenant_id], |r| r.get(0))?)
}

fn insert(tx: &Tx, tenant_id: i64, at: i64, kind: CreditKind, amount: i64, note: &str, actor: Option<i64>) -> Result<i64> {
    let after = balance(tx, tenant_id)? + amount;
    tx.prepare_cached(
        "INSERT INTO credit_transactions (tenant_id, at, kind, amount, balance_after, note, actor_account_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![tenant_id, at, kind.key(), amount, after, note, actor])?;
    Ok(after)
}

/// Spends `amount` credits when the balance holds them; returns whether it did.
pub(crate) fn spend(tx: &Tx, tenant_id: i64, amount: i64, note: &str, at: i64) -> Result<bool> {
    if balance(tx, tenant_id)? < amount {
        return Ok(false);
    }
    insert(tx, tenant_id, at, CreditKind::Spent, -amount, note, None)?;
    Ok(true)
}

fn transaction(row: &Row) -> crate::store::sql::Result<CreditTransaction> {
    let kind: String = row.get(2)?;
    Ok(CreditTransaction {
        id: row.get(0)?,
        at: to_wire(row.get(1)?),
        kind: if kind == "added" { CreditKind::Added } else { CreditKind::Spent },
        amount: row.get(3)?,
        balance_after: row.get(4)?,
        note: row.get(5)?,
    })
}

const SELECT: &str = "SELECT id, at, kind, amount, balance_after, note FROM credit_transactions";

fn page(tx: &Tx, tenant_id: i64, kind: Option<CreditKind>, limit: i64, offset: i64) -> Result<Vec<CreditTransaction>> {
    let mut stmt = tx.prepare_cached(&format!(
        "{SELECT} WHERE tenant_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR kind = ?2) ORDER BY at DESC, id DESC LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(params![tenant_id, kind.map(CreditKind::key), limit, offset], transaction)?
        .collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(rows)
}

/// The Credits section, or `None` for a tenant not on credits (the section is hidden).
pub(crate) fn section(tx: &Tx, actor: &Actor, tenant_id: i64, now: i64) -> Result<Option<Credits>> {
    if !terms(tx, tenant_id)?.credit_based {
        return Ok(None);
    }
    let spent: i64 = tx
        .prepare_cached(
            "SELECT coalesce(-sum(amount), 0) FROM credit_transactions WHERE tenant_id = ?1 AND kind = 'spent' AND at >= ?2",
        )?
        .query_row(params![tenant_id, now - ESTIMATE_DAYS * WINDOW_MILLIS], |r| r.get(0))?;
    Ok(Some(Credits {
        balance: balance(tx, tenant_id)?,
        estimated_monthly_usage: spent,
        recent: page(tx, tenant_id, None, RECENT, 0)?,
        uncovered_sessions: super::windows::uncovered(tx, tenant_id)?,
        can_add: crate::authz::can(actor, Operation::AddCredits),
    }))
}

fn credits_only(tx: &Tx, tenant_id: i64) -> Result<()> {
    if terms(tx, tenant_id)?.credit_based {
        Ok(())
    } else {
        Err(Error::new(crate::ErrorCode::Conflict, "This organization is not on a credit-based plan."))
    }
}

impl Desk {
    /// Add Credits: audit-logged; returns the new balance.
    pub fn add_credits(&self, actor: &Actor, amount: i64) -> Result<i64> {
        authorize(actor, Operation::AddCredits)?;
        if !(1..=ADD_MAX).contains(&amount) {
            let mut errors = FieldErrors::new();
            errors.add("amount", format!("Enter a whole number of credits from 1 to {ADD_MAX}."));
            errors.into_result()?;
        }
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::AddCredits)?;
            let tenant_id = permit.tenant()?;
            credits_only(tx, tenant_id)?;
            let before = balance(tx, tenant_id)?;
            let after = insert(tx, tenant_id, now, CreditKind::Added, amount, "Credits added", Some(permit.account_id()))?;
            audit::record(
                tx,
                Entry::tenant_change(
                    permit.account_id(),
                    now,
                    tenant_id,
                    "credits.add",
                    Some(serde_json::json!({ "balance": before })),
                    Some(serde_json::json!({ "balance": after, "added": amount })),
                ),
            )?;
            Ok(after)
        })
    }

    /// View All Transactions: newest first, filtered by kind.
    pub fn credit_transactions(&self, actor: &Actor, query: &CreditQuery) -> Result<CreditPage> {
        authorize(actor, Operation::ViewBilling)?;
        let size = i64::from(PAGE_SIZE);
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewBilling)?;
            let tenant_id = permit.tenant()?;
            credits_only(tx, tenant_id)?;
            let mut transactions = page(tx, tenant_id, query.kind, size + 1, i64::from(query.page) * size)?;
            let has_more = transactions.len() as i64 > size;
            transactions.truncate(PAGE_SIZE as usize);
            Ok(CreditPage { transactions, page: query.page, has_more })
        })
    }

    /// Every transaction of the filter as CSV (UTC times), oldest first.
    pub fn credit_transactions_csv(&self, actor: &Actor, kind: Option<CreditKind>) -> Result<String> {
        authorize(actor, Operation::ViewBilling)?;
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewBilling)?;
            let tenant_id = permit.tenant()?;
            credits_only(tx, tenant_id)?;
            let mut rows = page(tx, tenant_id, kind, i64::MAX, 0)?;
            rows.reverse();
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record(["at", "kind", "amount", "balance_after", "note"]).map_err(csv_error)?;
            for t in rows {
                writer
                    .write_record([t.at, t.kind.key().to_owned(), t.amount.to_string(), t.balance_after.to_string(), t.note])
                    .map_err(csv_error)?;
            }
            let bytes = writer.into_inner().map_err(|e| Error::internal(format!("csv: {e}")))?;
            String::from_utf8(bytes).map_err(|e| Error::internal(format!("csv: {e}")))
        })
    }
}

fn csv_error(e: csv::Error) -> Error {
    Error::internal(format!("csv: {e}"))
}
