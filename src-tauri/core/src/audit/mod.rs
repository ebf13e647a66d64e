//! The audit log: who changed what, when, before and after. Never secrets.
//!
//! - `write`: the entry each change records in its own transaction.
//! - `read`: Settings > Identity > Audit log, and its CSV.

mod read;
mod write;

pub(crate) use read::{day_start, parse_day};
pub use read::{AuditEntry, AuditPage, AuditQuery, PAGE_SIZE};
pub use write::{record, Entry, Via};
