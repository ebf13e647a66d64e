//! Writing the audit log: the entry each change records in its own transaction.

use crate::store::sql::{params, Tx};
use serde_json::Value;

use crate::error::Result;

/// How an audited change came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// The window, or the install itself.
    Window,
    /// The tenant API with the tenant API key (no person behind it).
    TenantApiKey,
    /// The tenant API with a person's personal API key.
    PersonalApiKey,
    /// The command line, by the data folder's owner (no account behind it).
    CommandLine,
}

impl Via {
    pub fn of(actor: &crate::authz::Actor) -> Self {
        if actor.through_key {
            Via::PersonalApiKey
        } else {
            Via::Window
        }
    }

    pub fn of_caller(caller: &crate::authz::Caller) -> Self {
        match caller {
            crate::authz::Caller::Person(actor) => Via::of(actor),
            crate::authz::Caller::TenantKey(_) => Via::TenantApiKey,
        }
    }

    /// The stored name; `None` for the window.
    fn key(self) -> Option<&'static str> {
        match self {
            Via::Window => None,
            Via::TenantApiKey => Some("tenant_api_key"),
            Via::PersonalApiKey => Some("personal_api_key"),
            Via::CommandLine => Some("command_line"),
        }
    }
}

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
    pub via: Via,
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
            via: Via::Window,
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
            via: Via::of(actor),
        }
    }

    /// A change to the whole install (its settings, backups, the platform
    /// flag): no tenant; every platform administrator reads it.
    pub fn install_change(actor_account_id: Option<i64>, at: i64, action: &'a str, before: Option<Value>, after: Option<Value>) -> Self {
        Self {
            at,
            actor_account_id,
            tenant_id: None,
            action,
            subject: "install".into(),
            subject_account_id: None,
            before,
            after,
            via: Via::Window,
        }
    }
}

impl<'a> Entry<'a> {
    /// A change the local administrator made from the command line: no
    /// account did it, so the entry names the operating-system user.
    pub fn by_local_administrator(
        local: &crate::authz::LocalAdministrator,
        at: i64,
        tenant_id: Option<i64>,
        action: &'a str,
        subject: String,
        subject_account_id: Option<i64>,
        after: Value,
    ) -> Self {
        let mut after = after;
        if let Value::Object(fields) = &mut after {
            fields.insert("os_user".into(), Value::String(local.os_user().to_owned()));
        }
        Self { at, actor_account_id: None, tenant_id, action, subject, subject_account_id, before: None, after: Some(after), via: Via::CommandLine }
    }

    /// The local administrator's change to an account as a whole (its
    /// password, MFA, platform flag): no tenant; each of its tenants reads it.
    pub fn local_account_change(local: &crate::authz::LocalAdministrator, at: i64, action: &'a str, account_id: i64, after: Value) -> Self {
        Self::by_local_administrator(local, at, None, action, format!("account:{account_id}"), Some(account_id), after)
    }
}

pub fn record(tx: &Tx, entry: Entry) -> Result<()> {
    tx.execute(
        "INSERT INTO audit_log (at, actor_account_id, tenant_id, action, subject, subject_account_id, before, after, via)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            entry.at,
            entry.actor_account_id,
            entry.tenant_id,
            entry.action,
            entry.subject,
            entry.subject_account_id,
            entry.before.map(|v| v.to_string()),
            entry.after.map(|v| v.to_string()),
            entry.via.key(),
        ],
    )?;
    Ok(())
}
