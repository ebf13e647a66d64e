//! Authority over an account as a whole. Resetting a password or MFA,
//! renaming or deleting an account reaches every tenant the person belongs
//! to, so it needs authority over all of them: a platform administrator, or
//! someone who administers each of those tenants. A platform administrator's
//! account answers to platform administrators only. Removing someone from one
//! tenant is not such an action: it is the tenant's own business.

use std::collections::HashMap;

use crate::store::sql::{params, Dialect, Tx};

use super::Permit;
use crate::error::{Error, ErrorCode, Result};

/// An action on a whole account, named the way the refusal says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccountAction {
    ResetPassword,
    ResetMfa,
    Rename,
    Delete,
}

impl AccountAction {
    fn words(self) -> &'static str {
        match self {
            AccountAction::ResetPassword => "reset their password",
            AccountAction::ResetMfa => "reset their MFA",
            AccountAction::Rename => "rename them",
            AccountAction::Delete => "delete their account",
        }
    }
}

/// For each of `accounts` the permit's holder may not change as a whole,
/// why (the sentence says who can). One query for a page of users.
pub(crate) fn limits(tx: &Tx, permit: &Permit, accounts: &[i64]) -> Result<HashMap<i64, AccountLimit>> {
    if permit.is_platform_admin() || accounts.is_empty() {
        return Ok(HashMap::new());
    }
    let ids = serde_json::to_string(accounts).map_err(Error::internal)?;
    // Snapshots are left out: their reader is the importer, not a member.
    let ids_of_json = match tx.dialect() {
        Dialect::Sqlite => "SELECT value FROM json_each(?1)",
        Dialect::Postgres => "SELECT value::bigint FROM json_array_elements_text(CAST(?1 AS json))",
    };
    let mut stmt = tx.prepare_cached(&format!(
        "SELECT a.id, a.name, a.is_platform_admin FROM accounts a
          WHERE a.id IN ({ids_of_json}) AND a.deleted_at IS NULL
            AND (a.is_platform_admin = 1
                 OR EXISTS (SELECT 1 FROM memberships m
                             WHERE m.account_id = a.id AND m.snapshot_reader = 0
                               AND NOT EXISTS (SELECT 1 FROM memberships mine
                                                WHERE mine.account_id = ?2 AND mine.tenant_id = m.tenant_id
                                                  AND mine.role = 'tenant_admin')))"
    ))?;
    let rows = stmt.query_map(params![ids, permit.account_id()], |r| {
        let platform: bool = r.get(2)?;
        let why = if platform { Why::PlatformAdministrator } else { Why::OtherOrganization };
        Ok((r.get::<_, i64>(0)?, AccountLimit { name: r.get(1)?, why }))
    })?;
    Ok(rows.collect::<crate::store::sql::Result<HashMap<_, _>>>()?)
}

/// Refuses `action` on `account_id` unless the permit's holder has authority
/// over the whole account.
pub(crate) fn require(tx: &Tx, permit: &Permit, account_id: i64, action: AccountAction) -> Result<()> {
    match limits(tx, permit, &[account_id])?.remove(&account_id) {
        None => Ok(()),
        Some(limit) => Err(Error::new(ErrorCode::NotAllowed, limit.sentence(Some(action)))),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Why {
    PlatformAdministrator,
    OtherOrganization,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AccountLimit {
    name: String,
    why: Why,
}

impl AccountLimit {
    /// What the refusal says; `None`: every account-wide action at once (a hint in the window).
    pub fn sentence(&self, action: Option<AccountAction>) -> String {
        let doing = action.map_or("reset their password or MFA, rename them or delete their account", AccountAction::words);
        match self.why {
            Why::PlatformAdministrator => format!(
                "{} is a platform administrator: only a platform administrator can {doing}.",
                self.name
            ),
            Why::OtherOrganization => format!(
                "{} also belongs to an organization you don't administer: only a platform administrator, or \
                 someone who administers every organization they belong to, can {doing}. You can remove them \
                 from this tenant.",
                self.name
            ),
        }
    }
}
