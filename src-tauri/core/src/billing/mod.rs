//! Billing: plans, the tenant's subscription and its one trial, billable
//! sessions counted per period, trial reminders, payment methods on file and
//! the credits ledger (Profile > Billing).
//!
//! - `windows`: what a billable session is, recorded as conversations grow.
//! - `periods`: billing periods and days in the tenant's timezone.
//! - `plans`: the plans table and a tenant's terms; `subscription`: choosing
//!   a plan, the billing portal's address; `trial`: the free trial.
//! - `overview`: the Billing tab; `reminders`: trial reminders, once each.
//! - `payment_methods`: brand, last 4, expiry; `credits`: the ledger.

mod credits;
mod overview;
mod payment_methods;
mod periods;
mod plans;
mod reminders;
mod subscription;
mod trial;
mod windows;

pub use credits::{CreditKind, CreditPage, CreditQuery, CreditTransaction, Credits, ADD_MAX};
pub use overview::{Banner, BillingOverview, CardState, Overage, SubscriptionCard, Usage, UsageDay};
pub use payment_methods::{NewPaymentMethod, PaymentMethod, BRANDS};
pub use periods::{current as current_period, days as period_days, Span};
pub use plans::{Period, Plan};
pub use reminders::{Reminder, SentReminder};
pub use subscription::PlanChoice;
pub use trial::{ENDING_SOON_DAYS, ENDING_SOON_PERCENT, TRIAL_DAYS, TRIAL_SESSIONS};
pub(crate) use windows::record as record_windows;
pub use windows::{window_count, WINDOW_MILLIS};

/// Whether the tenant's plan bills only conversations the customer wrote in.
pub(crate) fn answered_only(tx: &crate::store::sql::Tx, tenant_id: i64) -> crate::error::Result<bool> {
    Ok(plans::terms(tx, tenant_id)?.answered_only)
}
