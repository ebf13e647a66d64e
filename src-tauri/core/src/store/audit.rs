//! The audit log: who changed what, when, before and after. Never secrets.

use rusqlite::{params, Transaction};
use serde_json::Value;

use crate::error::Result;

pub struct Entry<'a> {
    pub at: i64,
    pub actor_account_id: Option<i64>,
    pub tenant_id: Option<i64>,
    pub action: &'a str,
    pub subject: String,
    /// The account the change was about, if any (for filtering by user).
    pub subject_account_id: Option<i64>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl<'a> Entry<'a> {
    /// `actor_account_id`'s change to tenant `tenant_id` (its details or its API key).
    pub fn tenant_change(
        actor_account_id: i64,
        at: i64,
        tenant_id: i64,
        action: &'a str,
        before: Option<Value>,
        after: Option<Value>,
    ) -> Self {
        Self {
            at,
            actor_account_id: Some(actor_account_id),
            tenant_id: Some(tenant_id),
            action,
            subject: format!("tenant:{tenant_id}"),
            subject_account_id: None,
            before,
            after,
        }
    }
}

impl<'a> Entry<'a> {
    /// A person's change to their own account (MFA, personal API keys).
    pub fn own_account(account_id: i64, actor: &crate::authz::Actor, at: i64, action: &'a str, after: Value) -> Self {
        Self {
            at,
            actor_account_id: Some(account_id),
            tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
            action,
            subject: format!("account:{account_id}"),
            subject_account_id: Some(account_id),
            before: None,
            after: Some(after),
        }
    }
}

pub fn record(tx: &Transaction, entry: Entry) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor_account_id, tenant_id, action, subject, subject_account_id, before, after)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            entry.at,
            entry.actor_account_id,
            entry.tenant_id,
            entry.action,
            entry.subject,
            entry.subject_account_id,
            entry.before.map(|v| v.to_string()),
            entry.after.map(|v| v.to_string()),
        ],
    )?;
    Ok(())
}
