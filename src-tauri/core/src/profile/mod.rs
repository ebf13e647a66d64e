//! Profile > Account > Personal information: one's own name, email, role,
//! contact details (phone, company) and avatar.

mod avatar;

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::authz::{authorize, is_allowed, permit, Actor, Operation, Permit, Role};
use crate::error::{Error, FieldErrors, Result};
use crate::audit;
use crate::tenants::rules::phone;
use crate::validate::{required_text, trimmed, without_nul};
use crate::Desk;

pub use avatar::{AVATAR_PIXELS, MAX_AVATAR_FILE_BYTES};

pub const NAME_MAX_CHARS: usize = 100;
pub const COMPANY_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Profile {
    pub name: String,
    pub email: String,
    pub role: Option<Role>,
    pub tenant_name: Option<String>,
    pub phone: String,
    pub company: String,
    /// The avatar as a `data:image/png;base64,…` URL; `None` shows initials.
    pub avatar: Option<String>,
    /// Whether name, phone, company and avatar are editable for this role.
    pub can_edit_details: bool,
}

/// The Personal information form, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct PersonalDetails {
    pub name: String,
    /// Optional; 7–15 digits with an optional leading + (the tenant phone rule).
    pub phone: String,
    /// Optional; at most 100 characters.
    pub company: String,
}

pub fn check_name(name: &str) -> std::result::Result<(), String> {
    required_text(name, "Name", NAME_MAX_CHARS)
}

fn check_company(company: &str) -> std::result::Result<(), String> {
    without_nul(company, "Company")?;
    if company.chars().count() > COMPANY_MAX_CHARS {
        Err(format!("Company must be at most {COMPANY_MAX_CHARS} characters."))
    } else {
        Ok(())
    }
}

impl Desk {
    pub fn profile(&self, actor: &Actor) -> Result<Profile> {
        self.db.read(|tx| load(tx, &permit(tx, actor, Operation::ViewOwnProfile)?))
    }

    /// Saves one's name, phone and company. Values are trimmed; any failing
    /// field is reported under itself and nothing is written.
    pub fn update_own_details(&self, actor: &Actor, input: &PersonalDetails) -> Result<Profile> {
        authorize(actor, Operation::UpdateOwnDetails)?;
        let (name, phone_number, company) = (trimmed(&input.name), trimmed(&input.phone), trimmed(&input.company));
        let mut errors = FieldErrors::new();
        errors.check("name", check_name(&name));
        errors.check("phone", without_nul(&phone_number, "Phone"));
        if !phone_number.is_empty() {
            errors.check("phone", phone(&phone_number));
        }
        errors.check("company", check_company(&company));
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::UpdateOwnDetails)?;
            let before: (String, String, String) = tx
                .query_row(
                    "SELECT name, phone, company FROM accounts WHERE id = ?1 AND deleted_at IS NULL",
                    [actor.account_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .map_err(|_| Error::not_signed_in())?;
            tx.execute(
                "UPDATE accounts SET name = ?2, phone = ?3, company = ?4, modified_at = ?5 WHERE id = ?1",
                params![actor.account_id, name, phone_number, company, now],
            )?;
            let own_change = |action, before, after| audit::Entry {
                at: now,
                actor_account_id: Some(actor.account_id),
                tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
                action,
                subject: format!("account:{}", actor.account_id),
                subject_account_id: Some(actor.account_id),
                before: Some(before),
                after: Some(after),
                via: audit::Via::Window,
            };
            if before.0 != name {
                audit::record(tx, own_change("account.rename", json!({ "name": before.0 }), json!({ "name": name })))?;
            }
            if (before.1.as_str(), before.2.as_str()) != (phone_number.as_str(), company.as_str()) {
                audit::record(
                    tx,
                    own_change(
                        "account.contact_change",
                        json!({ "phone": before.1, "company": before.2 }),
                        json!({ "phone": phone_number, "company": company }),
                    ),
                )?;
            }
            load(tx, &permit)
        })
    }
}

fn load(tx: &crate::store::sql::Tx, permit: &Permit) -> Result<Profile> {
    let actor = permit.actor();
    let (name, email, phone, company): (String, String, String, String) = tx
        .query_row(
            "SELECT name, email, phone, company FROM accounts WHERE id = ?1 AND deleted_at IS NULL",
            [actor.account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .map_err(|_| Error::not_signed_in())?;
    let tenant_name = match &actor.tenant {
        Some(t) => Some(tx.query_row("SELECT name FROM tenants WHERE id = ?1", [t.tenant_id], |r| {
            r.get(0)
        })?),
        None => None,
    };
    Ok(Profile {
        name,
        email,
        role: actor.role(),
        tenant_name,
        phone,
        company,
        avatar: avatar::data_url(tx, actor.account_id)?,
        can_edit_details: is_allowed(actor, Operation::UpdateOwnDetails),
    })
}
