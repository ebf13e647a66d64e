//! A tenant as stored, and as a row of the Identity > Tenants table with its
//! times shown in the tenant's own timezone.

use crate::store::sql::{OptionalExtension, Row, Tx};
use serde::Serialize;
use specta::Type;

use super::TenantFields;
use crate::clock::from_millis;
use crate::error::{Error, ErrorCode, Result};
use crate::{countries, timezones};

pub(crate) const COLUMNS: &str = "id, name, description, billing_email, phone, website, country, street, zip_code, \
     timezone, labels, read_only, created_at, modified_at, require_mfa, idle_lock_minutes";

pub(crate) struct StoredTenant {
    pub id: i64,
    pub fields: TenantFields,
    pub read_only: bool,
    pub created_at: i64,
    pub modified_at: i64,
}

impl StoredTenant {
    pub fn from_row(r: &Row) -> crate::store::sql::Result<Self> {
        let labels: String = r.get(10)?;
        Ok(Self {
            id: r.get(0)?,
            fields: TenantFields {
                name: r.get(1)?,
                description: r.get(2)?,
                billing_email: r.get(3)?,
                phone: r.get(4)?,
                website: r.get(5)?,
                country: r.get(6)?,
                street: r.get(7)?,
                zip_code: r.get(8)?,
                timezone: r.get(9)?,
                labels: serde_json::from_str(&labels).unwrap_or_default(),
                require_mfa: r.get(14)?,
                idle_lock_minutes: r.get(15)?,
            },
            read_only: r.get(11)?,
            created_at: r.get(12)?,
            modified_at: r.get(13)?,
        })
    }

    /// Refuses any change to a read-only tenant.
    pub fn ensure_writable(&self) -> Result<()> {
        if self.read_only {
            return Err(Error::new(ErrorCode::NotAllowed, "This tenant is read-only and cannot be changed."));
        }
        Ok(())
    }
}

pub(crate) fn load(tx: &Tx, tenant_id: i64) -> Result<Option<StoredTenant>> {
    Ok(tx
        .query_row(&format!("SELECT {COLUMNS} FROM tenants WHERE id = ?1"), [tenant_id], StoredTenant::from_row)
        .optional()?)
}

/// One row of Identity > Tenants (and the Customer organization section).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TenantRow {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub billing_email: String,
    pub phone: String,
    pub website: String,
    /// ISO 3166-1 alpha-2, empty when not set.
    pub country: String,
    pub country_name: String,
    pub street: String,
    pub zip_code: String,
    /// Street, ZIP code and country on one line.
    pub address: String,
    pub timezone: String,
    pub labels: Vec<String>,
    pub read_only: bool,
    /// Members must use MFA.
    pub require_mfa: bool,
    /// Minutes without input before a member's window locks.
    pub idle_lock_minutes: u32,
    /// Stored in UTC, shown in the tenant's timezone.
    pub created_on: String,
    pub modified_on: String,
    /// When it was created, UTC RFC 3339, for exports.
    pub created_at: String,
    /// The version of its details, given back by Edit tenant when saving.
    pub version: String,
}

impl From<StoredTenant> for TenantRow {
    fn from(t: StoredTenant) -> Self {
        let f = t.fields;
        let country_name = countries::name_of(&f.country);
        let address =
            [f.street.as_str(), f.zip_code.as_str(), country_name.as_str()].into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(", ");
        Self {
            id: t.id,
            created_on: in_zone(t.created_at, &f.timezone),
            created_at: crate::clock::to_wire(t.created_at),
            version: crate::edit_versions::of(&f),
            modified_on: in_zone(t.modified_at, &f.timezone),
            name: f.name,
            description: f.description,
            billing_email: f.billing_email,
            phone: f.phone,
            website: f.website,
            country: f.country,
            country_name,
            street: f.street,
            zip_code: f.zip_code,
            address,
            timezone: f.timezone,
            labels: f.labels,
            read_only: t.read_only,
            require_mfa: f.require_mfa,
            idle_lock_minutes: f.idle_lock_minutes,
        }
    }
}

/// A stored UTC instant as the wall-clock time in `zone`, "26 Nov 2026, 10:41":
/// the window's one date format (ui/src/lib/labels.ts writes the same), so a
/// date reads alike whether the core or the window formatted it. An unknown
/// zone reads as UTC.
pub fn in_zone(millis: i64, zone: &str) -> String {
    const SHOWN: &str = "%-d %b %Y, %H:%M";
    let utc = from_millis(millis);
    match timezones::parse(zone) {
        Some(tz) => utc.with_timezone(&tz).format(SHOWN).to_string(),
        None => utc.format(SHOWN).to_string(),
    }
}

/// Details for the audit log's before and after.
pub(crate) fn audit_json(fields: &TenantFields) -> serde_json::Value {
    serde_json::to_value(fields).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::in_zone;

    #[test]
    fn times_read_as_the_window_writes_them_and_an_unknown_zone_as_utc() {
        // 2026-11-26 09:41 UTC; 2026-07-05 23:05 UTC, already the 6th in Berlin (summer time).
        assert_eq!(in_zone(1_795_686_060_000, "Europe/Berlin"), "26 Nov 2026, 10:41");
        assert_eq!(in_zone(1_783_292_700_000, "Europe/Berlin"), "6 Jul 2026, 01:05");
        assert_eq!(in_zone(1_795_686_060_000, "Nowhere/Atlantis"), "26 Nov 2026, 09:41");
    }
}
