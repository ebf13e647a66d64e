//! A virtual X display for each install of the app. Flows run in parallel, and
//! a display has one keyboard focus and one clipboard: a window coming forward
//! in one flow would take the keys another flow types into its file chooser,
//! and a copy in one would replace another's. On a display of its own, an app
//! has both to itself, as on a person's desktop.

use std::io::Read;
use std::process::{Child, Command, Stdio};

pub struct Display {
    xvfb: Child,
    name: String,
}

impl Display {
    /// Starts Xvfb on the first free display number, which it reports on a
    /// descriptor (-displayfd: its standard output, a pipe read here) once it
    /// accepts clients.
    pub fn start() -> Self {
        let (mut reader, writer) = std::io::pipe().unwrap_or_else(|e| panic!("pipe for Xvfb's display number: {e}"));
        let xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-screen", "0", "1366x900x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(writer)
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("Xvfb (a test dependency) could not start: {e}"));
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while !number.ends_with('\n') {
            match reader.read(&mut byte) {
                Ok(1) => number.push(byte[0] as char),
                Ok(_) => panic!("Xvfb ended before reporting its display"),
                Err(e) => panic!("reading Xvfb's display number: {e}"),
            }
        }
        Self { xvfb, name: format!(":{}", number.trim()) }
    }

    /// The DISPLAY value for programs on this display (":N").
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        // SIGTERM lets Xvfb remove its socket and lock file.
        let _ = Command::new("kill").arg(self.xvfb.id().to_string()).status();
        let _ = self.xvfb.wait();
    }
}
