//! The verdict of a store's start-up check (`quick_check`), which the window
//! does not wait for when no migration is pending: it reads every page, 1.6 s
//! for a store of a million messages, while the first screen needs a few
//! rows. Reads go ahead meanwhile; every write (the store's writer, a
//! connection of its own for long work, a backup, a restore) waits for the
//! verdict, so nothing is written to a store before it is checked, and none
//! is written to a damaged one.

use std::path::Path;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use crate::error::{Error, ErrorCode, Result};

const PENDING: u8 = 0;
const PASSED: u8 = 1;
const FAILED: u8 = 2;

pub(crate) struct StartupCheck {
    /// `PASSED` read without the lock: every write asks.
    state: AtomicU8,
    /// Why the store cannot be used, once it failed.
    why: Mutex<Option<String>>,
    decided: Condvar,
}

impl StartupCheck {
    /// A store checked before it opened.
    pub(crate) fn passed() -> Arc<Self> {
        Arc::new(Self { state: AtomicU8::new(PASSED), why: Mutex::new(None), decided: Condvar::new() })
    }

    /// Checks the store at `path` on a thread of its own, on a read-only
    /// connection of its own.
    pub(crate) fn beside(path: &Path) -> Result<Arc<Self>> {
        let check = Arc::new(Self { state: AtomicU8::new(PENDING), why: Mutex::new(None), decided: Condvar::new() });
        let deciding = check.clone();
        let path = path.to_owned();
        std::thread::Builder::new()
            .name("store-check".into())
            .spawn(move || deciding.decide(&path, run(&path)))
            .map_err(|e| Error::internal(format!("cannot start the store's check: {e}")))?;
        Ok(check)
    }

    fn decide(&self, path: &Path, verdict: std::result::Result<(), String>) {
        let mut why = self.why.lock().unwrap_or_else(|p| p.into_inner());
        match verdict {
            Ok(()) => self.state.store(PASSED, Ordering::SeqCst),
            Err(problem) => {
                tracing::error!(store = %path.display(), reason = %problem, "the store failed its start-up check: nothing is written to it");
                *why = Some(damaged_message(path, &problem));
                self.state.store(FAILED, Ordering::SeqCst);
            }
        }
        self.decided.notify_all();
    }

    /// Waits for the verdict: `StoreDamaged` when the store failed.
    pub(crate) fn wait(&self) -> Result<()> {
        if self.state.load(Ordering::SeqCst) == PASSED {
            return Ok(());
        }
        let mut why = self.why.lock().unwrap_or_else(|p| p.into_inner());
        while self.state.load(Ordering::SeqCst) == PENDING {
            why = self.decided.wait(why).unwrap_or_else(|p| p.into_inner());
        }
        match why.as_ref() {
            Some(why) => Err(Error::new(ErrorCode::StoreDamaged, why.clone())),
            None => Ok(()),
        }
    }

    /// Waits until the store is sound: it passed, or a backup replaced it
    /// after it failed.
    pub(crate) fn wait_until_sound(&self) {
        let mut why = self.why.lock().unwrap_or_else(|p| p.into_inner());
        while self.state.load(Ordering::SeqCst) != PASSED {
            why = self.decided.wait(why).unwrap_or_else(|p| p.into_inner());
        }
    }

    /// Whether the store failed its check (it has not been replaced since).
    pub(crate) fn failed(&self) -> bool {
        self.state.load(Ordering::SeqCst) == FAILED
    }

    /// A backup, checked completely, took the damaged store's place.
    pub(crate) fn replaced(&self) {
        let mut why = self.why.lock().unwrap_or_else(|p| p.into_inner());
        *why = None;
        self.state.store(PASSED, Ordering::SeqCst);
        self.decided.notify_all();
    }
}

fn run(path: &Path) -> std::result::Result<(), String> {
    let since = Instant::now();
    let conn = super::integrity::open_untrusted(path).map_err(|e| super::integrity::describe_open_error(&e))?;
    super::register_text_functions(&conn).map_err(|e| e.message)?;
    let verdict = super::integrity::check(&conn, super::integrity::Depth::Quick).map_err(|p| p.0);
    tracing::info!(ms = since.elapsed().as_millis() as u64, passed = verdict.is_ok(), "store checked beside the window");
    verdict
}

/// What the window shows of a store that cannot be used.
pub(crate) fn damaged_message(path: &Path, why: &str) -> String {
    format!("The local database {} cannot be used: {why}. It has not been changed.", path.display())
}
