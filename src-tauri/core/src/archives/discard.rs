//! Removing a snapshot's rows in short transactions, so nobody waits behind
//! it: a cancelled or failed import, and Remove this snapshot. While it runs
//! the snapshot is listed in `unfinished_snapshots`, which hides it; one left
//! behind by a stopped app is removed at the next start.

use crate::conversations::word_index::{self, Index};
use crate::store::sql::{Begin, Tx};
use crate::error::Result;
use crate::store::Db;
use crate::Desk;

/// Conversations (with their messages and windows) removed per transaction.
const CONVERSATIONS_PER_BATCH: i64 = 200;

/// Marks `tenant_id` unfinished: every list leaves it out from now on.
pub(crate) fn hide(conn: &Tx, tenant_id: i64) -> Result<()> {
    // A tenant row a rolled-back transaction took with it needs no hiding.
    conn.execute(
        "INSERT INTO unfinished_snapshots (tenant_id) SELECT id FROM tenants WHERE id = ?1 ON CONFLICT DO NOTHING",
        [tenant_id],
    )?;
    Ok(())
}

fn in_transaction(db: &Db, conn: &Tx, work: impl FnOnce() -> Result<()>) -> Result<()> {
    db.give_way();
    conn.begin(Begin::Write)?;
    match work() {
        Ok(()) => Ok(conn.commit_now()?),
        Err(e) => {
            conn.rollback_now();
            Err(e)
        }
    }
}

/// Removes everything of snapshot `tenant_id`, batch by batch, each in a
/// transaction of its own; the tenant row and its `unfinished_snapshots` row
/// go last, so a stop in between leaves it hidden and listed for the next start.
pub(crate) fn discard(db: &Db, conn: &Tx, tenant_id: i64) -> Result<()> {
    in_transaction(db, conn, || hide(conn, tenant_id))?;
    remove_word_index(db, conn, tenant_id)?;
    loop {
        let last: Option<i64> = conn.query_row(
            "SELECT max(id) FROM (SELECT id FROM conversations WHERE tenant_id = ?1 ORDER BY id LIMIT ?2) AS batch",
            [tenant_id, CONVERSATIONS_PER_BATCH],
            |r| r.get(0),
        )?;
        let Some(last) = last else { break };
        in_transaction(db, conn, || {
            let batch = "SELECT id FROM conversations WHERE tenant_id = ?1 AND id <= ?2";
            conn.execute(&format!("DELETE FROM messages WHERE conversation_id IN ({batch})"), [tenant_id, last])?;
            conn.execute(&format!("DELETE FROM billable_windows WHERE conversation_id IN ({batch})"), [tenant_id, last])?;
            conn.execute("DELETE FROM conversations WHERE tenant_id = ?1 AND id <= ?2", [tenant_id, last])?;
            Ok(())
        })?;
    }
    in_transaction(db, conn, || {
        for table in [
            "billable_windows",
            "audit_log",
            "api_idempotency",
            "personal_api_keys",
            "tenant_api_keys",
            "subscriptions",
            "trials",
            "billing_reminders",
            "payment_methods",
            "credit_transactions",
            "chart_exports",
            "chart_export_settings",
            "invitations",
            "memberships",
            "snapshots",
        ] {
            conn.execute(&format!("DELETE FROM {table} WHERE tenant_id = ?1"), [tenant_id])?;
        }
        let key_prefix = format!(" snapshot:{tenant_id}:");
        conn.execute("DELETE FROM accounts WHERE substr(email_key, 1, length(?1)) = ?1", [&key_prefix])?;
        conn.execute("DELETE FROM unfinished_snapshots WHERE tenant_id = ?1", [tenant_id])?;
        conn.execute("DELETE FROM tenants WHERE id = ?1", [tenant_id])?;
        Ok(())
    })
}

/// Pages of a snapshot's word index removed per transaction.
const WORD_PAGES_PER_BATCH: i64 = 1_000;

/// The snapshot's own word index (SQLite): its pages batch by batch, then
/// the index itself, which a million messages' would otherwise hold the
/// store for as it is dropped.
fn remove_word_index(db: &Db, conn: &Tx, tenant_id: i64) -> Result<()> {
    let Some(store) = conn.as_sqlite() else { return Ok(()) };
    let index = Index::of_snapshot(tenant_id);
    let pages = format!("{}_data", index.table);
    let made: bool = store.query_row("SELECT count(*) > 0 FROM sqlite_master WHERE name = ?1", [&pages], |r| r.get(0))?;
    if made {
        // The index is dropped next.
        word_index::writing_pages(store, || empty(db, conn, &pages))?;
    }
    in_transaction(db, conn, || Ok(conn.execute_batch(&index.drop_sql())?))
}

/// Deletes the rows of `table` in transactions of a batch each.
fn empty(db: &Db, conn: &Tx, table: &str) -> Result<()> {
    loop {
        let mut removed = 0;
        in_transaction(db, conn, || {
            removed = conn.execute(&format!("DELETE FROM {table} WHERE id IN (SELECT id FROM {table} LIMIT ?1)"), [WORD_PAGES_PER_BATCH])?;
            Ok(())
        })?;
        if removed == 0 {
            return Ok(());
        }
    }
}

impl Desk {
    /// Removes the snapshots an import or a removal left unfinished when the
    /// app stopped. Called once as the app starts, before anyone can begin
    /// an import of their own. Returns how many.
    pub fn discard_unfinished_snapshots(&self) -> Result<usize> {
        let left: Vec<i64> = self.db.read(|tx| {
            let mut stmt = tx.prepare("SELECT tenant_id FROM unfinished_snapshots")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<crate::store::sql::Result<Vec<i64>>>()?)
        })?;
        if left.is_empty() {
            return Ok(0);
        }
        let mut side = self.db.side()?;
        let conn = side.tx();
        for tenant_id in &left {
            discard(&self.db, &conn, *tenant_id)?;
        }
        Ok(left.len())
    }
}
