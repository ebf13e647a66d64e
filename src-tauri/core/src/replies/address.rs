//! The tenant's delivery address: where each reply is POSTed. A Tenant Admin
//! sets it (Settings > Organization); https, or http on this computer only
//! (loopback), never credentials in it.

use crate::store::sql::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::audit;
use crate::tenants::administered_tenant;
use crate::validate::without_nul;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct DeliveryAddress {
    /// None: replies are only read by the platform through the API.
    pub url: Option<String>,
}

const URL_MAX: usize = 2048;

/// The address as stored, or the field's error.
fn check(url: &str) -> Result<Option<String>> {
    let url = url.trim();
    if url.is_empty() {
        return Ok(None);
    }
    let mut errors = FieldErrors::new();
    errors.check("url", without_nul(url, "The address"));
    match url::Url::parse(url) {
        _ if url.len() > URL_MAX => errors.add("url", "The address is too long (at most 2048 characters)."),
        Ok(parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            errors.add("url", "Leave sign-in details out of the address: deliveries are signed instead.")
        }
        Ok(parsed) if parsed.scheme() == "https" && parsed.host_str().is_some() => {}
        Ok(parsed) if parsed.scheme() == "http" && matches!(parsed.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")) => {}
        Ok(parsed) if parsed.scheme() == "http" => {
            errors.add("url", "Use https: replies carry customers' conversations (http only on this computer).")
        }
        _ => errors.add("url", "Enter a web address starting with https://."),
    }
    errors.into_result()?;
    Ok(Some(url.to_owned()))
}

impl Desk {
    pub fn delivery_address(&self, actor: &Actor) -> Result<DeliveryAddress> {
        authorize(actor, Operation::ViewOwnOrganization)?;
        self.db.read(|tx| {
            let tenant_id = permit(tx, actor, Operation::ViewOwnOrganization)?.tenant()?;
            let url = tx.query_row("SELECT delivery_url FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
            Ok(DeliveryAddress { url })
        })
    }

    pub fn set_delivery_address(&self, actor: &Actor, url: &str) -> Result<DeliveryAddress> {
        authorize(actor, Operation::UpdateOwnOrganization)?;
        let url = check(url)?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let tenant_id = permit(tx, actor, Operation::UpdateOwnOrganization)?.tenant()?;
            administered_tenant(tx, actor, tenant_id, Operation::UpdateOwnOrganization)?;
            let before: Option<String> =
                tx.query_row("SELECT delivery_url FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
            tx.execute("UPDATE tenants SET delivery_url = ?2 WHERE id = ?1", params![tenant_id, url])?;
            audit::record(
                tx,
                audit::Entry::tenant_change(
                    actor.account_id,
                    now,
                    tenant_id,
                    "tenant.delivery_address",
                    Some(json!({ "url": before })),
                    Some(json!({ "url": url })),
                ),
            )?;
            Ok(DeliveryAddress { url })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn https_anywhere_http_only_on_this_computer() {
        assert_eq!(check(" https://hooks.example.com/replies ").ok().flatten().as_deref(), Some("https://hooks.example.com/replies"));
        assert_eq!(check("http://127.0.0.1:9000/in").ok().flatten().as_deref(), Some("http://127.0.0.1:9000/in"));
        assert_eq!(check("").ok(), Some(None));
        for bad in ["http://hooks.example.com/", "ftp://example.com", "not a url", "https://user:pw@example.com/"] {
            let e = check(bad).err().unwrap_or_else(|| panic!("{bad} accepted"));
            assert!(e.fields.contains_key("url"), "{bad}: {e:?}");
        }
    }
}
