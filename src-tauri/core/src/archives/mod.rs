//! Portable tenant archives and read-only snapshots.
//!
//! `export` writes the current tenant to an archive (`format`), `import`
//! checks an archive in full (any problem comes back as a report, nothing
//! written) and then loads it as a snapshot in short transactions,
//! `discard` removes a snapshot the same way, `snapshots` lists, compares
//! and removes snapshots; `jobs` runs exports and imports
//! in the background for the person who started them. Export and import run on a
//! connection of their own and report progress through [`Progress`], which
//! also carries the request to cancel.

pub mod format;
mod discard;
mod export;
mod id_set;
mod import;
mod jobs;
mod limits;
mod snapshot_words;
mod snapshots;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::Serialize;
use specta::Type;

pub use export::ExportOutcome;
#[cfg(feature = "postgres")]
pub(crate) use export::content_digest;
pub use import::{verify, ImportOutcome, Problem, Verification, SNAPSHOTS_PER_ACCOUNT};
pub use jobs::{ArchiveJob, ArchiveJobKind, ArchiveJobState};
pub(crate) use jobs::ArchiveJobs;
pub use limits::Limits;
pub use snapshots::{Comparison, ConversationCounts, RoleChange, SnapshotRow, SnapshotUser};

/// Rows done out of rows in all, and whether the person asked to cancel.
/// Shared between the job and whoever shows its progress.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl Progress {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    pub fn done(&self) -> u64 {
        self.done.load(Ordering::Relaxed)
    }

    pub fn total(&self) -> u64 {
        self.total.load(Ordering::Relaxed)
    }

    pub(crate) fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    pub(crate) fn advance(&self, rows: u64) {
        self.done.fetch_add(rows, Ordering::Relaxed);
    }
}

/// What an archive holds, as its manifest counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct ArchiveCounts {
    pub users: u32,
    pub memberships: u32,
    pub schedules: u32,
    pub conversations: u32,
    pub messages: u32,
    pub audit_log: u32,
}

impl From<&format::Counts> for ArchiveCounts {
    fn from(c: &format::Counts) -> Self {
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        Self {
            users: n(c.users),
            memberships: n(c.memberships),
            schedules: n(c.schedules),
            conversations: n(c.conversations),
            messages: n(c.messages),
            audit_log: n(c.audit_log),
        }
    }
}
