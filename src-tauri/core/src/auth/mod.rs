//! Signing in and out: passwords, the failed-attempt throttle, login sessions
//! and "Keep me signed in".

mod login_session;
pub mod password;
mod remembered;
mod sign_in;
pub mod throttle;

pub use login_session::{AccountSummary, SessionToken, SignedIn, TenantSummary};

/// Starts a plain (not remembered) session, for sign-in flows outside this module.
pub(crate) fn start_session(tx: &rusqlite::Transaction, account_id: i64, now: i64) -> crate::Result<SessionToken> {
    login_session::start(tx, account_id, None, now)
}
pub use sign_in::SignInInput;
