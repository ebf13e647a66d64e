//! Who is told when a person finishes signing in on this desktop (password,
//! code or a remembered sign-in): a billing reminder that waited for a Tenant
//! Admin goes out then.

use std::sync::{Arc, Mutex};

use crate::Desk;

type Listener = Arc<dyn Fn(i64) + Send + Sync>;

#[derive(Default)]
pub(crate) struct SignInListeners(Mutex<Vec<Listener>>);

impl Desk {
    /// Calls `listener` with the account's id after each completed sign-in,
    /// on the signing-in thread: a listener with slow work hands it off.
    pub fn on_sign_in(&self, listener: impl Fn(i64) + Send + Sync + 'static) {
        self.sign_in_listeners.0.lock().unwrap_or_else(|p| p.into_inner()).push(Arc::new(listener));
    }

    pub(crate) fn announce_sign_in(&self, account_id: i64) {
        let listeners = self.sign_in_listeners.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for listener in listeners {
            listener(account_id);
        }
    }
}
