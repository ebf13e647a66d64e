//! SQLite's word index of message text (`message_search`, FTS5), kept by
//! hand as messages are stored. A trigger would be simpler, but FTS5 writes
//! its pending words out at every statement a trigger runs in, which made a
//! bulk load four times slower. PostgreSQL's word index is an index on the
//! messages themselves and needs nothing.

use crate::store::sql::{params, Dialect, Tx};

use crate::error::Result;

/// Indexes the words of a message just stored.
pub(crate) fn add(tx: &Tx, message_id: i64, text: &str) -> Result<()> {
    if tx.dialect() == Dialect::Sqlite {
        tx.prepare_cached("INSERT INTO message_search (rowid, text) VALUES (?1, ?2)")?.execute(params![message_id, text])?;
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
            tx.prepare_cached("INSERT INTO message_search (rowid, text) SELECT id, text FROM messages WHERE id > ?1")?
                .execute([self.after])?;
        }
        Ok(())
    }
}
