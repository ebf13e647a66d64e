//! SQLite's word index of message text (`message_search`, FTS5), kept by
//! hand as messages are stored. A trigger would be simpler, but FTS5 writes
//! its pending words out at every statement a trigger runs in, which made a
//! bulk load four times slower. PostgreSQL's word index is an index on the
//! messages themselves and needs nothing.
//!
//! A message's row in the index is named by its conversation ([`KEY`],
//! `0017_word_index_by_conversation.sql`), so a search reads the matching
//! conversations from the index alone. FTS5 writes its pending words out
//! whenever a row comes with a smaller name than the one before, so every
//! statement that feeds it many rows gives them in that order.
//!
//! A snapshot's messages have an index of their own (`message_search_<id>`,
//! built beside the store as the snapshot is imported:
//! `archives/snapshot_words.rs`), so its import never feeds the store's.

use rusqlite::config::DbConfig;

use crate::store::sql::{params, Dialect, OptionalExtension, Tx};

use crate::error::Result;

/// How every word index is declared: it keeps no copy of the text and no
/// per-row sizes (`0017_word_index_by_conversation.sql`).
pub(crate) const DECLARATION: &str =
    "fts5(text, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2')";

/// The word index a tenant's messages are in, and the table of its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Index {
    pub(crate) table: String,
    pub(crate) terms: String,
}

impl Index {
    /// The store's own, of every tenant but the snapshots.
    pub(crate) fn shared() -> Self {
        Self { table: "message_search".into(), terms: "message_search_terms".into() }
    }

    /// Snapshot `tenant_id`'s own.
    pub(crate) fn of_snapshot(tenant_id: i64) -> Self {
        Self { table: format!("message_search_{tenant_id}"), terms: format!("message_search_terms_{tenant_id}") }
    }

    /// The index of tenant `tenant_id`'s messages.
    pub(crate) fn of_tenant(tx: &Tx, tenant_id: i64) -> Result<Self> {
        let snapshot: Option<i64> =
            tx.prepare_cached("SELECT tenant_id FROM snapshots WHERE tenant_id = ?1")?.query_row([tenant_id], |r| r.get(0)).optional()?;
        Ok(snapshot.map_or_else(Self::shared, Self::of_snapshot))
    }

    /// The statements that make this index, empty, and its terms' table.
    pub(crate) fn create_sql(&self) -> String {
        format!(
            "CREATE VIRTUAL TABLE {table} USING {DECLARATION};
             CREATE VIRTUAL TABLE {terms} USING fts5vocab({table}, instance);",
            table = self.table,
            terms = self.terms
        )
    }

    /// The statements that remove this index, if it is there.
    pub(crate) fn drop_sql(&self) -> String {
        format!("DROP TABLE IF EXISTS {}; DROP TABLE IF EXISTS {};", self.terms, self.table)
    }
}

/// Runs `work`, which writes the tables behind an index (FTS5's pages)
/// directly, as a snapshot's import and removal do. SQLite's defensive
/// setting lets them be written only through their index, so it is lifted
/// on `store` for `work` alone.
pub(crate) fn writing_pages<T>(store: &rusqlite::Connection, work: impl FnOnce() -> Result<T>) -> Result<T> {
    store.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, false)?;
    let done = work();
    store.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    done
}

/// A message's row in the index, from the `messages` table's columns.
pub(crate) const KEY: &str = "((conversation_id << 32) | (id & 4294967295))";

/// A message's row in the index.
pub(crate) fn key(conversation_id: i64, message_id: i64) -> i64 {
    (conversation_id << 32) | (message_id & 4_294_967_295)
}

/// The conversation of a row of the index.
pub(crate) fn conversation_of(key: i64) -> i64 {
    key >> 32
}

/// Indexes the words of a message just stored.
pub(crate) fn add(tx: &Tx, conversation_id: i64, message_id: i64, text: &str) -> Result<()> {
    if tx.dialect() == Dialect::Sqlite {
        tx.prepare_cached("INSERT INTO message_search (rowid, text) VALUES ((?1 << 32) | (?2 & 4294967295), ?3)")?
            .execute(params![conversation_id, message_id, text])?;
    }
    Ok(())
}

/// The messages a write is about to store, to index in one statement once
/// they are all stored: FTS5 takes a batch of rows faster than the same
/// rows one statement each.
#[must_use = "the messages stored after it are indexed only by `index`"]
pub(crate) struct Pending {
    /// Every message stored after it in this transaction has a greater id
    /// (SQLite gives a new row the greatest id plus one).
    after: i64,
}

pub(crate) fn pending(tx: &Tx) -> Result<Pending> {
    let after = match tx.dialect() {
        Dialect::Sqlite => tx.prepare_cached("SELECT coalesce(max(id), 0) FROM messages")?.query_row([], |r| r.get(0))?,
        Dialect::Postgres => 0,
    };
    Ok(Pending { after })
}

impl Pending {
    /// Indexes the words of every message stored since [`pending`].
    pub(crate) fn index(self, tx: &Tx) -> Result<()> {
        if tx.dialect() == Dialect::Sqlite {
            tx.prepare_cached(&format!("INSERT INTO message_search (rowid, text) SELECT {KEY}, text FROM messages WHERE id > ?1 ORDER BY 1"))?
                .execute([self.after])?;
        }
        Ok(())
    }
}
