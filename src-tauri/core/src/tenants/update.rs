//! Edit tenant (Identity > Tenants): every detail, timezone and labels included.
//! Refused for read-only tenants; audited with before and after.

use rusqlite::{params, Transaction};

use super::rules::{self, Form, TenantFields};
use super::scope::administered;
use super::stored::{audit_json, load, TenantRow};
use crate::authz::{Actor, Operation, Permit};
use crate::error::{Error, Result};
use crate::audit;
use crate::Desk;

impl Desk {
    pub fn update_tenant(&self, actor: &Actor, tenant_id: i64, input: &TenantFields) -> Result<TenantRow> {
        let fields = rules::check(input, Form::EditTenant)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let (permit, before) = administered(tx, actor, tenant_id, Operation::UpdateTenant)?;
            if !before.fields.require_mfa {
                super::create::ensure_own_mfa_if_required(tx, &permit, &fields)?;
            }
            save(tx, &permit, tenant_id, &before.fields, &fields, now)?;
            Ok(TenantRow::from(load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?))
        })
    }
}

/// Writes the details and the audit entry, in the caller's transaction.
pub(crate) fn save(
    tx: &Transaction,
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
