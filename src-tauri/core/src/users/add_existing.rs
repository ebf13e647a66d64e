//! Add User with the address of an existing account: after the window's
//! "this person will be invited to your tenant", a new membership. The
//! account's name, password and MFA stay as they are.

use rusqlite::params;
use serde::Deserialize;
use serde_json::json;
use specta::Type;

use super::create::{existing_account, field_error, tenant_permit};
use super::{audit_view, limited, load, schedule_for, UserRow};
use crate::authz::{authorize, Actor, Operation, Role};
use crate::error::{FieldErrors, Result};
use crate::schedules::{self, store as schedule_store, Schedule};
use crate::store::audit;
use crate::validate::trimmed;
use crate::Desk;

/// The Add user form for someone who already has an account: no name or
/// password, those are theirs.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ExistingUser {
    pub email: String,
    pub role: Role,
    pub tenant_id: i64,
    /// Kept for Tenant Operators only.
    pub schedule: Option<Schedule>,
}

impl Desk {
    pub fn add_existing_user(&self, actor: &Actor, input: ExistingUser) -> Result<UserRow> {
        authorize(actor, Operation::CreateUser)?;
        let address = trimmed(&input.email);
        let schedule = schedule_for(input.role, input.schedule);
        let mut errors = FieldErrors::new();
        if let Some(s) = &schedule {
            schedules::check(s, &mut errors);
        }
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?;
            let account_id = existing_account(tx, &address, input.tenant_id)?
                .ok_or_else(|| field_error("email", "No account uses this email any more: add the person as a new user."))?;
            tx.execute(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![account_id, input.tenant_id, input.role, now],
            )?;
            let id = tx.last_insert_rowid();
            schedule_store::save(tx, id, schedule.as_ref())?;
            let user = load(tx, id)?;
            let mut after = audit_view(&user);
            after["schedule"] = json!(schedule);
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(permit.account_id()),
                    tenant_id: Some(user.tenant_id),
                    action: "user.add_existing",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(account_id),
                    before: None,
                    after: Some(after),
                    via: audit::Via::Window,
                },
            )?;
            limited(tx, &permit, user)
        })
    }
}
