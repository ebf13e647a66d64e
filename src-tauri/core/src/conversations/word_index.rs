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
