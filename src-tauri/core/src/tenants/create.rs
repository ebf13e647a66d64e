//! Add tenant: platform administrators only. The new tenant starts with its
//! creator as Tenant Admin (and owner) and a fresh API key.

use rusqlite::params;
use serde_json::json;

use super::rules::{self, Form, TenantFields};
use super::stored::{audit_json, load, TenantRow};
use super::MAX_OWNED_TENANTS;
use crate::api_keys;
use crate::authz::{authorize, Actor, Operation, Role};
use crate::error::{Error, ErrorCode, Result};
use crate::store::audit;
use crate::Desk;

impl Desk {
    pub fn add_tenant(&self, actor: &Actor, input: &TenantFields) -> Result<TenantRow> {
        authorize(actor, Operation::AddTenant)?;
        let fields = rules::check(input, Form::EditTenant)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let owned: i64 =
                tx.query_row("SELECT count(*) FROM tenants WHERE owner_account_id = ?1", [actor.account_id], |r| r.get(0))?;
            if owned >= MAX_OWNED_TENANTS {
                return Err(Error::new(
                    ErrorCode::NotAllowed,
                    format!("You already own {MAX_OWNED_TENANTS} tenants, the most one account may own."),
                ));
            }
            tx.execute(
                "INSERT INTO tenants (name, description, billing_email, phone, website, country, street, zip_code,
                                      timezone, labels, owner_account_id, created_at, modified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
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
                    actor.account_id,
                    now,
                ],
            )?;
            let tenant_id = tx.last_insert_rowid();
            tx.execute(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![actor.account_id, tenant_id, Role::TenantAdmin, now],
            )?;
            api_keys::issue(self, tx, tenant_id, Some(actor.account_id), now)?;
            audit::record(
                tx,
                audit::Entry::tenant_change(
                    actor.account_id,
                    now,
                    tenant_id,
                    "tenant.create",
                    None,
                    Some(json!({ "details": audit_json(&fields), "tenant_admin": actor.account_id })),
                ),
            )?;
            Ok(TenantRow::from(load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?))
        })
    }
}
