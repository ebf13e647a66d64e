use crate::store::sql::params;
use serde_json::json;

use super::create::{field_error, is_constraint, tenant_permit};
use super::{detail, last_admin, limited, load, schedule_for, version, UserChanges, UserDetail, UserRow};
use crate::authz::over_account::{self, AccountAction};
use crate::authz::{authorize, permit_in, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::profile::check_name;
use crate::schedules::{self, store as schedule_store};
use crate::audit;
use crate::edit_versions::{self, Edited};
use crate::validate::trimmed;
use crate::Desk;

impl Desk {
    /// One user with their schedule, for the Edit user dialog.
    pub fn user_detail(&self, actor: &Actor, id: i64) -> Result<UserDetail> {
        self.db.read(|tx| {
            let user = load(tx, id)?;
            let permit = permit_in(tx, actor, user.tenant_id, Operation::ListUsers)?;
            detail(tx, &permit, id)
        })
    }

    /// Changes name, role, tenant and schedule. Demoting or moving away the
    /// last Tenant Admin is refused inside the same transaction. The name is
    /// the account's, so renaming is an action on the whole account
    /// (`authz::over_account`); role, tenant and schedule belong to the
    /// membership. Each kind of change is audited with its before and after.
    pub fn update_user(&self, actor: &Actor, id: i64, changes: UserChanges) -> Result<UserRow> {
        self.update_user_seen(actor, id, changes, None)
    }

    /// [`update_user`](Self::update_user) from Edit user, opened at `version`:
    /// refused when someone else saved the user since.
    pub fn update_user_if_unchanged(&self, actor: &Actor, id: i64, changes: UserChanges, version: &str) -> Result<UserRow> {
        self.update_user_seen(actor, id, changes, Some(version))
    }

    fn update_user_seen(&self, actor: &Actor, id: i64, changes: UserChanges, seen: Option<&str>) -> Result<UserRow> {
        authorize(actor, Operation::UpdateUser)?;
        let name = trimmed(&changes.name);
        let schedule = schedule_for(changes.role, changes.schedule);
        let mut errors = FieldErrors::new();
        errors.check("name", check_name(&name));
        if let Some(s) = &schedule {
            schedules::check(s, &mut errors);
        }
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let before = load(tx, id)?;
            let permit = permit_in(tx, actor, before.tenant_id, Operation::UpdateUser)?;
            let before_schedule = schedule_store::load(tx, id)?;
            let timezone: String = tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [before.tenant_id], |r| r.get(0))?;
            let edited = Edited {
                what: "this user",
                subjects: vec![format!("user:{id}"), format!("account:{}", before.account_id)],
                timezone: &timezone,
            };
            edit_versions::ensure_unchanged(tx, seen, &version(&before, &before_schedule), edited)?;
            if changes.tenant_id != before.tenant_id {
                tenant_permit(tx, actor, changes.tenant_id, Operation::UpdateUser)?;
            }
            if name != before.name {
                over_account::require(tx, &permit, before.account_id, AccountAction::Rename)?;
            }
            if name != before.name {
                tx.execute(
                    "UPDATE accounts SET name = ?2, modified_at = ?3 WHERE id = ?1",
                    params![before.account_id, name, now],
                )?;
            }
            let moved = tx.execute(
                "UPDATE memberships SET role = ?2, tenant_id = ?3, modified_at = ?4 WHERE id = ?1",
                params![id, changes.role, changes.tenant_id, now],
            );
            match moved {
                Ok(_) => {}
                Err(e) if is_constraint(&e) => {
                    return Err(field_error("tenant_id", "This user already belongs to that tenant."))
                }
                Err(e) => return Err(e.into()),
            }
            schedule_store::save(tx, id, schedule.as_ref())?;
            last_admin::ensure_admin_remains(tx, before.tenant_id)?;
            let after = load(tx, id)?;

            let entry = |action: &'static str, b: serde_json::Value, a: serde_json::Value| audit::Entry {
                at: now,
                actor_account_id: Some(permit.account_id()),
                tenant_id: Some(before.tenant_id),
                action,
                subject: format!("user:{id}"),
                subject_account_id: Some(before.account_id),
                before: Some(b),
                after: Some(a),
                via: audit::Via::Window,
            };
            if before.name != after.name || before.tenant_id != after.tenant_id {
                audit::record(
                    tx,
                    entry(
                        "user.update",
                        json!({ "name": before.name, "tenant": before.tenant_name }),
                        json!({ "name": after.name, "tenant": after.tenant_name }),
                    ),
                )?;
            }
            if before.role != after.role {
                audit::record(
                    tx,
                    entry("user.role_change", json!({ "role": before.role.label() }), json!({ "role": after.role.label() })),
                )?;
            }
            if before_schedule != schedule {
                audit::record(
                    tx,
                    entry("user.schedule_change", json!({ "schedule": before_schedule }), json!({ "schedule": schedule })),
                )?;
            }
            limited(tx, &permit, after)
        })
    }
}
