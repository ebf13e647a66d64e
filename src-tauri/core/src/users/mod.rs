//! Settings > Identity > Users: a tenant's members ("users"), who may manage
//! them, and the rule that a tenant keeps a Tenant Admin.
//!
//! - `search`: the paged, sorted, searchable table.
//! - `create`, `update`, `delete`, `reset_password`: the row actions;
//!   `reset_mfa`: from Edit user, for someone who lost their phone;
//!   `invitations`: Add User with the address of an existing account invites
//!   that person, who joins once they accept.
//!   Actions on the whole account are decided by `authz::over_account`.
//! - `platform_admin`: granting and revoking the platform administrator flag.
//! - `scope`: which tenants the acting person administers.
//! - `last_admin`: the invariant, checked inside the same transaction as the change.

mod create;
mod delete;
mod everyone;
mod import;
mod invitations;
mod last_admin;
pub(crate) mod platform_admin;
mod reset_mfa;
mod reset_password;
mod scope;
mod search;
mod update;

use crate::store::sql::{OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::over_account;
use crate::authz::{Operation, Permit, Role};
use crate::clock::to_wire;
use crate::error::{Error, Result};
use crate::schedules::Schedule;

pub use invitations::{ExistingUser, ReceivedInvitation, SentInvitation};
pub use delete::Deletion;
pub use everyone::UserFilter;
pub use import::{parse_schedule, ImportProblem, ImportRow, UserImport, UserImportReport, MAX_CSV_BYTES, MAX_ROWS};
pub use reset_password::TemporaryPassword;
pub(crate) use reset_password::live_account;
pub use scope::TenantOption;
pub use search::{UserPage, UserQuery, UserSort, PAGE_SIZE_MAX};

/// One row of the Users table: a membership of an account in a tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct UserRow {
    /// The user's ID (the membership).
    pub id: i64,
    pub account_id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub tenant_id: i64,
    pub tenant_name: String,
    /// UTC, RFC 3339; shown in the tenant's timezone.
    pub created_on: String,
    pub modified_on: String,
    /// The account is a platform administrator.
    pub platform_admin: bool,
    /// The account also belongs to other tenants: deleting the user removes
    /// them from this tenant only.
    pub other_tenants: bool,
    /// Why the person asking may not reset this account's password or MFA,
    /// rename or delete it, if they may not (the sentence says who can).
    /// Not given in exports.
    pub account_limit: Option<String>,
    /// Why each row action would be refused to the person asking (their own
    /// row, or the account limit); `None`: the window offers it.
    pub refusals: RowRefusals,
}

/// The sentences the core refuses a row action with, so the window offers
/// none it would refuse and says why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Type)]
pub struct RowRefusals {
    pub reset_password: Option<String>,
    pub reset_mfa: Option<String>,
    pub delete: Option<String>,
}

/// What one is told when acting on one's own row.
pub(crate) const OWN_PASSWORD: &str = "Change your own password in Profile > Security.";
pub(crate) const OWN_MFA: &str = "Turn your own MFA off in Profile.";
pub(crate) const OWN_ACCOUNT: &str = "You cannot delete your own account.";

impl RowRefusals {
    fn of(row: &UserRow, holder: i64) -> Self {
        if row.account_id == holder {
            return RowRefusals {
                reset_password: Some(OWN_PASSWORD.into()),
                reset_mfa: Some(OWN_MFA.into()),
                delete: Some(OWN_ACCOUNT.into()),
            };
        }
        RowRefusals {
            reset_password: row.account_limit.clone(),
            reset_mfa: row.account_limit.clone(),
            // Someone who stays in other tenants is only removed from this one.
            delete: if row.other_tenants { None } else { row.account_limit.clone() },
        }
    }
}

/// A user with the schedule, for the Edit user dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct UserDetail {
    pub user: UserRow,
    pub schedule: Option<Schedule>,
    /// Whether MFA is on for the user's account (an administrator may reset it).
    pub mfa_on: bool,
    /// The person asking may grant or revoke the platform administrator flag.
    pub can_set_platform_admin: bool,
    /// The version of what Edit user shows, given back when saving.
    pub version: String,
}

