//! Fault-injection points for the crash tests: a test process names one in
//! `TENANT_DESK_CRASH_AT`, and the process aborts there as a crash would
//! (no destructor, no rollback, no cleanup). Compiled in only with the
//! `fault-injection` feature, which only the tests turn on; without it a
//! point is nothing at all.

/// The variable a crash test sets to the point the process dies at.
pub const CRASH_AT: &str = "TENANT_DESK_CRASH_AT";

#[cfg(feature = "fault-injection")]
pub(crate) fn point(name: &str) {
    if std::env::var(CRASH_AT).is_ok_and(|at| at == name) {
        eprintln!("crash injected at {name}");
        std::process::abort();
    }
}

#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub(crate) fn point(_name: &str) {}
