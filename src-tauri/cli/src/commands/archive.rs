//! `archive export | verify | import | list | diff`: tenant archives and the
//! read-only snapshots made from them.

use std::path::Path;

use tenant_desk_core::archives::{self, Comparison, ExportOutcome, ImportOutcome, Limits, Problem, SnapshotRow, Verification};
use tenant_desk_core::{Error, ErrorCode, Result};

use super::Done;
use crate::args::Archive;
use crate::folder::{self, Opened};
use crate::output::{table, Output};
use crate::progress::with_bar;

pub fn run(dir: &Path, command: Archive, out: Output) -> Result<Done> {
    match command {
        Archive::Export { tenant, file } => {
            if file.exists() {
                return Err(Error::new(ErrorCode::Validation, format!("{} exists already; name a new file.", file.display())));
            }
            let opened = folder::open_to_read(dir)?;
            let (tenant_id, name) = opened.desk.tenant_named(&opened.local, &tenant)?;
            let outcome = with_bar("Exporting", out.json, |p| opened.desk.export_tenant_archive_locally(&opened.local, tenant_id, &file, p))?;
            out.show(&outcome, || match &outcome {
                ExportOutcome::Exported { path, counts } => format!(
                    "Exported {name} to {path}: {} users, {} conversations, {} messages.",
                    counts.users, counts.conversations, counts.messages
                ),
                ExportOutcome::Cancelled => "Cancelled; no file was written.".into(),
            });
        }
        Archive::Verify { file } => {
            // Reads the archive only: no store, no folder needed.
            let now = chrono::Utc::now().timestamp_millis();
            let verdict = with_bar("Checking", out.json, |p| archives::verify(&file, now, p, Limits::default()))?;
            out.show(&verdict, || match &verdict {
                Verification::Valid { tenant_name, exported_at, counts } => format!(
                    "{} is a valid archive of {tenant_name}, exported {exported_at}: {} users, {} conversations, {} messages.",
                    file.display(),
                    counts.users,
                    counts.conversations,
                    counts.messages
                ),
                Verification::Rejected { problems, more } => rejected(problems, *more),
                Verification::Cancelled => "Cancelled.".into(),
            });
            if !matches!(verdict, Verification::Valid { .. }) {
                return Ok(Done::Refused);
            }
        }
        Archive::Import { file, reader } => {
            let opened = folder::open_to_change(dir)?;
            let outcome = with_bar("Importing", out.json, |p| {
                opened.desk.import_tenant_archive_locally(&opened.local, &reader, &file, p, Limits::default())
            })?;
            out.show(&outcome, || match &outcome {
                ImportOutcome::Imported { snapshot } => format!(
                    "Imported as the snapshot \"{}\" (ID {}), data as of {}; {reader} opens it in the window.",
                    snapshot.name, snapshot.tenant_id, snapshot.data_as_of
                ),
                ImportOutcome::Rejected { problems, more } => rejected(problems, *more),
                ImportOutcome::Cancelled => "Cancelled; nothing was imported.".into(),
            });
            if !matches!(outcome, ImportOutcome::Imported { .. }) {
                return Ok(Done::Refused);
            }
        }
        Archive::List => {
            let opened = folder::open_to_read(dir)?;
            let all = opened.desk.all_snapshots(&opened.local)?;
            out.show(&all, || snapshots(&all));
        }
        Archive::Diff { first, second } => {
            let opened = folder::open_to_read(dir)?;
            let a = snapshot_named(&opened, &first)?;
            let b = snapshot_named(&opened, &second)?;
            let comparison = opened.desk.compare_snapshots_locally(&opened.local, a, b)?;
            out.show(&comparison, || diff(&comparison));
        }
    }
    Ok(Done::Ok)
}

fn snapshot_named(opened: &Opened, text: &str) -> Result<i64> {
    let (id, _) = opened.desk.snapshot_named(&opened.local, text)?;
    Ok(id)
}

fn rejected(problems: &[Problem], more: bool) -> String {
    let mut text = String::from("The archive is refused; nothing was written:\n");
    for p in problems {
        match p.line {
            Some(line) => text.push_str(&format!("  {}, line {line}: {}\n", p.file, p.problem)),
            None => text.push_str(&format!("  {}: {}\n", p.file, p.problem)),
        }
    }
    if more {
        text.push_str("  … and more problems.\n");
    }
    text
}

fn snapshots(all: &[SnapshotRow]) -> String {
    if all.is_empty() {
        return "No snapshots.".into();
    }
    let mut rows = vec![vec!["ID".into(), "Name".into(), "Data as of".into(), "Users".into(), "Conversations".into()]];
    for s in all {
        rows.push(vec![s.tenant_id.to_string(), s.name.clone(), s.data_as_of.clone(), s.users.to_string(), s.conversations.to_string()]);
    }
    table(&rows)
}

fn diff(c: &Comparison) -> String {
    let mut text = format!("From {} ({})\nto   {} ({})\n", c.older.name, c.older.data_as_of, c.newer.name, c.newer.data_as_of);
    let section = |text: &mut String, title: &str, lines: Vec<String>| {
        text.push_str(&format!("\n{title} ({}):\n", lines.len()));
        if lines.is_empty() {
            text.push_str("  none\n");
        }
        for l in lines {
            text.push_str(&format!("  {l}\n"));
        }
    };
    section(&mut text, "Users added", c.users_added.iter().map(|u| format!("+ {} <{}>, {}", u.name, u.email, u.role.label())).collect());
    section(&mut text, "Users removed", c.users_removed.iter().map(|u| format!("- {} <{}>, {}", u.name, u.email, u.role.label())).collect());
    section(
        &mut text,
        "Roles changed",
        c.role_changes.iter().map(|r| format!("~ {} <{}>: {} → {}", r.name, r.email, r.before.label(), r.after.label())).collect(),
    );
    let (o, n) = (&c.conversations_older, &c.conversations_newer);
    text.push_str(&format!(
        "\nConversations: {} → {} (open {} → {}, resolved {} → {}), messages {} → {}\n",
        o.total, n.total, o.open, n.open, o.resolved, n.resolved, o.messages, n.messages
    ));
    text
}
