use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{permit, Actor, Operation};
use crate::error::Result;
use crate::tenants::{insert_owned_tenant, rules, Form, TenantFields, TenantRow};
use crate::Desk;

/// "Create Organization": what a new tenant needs to start; the rest is
/// edited afterwards with the pencil.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Type)]
pub struct NewOrganization {
    pub name: String,
    pub billing_email: String,
    pub timezone: String,
}

impl Desk {
    /// Any account may own up to three organizations and becomes the Tenant
    /// Admin of each; the fourth is refused inside the write transaction.
    pub fn create_organization(&self, actor: &Actor, input: &NewOrganization) -> Result<TenantRow> {
        let fields = rules::check(
            &TenantFields {
                name: input.name.clone(),
                billing_email: input.billing_email.clone(),
                timezone: input.timezone.clone(),
                ..TenantFields::default()
            },
            Form::EditTenant,
        )?;
        let now = self.now_millis();
        let (row, key) =
            self.db.write(|tx| insert_owned_tenant(tx, &permit(tx, actor, Operation::CreateOrganization)?, &fields, now))?;
        self.keep_new_api_key(row.id, &key);
        Ok(row)
    }
}
