//! A snapshot's word index, built beside the store while its rows are
//! imported (SQLite only; PostgreSQL's word index is an index on the
//! messages themselves).
//!
//! Fed to the store's own index, the words took most of an import's time:
//! SQLite has one writer, and FTS5 merged the segments of each of the
//! import's short transactions on it. Built instead on a database of its own
//! (a temporary file SQLite removes when it is closed) by a thread of its
//! own, the words are indexed on the second core in large sorted batches,
//! as the `sqlite3_indexed` floor builds its index at the end, while the
//! import's transactions on the store carry only the rows. Once the last
//! message is in, the index's pages are copied into the snapshot's own index
//! in the store (`word_index::Index::of_snapshot`), in the import's short
//! transactions, before the snapshot shows.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use rusqlite::types::Value;
use rusqlite::Connection;

use crate::conversations::word_index::{self, Index, DECLARATION};
use crate::error::{Error, Result};
use crate::store::sql::Tx;

/// Messages handed to the builder at a time. It sorts each batch by its row
/// in the index before indexing it: FTS5 writes out what it holds whenever a
/// row comes with a smaller name than the one before, and an archive lists
/// messages in id order, which mixes conversations.
const BATCH: usize = 65_536;

/// What FTS5 holds in memory before it writes a segment: a batch's words
/// fit, so each batch becomes one segment, and a million messages' index is
/// merged from 16 of them. With batches of 16,384 messages (16 MiB), the
/// import was no faster within the runs' spread, and the app's writes beside
/// it waited 0.25–0.7 s now and then, against 0.2 s at most with these
/// (`docs/performance.md`).
const PENDING_BYTES: u32 = 64 << 20;

/// The builder's page cache: the index of a million messages (about 130 MB)
/// stays in memory; a larger one goes on into the temporary file.
const CACHE_KIB: i64 = 262_144;

type Batch = Vec<(i64, String)>;

pub(super) struct SnapshotWords {
    batch: Batch,
    sender: Option<SyncSender<Batch>>,
    builder: Option<JoinHandle<Result<Connection>>>,
}

impl SnapshotWords {
    /// Starts the builder on an empty index of its own.
    pub(super) fn start() -> Result<Self> {
        let conn = Connection::open("")?;
        conn.execute_batch(&format!(
            "PRAGMA journal_mode = OFF;
             PRAGMA synchronous = OFF;
             PRAGMA cache_size = -{CACHE_KIB};
             CREATE VIRTUAL TABLE words USING {DECLARATION};
             INSERT INTO words (words, rank) VALUES ('hashsize', {PENDING_BYTES});"
        ))?;
        // One batch waits while the builder indexes another.
        let (sender, receiver) = sync_channel(1);
        let builder = std::thread::Builder::new()
            .name("snapshot words".into())
            .spawn(move || build(conn, &receiver))
            .map_err(|e| Error::internal(format!("cannot start the word index's builder: {e}")))?;
        Ok(Self { batch: Vec::with_capacity(BATCH), sender: Some(sender), builder: Some(builder) })
    }

    /// Indexes `text` under `key`, the message's row in the index
    /// (`word_index::key`).
    pub(super) fn add(&mut self, key: i64, text: String) -> Result<()> {
        self.batch.push((key, text));
        if self.batch.len() >= BATCH {
            self.hand_over()?;
        }
        Ok(())
    }

    fn hand_over(&mut self) -> Result<()> {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
        let delivered = self.sender.as_ref().is_some_and(|s| s.send(batch).is_ok());
        if delivered {
            Ok(())
        } else {
            // The builder stopped: its error says why.
            self.finish_building().map(drop)
        }
    }

    fn finish_building(&mut self) -> Result<Connection> {
        self.sender = None;
        let builder = self.builder.take().ok_or_else(|| Error::internal("the word index's builder has stopped"))?;
        builder.join().map_err(|_| Error::internal("the word index's builder failed"))?
    }

    /// Indexes the last batch and waits for the builder to be done.
    pub(super) fn finish(mut self) -> Result<BuiltWords> {
        if !self.batch.is_empty() {
            self.hand_over()?;
        }
        Ok(BuiltWords(self.finish_building()?))
    }
}

/// A snapshot's word index, built, to copy into the store.
pub(super) struct BuiltWords(Connection);

impl BuiltWords {
    /// Copies the whole index into `index` (made here, empty until then) on
    /// `conn`, in its transaction; `wrote` hears of every row copied, and may
    /// commit and begin anew between two.
    pub(super) fn copy_into(self, conn: &Tx, index: &Index, mut wrote: impl FnMut(u32) -> Result<()>) -> Result<()> {
        let store = conn.as_sqlite().ok_or_else(|| Error::internal("a snapshot's word index is SQLite's"))?;
        store.execute_batch(&index.create_sql())?;
        // These pages are FTS5's own, made by this same SQLite for an index
        // declared alike.
        word_index::writing_pages(store, || copy_pages(&self.0, store, &index.table, &mut wrote))
    }
}

impl Drop for SnapshotWords {
    /// An import cut short: the builder ends with the batch it holds, and
    /// SQLite removes its file as the connection closes.
    fn drop(&mut self) {
        self.sender = None;
    }
}

/// The builder is the import's background work: on Linux its thread runs
/// at a lower priority, so a sign-in's password hash or the window's work
/// gets a core before it does.
fn yield_to_the_app() {
    #[cfg(target_os = "linux")]
    // SAFETY: both calls only read or set the calling thread's own priority.
    unsafe {
        let thread = libc::syscall(libc::SYS_gettid);
        libc::setpriority(libc::PRIO_PROCESS, thread as libc::id_t, 10);
    }
}

fn build(conn: Connection, batches: &Receiver<Batch>) -> Result<Connection> {
    yield_to_the_app();
    conn.execute_batch("BEGIN")?;
    {
        let mut insert = conn.prepare("INSERT INTO words (rowid, text) VALUES (?1, ?2)")?;
        while let Ok(mut batch) = batches.recv() {
            batch.sort_unstable_by_key(|(key, _)| *key);
            for (key, text) in &batch {
                insert.execute(rusqlite::params![key, text])?;
            }
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(conn)
}

/// Every page of the built index (`words`) into `table` of the store: its
/// segments (`_data`, with the list of segments, which replaces the empty
/// one the new index was made with) and their first terms (`_idx`). The
/// index's settings (`_config`) stay the store's.
fn copy_pages(built: &Connection, store: &Connection, table: &str, wrote: &mut impl FnMut(u32) -> Result<()>) -> Result<()> {
    store.execute(&format!("DELETE FROM {table}_data"), [])?;
    for (shadow, columns) in [("data", "id, block"), ("idx", "segid, term, pgno")] {
        let mut read = built.prepare(&format!("SELECT {columns} FROM words_{shadow}"))?;
        let width = read.column_count();
        let insert = format!(
            "INSERT INTO {table}_{shadow} ({columns}) VALUES ({})",
            (1..=width).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
        );
        let mut rows = read.query([])?;
        while let Some(row) = rows.next()? {
            let values = (0..width).map(|i| row.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>()?;
            store.prepare_cached(&insert)?.execute(rusqlite::params_from_iter(values))?;
            wrote(1)?;
        }
    }
    Ok(())
}
