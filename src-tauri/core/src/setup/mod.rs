//! First-run setup: the workspace (tenant), its first administrator, and
//! optionally a demo team to look around with.

mod demo;
mod demo_conversations;

use crate::store::sql::{params, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::auth::{password, SessionToken, SignedIn};
use crate::authz::Role;
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::profile::check_name;
use crate::secrets::SecretAvailability;
use crate::audit;
use crate::validate::{email, email_key, required_text, trimmed};
use crate::{timezones, Desk};

pub const TENANT_NAME_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Serialize, Type)]
pub struct StartupState {
    /// No account exists yet: show the first-run setup.
    pub needs_setup: bool,
    /// The operating system's timezone, the setup form's default.
    pub system_timezone: String,
    /// Whether "Keep me signed in" can work on this desktop.
    pub keyring: SecretAvailability,
}

#[derive(Clone, Serialize, Deserialize, Type)]
pub struct SetupInput {
    pub tenant_name: String,
    pub timezone: String,
    pub admin_name: String,
    pub email: String,
    pub password: String,
    /// The demo team (one person per role).
    pub load_demo: bool,
    /// With the demo team, about 90 days of demo conversations.
    pub load_demo_conversations: bool,
}

/// Leaves the secret out, so no log or panic message can carry it.
impl std::fmt::Debug for SetupInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SetupInput").field("tenant_name", &self.tenant_name).field("timezone", &self.timezone).field("admin_name", &self.admin_name).field("email", &self.email).field("load_demo", &self.load_demo).field("load_demo_conversations", &self.load_demo_conversations).finish_non_exhaustive()
    }
}

impl Desk {
    /// No account exists yet: the first run's setup comes first.
    pub fn needs_setup(&self) -> Result<bool> {
        self.db.read(|tx| Ok(!tx.query_row("SELECT EXISTS (SELECT 1 FROM accounts)", [], |r| r.get::<_, bool>(0))?))
    }

    pub fn startup_state(&self) -> Result<StartupState> {
        Ok(StartupState {
            needs_setup: self.needs_setup()?,
            system_timezone: timezones::system(),
            keyring: self.secrets.availability(),
        })
    }

    /// Creates the tenant, its administrator (a platform administrator, as
    /// the first account of an install) with a Tenant Admin membership, and
    /// the demo team if asked; then signs the administrator in. Refused once
    /// any account exists. Blocking: hashes passwords.
    pub fn complete_setup(&self, input: SetupInput) -> Result<(SessionToken, SignedIn)> {
        let tenant_name = trimmed(&input.tenant_name);
        let timezone = trimmed(&input.timezone);
        let admin_name = trimmed(&input.admin_name);
        let admin_email = trimmed(&input.email);
        let mut errors = FieldErrors::new();
        errors.check("tenant_name", required_text(&tenant_name, "Workspace name", TENANT_NAME_MAX_CHARS));
        errors.check("timezone", timezones::check(&timezone));
        errors.check("admin_name", check_name(&admin_name));
        errors.check("email", email(&admin_email));
        errors.check("password", password::check_policy(&input.password, &[&admin_email, &admin_name]));
        errors.into_result()?;

        let admin_hash = password::hash(&input.password)?;
        let team = if input.load_demo { demo::team(&input.password, &admin_email)? } else { Vec::new() };
        let now = self.now_millis();
        let (token, tenant_id, key) = self.db.write(|tx| {
            let accounts: i64 = tx.query_row("SELECT count(*) FROM accounts", [], |r| r.get(0))?;
            if accounts > 0 {
                return Err(Error::new(ErrorCode::AlreadySetUp, "Tenant Desk is already set up. Sign in instead."));
            }
            let admin_id = insert_account(tx, &admin_email, &admin_name, &admin_hash, true, now)?;
            tx.execute(
                "INSERT INTO tenants (name, timezone, billing_email, owner_account_id, created_at, modified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
                params![tenant_name, timezone, admin_email, admin_id, now],
            )?;
            let tenant_id = tx.last_insert_rowid()?;
            insert_membership(tx, admin_id, tenant_id, Role::TenantAdmin, now)?;
            let key = crate::api_keys::issue(tx, tenant_id, Some(admin_id), now)?;
            let mut handlers = demo_conversations::Handlers { weekdays: None, weekends: None, admin: admin_id };
            for member in &team {
                let id = insert_account(tx, &member.email, member.name, &member.password_hash, false, now)?;
                let membership_id = insert_membership(tx, id, tenant_id, member.role, now)?;
                if let Some(schedule) = &member.schedule {
                    demo::insert_schedule(tx, membership_id, &timezone, schedule)?;
                    let works_weekdays = schedule.iter().any(|(weekday, _, _)| *weekday < 5);
                    let slot = if works_weekdays { &mut handlers.weekdays } else { &mut handlers.weekends };
                    slot.get_or_insert(id);
                }
            }
            let demo_conversations = if input.load_demo && input.load_demo_conversations {
                let zone = timezones::parse(&timezone).unwrap_or(chrono_tz::Tz::UTC);
                demo_conversations::insert(tx, tenant_id, zone, now, &handlers)?
            } else {
                0
            };
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(admin_id),
                    tenant_id: Some(tenant_id),
                    action: "install.setup",
                    subject: format!("tenant:{tenant_id}"),
                    subject_account_id: None,
                    before: None,
                    after: Some(json!({
                        "tenant": tenant_name,
                        "timezone": timezone,
                        "admin": admin_email,
                        "demo_members": team.len(),
                        "demo_sessions": demo_conversations,
                    })),
                    via: audit::Via::Window,
                },
            )?;
            Ok((crate::auth::start_session(tx, admin_id, now)?, tenant_id, key))
        })?;
        self.keep_new_api_key(tenant_id, &key);
        let view = self.signed_in(&token)?;
        Ok((token, view))
    }
}

fn insert_account(tx: &Tx, email: &str, name: &str, hash: &str, platform_admin: bool, now: i64) -> Result<i64> {
    tx.execute(
        "INSERT INTO accounts (email, email_key, name, password_hash, is_platform_admin, created_at, modified_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![email, email_key(email), name, hash, platform_admin, now],
    )?;
    Ok(tx.last_insert_rowid()?)
}

fn insert_membership(tx: &Tx, account_id: i64, tenant_id: i64, role: Role, now: i64) -> Result<i64> {
    tx.execute(
        "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![account_id, tenant_id, role, now],
    )?;
    Ok(tx.last_insert_rowid()?)
}
