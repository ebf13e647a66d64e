//! "Export CSV" of the table on screen: Users, Tenants, Sessions and the audit
//! log. Each export runs the screen's own query (`users_page`,
//! `list_tenants`, `conversations_page`, `audit_page`) with the person's filters,
//! search and sort, all rows in one page and one read transaction, and writes
//! the columns the screen shows. Times are in the tenant's timezone, as on
//! screen, with their UTC offset.
//!
//! Spreadsheets run a cell that starts with `=`, `+`, `-` or `@` as a formula
//! (and tab or carriage return can hide one), so such text gets a leading `'`
//! (OWASP "CSV injection"); numbers are written as they are.

mod audit;
mod conversations;
mod tenants;
mod users;

pub use users::{temporary_passwords, users_across_tenants};

use chrono::DateTime;
use chrono_tz::Tz;

use crate::error::{Error, Result};

/// A CSV text being written: a header, then rows of cells.
pub(crate) struct Sheet(csv::Writer<Vec<u8>>);

/// One cell.
pub(crate) enum Cell {
    Text(String),
    Number(i64),
}

impl Sheet {
    pub(crate) fn new(header: &[&str]) -> Result<Self> {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(header).map_err(csv_error)?;
        Ok(Self(writer))
    }

    pub(crate) fn row(&mut self, cells: impl IntoIterator<Item = Cell>) -> Result<()> {
        let cells = cells.into_iter().map(|c| match c {
            Cell::Text(s) => defuse(&s),
            Cell::Number(n) => n.to_string(),
        });
        self.0.write_record(cells).map_err(csv_error)
    }

    pub(crate) fn finish(self) -> Result<String> {
        let bytes = self.0.into_inner().map_err(|e| Error::internal(format!("csv: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::internal(format!("csv: {e}")))
    }
}

pub(crate) fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// Text a spreadsheet would take for a formula gets a leading `'`.
pub fn defuse(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

/// A wire timestamp (UTC, RFC 3339) in `timezone`, RFC 3339 with its offset.
pub(crate) fn in_zone(wire: &str, timezone: &str) -> String {
    let zone: Tz = timezone.parse().unwrap_or(Tz::UTC);
    DateTime::parse_from_rfc3339(wire)
        .map(|t| t.with_timezone(&zone).to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
        .unwrap_or_else(|_| wire.to_owned())
}

fn csv_error(e: csv::Error) -> Error {
    Error::internal(format!("csv: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_defused() {
        for s in ["=1+1", "+49 30", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(s), format!("'{s}"));
        }
        for s in ["Ada", "", "a=b", " =x", "ada@example.com"] {
            assert_eq!(defuse(s), s);
        }
    }

    #[test]
    fn times_are_shown_in_the_zone_with_offset() {
        assert_eq!(in_zone("2026-03-01T09:00:00.000Z", "Europe/Berlin"), "2026-03-01T10:00:00+01:00");
        assert_eq!(in_zone("2026-07-01T09:00:00.000Z", "UTC"), "2026-07-01T09:00:00+00:00");
    }
}
