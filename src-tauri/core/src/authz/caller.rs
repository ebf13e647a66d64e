use super::{authorize, Actor, Operation};
use crate::error::{Error, Result};

/// Who a Sessions operation runs for: a person (signed in to the window, or
/// calling the tenant API with a personal key, which acts with that person's
/// role in the key's tenant), or the tenant API key itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Person(Actor),
    /// The platform's integration, holding the tenant API key. Only
    /// [`Desk::tenant_key_caller`](crate::Desk::tenant_key_caller) makes one,
    /// from a verified key.
    TenantKey(TenantKey),
}

/// Proof that a tenant API key was verified for this tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantKey {
    tenant_id: i64,
}

impl TenantKey {
    pub(crate) fn verified(tenant_id: i64) -> Self {
        Self { tenant_id }
    }
}

impl From<&Actor> for Caller {
    fn from(actor: &Actor) -> Self {
        Caller::Person(actor.clone())
    }
}

/// What the tenant API key may do: feed and manage its tenant's
/// conversations. It has no person behind it, so nothing else.
const TENANT_KEY_OPERATIONS: [Operation; 5] = [
    Operation::ViewConversations,
    Operation::CreateConversation,
    Operation::AppendMessage,
    Operation::AssignConversation,
    Operation::ResolveConversation,
];

impl Caller {
    /// The tenant the caller works in.
    pub fn tenant_id(&self) -> Option<i64> {
        match self {
            Caller::Person(actor) => actor.tenant.as_ref().map(|t| t.tenant_id),
            Caller::TenantKey(key) => Some(key.tenant_id),
        }
    }

    pub fn account_id(&self) -> Option<i64> {
        match self {
            Caller::Person(actor) => Some(actor.account_id),
            Caller::TenantKey(_) => None,
        }
    }

    /// How the caller is named where its writes are remembered
    /// (idempotency keys): one key's retries never meet another's.
    pub fn key_name(&self) -> String {
        match self {
            Caller::Person(actor) => format!("account:{}", actor.account_id),
            Caller::TenantKey(_) => "tenant".to_owned(),
        }
    }
}

/// [`authorize`] for any caller: the early answer, before the operation's
/// transaction asks again.
pub fn authorize_caller(caller: &Caller, operation: Operation) -> Result<()> {
    match caller {
        Caller::Person(actor) => authorize(actor, operation),
        Caller::TenantKey(_) if TENANT_KEY_OPERATIONS.contains(&operation) => Ok(()),
        Caller::TenantKey(_) => Err(Error::not_allowed()),
    }
}
