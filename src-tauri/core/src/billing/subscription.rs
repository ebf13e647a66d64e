//! Choosing the tenant's plan (and its add-on or custom terms) and the
//! address of the external billing portal. A new plan starts a new billing
//! period now and ends a running trial.

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::plans::{by_key, terms};
use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{Error, FieldErrors, Result};
use crate::audit::{self, Entry};
use crate::tenants::rules::website;
use crate::validate::without_nul;
use crate::Desk;

pub const CUSTOM_SESSIONS_MAX: i64 = 100_000_000;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PlanChoice {
    pub plan_key: String,
    /// SME Extra Sessions (with SME).
    pub extra_sessions: bool,
    /// Individual's custom terms.
    pub custom_sessions: Option<i64>,
    pub custom_answered_only: bool,
    pub custom_credit_based: bool,
}

impl Desk {
    pub fn change_plan(&self, actor: &Actor, choice: &PlanChoice) -> Result<()> {
        authorize(actor, Operation::ManageBilling)?;
        let mut errors = FieldErrors::new();
        errors.check("plan_key", without_nul(&choice.plan_key, "Plan"));
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageBilling)?;
            let tenant_id = permit.tenant()?;
            let mut errors = FieldErrors::new();
            let plan = by_key(tx, &choice.plan_key)?.filter(|p| p.add_on_to.is_none());
            let Some(plan) = plan else {
                errors.add("plan_key", "Choose a plan from the list.");
                return errors.into_result();
            };
            let custom = plan.sessions_included.is_none();
            let has_add_on: bool =
                tx.query_row("SELECT EXISTS (SELECT 1 FROM plans WHERE add_on_to = ?1)", [&plan.key], |r| r.get(0))?;
            if choice.extra_sessions && !has_add_on {
                errors.add("extra_sessions", format!("Extra sessions come only with a plan that offers them, not {}.", plan.name));
            }
            if custom && !matches!(choice.custom_sessions, Some(n) if (1..=CUSTOM_SESSIONS_MAX).contains(&n)) {
                errors.add("custom_sessions", format!("Enter the sessions of the custom plan, from 1 to {CUSTOM_SESSIONS_MAX}."));
            }
            errors.into_result()?;
            let before = terms(tx, tenant_id)?;
            tx.execute(
                "INSERT INTO subscriptions (tenant_id, plan_key, extra_sessions, custom_sessions, custom_answered_only, custom_credit_based, started_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (tenant_id) DO UPDATE SET plan_key = ?2, extra_sessions = ?3, custom_sessions = ?4,
                    custom_answered_only = ?5, custom_credit_based = ?6, started_at = ?7",
                params![
                    tenant_id,
                    plan.key,
                    choice.extra_sessions,
                    if custom { choice.custom_sessions } else { None },
                    custom && choice.custom_answered_only,
                    custom && choice.custom_credit_based,
                    now
                ],
            )?;
            audit::record(
                tx,
                Entry::tenant_change(
                    permit.account_id(),
                    now,
                    tenant_id,
                    "billing.plan_change",
                    Some(serde_json::json!({ "plan": before.plan.name, "extra_sessions": before.extra.is_some() })),
                    Some(serde_json::json!({
                        "plan": plan.name,
                        "extra_sessions": choice.extra_sessions,
                        "custom_sessions": if custom { choice.custom_sessions } else { None },
                    })),
                ),
            )
        })
    }

    /// "Manage subscription": the address to open in the system browser.
    pub fn billing_portal_url(&self, actor: &Actor) -> Result<String> {
        authorize(actor, Operation::ManageBilling)?;
        let url = self.db.read(|tx| Ok(terms(tx, permit(tx, actor, Operation::ManageBilling)?.tenant()?)?.portal_url))?;
        if url.is_empty() {
            return Err(Error::new(crate::ErrorCode::NotFound, "Set the billing portal address first."));
        }
        Ok(url)
    }

    /// The external billing portal's address ("Manage subscription").
    pub fn set_billing_portal(&self, actor: &Actor, url: &str) -> Result<()> {
        authorize(actor, Operation::ManageBilling)?;
        let url = url.trim();
        let mut errors = FieldErrors::new();
        errors.check("portal_url", without_nul(url, "The billing portal address"));
        if url.is_empty() {
            errors.add("portal_url", "Enter the billing portal address, starting with https://.");
        } else {
            errors.check("portal_url", website(url));
        }
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageBilling)?;
            let tenant_id = permit.tenant()?;
            let before = terms(tx, tenant_id)?;
            // The row keeps the plan the tenant is on (the registration plan
            // until one is chosen) and its period start.
            tx.execute(
                "INSERT INTO subscriptions (tenant_id, plan_key, started_at, portal_url) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant_id) DO UPDATE SET portal_url = ?4",
                params![tenant_id, before.plan.key, before.started_at, url],
            )?;
            audit::record(
                tx,
                Entry::tenant_change(
                    permit.account_id(),
                    now,
                    tenant_id,
                    "billing.portal_change",
                    Some(serde_json::json!({ "portal_url": before.portal_url })),
                    Some(serde_json::json!({ "portal_url": url })),
                ),
            )
        })
    }
}
