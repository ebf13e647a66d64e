use crate::store::sql::{params, OptionalExtension, Tx};
use serde_json::json;

use super::{audit_view, limited, load, schedule_for, NewUser, UserRow};
use crate::auth::password;
use crate::authz::{permit_in, read_only_refusal, Actor, Operation, Permit};
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::profile::check_name;
use crate::schedules::{self, store as schedule_store};
use crate::audit;
use crate::validate::{email, email_key, trimmed};
use crate::Desk;

pub(super) const TENANT_NOT_ADMINISTERED: &str = "Pick a tenant you administer.";
const ALREADY_A_USER: &str = "This person is already a user of this tenant.";
pub(super) const ALREADY_INVITED: &str = "This person is already invited to this tenant.";

/// Whether a store error is a unique (or other) constraint failure.
pub(super) fn is_constraint(e: &crate::store::sql::Error) -> bool {
    e.is_constraint_violation()
}

/// The actor's permit for `operation` on the tenant of the form's Tenant
/// field: for someone who administers other tenants, one they do not is a
/// message under that field; anyone else is simply not allowed.
pub(super) fn tenant_permit(tx: &Tx, actor: &Actor, tenant_id: i64, operation: Operation) -> Result<Permit> {
    match permit_in(tx, actor, tenant_id, operation) {
        Err(e) if e.code == ErrorCode::NotAllowed && e != read_only_refusal() && administers_any(tx, actor)? => {
            Err(field_error("tenant_id", TENANT_NOT_ADMINISTERED))
        }
        outcome => outcome,
    }
}

fn administers_any(tx: &Tx, actor: &Actor) -> Result<bool> {
    Ok(!actor.through_key
        && tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM memberships WHERE account_id = ?1 AND role = 'tenant_admin' AND snapshot_reader = 0)",
            [actor.account_id],
            |r| r.get(0),
        )?)
}

/// What Add User answers for the address of an existing account: it reveals
/// nothing about that account but that it exists.
pub(super) fn account_exists() -> Error {
    let mut e = Error::new(
        ErrorCode::AccountExists,
        "This person already has a Tenant Desk account. They will be invited to your tenant with the role you \
         chose, and join once they accept; their name and password stay their own.",
    );
    e.fields.insert("email".into(), "This person already has an account.".into());
    e
}

/// The live account with this address; a field error when it already
/// belongs to `tenant_id` or is invited to it.
pub(super) fn existing_account(tx: &Tx, address: &str, tenant_id: i64) -> Result<Option<i64>> {
    let found: Option<(i64, bool, bool)> = tx
        .query_row(
            "SELECT a.id,
                    EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = a.id AND m.tenant_id = ?2),
                    EXISTS (SELECT 1 FROM invitations i WHERE i.account_id = a.id AND i.tenant_id = ?2)
               FROM accounts a WHERE a.email_key = ?1 AND a.deleted_at IS NULL",
            params![email_key(address), tenant_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    match found {
        Some((_, true, _)) => Err(field_error("email", ALREADY_A_USER)),
        Some((_, _, true)) => Err(field_error("email", ALREADY_INVITED)),
        Some((id, false, false)) => Ok(Some(id)),
        None => Ok(None),
    }
}

impl Desk {
    /// Adds a user: a new account (email unique across the install,
    /// case-insensitive) with a membership in a tenant the actor administers.
    /// The password is temporary: the user replaces it at first sign-in. The
    /// address of an existing account is answered with `AccountExists`: the
    /// window then offers [`invite_existing_user`](Self::invite_existing_user).
    /// Nothing is written on any error. Blocking: Argon2.
    pub fn create_user(&self, actor: &Actor, input: NewUser) -> Result<UserRow> {
        let name = trimmed(&input.name);
        let address = trimmed(&input.email);
        let schedule = schedule_for(input.role, input.schedule);
        let mut errors = FieldErrors::new();
        errors.check("name", check_name(&name));
        if let Err(message) = email(&address) {
            errors.add("email", message);
        } else {
            // Someone with an account keeps their own name and password:
            // what the form says of those does not matter then.
            self.db.read(|tx| {
                tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?;
                match existing_account(tx, &address, input.tenant_id)? {
                    Some(_) => Err(account_exists()),
                    None => Ok(()),
                }
            })?;
        }
        errors.check("password", password::check_policy(&input.password, &[&address, &name]));
        if let Some(s) = &schedule {
            schedules::check(s, &mut errors);
        }
        errors.into_result()?;

        let hash = password::hash(&input.password)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = tenant_permit(tx, actor, input.tenant_id, Operation::CreateUser)?;
            let inserted = tx.execute(
                "INSERT INTO accounts (email, email_key, name, password_hash, must_change_password, created_at, modified_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
                params![address, email_key(&address), name, hash, now],
            );
            match inserted {
                Ok(_) => {}
                // Made meanwhile by someone else.
                Err(e) if is_constraint(&e) => return Err(account_exists()),
                Err(e) => return Err(e.into()),
            }
            let account_id = tx.last_insert_rowid()?;
            tx.execute(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![account_id, input.tenant_id, input.role, now],
            )?;
            let id = tx.last_insert_rowid()?;
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
                    action: "user.create",
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

pub(super) fn field_error(field: &str, message: &str) -> Error {
    let mut f = FieldErrors::new();
    f.add(field, message);
    f.into_result().err().unwrap_or_else(|| Error::new(ErrorCode::Validation, message))
}
