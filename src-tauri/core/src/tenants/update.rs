//! Edit tenant (Identity > Tenants): every detail, timezone and labels included.
//! Refused for read-only tenants; audited with before and after.

use crate::store::sql::{params, Tx};

use super::rules::{self, Form, TenantFields};
use super::scope::administered;
use super::stored::{audit_json, load, TenantRow};
use crate::authz::{Actor, Operation, Permit};
use crate::error::{Error, Result};
use crate::audit;
use crate::edit_versions::{self, Edited};
use crate::Desk;

impl Desk {
    pub fn update_tenant(&self, actor: &Actor, tenant_id: i64, input: &TenantFields) -> Result<TenantRow> {
        self.update_tenant_seen(actor, tenant_id, input, None)
    }

    /// [`update_tenant`](Self::update_tenant) from Edit tenant, opened at
    /// `version`: refused when someone else saved the tenant since.
    pub fn update_tenant_if_unchanged(&self, actor: &Actor, tenant_id: i64, input: &TenantFields, version: &str) -> Result<TenantRow> {
        self.update_tenant_seen(actor, tenant_id, input, Some(version))
    }

    fn update_tenant_seen(&self, actor: &Actor, tenant_id: i64, input: &TenantFields, seen: Option<&str>) -> Result<TenantRow> {
        let fields = rules::check(input, Form::EditTenant)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let (permit, before) = administered(tx, actor, tenant_id, Operation::UpdateTenant)?;
            ensure_unchanged(tx, seen, &edit_versions::of(&before.fields), tenant_id, "this tenant", &before.fields.timezone)?;
            if !before.fields.require_mfa {
                super::create::ensure_own_mfa_if_required(tx, &permit, &fields)?;
            }
            save(tx, &permit, tenant_id, &before.fields, &fields, now)?;
            Ok(TenantRow::from(load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?))
        })
    }
}

/// Refuses the save when the tenant's details are no longer what the form
/// was opened with.
pub(crate) fn ensure_unchanged(tx: &Tx, seen: Option<&str>, current: &str, tenant_id: i64, what: &str, timezone: &str) -> Result<()> {
    let edited = Edited { what, subjects: vec![format!("tenant:{tenant_id}")], timezone };
    edit_versions::ensure_unchanged(tx, seen, current, edited)
}

/// Writes the details and the audit entry, in the caller's transaction.
pub(crate) fn save(
    tx: &Tx,
    permit: &Permit,
    tenant_id: i64,
    before: &TenantFields,
    after: &TenantFields,
    now: i64,
) -> Result<()> {
    tx.execute(
        "UPDATE tenants SET name = ?2, description = ?3, billing_email = ?4, phone = ?5, website = ?6,
                country = ?7, street = ?8, zip_code = ?9, timezone = ?10, labels = ?11, modified_at = ?12,
                require_mfa = ?13, idle_lock_minutes = ?14
          WHERE id = ?1",
        params![
            tenant_id,
            after.name,
            after.description,
            after.billing_email,
            after.phone,
            after.website,
            after.country,
            after.street,
            after.zip_code,
            after.timezone,
            serde_json::to_string(&after.labels).unwrap_or_else(|_| "[]".to_owned()),
            now,
            after.require_mfa,
            after.idle_lock_minutes,
        ],
    )?;
    audit::record(
        tx,
        audit::Entry::tenant_change(
            permit.account_id(),
            now,
            tenant_id,
            "tenant.update",
            Some(audit_json(before)),
            Some(audit_json(after)),
        ),
    )
}
