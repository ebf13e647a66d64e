//! Profile > Account > Customer organization: the details of the tenant the
//! signed-in person works in. Everyone sees them; Tenant Admins edit them,
//! under the Profile page's stricter rules (contacts and address required).

use serde::{Deserialize, Serialize};
use specta::Type;

use super::rules::{self, Form, TenantFields};
use super::scope::administered;
use super::stored::{load, TenantRow};
use super::update::save;
use crate::authz::{authorize, can, permit, Actor, Operation};
use crate::error::{Error, Result};
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Organization {
    pub tenant: TenantRow,
    /// The fields are editable and the Update button shown.
    pub can_edit: bool,
    /// The version of what the form shows, given back when saving.
    pub version: String,
}

/// The version of the fields the Customer organization form shows: a change
/// to the others (timezone, labels) is no conflict for it.
fn version(fields: &TenantFields) -> String {
    let TenantFields { name, description, billing_email, phone, website, country, street, zip_code, .. } = fields;
    crate::edit_versions::of(&(name, description, billing_email, phone, website, country, street, zip_code))
}

/// The Customer organization form: timezone and labels are edited in Identity > Tenants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct OrganizationFields {
    pub name: String,
    pub billing_email: String,
    pub description: String,
    pub phone: String,
    pub website: String,
    pub country: String,
    pub street: String,
    pub zip_code: String,
}

impl Desk {
    /// `None` for an account that belongs to no tenant.
    pub fn organization(&self, actor: &Actor) -> Result<Option<Organization>> {
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewOwnOrganization)?;
            let Some(tenant_id) = permit.tenant_id() else { return Ok(None) };
            let tenant = load(tx, tenant_id)?.ok_or_else(Error::not_signed_in)?;
            // The role and the tenant as stored now decide.
            let can_edit = can(permit.actor(), Operation::UpdateOwnOrganization);
            let version = version(&tenant.fields);
            Ok(Some(Organization { tenant: TenantRow::from(tenant), can_edit, version }))
        })
    }

    pub fn update_own_organization(&self, actor: &Actor, input: &OrganizationFields) -> Result<Organization> {
        self.update_own_organization_seen(actor, input, None)
    }

    /// [`update_own_organization`](Self::update_own_organization) from the
    /// form opened at `version`: refused when someone else saved it since.
    pub fn update_own_organization_if_unchanged(&self, actor: &Actor, input: &OrganizationFields, version: &str) -> Result<Organization> {
        self.update_own_organization_seen(actor, input, Some(version))
    }

    fn update_own_organization_seen(&self, actor: &Actor, input: &OrganizationFields, seen: Option<&str>) -> Result<Organization> {
        authorize(actor, Operation::UpdateOwnOrganization)?;
        let tenant_id = actor.tenant.as_ref().map(|t| t.tenant_id).ok_or_else(Error::not_allowed)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let (permit, before) = administered(tx, actor, tenant_id, Operation::UpdateOwnOrganization)?;
            super::update::ensure_unchanged(tx, seen, &version(&before.fields), tenant_id, "the organization", &before.fields.timezone)?;
            let typed = TenantFields {
                name: input.name.clone(),
                description: input.description.clone(),
                billing_email: input.billing_email.clone(),
                phone: input.phone.clone(),
                website: input.website.clone(),
                country: input.country.clone(),
                street: input.street.clone(),
                zip_code: input.zip_code.clone(),
                timezone: before.fields.timezone.clone(),
                labels: before.fields.labels.clone(),
                require_mfa: before.fields.require_mfa,
                idle_lock_minutes: before.fields.idle_lock_minutes,
            };
            let after = rules::check(&typed, Form::CustomerOrganization)?;
            save(tx, &permit, tenant_id, &before.fields, &after, now)?;
            let tenant = load(tx, tenant_id)?.ok_or_else(Error::not_allowed)?;
            let version = version(&tenant.fields);
            Ok(Organization { tenant: TenantRow::from(tenant), can_edit: true, version })
        })
    }
}
