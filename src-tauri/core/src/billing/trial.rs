//! The one free trial of a tenant: 14 days and 50 billable sessions by
//! default. It ends when either runs out.

use crate::store::sql::{params, OptionalExtension, Tx};

use super::periods::Span;
use super::plans::terms;
use super::windows::{count, WINDOW_MILLIS};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, ErrorCode, Result};
use crate::audit::{self, Entry};
use crate::Desk;

pub const TRIAL_DAYS: i64 = 14;
pub const TRIAL_SESSIONS: i64 = 50;
/// "Trial ending soon": this many days left or fewer…
pub const ENDING_SOON_DAYS: i64 = 2;
/// …or this share of the sessions used (percent).
pub const ENDING_SOON_PERCENT: i64 = 90;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Trial {
    pub span: Span,
    pub sessions_limit: i64,
}

/// Where a trial stands at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrialStatus {
    pub trial: Trial,
    pub used: i64,
    pub sessions_left: i64,
    /// Started days left, rounded up; 0 once the trial's time is over.
    pub days_left: i64,
    pub expired: bool,
    pub ending_soon: bool,
}

pub(crate) fn load(tx: &Tx, tenant_id: i64) -> Result<Option<Trial>> {
    Ok(tx
        .prepare_cached("SELECT started_at, ends_at, sessions_limit FROM trials WHERE tenant_id = ?1")?
        .query_row([tenant_id], |r| {
            Ok(Trial { span: Span { start: r.get(0)?, end: r.get(1)? }, sessions_limit: r.get(2)? })
        })
        .optional()?)
}

/// The trial's status while it is the tenant's subscription: from its start
/// until a plan is chosen after it.
pub(crate) fn status(tx: &Tx, tenant_id: i64, now: i64) -> Result<Option<TrialStatus>> {
    let Some(trial) = load(tx, tenant_id)? else { return Ok(None) };
    let terms = terms(tx, tenant_id)?;
    if terms.started_at > trial.span.start {
        return Ok(None);
    }
    let used = count(tx, tenant_id, trial.span.start, trial.span.end, terms.answered_only)?;
    let sessions_left = (trial.sessions_limit - used).max(0);
    let days_left = ((trial.span.end - now).max(0) + WINDOW_MILLIS - 1) / WINDOW_MILLIS;
    let expired = now >= trial.span.end || sessions_left == 0;
    let ending_soon = !expired && (days_left <= ENDING_SOON_DAYS || used * 100 >= trial.sessions_limit * ENDING_SOON_PERCENT);
    Ok(Some(TrialStatus { trial, used, sessions_left, days_left, expired, ending_soon }))
}

impl Desk {
    /// Starts the tenant's free trial. A tenant gets one: a second is refused.
    pub fn start_trial(&self, actor: &Actor) -> Result<()> {
        authorize(actor, Operation::ManageBilling)?;
        let now = self.now_millis();
        let tenant_id = self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageBilling)?;
            let tenant_id = permit.tenant()?;
            let inserted = tx.execute(
                "INSERT INTO trials (tenant_id, started_at, ends_at, sessions_limit) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id) DO NOTHING",
                params![tenant_id, now, now + TRIAL_DAYS * WINDOW_MILLIS, TRIAL_SESSIONS],
            )?;
            if inserted == 0 {
                return Err(Error::new(ErrorCode::Conflict, "This organization has already had its free trial."));
            }
            audit::record(
                tx,
                Entry::tenant_change(
                    permit.account_id(),
                    now,
                    tenant_id,
                    "billing.trial_start",
                    None,
                    Some(serde_json::json!({ "days": TRIAL_DAYS, "sessions": TRIAL_SESSIONS })),
                ),
            )?;
            Ok(tenant_id)
        })?;
        self.check_billing_reminders(tenant_id)?;
        Ok(())
    }
}
