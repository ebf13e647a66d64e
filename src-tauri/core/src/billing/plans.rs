//! Plans (rows of the `plans` table) and the terms a tenant's subscription
//! gives: its plan, the add-on, Individual's custom limits.

use crate::store::sql::{params, OptionalExtension, Row, Tx};
use serde::Serialize;
use specta::Type;

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    Month,
    Year,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Plan {
    pub key: String,
    pub name: String,
    /// `None`: set per subscription (custom limits).
    pub sessions_included: Option<i64>,
    pub price_cents: i64,
    pub currency: String,
    pub period: Period,
    /// "free", "period_start", "period_end" or "custom".
    pub billed: String,
    pub extra_session_cents: Option<i64>,
    /// The plan this one is an add-on to.
    pub add_on_to: Option<String>,
    pub answered_only: bool,
    pub credit_based: bool,
}

const COLUMNS: &str = "key, name, sessions_included, price_cents, currency, period, billed, extra_session_cents, add_on_to,
                       answered_only, credit_based";

fn plan(row: &Row) -> crate::store::sql::Result<Plan> {
    let period: String = row.get(5)?;
    Ok(Plan {
        key: row.get(0)?,
        name: row.get(1)?,
        sessions_included: row.get(2)?,
        price_cents: row.get(3)?,
        currency: row.get(4)?,
        period: if period == "year" { Period::Year } else { Period::Month },
        billed: row.get(6)?,
        extra_session_cents: row.get(7)?,
        add_on_to: row.get(8)?,
        answered_only: row.get(9)?,
        credit_based: row.get(10)?,
    })
}

pub(crate) fn all(tx: &Tx) -> Result<Vec<Plan>> {
    let mut stmt = tx.prepare_cached(&format!("SELECT {COLUMNS} FROM plans ORDER BY position"))?;
    let plans = stmt.query_map([], plan)?.collect::<crate::store::sql::Result<Vec<_>>>()?;
    Ok(plans)
}

pub(crate) fn by_key(tx: &Tx, key: &str) -> Result<Option<Plan>> {
    Ok(tx
        .prepare_cached(&format!("SELECT {COLUMNS} FROM plans WHERE key = ?1"))?
        .query_row([key], plan)
        .optional()?)
}

/// What a tenant's subscription gives, whatever its plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Terms {
    pub plan: Plan,
    /// The SME Extra Sessions add-on, when it is on.
    pub extra: Option<Plan>,
    pub sessions_limit: Option<i64>,
    pub answered_only: bool,
    pub credit_based: bool,
    /// UTC millis; the billing periods count from here.
    pub started_at: i64,
    pub portal_url: String,
}

/// The tenant's terms; a tenant that never chose a plan is on the plan
/// given on registration since the tenant was created.
pub(crate) fn terms(tx: &Tx, tenant_id: i64) -> Result<Terms> {
    let stored = tx
        .prepare_cached(
            "SELECT plan_key, extra_sessions, custom_sessions, custom_answered_only, custom_credit_based, started_at, portal_url
               FROM subscriptions WHERE tenant_id = ?1",
        )?
        .query_row([tenant_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, bool>(1)?,
                r.get::<_, Option<i64>>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, String>(6)?,
            ))
        })
        .optional()?;
    let (key, extra_on, custom_sessions, custom_answered, custom_credits, started_at, portal_url) = match stored {
        Some(s) => s,
        None => {
            let (key, created_at): (String, i64) = tx.query_row(
                "SELECT p.key, t.created_at FROM plans p, tenants t WHERE p.on_registration = 1 AND t.id = ?1",
                params![tenant_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            (key, false, None, false, false, created_at, String::new())
        }
    };
    let plan = by_key(tx, &key)?.ok_or_else(|| Error::storage(format!("unknown plan {key}")))?;
    let extra = if extra_on {
        tx.prepare_cached(&format!("SELECT {COLUMNS} FROM plans WHERE add_on_to = ?1"))?
            .query_row([&plan.key], self::plan)
            .optional()?
    } else {
        None
    };
    let custom = plan.sessions_included.is_none();
    Ok(Terms {
        sessions_limit: if custom { custom_sessions } else { plan.sessions_included },
        answered_only: plan.answered_only || (custom && custom_answered),
        credit_based: plan.credit_based || (custom && custom_credits),
        plan,
        extra,
        started_at,
        portal_url,
    })
}
