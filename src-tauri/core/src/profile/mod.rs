//! Profile > Account > Personal information: one's own name, email and role.

use rusqlite::params;
use serde::Serialize;
use serde_json::json;
use specta::Type;

use crate::authz::{authorize, is_allowed, Actor, Operation, Permit, Role};
use crate::error::{Error, FieldErrors, Result};
use crate::store::audit;
use crate::validate::{required_text, trimmed};
use crate::Desk;

pub const NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub role: Option<Role>,
    pub tenant_name: Option<String>,
    /// Whether the Name field is editable for this role.
    pub can_edit_name: bool,
}

pub fn check_name(name: &str) -> std::result::Result<(), String> {
    required_text(name, "Name", NAME_MAX_CHARS)
}

impl Desk {
    pub fn profile(&self, actor: &Actor) -> Result<Profile> {
        let permit = authorize(actor, Operation::ViewOwnProfile)?;
        self.db.read(|tx| load(tx, actor, &permit))
    }

    /// Saves a new display name. Empty or over-long names are refused field
    /// by field and nothing is written.
    pub fn update_own_name(&self, actor: &Actor, name: &str) -> Result<Profile> {
        let permit = authorize(actor, Operation::UpdateOwnName)?;
        let name = trimmed(name);
        let mut errors = FieldErrors::new();
        errors.check("name", check_name(&name));
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let before: String = tx
                .query_row(
                    "SELECT name FROM accounts WHERE id = ?1 AND deleted_at IS NULL",
                    [actor.account_id],
                    |r| r.get(0),
                )
                .map_err(|_| Error::not_signed_in())?;
            tx.execute(
                "UPDATE accounts SET name = ?2, modified_at = ?3 WHERE id = ?1",
                params![actor.account_id, name, now],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
                    action: "account.rename",
                    subject: format!("account:{}", actor.account_id),
                    subject_account_id: Some(actor.account_id),
                    before: Some(json!({ "name": before })),
                    after: Some(json!({ "name": name })),
                },
            )?;
            load(tx, actor, &permit)
        })
    }
}

fn load(tx: &rusqlite::Transaction, actor: &Actor, _permit: &Permit) -> Result<Profile> {
    let (name, email): (String, String) = tx
        .query_row(
            "SELECT name, email FROM accounts WHERE id = ?1 AND deleted_at IS NULL",
            [actor.account_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|_| Error::not_signed_in())?;
    let tenant_name = match &actor.tenant {
        Some(t) => Some(tx.query_row("SELECT name FROM tenants WHERE id = ?1", [t.tenant_id], |r| {
            r.get(0)
        })?),
        None => None,
    };
    Ok(Profile {
        name,
        email,
        role: actor.role(),
        tenant_name,
        can_edit_name: is_allowed(actor, Operation::UpdateOwnName),
    })
}
