use serde::Serialize;
use specta::Type;

use crate::authz::{is_allowed, permit, Actor, Operation, Role};
use crate::error::Result;
use crate::tenants::MAX_OWNED_TENANTS;
use crate::Desk;

/// One tenant of the account, as the switcher lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct OrganizationChoice {
    pub tenant_id: i64,
    pub name: String,
    pub role: Role,
    /// The account owns it (counts towards the limit).
    pub owned: bool,
    pub current: bool,
    /// For a read-only snapshot: when its data was exported, in its timezone.
    pub snapshot_data_as_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Organizations {
    pub organizations: Vec<OrganizationChoice>,
    /// Organizations the account owns, of at most `max_owned`.
    pub owned: i64,
    pub max_owned: i64,
    /// The pencil next to the current organization: its Tenant Admins edit it
    /// (unless support made it read-only).
    pub can_edit_current: bool,
}

impl Desk {
    pub fn organizations(&self, actor: &Actor) -> Result<Organizations> {
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ListOwnOrganizations)?;
            let current = permit.tenant_id();
            let mut stmt = tx.prepare(
                "SELECT t.id, t.name, m.role, t.owner_account_id IS NOT DISTINCT FROM ?1, t.read_only, s.data_as_of, t.timezone
                   FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                   LEFT JOIN snapshots s ON s.tenant_id = t.id
                  WHERE m.account_id = ?1
                  ORDER BY s.tenant_id IS NOT NULL, lower(t.name), s.data_as_of DESC, t.id",
            )?;
            let rows = stmt
                .query_map([permit.account_id()], |r| {
                    Ok((
                        OrganizationChoice {
                            tenant_id: r.get(0)?,
                            name: r.get(1)?,
                            role: r.get(2)?,
                            owned: r.get(3)?,
                            current: Some(r.get::<_, i64>(0)?) == current,
                            snapshot_data_as_of: r
                                .get::<_, Option<i64>>(5)?
                                .map(|at| Ok::<_, crate::store::sql::Error>(crate::tenants::in_zone(at, &r.get::<_, String>(6)?)))
                                .transpose()?,
                        },
                        r.get::<_, bool>(4)?,
                    ))
                })?
                .collect::<crate::store::sql::Result<Vec<_>>>()?;
            let owned: i64 = tx.query_row(
                "SELECT count(*) FROM tenants WHERE owner_account_id = ?1",
                [permit.account_id()],
                |r| r.get(0),
            )?;
            let can_edit_current = is_allowed(permit.actor(), Operation::UpdateTenant)
                && rows.iter().any(|(o, read_only)| o.current && o.role == Role::TenantAdmin && !read_only);
            Ok(Organizations {
                organizations: rows.into_iter().map(|(o, _)| o).collect(),
                owned,
                max_owned: MAX_OWNED_TENANTS,
                can_edit_current,
            })
        })
    }
}
