//! Versioned schema migrations (SQLite `user_version`), applied in one transaction.

use rusqlite::{Connection, Transaction};
use rusqlite_migration::{HookResult, Migrations, M};

use crate::conversations::word_index::{Index, KEY};

use crate::error::{Error, Result};

fn list() -> Vec<M<'static>> {
    vec![
        M::up(include_str!("../../migrations/0001_initial.sql")),
        M::up(include_str!("../../migrations/0002_identity_users.sql")),
        M::up(include_str!("../../migrations/0003_tenant_details.sql")),
        M::up(include_str!("../../migrations/0004_notifications.sql")),
        M::up(include_str!("../../migrations/0005_mfa_organizations_personal_keys.sql")),
        M::up(include_str!("../../migrations/0006_profile_preferences.sql")),
        M::up(include_str!("../../migrations/0007_sessions.sql")),
        M::up(include_str!("../../migrations/0008_billing.sql")),
        M::up(include_str!("../../migrations/0009_analytics.sql")),
        M::up(include_str!("../../migrations/0010_snapshots.sql")),
        M::up(include_str!("../../migrations/0011_authority.sql")),
        M::up(include_str!("../../migrations/0012_notification_reach.sql")),
        M::up(include_str!("../../migrations/0013_desktop_presence.sql")),
        M::up(include_str!("../../migrations/0014_reply_delivery.sql")),
        M::up(include_str!("../../migrations/0015_sessions_at_scale.sql")),
        M::up(include_str!("../../migrations/0016_word_index_by_hand.sql")),
        M::up(include_str!("../../migrations/0017_word_index_by_conversation.sql")),
        M::up_with_hook("", snapshots_get_word_indexes_of_their_own),
    ]
}

/// Version 18: each snapshot's messages leave the store's word index for
/// one of the snapshot's own (`word_index::Index::of_snapshot`), as an
/// import now builds it.
fn snapshots_get_word_indexes_of_their_own(tx: &Transaction) -> HookResult {
    let snapshots: Vec<i64> = tx
        .prepare("SELECT tenant_id FROM snapshots UNION SELECT tenant_id FROM unfinished_snapshots")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let shared = Index::shared();
    for tenant_id in snapshots {
        let own = Index::of_snapshot(tenant_id);
        let messages = format!(
            "SELECT {KEY} AS key, text FROM messages
              WHERE conversation_id IN (SELECT id FROM conversations WHERE tenant_id = {tenant_id}) ORDER BY 1"
        );
        tx.execute_batch(&format!(
            "{create}
             INSERT INTO {own_table} (rowid, text) SELECT key, text FROM ({messages});
             INSERT INTO {shared_table} ({shared_table}, rowid, text) SELECT 'delete', key, text FROM ({messages});",
            create = own.create_sql(),
            own_table = own.table,
            shared_table = shared.table,
        ))?;
    }
    Ok(())
}

/// The schema version of this build: the number of migrations.
pub fn latest() -> i64 {
    i64::try_from(list().len()).unwrap_or(i64::MAX)
}

fn migrations() -> Migrations<'static> {
    Migrations::new(list())
}

/// The schema a store at `version` has: every table, index, trigger and
/// view, by type and name, with its SQL (`sqlite_master` of a fresh store
/// migrated that far).
pub fn schema_of_version(version: i64) -> Result<Vec<(String, String, Option<String>)>> {
    let mut conn = Connection::open_in_memory()?;
    super::configure(&conn)?;
    let version = usize::try_from(version).map_err(|_| Error::internal(format!("schema version {version}")))?;
    migrations().to_version(&mut conn, version).map_err(|e| Error::internal(format!("migration failed: {e}")))?;
    super::integrity::schema(&conn).map_err(Error::from)
}

/// The first schema version at which each snapshot has a word index of its
/// own, made beside the migrated schema as the snapshot is imported.
pub const SNAPSHOT_WORD_INDEXES_SINCE: i64 = 18;

/// What snapshot `tenant_id`'s own word index adds to a store's schema.
pub fn schema_of_snapshot_words(tenant_id: i64) -> Result<Vec<(String, String, Option<String>)>> {
    let conn = Connection::open_in_memory()?;
    conn.execute_batch(&Index::of_snapshot(tenant_id).create_sql())?;
    super::integrity::schema(&conn).map_err(Error::from)
}

pub fn apply(conn: &mut Connection) -> Result<()> {
    migrations()
        .to_latest(conn)
        .map_err(|e| Error::storage(format!("migration failed: {e}")))
}

