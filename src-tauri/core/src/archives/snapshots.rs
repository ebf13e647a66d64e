//! Snapshots one can open: listing them, comparing two of one tenant, and
//! removing one with all its data.

use std::collections::BTreeMap;

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::Serialize;
use specta::Type;

use super::discard::{discard, hide};
use crate::authz::{permit, Actor, LocalAdministrator, Operation, Permit, Role};
use crate::error::{Error, FieldErrors, Result};
use crate::audit::{self, Entry};
use crate::tenants::in_zone;
use crate::Desk;

/// A snapshot as the switcher and the Archives screen show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SnapshotRow {
    pub tenant_id: i64,
    pub name: String,
    /// The exported tenant's name at the time of export.
    pub source_name: String,
    /// Names the exported tenant: snapshots with the same key can be compared.
    pub source_key: String,
    /// UTC milliseconds of the export.
    pub data_as_of_millis: i64,
    /// The export time in the snapshot's timezone.
    pub data_as_of: String,
    pub imported_at: String,
    pub users: u32,
    pub conversations: u32,
    pub messages: u32,
}

const ROW: &str = "SELECT s.tenant_id, t.name, s.source_name, s.source_install_id || ':' || s.source_tenant_id,
        s.data_as_of, t.timezone, s.imported_at,
        (SELECT count(*) FROM memberships m WHERE m.tenant_id = s.tenant_id AND m.snapshot_reader = 0),
        (SELECT count(*) FROM conversations c WHERE c.tenant_id = s.tenant_id),
        (SELECT coalesce(sum(message_count), 0) FROM conversations c WHERE c.tenant_id = s.tenant_id)
   FROM snapshots s JOIN tenants t ON t.id = s.tenant_id";

fn from_row(r: &crate::store::sql::Row) -> crate::store::sql::Result<SnapshotRow> {
    let data_as_of: i64 = r.get(4)?;
    let zone: String = r.get(5)?;
    let count = |i: usize| -> crate::store::sql::Result<u32> { Ok(u32::try_from(r.get::<_, i64>(i)?).unwrap_or(u32::MAX)) };
    Ok(SnapshotRow {
        tenant_id: r.get(0)?,
        name: r.get(1)?,
        source_name: r.get(2)?,
        source_key: r.get(3)?,
        data_as_of_millis: data_as_of,
        data_as_of: in_zone(data_as_of, &zone),
        imported_at: in_zone(r.get(6)?, &zone),
        users: count(7)?,
        conversations: count(8)?,
        messages: count(9)?,
    })
}

pub(crate) fn row(tx: &Tx, tenant_id: i64) -> Result<SnapshotRow> {
    Ok(tx.query_row(&format!("{ROW} WHERE s.tenant_id = ?1"), [tenant_id], from_row)?)
}

/// The snapshot `tenant_id`, or "no longer exists".
fn stored(tx: &Tx, tenant_id: i64) -> Result<SnapshotRow> {
    let found: Option<i64> =
        tx.query_row("SELECT tenant_id FROM snapshots WHERE tenant_id = ?1", [tenant_id], |r| r.get(0)).optional()?;
    match found {
        Some(id) => row(tx, id),
        None => Err(Error::not_found("snapshot")),
    }
}

