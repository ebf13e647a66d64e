//! `check`: the store's full integrity check, beside the app too.

use std::path::Path;

use tenant_desk_core::store::integrity::check_store;
use tenant_desk_core::Result;

use super::Done;
use crate::folder;
use crate::output::Output;

pub fn run(dir: &Path, out: Output) -> Result<Done> {
    folder::owner(dir)?;
    let report = check_store(dir)?;
    out.show(&report, || {
        let mut text = format!("Store: {}\nSchema version: {} (this build: {})\n", report.path, report.schema_version, report.expected_schema_version);
        if report.problems.is_empty() {
            text.push_str("Sound: every page, record, index and foreign key checked.");
            if report.schema_version < report.expected_schema_version {
                text.push_str("\nThe app migrates it to this build's version when it next opens it.");
            }
        } else {
            text.push_str("Problems:\n");
            for p in &report.problems {
                text.push_str(&format!("  - {p}\n"));
            }
            text.push_str("Restore a backup with `tenant-desk-cli backup restore FILE` (see `backup list`).");
        }
        text
    });
    Ok(if report.problems.is_empty() { Done::Ok } else { Done::Refused })
}
