//! Add tenant: platform administrators only (everyone else creates
//! organizations from the switcher, `organizations::create`). A new tenant
//! starts with its creator as Tenant Admin (and owner) and a fresh API key.

use crate::store::sql::{params, Tx};
use serde_json::json;

use super::rules::{self, Form, TenantFields};
use super::stored::{audit_json, load, TenantRow};
use super::MAX_OWNED_TENANTS;
use crate::api_keys::{self, ApiKey};
use crate::authz::{permit, Actor, Operation, Permit, Role};
use crate::error::{Error, ErrorCode, FieldErrors, Result};
use crate::audit;
use crate::Desk;

impl Desk {
    pub fn add_tenant(&self, actor: &Actor, input: &TenantFields) -> Result<TenantRow> {
        let fields = rules::check(input, Form::EditTenant)?;
        let now = self.now_millis();
        let (row, key) = self.db.write(|tx| insert_owned(tx, &permit(tx, actor, Operation::AddTenant)?, &fields, now))?;
        self.keep_new_api_key(row.id, &key);
        Ok(row)
    }
}

/// Inserts a tenant owned by the permit's holder, who becomes its Tenant
/// Admin, with a fresh API key (returned, for the keyring once the
/// transaction committed); refused past [`MAX_OWNED_TENANTS`], counted inside
/// the caller's write transaction so parallel attempts cannot pass the limit.
pub(crate) fn insert_owned(tx: &Tx, permit: &Permit, fields: &TenantFields, now: i64) -> Result<(TenantRow, ApiKey)> {
    let owner = permit.account_id();
    let owned: i64 = tx.query_row("SELECT count(*) FROM tenants WHERE owner_account_id = ?1", [owner], |r| r.get(0))?;
    if owned >= MAX_OWNED_TENANTS {
        return Err(Error::new(
            ErrorCode::NotAllowed,
            format!("You already own {MAX_OWNED_TENANTS} organizations, the most one account may own."),
        ));
    }
    ensure_own_mfa_if_required(tx, permit, fields)?;
    tx.execute(
        "INSERT INTO tenants (name, description, billing_email, phone, website, country, street, zip_code,
                              timezone, labels, require_mfa, owner_account_id, created_at, modified_at, idle_lock_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
        params![
            fields.name,
            fields.description,
            fields.billing_email,
            fields.phone,
            fields.website,
            fields.country,
            fields.street,
            fields.zip_code,
            fields.timezone,
            serde_json::to_string(&fields.labels).unwrap_or_else(|_| "[]".to_owned()),
            fields.require_mfa,
            owner,
            now,
            fields.idle_lock_minutes,
        ],
    )?;
    let tenant_id = tx.last_insert_rowid()?;
    tx.execute(
        "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
        params![owner, tenant_id, Role::TenantAdmin, now],
    )?;
    let key = api_keys::issue(tx, tenant_id, Some(owner), now)?;
    audit::record(
        tx,
        audit::Entry::tenant_change(
            owner,
            now,
            tenant_id,
            "tenant.create",
            None,
            Some(json!({ "details": audit_json(fields), "tenant_admin": owner })),
        ),
    )?;
    Ok((TenantRow::from(load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?), key))
}

/// "Require MFA" is only turned on by someone who has MFA: otherwise the
/// next thing they did would be refused until they set it up.
pub(crate) fn ensure_own_mfa_if_required(tx: &Tx, permit: &Permit, fields: &TenantFields) -> Result<()> {
    if fields.require_mfa && !crate::mfa::is_enabled(tx, permit.account_id())? {
        let mut errors = FieldErrors::new();
        errors.add("require_mfa", "Turn on MFA for your own account (Profile) before requiring it.");
        errors.into_result()?;
    }
    Ok(())
}