/// The snapshot, if the permit's holder may open it: they were given it at
/// import, or they are a platform administrator.
fn reachable(tx: &Tx, permit: &Permit, tenant_id: i64) -> Result<SnapshotRow> {
    let found: Option<i64> = tx
        .query_row(
            "SELECT s.tenant_id FROM snapshots s
              WHERE s.tenant_id = ?2
                AND (?3 = 1 OR EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = s.tenant_id AND m.account_id = ?1))",
            params![permit.account_id(), tenant_id, permit.is_platform_admin()],
            |r| r.get(0),
        )
        .optional()?;
    match found {
        Some(id) => row(tx, id),
        None => Err(Error::not_found("snapshot")),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SnapshotUser {
    pub name: String,
    pub email: String,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct RoleChange {
    pub name: String,
    pub email: String,
    pub before: Role,
    pub after: Role,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ConversationCounts {
    pub total: u32,
    pub open: u32,
    pub resolved: u32,
    pub messages: u32,
}

/// What changed from the older snapshot to the newer one. People are the
/// same person when their email is the same.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct Comparison {
    pub older: SnapshotRow,
    pub newer: SnapshotRow,
    pub users_added: Vec<SnapshotUser>,
    pub users_removed: Vec<SnapshotUser>,
    pub role_changes: Vec<RoleChange>,
    pub conversations_older: ConversationCounts,
    pub conversations_newer: ConversationCounts,
}

fn members(tx: &Tx, tenant_id: i64) -> Result<BTreeMap<String, SnapshotUser>> {
    let mut stmt = tx.prepare(
        "SELECT a.name, a.email, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id
          WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0",
    )?;
    let rows = stmt.query_map([tenant_id], |r| Ok(SnapshotUser { name: r.get(0)?, email: r.get(1)?, role: r.get(2)? }))?;
    let mut by_email = BTreeMap::new();
    for user in rows {
        let user = user?;
        by_email.insert(crate::validate::email_key(&user.email), user);
    }
    Ok(by_email)
}

fn conversation_counts(tx: &Tx, tenant_id: i64) -> Result<ConversationCounts> {
    Ok(tx.query_row(
        "SELECT count(*), count(*) FILTER (WHERE status = 'open'), count(*) FILTER (WHERE status = 'resolved'),
                coalesce(sum(message_count), 0)
           FROM conversations WHERE tenant_id = ?1",
        [tenant_id],
        |r| {
            let n = |i: usize| -> crate::store::sql::Result<u32> { Ok(u32::try_from(r.get::<_, i64>(i)?).unwrap_or(u32::MAX)) };
            Ok(ConversationCounts { total: n(0)?, open: n(1)?, resolved: n(2)?, messages: n(3)? })
        },
    )?)
}

impl Desk {
    /// The snapshots the actor may open, newest data first.
    pub fn list_snapshots(&self, actor: &Actor) -> Result<Vec<SnapshotRow>> {
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewSnapshots)?;
            let mut stmt = tx.prepare(&format!(
                "{ROW} WHERE ?2 = 1 OR EXISTS (SELECT 1 FROM memberships m WHERE m.tenant_id = s.tenant_id AND m.account_id = ?1)
                  ORDER BY s.data_as_of DESC, s.tenant_id DESC"
            ))?;
            let rows = stmt.query_map(params![permit.account_id(), permit.is_platform_admin()], from_row)?;
            Ok(rows.collect::<crate::store::sql::Result<Vec<_>>>()?)
        })
    }

    /// Compares two snapshots of one tenant, in either order.
    pub fn compare_snapshots(&self, actor: &Actor, first: i64, second: i64) -> Result<Comparison> {
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ViewSnapshots)?;
            compare(tx, reachable(tx, &permit, first)?, reachable(tx, &permit, second)?)
        })
    }

    /// Every snapshot of the install, for the command line.
    pub fn all_snapshots(&self, _local: &LocalAdministrator) -> Result<Vec<SnapshotRow>> {
        self.db.read(|tx| {
            let mut stmt = tx.prepare(&format!("{ROW} ORDER BY s.data_as_of DESC, s.tenant_id DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<crate::store::sql::Result<Vec<_>>>()?)
        })
    }

    /// The same comparison from the command line, of any two snapshots.
    pub fn compare_snapshots_locally(&self, _local: &LocalAdministrator, first: i64, second: i64) -> Result<Comparison> {
        self.db.read(|tx| compare(tx, stored(tx, first)?, stored(tx, second)?))
    }

    /// Removes a snapshot and everything in it: at once from every list
    /// (whoever works in it is moved to another of their organizations),
    /// then its rows in short transactions, so nobody waits behind a large one.
    pub fn remove_snapshot(&self, actor: &Actor, tenant_id: i64) -> Result<()> {
        let now = self.now_millis();
        let export_files = self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::RemoveSnapshot)?;
            let snapshot = reachable(tx, &permit, tenant_id)?;
            tx.execute(
                "UPDATE login_sessions AS s
                    SET tenant_id = (SELECT m.tenant_id FROM memberships m
                                      WHERE m.account_id = s.account_id AND m.tenant_id <> ?1 ORDER BY m.id LIMIT 1)
                  WHERE s.tenant_id = ?1",
                [tenant_id],
            )?;
            tx.execute(
                "UPDATE accounts AS a
                    SET current_tenant_id = (SELECT m.tenant_id FROM memberships m
                                              WHERE m.account_id = a.id AND m.tenant_id <> ?1 ORDER BY m.id LIMIT 1)
                  WHERE a.current_tenant_id = ?1",
                [tenant_id],
            )?;
            let export_files = self.forget_chart_exports(tx, tenant_id)?;
            // Out of every list at once; the rows go after, batch by batch.
            tx.execute("DELETE FROM memberships WHERE tenant_id = ?1", [tenant_id])?;
            tx.execute("DELETE FROM snapshots WHERE tenant_id = ?1", [tenant_id])?;
            hide(tx, tenant_id)?;
            audit::record(
                tx,
                Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id).filter(|t| *t != tenant_id),
                    action: "snapshot.removed",
                    subject: format!("tenant:{tenant_id}"),
                    subject_account_id: None,
                    before: Some(serde_json::json!({ "snapshot_of": snapshot.source_name, "data_as_of": snapshot.data_as_of })),
                    after: None,
                    via: audit::Via::Window,
                },
            )?;
            Ok(export_files)
        })?;
        Self::delete_chart_export_files(&export_files);
        discard(&self.db, &self.db.side()?.tx(), tenant_id)
    }
}

/// What changed from the older of two snapshots of one tenant to the newer.
fn compare(tx: &Tx, a: SnapshotRow, b: SnapshotRow) -> Result<Comparison> {
    if a.source_key != b.source_key || a.tenant_id == b.tenant_id {
        let mut errors = FieldErrors::new();
        errors.add("second", "Choose two different snapshots of one tenant.");
        errors.into_result()?;
    }
    let (older, newer) = if (a.data_as_of_millis, a.tenant_id) <= (b.data_as_of_millis, b.tenant_id) { (a, b) } else { (b, a) };
    let before = members(tx, older.tenant_id)?;
    let after = members(tx, newer.tenant_id)?;
    let users_added = after.iter().filter(|(k, _)| !before.contains_key(*k)).map(|(_, u)| u.clone()).collect();
    let users_removed = before.iter().filter(|(k, _)| !after.contains_key(*k)).map(|(_, u)| u.clone()).collect();
    let role_changes = after
        .iter()
        .filter_map(|(k, u)| {
            let was = before.get(k)?;
            (was.role != u.role).then(|| RoleChange {
                name: u.name.clone(),
                email: u.email.clone(),
                before: was.role,
                after: u.role,
            })
        })
        .collect();
    Ok(Comparison {
        conversations_older: conversation_counts(tx, older.tenant_id)?,
        conversations_newer: conversation_counts(tx, newer.tenant_id)?,
        older,
        newer,
        users_added,
        users_removed,
        role_changes,
    })
}