#[cfg(test)]
mod tests {
    #[test]
    fn latest_counts_every_migration() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        super::super::configure(&conn).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(super::apply(&mut conn).is_ok());
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(version, super::latest());
    }

    // The migrations use `fold_case`, so they are checked on a connection
    // configured like the store's.
    #[test]
    fn migrations_apply_to_an_empty_database() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        super::super::configure(&conn).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(super::apply(&mut conn).is_ok());
    }

    /// An in-memory store configured as the store's, migrated to `version`.
    fn at_version(version: usize) -> rusqlite::Connection {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        super::super::configure(&conn).unwrap_or_else(|e| panic!("{e:?}"));
        super::migrations().to_version(&mut conn, version).unwrap_or_else(|e| panic!("{e}"));
        conn
    }

    // Conversations stored before 0009 get their first-response and
    // resolution times from their messages.
    #[test]
    fn analytics_times_are_derived_for_conversations_stored_before() {
        let mut conn = at_version(8);
        conn.execute_batch(
            "INSERT INTO tenants (id, name, timezone, created_at, modified_at) VALUES (1, 'T', 'UTC', 0, 0);
             INSERT INTO conversations (id, tenant_id, channel, customer, status, created_at, last_activity_at)
                 VALUES (1, 1, 'web', 'A', 'resolved', 1000, 9000), (2, 1, 'web', 'B', 'open', 1000, 5000);
             INSERT INTO messages (conversation_id, author, text, at) VALUES
                 (1, 'operator', 'Hi', 1000), (1, 'customer', 'Help', 2000), (1, 'ai_agent', 'Wait', 2500),
                 (1, 'operator', 'Done', 4000), (1, 'operator', 'Bye', 9000),
                 (2, 'ai_agent', 'Hello', 1000), (2, 'customer', 'Where?', 5000);",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(super::apply(&mut conn).is_ok());
        let times = |id: i64| -> (Option<i64>, Option<i64>, Option<i64>) {
            conn.query_row(
                "SELECT first_customer_at, first_response_at, resolved_at FROM conversations WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(times(1), (Some(2000), Some(4000), Some(9000)));
        assert_eq!(times(2), (Some(5000), None, None));
    }

    // A store of version 16 keeps its words when its word index is laid out
    // by conversation: each message is found again, under its new row.
    #[test]
    fn the_word_index_is_rebuilt_by_conversation() {
        let mut conn = at_version(16);
        conn.execute_batch(
            "INSERT INTO tenants (id, name, timezone, created_at, modified_at) VALUES (1, 'T', 'UTC', 0, 0);
             INSERT INTO conversations (id, tenant_id, channel, customer, status, created_at, last_activity_at)
                 VALUES (7, 1, 'web', 'A', 'open', 1000, 9000), (3, 1, 'web', 'B', 'open', 1000, 5000);
             INSERT INTO messages (id, conversation_id, author, text, at) VALUES
                 (10, 7, 'customer', 'Where is my parcel?', 1000), (11, 3, 'customer', 'Parcels lost', 2000),
                 (12, 7, 'ai_agent', 'Looking', 2500);
             INSERT INTO message_search (rowid, text) SELECT id, text FROM messages;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(super::apply(&mut conn).is_ok());
        let found = |query: &str| -> Vec<(i64, i64)> {
            let mut stmt = conn
                .prepare("SELECT rowid >> 32, rowid & 4294967295 FROM message_search WHERE message_search MATCH ?1")
                .unwrap_or_else(|e| panic!("{e}"));
            let rows = stmt.query_map([query], |r| Ok((r.get(0)?, r.get(1)?))).unwrap_or_else(|e| panic!("{e}"));
            rows.collect::<rusqlite::Result<Vec<_>>>().unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(found("\"parcel\"*"), vec![(3, 11), (7, 10)]);
        assert_eq!(found("looking"), vec![(7, 12)]);
    }

    // A store of version 17 keeps every snapshot's words when each snapshot
    // gets a word index of its own, an unfinished one's too (so removing it
    // later leaves nothing behind), and the store's index keeps the rest.
    #[test]
    fn each_snapshot_gets_a_word_index_of_its_own() {
        let mut conn = at_version(17);
        conn.execute_batch(
            "INSERT INTO tenants (id, name, timezone, created_at, modified_at)
                 VALUES (1, 'Live', 'UTC', 0, 0), (2, 'Snapshot', 'UTC', 0, 0), (3, 'Half imported', 'UTC', 0, 0);
             INSERT INTO snapshots (tenant_id, source_install_id, source_tenant_id, source_name, data_as_of, format_version, imported_at)
                 VALUES (2, 'elsewhere', 1, 'Live', 0, 1, 0);
             INSERT INTO unfinished_snapshots (tenant_id) VALUES (3);
             INSERT INTO conversations (id, tenant_id, channel, customer, status, created_at, last_activity_at)
                 VALUES (1, 1, 'web', 'A', 'open', 0, 0), (2, 2, 'web', 'A', 'open', 0, 0), (3, 3, 'web', 'A', 'open', 0, 0);
             INSERT INTO messages (id, conversation_id, author, text, at) VALUES
                 (1, 1, 'customer', 'parcel late', 0), (2, 2, 'customer', 'parcel lost', 0),
                 (3, 2, 'operator', 'found it', 0), (4, 3, 'customer', 'parcel gone', 0);
             INSERT INTO message_search (rowid, text) SELECT (conversation_id << 32) | id, text FROM messages ORDER BY 1;",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert!(super::apply(&mut conn).is_ok());
        let found = |table: &str, query: &str| -> Vec<i64> {
            let mut stmt = conn
                .prepare(&format!("SELECT rowid & 4294967295 FROM {table} WHERE {table} MATCH ?1"))
                .unwrap_or_else(|e| panic!("{e}"));
            let rows = stmt.query_map([query], |r| r.get(0)).unwrap_or_else(|e| panic!("{e}"));
            rows.collect::<rusqlite::Result<Vec<_>>>().unwrap_or_else(|e| panic!("{e}"))
        };
        assert_eq!(found("message_search", "parcel"), vec![1]);
        assert_eq!(found("message_search", "found"), Vec::<i64>::new());
        assert_eq!(found("message_search_2", "parcel"), vec![2]);
        assert_eq!(found("message_search_2", "found"), vec![3]);
        assert_eq!(found("message_search_3", "parcel"), vec![4]);
        let terms: i64 = conn
            .query_row("SELECT count(*) FROM message_search_terms_2 WHERE term = 'lost'", [], |r| r.get(0))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(terms, 1);
    }
}
