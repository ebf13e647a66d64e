use rusqlite::{params, ErrorCode as SqliteCode, Transaction};
use serde_json::json;

use super::{audit_view, load, schedule_for, scope, NewUser, UserRow};
use crate::auth::password;
use crate::authz::{authorize, Actor, Operation};
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::profile::check_name;
use crate::schedules::{self, store as schedule_store};
use crate::store::audit;
use crate::validate::{email, email_key, trimmed};
use crate::Desk;

pub(super) const EMAIL_TAKEN: &str = "A user with this email already exists.";
pub(super) const TENANT_NOT_ADMINISTERED: &str = "Pick a tenant you administer.";

/// Whether a SQLite error is a unique (or other) constraint failure.
pub(super) fn is_constraint(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == SqliteCode::ConstraintViolation)
}

/// A field error for the tenant field when the actor does not administer it.
pub(super) fn tenant_in_scope(tx: &Transaction, actor: &Actor, tenant_id: i64) -> Result<()> {
    scope::require_admin_of(tx, actor, tenant_id).map_err(|e| match e.code {
        ErrorCode::NotAllowed => field_error("tenant_id", TENANT_NOT_ADMINISTERED),
        _ => e,
    })?;
    crate::tenants::stored_tenant(tx, tenant_id)?.ensure_writable()
}

impl Desk {
    /// Adds a user: a new account (email unique across the install,
    /// case-insensitive) with a membership in a tenant the actor administers.
    /// The password is temporary: the user replaces it at first sign-in.
    /// Nothing is written on any error. Blocking: Argon2.
    pub fn create_user(&self, actor: &Actor, input: NewUser) -> Result<UserRow> {
        authorize(actor, Operation::CreateUser)?;
        let name = trimmed(&input.name);
        let address = trimmed(&input.email);
        let schedule = schedule_for(input.role, input.schedule);
        let mut errors = FieldErrors::new();
        errors.check("name", check_name(&name));
        errors.check("email", email(&address));
        errors.check("password", password::check_policy(&input.password, &[&address, &name]));
        if let Some(s) = &schedule {
            schedules::check(s, &mut errors);
        }
        errors.into_result()?;

        let hash = password::hash(&input.password)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            tenant_in_scope(tx, actor, input.tenant_id)?;
            let inserted = tx.execute(
                "INSERT INTO accounts (email, email_key, name, password_hash, must_change_password, created_at, modified_at)
                 VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5)",
                params![address, email_key(&address), name, hash, now],
            );
            match inserted {
                Ok(_) => {}
                Err(e) if is_constraint(&e) => return Err(field_error("email", EMAIL_TAKEN)),
                Err(e) => return Err(e.into()),
            }
            let account_id = tx.last_insert_rowid();
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
                    actor_account_id: Some(actor.account_id),
                    tenant_id: Some(user.tenant_id),
                    action: "user.create",
                    subject: format!("user:{id}"),
                    subject_account_id: Some(account_id),
                    before: None,
                    after: Some(after),
                },
            )?;
            Ok(user)
        })
    }
}

pub(super) fn field_error(field: &str, message: &str) -> Error {
    let mut f = FieldErrors::new();
    f.add(field, message);
    f.into_result().err().unwrap_or_else(|| Error::new(ErrorCode::Validation, message))
}
