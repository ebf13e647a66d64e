//! Which conversations a caller reaches, decided again inside the caller's
//! transaction (a role changed since the caller was resolved must count).
//! A conversation out of reach is "not found", so ids reveal nothing about
//! other tenants or other operators' conversations.

use crate::store::sql::{params, OptionalExtension, Tx};

use super::ConversationStatus;
use crate::authz::{permit_in, Caller, Operation, Role};
use crate::error::{Error, Result};
use crate::audit::{self, Via};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reach {
    /// Every conversation of the tenant.
    All,
    /// A Tenant Operator: conversations assigned to them and unassigned ones.
    OwnAndUnassigned(i64),
}

#[derive(Debug, Clone)]
pub(crate) struct Scope {
    pub tenant_id: i64,
    pub reach: Reach,
    /// The person acting, if any (not for the tenant API key).
    pub account_id: Option<i64>,
    /// How the caller came in, for the audit log.
    pub via: Via,
}

/// The caller's scope for `operation`, with its role read now
/// (`authz::permit_in`). Every operation but reading changes the tenant,
/// which a read-only tenant refuses.
pub(crate) fn resolve(tx: &Tx, caller: &Caller, operation: Operation) -> Result<Scope> {
    let tenant_id = caller.tenant_id().ok_or_else(Error::not_allowed)?;
    let tenant = crate::tenants::stored_tenant(tx, tenant_id)?;
    if operation != Operation::ViewConversations {
        tenant.ensure_writable()?;
    }
    let actor = match caller {
        Caller::TenantKey(_) => return Ok(Scope { tenant_id, reach: Reach::All, account_id: None, via: Via::TenantApiKey }),
        Caller::Person(actor) => actor,
    };
    let permit = permit_in(tx, actor, tenant_id, operation)?;
    // The role table lets a platform administrator in without a membership;
    // conversations are worked on by the tenant's members.
    let Some(role) = permit.role() else { return Err(Error::not_allowed()) };
    let reach = if role == Role::TenantOperator && !permit.is_platform_admin() {
        Reach::OwnAndUnassigned(permit.account_id())
    } else {
        Reach::All
    };
    Ok(Scope { tenant_id, reach, account_id: Some(permit.account_id()), via: Via::of(actor) })
}

/// The stored facts of a conversation that writes decide on.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub id: i64,
    pub operator_account_id: Option<i64>,
    pub status: ConversationStatus,
}

impl Scope {
    /// An audit entry of the tenant about conversation `conversation_id`, with
    /// who made the change and how: a person, or the tenant API key.
    pub fn entry<'a>(&self, at: i64, action: &'a str, conversation_id: i64) -> audit::Entry<'a> {
        audit::Entry {
            at,
            actor_account_id: self.account_id,
            tenant_id: Some(self.tenant_id),
            action,
            subject: format!("session:{conversation_id}"),
            subject_account_id: None,
            before: None,
            after: None,
            via: self.via,
        }
    }

    /// The conversation, if it is in the caller's tenant and reach.
    pub fn conversation(&self, tx: &Tx, id: i64) -> Result<Found> {
        let found: Option<Found> = tx
            .query_row(
                "SELECT id, operator_account_id, status FROM conversations WHERE id = ?1 AND tenant_id = ?2",
                params![id, self.tenant_id],
                |r| Ok(Found { id: r.get(0)?, operator_account_id: r.get(1)?, status: r.get(2)? }),
            )
            .optional()?;
        match (found, self.reach) {
            (Some(f), Reach::All) => Ok(f),
            (Some(f), Reach::OwnAndUnassigned(me)) if f.operator_account_id.is_none_or(|o| o == me) => Ok(f),
            _ => Err(Error::not_found("session")),
        }
    }

    /// Whether the caller is a Tenant Operator working on someone's behalf
    /// only in their own conversations.
    pub fn operator_only(&self) -> Option<i64> {
        match self.reach {
            Reach::OwnAndUnassigned(me) => Some(me),
            Reach::All => None,
        }
    }
}

/// Checks that `account_id` may handle conversations of the tenant: a live
/// Tenant Operator or Tenant Admin of it.
pub(crate) fn check_assignable(tx: &Tx, tenant_id: i64, account_id: i64) -> Result<()> {
    let role: Option<Role> = tx
        .query_row(
            "SELECT m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.account_id = ?1 AND m.tenant_id = ?2 AND a.deleted_at IS NULL",
            params![account_id, tenant_id],
            |r| r.get(0),
        )
        .optional()?;
    match role {
        Some(Role::TenantOperator | Role::TenantAdmin) => Ok(()),
        _ => {
            let mut errors = crate::error::FieldErrors::new();
            errors.add("operator_account_id", "Choose a Tenant Operator or Tenant Admin of this tenant.");
            errors.into_result()
        }
    }
}
