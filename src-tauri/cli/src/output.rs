//! What the command line prints: sentences for a person, or with `--json` one
//! JSON document on stdout. A refusal is the core's typed error: its message
//! and the message of each field, on stderr (or as `{code, message, fields}`).

use std::io::Write;

use serde::Serialize;
use tenant_desk_core::Error;

#[derive(Clone, Copy)]
pub struct Output {
    pub json: bool,
}

impl Output {
    /// Prints `value` as JSON with `--json`, else `human` (lines for a person).
    pub fn show<T: Serialize>(self, value: &T, human: impl FnOnce() -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("error: cannot write JSON: {e}"),
            }
        } else {
            let text = human();
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "{text}");
            if !text.is_empty() && !text.ends_with('\n') {
                let _ = writeln!(out);
            }
        }
    }

    pub fn error(self, e: &Error) {
        if self.json {
            println!("{}", serde_json::to_string_pretty(e).unwrap_or_else(|_| format!("{{\"message\": {:?}}}", e.message)));
            return;
        }
        eprintln!("error: {}", e.message);
        for (field, message) in &e.fields {
            if *message != e.message {
                eprintln!("  {field}: {message}");
            }
        }
    }
}

/// Pads each column of `rows` (the first is the heading) to its widest cell.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..columns).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).max().unwrap_or(0)).collect();
    let mut text = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, c)| if i + 1 == row.len() { c.clone() } else { format!("{c:<w$}", w = widths[i]) })
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
