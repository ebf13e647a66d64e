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

use crate::store::sql::{params, Dialect, Tx};

use crate::error::Result;

/// A message's row in the index, from the `messages` table's columns.
pub(crate) const KEY: &str = "((conversation_id << 32) | (id & 4294967295))";

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

/// Takes the words of the messages `of` selects (a query on `messages`
/// giving `conversation_id`, `id` and `text`) out of the index, before they
/// are deleted. The index keeps no copy of the text, so it is given again.
pub(crate) fn remove(tx: &Tx, of: &str, params: impl crate::store::sql::Params) -> Result<()> {
    if tx.dialect() == Dialect::Sqlite {
        tx.execute(
            &format!("INSERT INTO message_search (message_search, rowid, text) SELECT 'delete', {KEY}, text FROM ({of}) ORDER BY 2"),
            params,
        )?;
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