/// The Add user form.
#[derive(Clone, Serialize, Deserialize, Type)]
pub struct NewUser {
    pub name: String,
    pub email: String,
    /// The initial password; temporary: replaced by the user at first sign-in.
    pub password: String,
    pub role: Role,
    pub tenant_id: i64,
    /// Kept for Tenant Operators only.
    pub schedule: Option<Schedule>,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for NewUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewUser").field("name", &self.name).field("email", &self.email).field("role", &self.role).field("tenant_id", &self.tenant_id).field("schedule", &self.schedule).finish_non_exhaustive()
    }
}

/// The Edit user form. Email and password cannot be changed here.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct UserChanges {
    pub name: String,
    pub role: Role,
    pub tenant_id: i64,
    pub schedule: Option<Schedule>,
}

const ROW_COLUMNS: &str = "SELECT m.id, a.id, a.name, a.email, m.role, t.id, t.name, m.created_at, m.modified_at,
        a.is_platform_admin,
        EXISTS (SELECT 1 FROM memberships o WHERE o.account_id = a.id AND o.id <> m.id AND o.snapshot_reader = 0)";
const ROW_FROM: &str = "FROM memberships m JOIN accounts a ON a.id = m.account_id JOIN tenants t ON t.id = m.tenant_id";

fn row(r: &crate::store::sql::Row) -> crate::store::sql::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        name: r.get(2)?,
        email: r.get(3)?,
        role: r.get(4)?,
        tenant_id: r.get(5)?,
        tenant_name: r.get(6)?,
        created_on: to_wire(r.get(7)?),
        modified_on: to_wire(r.get(8)?),
        platform_admin: r.get(9)?,
        other_tenants: r.get(10)?,
        account_limit: None,
        refusals: RowRefusals::default(),
    })
}

/// The rows with what the permit's holder may not do to each account.
fn with_limits(tx: &Tx, permit: &Permit, mut rows: Vec<UserRow>) -> Result<Vec<UserRow>> {
    let accounts: Vec<i64> = rows.iter().map(|r| r.account_id).collect();
    let limits = over_account::limits(tx, permit, &accounts)?;
    for row in &mut rows {
        row.account_limit = limits.get(&row.account_id).map(|l| l.sentence(None));
        row.refusals = RowRefusals::of(row, permit.account_id());
    }
    Ok(rows)
}

/// One user as the permit's holder sees them.
fn limited(tx: &Tx, permit: &Permit, mut row: UserRow) -> Result<UserRow> {
    row.account_limit = over_account::limits(tx, permit, &[row.account_id])?.remove(&row.account_id).map(|l| l.sentence(None));
    row.refusals = RowRefusals::of(&row, permit.account_id());
    Ok(row)
}

/// The Edit user dialog's view of user `id`.
fn detail(tx: &Tx, permit: &Permit, id: i64) -> Result<UserDetail> {
    let user = limited(tx, permit, load(tx, id)?)?;
    let schedule = crate::schedules::store::load(tx, id)?;
    let mfa_on = crate::mfa::is_enabled(tx, user.account_id)?;
    let can_set_platform_admin = crate::authz::is_allowed(permit.actor(), Operation::ManagePlatformAdmins);
    let version = version(&user, &schedule);
    Ok(UserDetail { user, schedule, mfa_on, can_set_platform_admin, version })
}

/// The version of a user as Edit user shows it: name, role, tenant, schedule.
fn version(user: &UserRow, schedule: &Option<crate::schedules::Schedule>) -> String {
    crate::edit_versions::of(&(&user.name, user.role, user.tenant_id, schedule))
}

/// The user `id` (a membership), or "no longer exists".
fn load(tx: &Tx, id: i64) -> Result<UserRow> {
    tx.query_row(&format!("{ROW_COLUMNS} {ROW_FROM} WHERE m.id = ?1 AND a.deleted_at IS NULL"), [id], row)
        .optional()?
        .ok_or_else(|| Error::not_found("user"))
}

/// Schedules are kept for operators only: another role drops it.
fn schedule_for(role: Role, schedule: Option<Schedule>) -> Option<Schedule> {
    if role == Role::TenantOperator {
        schedule
    } else {
        None
    }
}

/// What the audit log keeps of a user: never a password or hash.
fn audit_view(user: &UserRow) -> serde_json::Value {
    serde_json::json!({
        "name": user.name,
        "email": user.email,
        "role": user.role.label(),
        "tenant": user.tenant_name,
    })
}
