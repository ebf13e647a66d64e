//! Signing in and out: passwords, the failed-attempt throttle, login sessions
//! and "Keep me signed in".

mod announce;
mod change_password;
mod events;
mod idle_lock;
mod login_session;
mod signed_in_places;
mod new_password;
pub mod password;
mod remembered;
mod second_factor;
mod sign_in;
pub mod throttle;

pub(crate) use announce::SignInListeners;
pub use login_session::{AccountSummary, SessionToken, SignedIn, TenantSummary};
pub use change_password::{PasswordChange, PasswordChanged};
pub use idle_lock::UnlockInput;
pub use new_password::NewPasswordInput;
pub use signed_in_places::{PlaceKind, SignInPlace};
pub use second_factor::SignInCodeInput;
pub(crate) use login_session::end_all as end_all_sessions;
pub(crate) use login_session::end_in as end_sessions_in;
pub(crate) use login_session::stored_id as session_id;
pub(crate) use login_session::end_everyone as end_every_session;
pub(crate) use remembered::forget_on_this_machine as forget_remembered_sign_in;
pub(crate) use remembered::forget_if_revoked as forget_revoked_sign_in;
pub(crate) use remembered::revoke_all as revoke_remembered_sign_ins;

/// Starts a plain (not remembered) session, for sign-in flows outside this module.
pub(crate) fn start_session(tx: &crate::store::sql::Tx, account_id: i64, now: i64) -> crate::Result<SessionToken> {
    login_session::start(tx, account_id, None, false, now)
}
pub use sign_in::SignInInput;
