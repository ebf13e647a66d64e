//! Profile > Billing: the subscription card, usage this period with its
//! chart by day, the reminder banner, payment methods and credits. Everyone
//! in the tenant reads it; Tenant Admins manage it (`can_manage`).

use chrono_tz::Tz;
use crate::store::sql::Tx;
use serde::Serialize;
use specta::Type;

use super::credits::{self, Credits};
use super::payment_methods::{self, PaymentMethod, BRANDS};
use super::periods::{self, Span};
use super::plans::{self, terms, Plan, Terms};
use super::reminders::latest_sent;
use super::trial::{self, TrialStatus};
use super::windows::{count, WINDOW_MILLIS};
use crate::authz::{can, permit, Actor, Operation};
use crate::clock::to_wire;
use crate::error::Result;
use crate::timezones;
use crate::Desk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum CardState {
    Trial,
    TrialEndingSoon,
    Expired,
    Active,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SubscriptionCard {
    pub state: CardState,
    /// "Trial subscription", "Trial ending soon", "Expired subscription", or the plan's name.
    pub title: String,
    pub plan_name: String,
    pub extra_sessions: bool,
    /// While on the trial.
    pub sessions_left: Option<i64>,
    pub days_left: Option<i64>,
    /// The tenant never had its free trial.
    pub trial_available: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct UsageDay {
    /// YYYY-MM-DD in the tenant's timezone.
    pub date: String,
    pub sessions: i64,
}

/// SME Extra Sessions: what the sessions over the limit cost (in cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Overage {
    pub price_cents: i64,
    pub sessions_over: i64,
    pub cost_cents: i64,
    /// This period's sessions at the pace so far.
    pub projected_sessions: i64,
    pub projected_cost_cents: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Usage {
    /// RFC 3339 UTC; the period is `[start, end)`.
    pub period_start: String,
    pub period_end: String,
    pub used: i64,
    /// `None`: no limit set.
    pub limit: Option<i64>,
    pub answered_only: bool,
    pub days: Vec<UsageDay>,
    pub overage: Option<Overage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Banner {
    pub summary: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct BillingOverview {
    pub can_manage: bool,
    pub card: SubscriptionCard,
    pub usage: Usage,
    pub banner: Option<Banner>,
    pub plans: Vec<Plan>,
    pub currency: String,
    pub payment_methods: Vec<PaymentMethod>,
    pub brands: Vec<String>,
    /// The external billing portal; empty until set.
    pub portal_url: String,
    /// `None`: not on a credit-based plan (the section is hidden).
    pub credits: Option<Credits>,
    pub timezone: String,
}

fn card(terms: &Terms, trial: Option<&TrialStatus>, trial_available: bool) -> SubscriptionCard {
    let (state, title) = match trial {
        Some(t) if t.expired => (CardState::Expired, "Expired subscription".to_owned()),
        Some(t) if t.ending_soon => (CardState::TrialEndingSoon, "Trial ending soon".to_owned()),
        Some(_) => (CardState::Trial, "Trial subscription".to_owned()),
        None => (CardState::Active, terms.plan.name.clone()),
    };
    SubscriptionCard {
        state,
        title,
        plan_name: terms.plan.name.clone(),
        extra_sessions: terms.extra.is_some(),
        sessions_left: trial.map(|t| t.sessions_left),
        days_left: trial.map(|t| t.days_left),
        trial_available,
    }
}

fn overage(terms: &Terms, used: i64, span: Span, now: i64) -> Option<Overage> {
    let price = terms.extra.as_ref()?.extra_session_cents?;
    let limit = terms.sessions_limit?;
    let elapsed = now.clamp(span.start, span.end) - span.start;
    // Before a day has passed the pace says little: project what is used.
    let projected = if elapsed < WINDOW_MILLIS || span.end == i64::MAX {
        used
    } else {
        let total = i128::from(span.end - span.start);
        i64::try_from(i128::from(used) * total / i128::from(elapsed)).unwrap_or(i64::MAX)
    };
    let over = (used - limit).max(0);
    let projected_over = (projected - limit).max(0);
    Some(Overage {
        price_cents: price,
        sessions_over: over,
        cost_cents: over * price,
        projected_sessions: projected,
        projected_cost_cents: projected_over * price,
    })
}

pub(crate) fn usage(tx: &Tx, zone: Tz, tenant_id: i64, terms: &Terms, trial: Option<&TrialStatus>, now: i64) -> Result<Usage> {
    let (span, limit) = match trial {
        Some(t) => (t.trial.span, Some(t.trial.sessions_limit)),
        None => (periods::current(zone, &terms.plan.period, terms.started_at, now), terms.sessions_limit),
    };
    let mut days = Vec::new();
    let mut used = 0;
    for (date, day) in periods::days(zone, span) {
        let sessions = count(tx, tenant_id, day.start, day.end, terms.answered_only)?;
        used += sessions;
        days.push(UsageDay { date: date.format("%Y-%m-%d").to_string(), sessions });
    }
    Ok(Usage {
        period_start: to_wire(span.start),
        period_end: to_wire(span.end),
        used,
        limit,
        answered_only: terms.answered_only,
        days,
        overage: if trial.is_some() { None } else { overage(terms, used, span, now) },
    })
}

impl Desk {
    /// `None` for an account that belongs to no tenant.
    pub fn billing(&self, actor: &Actor) -> Result<Option<BillingOverview>> {
        let now = self.now_millis();
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewBilling)?;
            let Some(tenant_id) = permit.tenant_id() else { return Ok(None) };
            let actor = permit.actor();
            let zone_name: String = tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
            let zone = timezones::parse(&zone_name).unwrap_or(Tz::UTC);
            let terms = terms(tx, tenant_id)?;
            let trial = trial::status(tx, tenant_id, now)?;
            let trial_available = trial::load(tx, tenant_id)?.is_none();
            let banner = match &trial {
                Some(status) => latest_sent(tx, tenant_id)?.map(|r| {
                    let notice = r.notice(status);
                    Banner { summary: notice.summary, body: notice.body }
                }),
                None => None,
            };
            Ok(Some(BillingOverview {
                can_manage: can(actor, Operation::ManageBilling),
                card: card(&terms, trial.as_ref(), trial_available),
                usage: usage(tx, zone, tenant_id, &terms, trial.as_ref(), now)?,
                banner,
                plans: plans::all(tx)?,
                currency: terms.plan.currency.clone(),
                payment_methods: payment_methods::list(tx, tenant_id)?,
                brands: BRANDS.iter().map(|b| (*b).to_owned()).collect(),
                portal_url: terms.portal_url.clone(),
                credits: credits::section(tx, actor, tenant_id, now)?,
                timezone: zone_name,
            }))
        })
    }
}
