//! The app's log on disk: `<data folder>/logs/tenant-desk.YYYY-MM-DD.log`,
//! one file per UTC day, the newest [`KEPT`] kept. The shell writes them
//! (through tracing-appender, whose daily files are named this way);
//! diagnostics reads them back.

use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub const FOLDER: &str = "logs";
pub const FILE_PREFIX: &str = "tenant-desk";
pub const FILE_SUFFIX: &str = "log";
/// Daily files kept, today's included; older ones are deleted.
pub const KEPT: usize = 7;

/// How much of a file's end is read for its last lines: far more than a
/// report's lines take, far less than a busy day's file.
const TAIL_BYTES: u64 = 256 * 1024;

pub fn folder(data_dir: &Path) -> PathBuf {
    data_dir.join(FOLDER)
}

/// The file of one UTC day.
pub fn file_name(day: NaiveDate) -> String {
    format!("{FILE_PREFIX}.{}.{FILE_SUFFIX}", day.format("%Y-%m-%d"))
}

/// The log's files, newest first: their names sort by day.
pub fn files(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().and_then(|n| n.to_str()).is_some_and(is_log_file_name))
        .collect();
    files.sort_unstable_by(|a, b| b.cmp(a));
    files
}

fn is_log_file_name(name: &str) -> bool {
    name.strip_prefix(FILE_PREFIX)
        .and_then(|rest| rest.strip_prefix('.'))
        .and_then(|rest| rest.strip_suffix(FILE_SUFFIX))
        .and_then(|rest| rest.strip_suffix('.'))
        .is_some_and(|day| NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok())
}

/// The log's last `n` lines, oldest first, reaching into earlier days'
/// files when today's has fewer.
pub fn last_lines(folder: &Path, n: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for file in files(folder) {
        let mut earlier = tail_lines(&file);
        let wanted = n - lines.len();
        if earlier.len() > wanted {
            earlier.drain(..earlier.len() - wanted);
        }
        earlier.append(&mut lines);
        lines = earlier;
        if lines.len() == n {
            break;
        }
    }
    lines
}

/// The complete lines at the end of `file` (at most [`TAIL_BYTES`] of it).
fn tail_lines(file: &Path) -> Vec<String> {
    let mut bytes = Vec::new();
    let read = std::fs::File::open(file).and_then(|mut f| {
        let len = f.metadata()?.len();
        let start = len.saturating_sub(TAIL_BYTES);
        f.seek(SeekFrom::Start(start))?;
        f.read_to_end(&mut bytes)?;
        Ok(start)
    });
    let Ok(start) = read else { return Vec::new() };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Reading began inside a line: its start is cut off.
    if start > 0 && !lines.is_empty() {
        lines.remove(0);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, day: &str, lines: std::ops::Range<u32>) {
        let text: String = lines.map(|i| format!("{day} line {i}\n")).collect();
        std::fs::write(dir.join(format!("tenant-desk.{day}.log")), text).unwrap();
    }

    #[test]
    fn names_are_one_per_utc_day() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        assert_eq!(file_name(day), "tenant-desk.2026-03-01.log");
        assert!(is_log_file_name(&file_name(day)));
        assert!(!is_log_file_name("tenant-desk.log"));
        assert!(!is_log_file_name("tenant-desk.yesterday.log"));
        assert!(!is_log_file_name("other.2026-03-01.log"));
    }

    #[test]
    fn last_lines_reach_into_earlier_days_newest_last() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "2026-02-27", 0..5);
        write(dir.path(), "2026-02-28", 0..3);
        write(dir.path(), "2026-03-01", 0..2);
        std::fs::write(dir.path().join("notes.txt"), "not a log\n").unwrap();
        let names: Vec<String> =
            files(dir.path()).iter().filter_map(|f| f.file_name()).map(|n| n.to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["tenant-desk.2026-03-01.log", "tenant-desk.2026-02-28.log", "tenant-desk.2026-02-27.log"]);
        assert_eq!(
            last_lines(dir.path(), 6),
            [
                "2026-02-27 line 4",
                "2026-02-28 line 0",
                "2026-02-28 line 1",
                "2026-02-28 line 2",
                "2026-03-01 line 0",
                "2026-03-01 line 1"
            ]
        );
        assert_eq!(last_lines(dir.path(), 100).len(), 10);
    }

    #[test]
    fn a_long_file_gives_whole_lines_from_its_end() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "2026-03-01", 0..40_000);
        let lines = last_lines(dir.path(), 200);
        assert_eq!(lines.len(), 200);
        assert_eq!(lines[0], "2026-03-01 line 39800");
        assert_eq!(lines[199], "2026-03-01 line 39999");
    }

    #[test]
    fn no_folder_no_lines() {
        assert!(last_lines(Path::new("/nonexistent/tenant-desk-logs"), 10).is_empty());
    }
}
