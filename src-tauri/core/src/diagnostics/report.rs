//! The plain-text summary support reads: one fact a line, then the log.

use chrono::{DateTime, SecondsFormat, Utc};

use super::Diagnostics;

pub(super) fn text(facts: &Diagnostics, log: Option<&[String]>, now: DateTime<Utc>) -> String {
    let mut out = format!(
        "Tenant Desk diagnostics\n\
         Written: {}\n\
         Version: {}\n\
         Operating system: {}\n\
         Data folder: {}\n\
         Database: {} ({})\n\
         Schema version: {}\n\
         Log folder: {}\n\
         Log file: {} (a new file each UTC day, the last {} kept)\n",
        now.to_rfc3339_opts(SecondsFormat::Secs, true),
        facts.app_version,
        facts.operating_system,
        facts.data_folder,
        facts.database_file,
        readable_size(facts.database_bytes),
        facts.schema_version,
        facts.log_folder,
        facts.log_file.as_deref().unwrap_or("none yet"),
        facts.log_files_kept,
    );
    match log {
        Some(lines) => {
            out.push_str(&format!("\nThe log's last {} lines:\n", lines.len()));
            for line in lines {
                out.push_str(line);
                out.push('\n');
            }
        }
        None => out.push_str("\nThe log's lines are included for platform administrators only.\n"),
    }
    out
}

fn readable_size(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!("{}.{} MB", bytes / MB, bytes % MB * 10 / MB)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn facts() -> Diagnostics {
        Diagnostics {
            app_version: "0.1.0".into(),
            operating_system: "Debian GNU/Linux 12 (bookworm), linux x86_64".into(),
            data_folder: "/home/grace/.local/share/tenant-desk".into(),
            database_file: "/home/grace/.local/share/tenant-desk/tenant-desk.sqlite3".into(),
            database_bytes: 3 * 1024 * 1024 + 300 * 1024,
            schema_version: 31,
            log_folder: "/home/grace/.local/share/tenant-desk/logs".into(),
            log_file: Some("/home/grace/.local/share/tenant-desk/logs/tenant-desk.2026-03-01.log".into()),
            log_files_kept: 7,
            report_log_lines: 200,
            log_included: true,
        }
    }

    #[test]
    fn facts_then_the_log() {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap();
        let text = text(&facts(), Some(&["first".to_owned(), "second".to_owned()]), now);
        assert!(text.starts_with("Tenant Desk diagnostics\nWritten: 2026-03-01T09:30:00Z\nVersion: 0.1.0\n"), "{text}");
        assert!(text.contains("Database: /home/grace/.local/share/tenant-desk/tenant-desk.sqlite3 (3.2 MB)\n"), "{text}");
        assert!(text.contains("Schema version: 31\n"), "{text}");
        assert!(text.ends_with("\nThe log's last 2 lines:\nfirst\nsecond\n"), "{text}");
    }

    #[test]
    fn without_the_log_says_why() {
        let text = text(&Diagnostics { log_included: false, log_file: None, ..facts() }, None, Utc::now());
        assert!(text.contains("Log file: none yet (a new file each UTC day, the last 7 kept)\n"), "{text}");
        assert!(text.ends_with("included for platform administrators only.\n"), "{text}");
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(readable_size(0), "0 KB");
        assert_eq!(readable_size(1), "1 KB");
        assert_eq!(readable_size(512 * 1024), "512 KB");
        assert_eq!(readable_size(1024 * 1024), "1.0 MB");
    }
}
