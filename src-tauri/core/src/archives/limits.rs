//! Bounds on what an archive may make us read. They are counted on the
//! decompressed bytes as they come, never taken from the zip's headers, so
//! a zip bomb stops at the limit.

use std::io::{BufRead, BufReader, Read};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Decompressed bytes of one entry.
    pub max_entry_bytes: u64,
    /// Bytes of one JSON line.
    pub max_line_bytes: usize,
    /// Problems listed in a report before it stops looking.
    pub max_problems: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_entry_bytes: 4 << 30, max_line_bytes: 1 << 20, max_problems: 100 }
    }
}

#[derive(Debug)]
pub(crate) enum LineError {
    EntryTooLarge(u64),
    LineTooLong(usize),
    Unreadable(String),
}

impl LineError {
    pub fn describe(&self) -> String {
        match self {
            LineError::EntryTooLarge(max) => format!("the file is larger than {} MiB once unpacked", max >> 20),
            LineError::LineTooLong(max) => format!("the line is longer than {} KiB", max >> 10),
            LineError::Unreadable(why) => format!("the file cannot be read (truncated or damaged archive): {why}"),
        }
    }
}

/// Lines of one entry, each within `max_line_bytes`, the whole within `max_entry_bytes`.
pub(crate) struct Lines<R: Read> {
    reader: BufReader<R>,
    read: u64,
    limits: Limits,
}

impl<R: Read> Lines<R> {
    pub fn new(inner: R, limits: Limits) -> Self {
        Self { reader: BufReader::with_capacity(256 << 10, inner), read: 0, limits }
    }

    /// The next line without its line end into `line`; `false` at the end.
    pub fn next_into(&mut self, line: &mut Vec<u8>) -> Result<bool, LineError> {
        line.clear();
        loop {
            let buf = self.reader.fill_buf().map_err(|e| LineError::Unreadable(e.to_string()))?;
            if buf.is_empty() {
                return Ok(!line.is_empty());
            }
            let (chunk, found) = match memchr_newline(buf) {
                Some(i) => (&buf[..i], Some(i + 1)),
                None => (buf, None),
            };
            if line.len() + chunk.len() > self.limits.max_line_bytes {
                return Err(LineError::LineTooLong(self.limits.max_line_bytes));
            }
            line.extend_from_slice(chunk);
            let used = found.unwrap_or(buf.len());
            self.reader.consume(used);
            self.read += used as u64;
            if self.read > self.limits.max_entry_bytes {
                return Err(LineError::EntryTooLarge(self.limits.max_entry_bytes));
            }
            if found.is_some() {
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                return Ok(true);
            }
        }
    }
}

fn memchr_newline(buf: &[u8]) -> Option<usize> {
    buf.iter().position(|&b| b == b'\n')
}
