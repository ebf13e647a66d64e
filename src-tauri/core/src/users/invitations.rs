//! Add User with the address of an existing account: the person is invited,
//! not added. They join (and come under the tenant's rules, such as Require
//! MFA) only when they accept; until then the tenant's administrators see
//! the invitation by the address they typed, nothing more of the account.

use crate::store::sql::{params, OptionalExtension, Row, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::create::{existing_account, field_error, tenant_permit, ALREADY_INVITED};
use super::schedule_for;
use crate::authz::{permit, Actor, Operation, Permit, Role};
use crate::clock::to_wire;
use crate::error::{Error, FieldErrors, Result};
use crate::schedules::{self, store as schedule_store, Schedule};
use crate::audit;
use crate::validate::{trimmed, without_nul};
use crate::Desk;

/// The Add user form for someone who already has an account: no name or
/// password, those are theirs.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ExistingUser {
    pub email: String,
    pub role: Role,
    pub tenant_id: i64,
    /// Kept for Tenant Operators only.
    pub schedule: Option<Schedule>,
}

/// An invitation as the inviting tenant's administrators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SentInvitation {
    pub id: i64,
    /// The address the administrator typed.
    pub email: String,
    pub role: Role,
    /// UTC, RFC 3339.
    pub invited_on: String,
}

/// An invitation as the invited person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ReceivedInvitation {
    pub id: i64,
    pub tenant_name: String,
    pub role: Role,
    pub invited_by: Option<String>,
    /// UTC, RFC 3339.
    pub invited_on: String,
}

fn entry<'a>(at: i64, actor: i64, tenant_id: i64, action: &'a str, account_id: i64, after: serde_json::Value) -> audit::Entry<'a> {
    audit::Entry {
        at,
        actor_account_id: Some(actor),
        tenant_id: Some(tenant_id),
        action,
        subject: format!("account:{account_id}"),
        subject_account_id: Some(account_id),
        before: None,
        after: Some(after),
        via: audit::Via::Window,
    }
}

fn sent(r: &Row) -> crate::store::sql::Result<SentInvitation> {
    Ok(SentInvitation { id: r.get(0)?, email: r.get(1)?, role: r.get(2)?, invited_on: to_wire(r.get(3)?) })
}

/// An invitation of the permit holder's own, by id: anyone else's is "not found".
fn own(tx: &Tx, permit: &Permit, id: i64) -> Result<(i64, Role, Option<String>)> {
    tx.query_row(
        "SELECT tenant_id, role, schedule FROM invitations WHERE id = ?1 AND account_id = ?2",
        params![id, permit.account_id()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?
    .ok_or_else(|| Error::not_found("invitation"))
}

impl Desk {
    /// Invites the person with this address to a tenant the actor
    /// administers, with a role (and a schedule, for an operator).
    pub fn invite_existing_user(&self, actor: &Actor, input: ExistingUser) -> Result<SentInvitation> {
        let address = trimmed(&input.email);
        let schedule = schedule_for(input.role, input.schedule);
        let mut errors = FieldErrors::new();
        errors.check("email", without_nul(&address, "Email"));
        if let Some(s) = &schedule {
            schedules::check(s, &mut errors);
        }
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?;
            let account_id = existing_account(tx, &address, input.tenant_id)?
                .ok_or_else(|| field_error("email", "No account uses this email any more: add the person as a new user."))?;
            let stored_schedule = schedule.as_ref().map(|s| serde_json::to_string(s).unwrap_or_default());
            let inserted = tx.execute(
                "INSERT INTO invitations (tenant_id, account_id, role, schedule, invited_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (tenant_id, account_id) DO NOTHING",
                params![input.tenant_id, account_id, input.role, stored_schedule, permit.account_id(), now],
            )?;
            if inserted == 0 {
                return Err(field_error("email", ALREADY_INVITED));
            }
            let id = tx.last_insert_rowid()?;
            audit::record(
                tx,
                entry(now, permit.account_id(), input.tenant_id, "user.invite", account_id, json!({ "email": address, "role": input.role.label() })),
            )?;
            Ok(SentInvitation { id, email: address, role: input.role, invited_on: to_wire(now) })
        })
    }

    /// The current tenant's invitations nobody answered yet, newest first.
    pub fn sent_invitations(&self, actor: &Actor) -> Result<Vec<SentInvitation>> {
        self.db.read(|tx| {
            let tenant_id = permit(tx, actor, Operation::ListUsers)?.tenant()?;
            let mut stmt = tx.prepare(
                "SELECT i.id, a.email, i.role, i.created_at FROM invitations i JOIN accounts a ON a.id = i.account_id
                  WHERE i.tenant_id = ?1 AND a.deleted_at IS NULL ORDER BY i.id DESC",
            )?;
            let rows = stmt.query_map([tenant_id], sent)?.collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Withdraws an invitation of the current tenant.
    pub fn cancel_invitation(&self, actor: &Actor, id: i64) -> Result<()> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::CreateUser)?;
            let tenant_id = permit.tenant()?;
            let account_id: i64 = tx
                .query_row("SELECT account_id FROM invitations WHERE id = ?1 AND tenant_id = ?2", params![id, tenant_id], |r| r.get(0))
                .optional()?
                .ok_or_else(|| Error::not_found("invitation"))?;
            tx.execute("DELETE FROM invitations WHERE id = ?1", [id])?;
            audit::record(tx, entry(now, permit.account_id(), tenant_id, "user.invitation_cancel", account_id, json!({ "invitation": id })))
        })
    }

    /// The invitations waiting for the actor's answer.
    pub fn received_invitations(&self, actor: &Actor) -> Result<Vec<ReceivedInvitation>> {
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::AnswerInvitations)?;
            let mut stmt = tx.prepare(
                "SELECT i.id, t.name, i.role, b.name, i.created_at FROM invitations i
                   JOIN tenants t ON t.id = i.tenant_id LEFT JOIN accounts b ON b.id = i.invited_by
                  WHERE i.account_id = ?1 ORDER BY i.id",
            )?;
            let rows = stmt
                .query_map([permit.account_id()], |r| {
                    Ok(ReceivedInvitation {
                        id: r.get(0)?,
                        tenant_name: r.get(1)?,
                        role: r.get(2)?,
                        invited_by: r.get(3)?,
                        invited_on: to_wire(r.get(4)?),
                    })
                })?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            Ok(rows)
        })
    }

    /// Accepts (joins the tenant with the role offered, which the switcher
    /// then lists) or declines an invitation of one's own. Returns the
    /// tenant's id.
    pub fn answer_invitation(&self, actor: &Actor, id: i64, accept: bool) -> Result<i64> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::AnswerInvitations)?;
            let (tenant_id, role, schedule) = own(tx, &permit, id)?;
            tx.execute("DELETE FROM invitations WHERE id = ?1", [id])?;
            let action = if accept {
                tx.execute(
                    "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![permit.account_id(), tenant_id, role, now],
                )?;
                let membership = tx.last_insert_rowid()?;
                let schedule: Option<Schedule> = schedule.and_then(|s| serde_json::from_str(&s).ok());
                schedule_store::save(tx, membership, schedule.as_ref())?;
                "user.invitation_accept"
            } else {
                "user.invitation_decline"
            };
            audit::record(tx, entry(now, permit.account_id(), tenant_id, action, permit.account_id(), json!({ "role": role.label() })))?;
            Ok(tenant_id)
        })
    }
}
