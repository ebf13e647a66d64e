//! A keyring that does not answer must not freeze the app: every call gets
//! a deadline. A call past it is given up on (its thread is left to finish
//! whenever it does), and while one is still stuck the next calls fail at
//! once instead of stacking up behind it. What the person sees says why.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{SecretAvailability, SecretError, SecretStore};

pub struct TimeBound {
    inner: Arc<dyn SecretStore>,
    limit: Duration,
    stuck: Arc<AtomicUsize>,
}

impl TimeBound {
    pub fn new(inner: impl SecretStore + 'static, limit: Duration) -> Self {
        Self { inner: Arc::new(inner), limit, stuck: Arc::new(AtomicUsize::new(0)) }
    }

    fn unanswered(&self) -> SecretError {
        SecretError(format!(
            "the keyring (Secret Service) did not answer within {} seconds; it may be locked or hung",
            self.limit.as_secs()
        ))
    }

    fn call<T: Send + 'static>(
        &self,
        work: impl FnOnce(&dyn SecretStore) -> Result<T, SecretError> + Send + 'static,
    ) -> Result<T, SecretError> {
        if self.stuck.load(Ordering::SeqCst) > 0 {
            return Err(self.unanswered());
        }
        let (answer, answered) = mpsc::channel();
        // Whether the caller gave up on this call; decided under the lock,
        // so an answer and a give-up never cross unseen.
        let given_up = Arc::new(Mutex::new(false));
        let inner = self.inner.clone();
        let stuck = self.stuck.clone();
        let call_given_up = given_up.clone();
        std::thread::spawn(move || {
            let outcome = work(inner.as_ref());
            let given_up = call_given_up.lock().unwrap_or_else(|p| p.into_inner());
            if *given_up {
                stuck.fetch_sub(1, Ordering::SeqCst);
            } else {
                let _ = answer.send(outcome);
            }
        });
        match answered.recv_timeout(self.limit) {
            Ok(outcome) => outcome,
            Err(_) => {
                let mut gave_up = given_up.lock().unwrap_or_else(|p| p.into_inner());
                match answered.try_recv() {
                    Ok(outcome) => outcome,
                    Err(_) => {
                        *gave_up = true;
                        self.stuck.fetch_add(1, Ordering::SeqCst);
                        tracing::warn!(seconds = self.limit.as_secs(), "keyring: no answer in time, given up on");
                        Err(self.unanswered())
                    }
                }
            }
        }
    }
}

impl SecretStore for TimeBound {
    fn availability(&self) -> SecretAvailability {
        match self.call(|s| Ok(s.availability())) {
            Ok(availability) => availability,
            Err(e) => SecretAvailability::Unavailable { reason: format!("The keyring is not available: {e}.") },
        }
    }

    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        let (key, secret) = (key.to_owned(), secret.to_owned());
        self.call(move |s| s.put(&key, &secret))
    }

    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        let key = key.to_owned();
        self.call(move |s| s.get(&key))
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        let key = key.to_owned();
        self.call(move |s| s.delete(&key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::MemoryStore;

    /// A keyring that never answers until told to.
    struct Hung(Arc<Mutex<()>>);

    impl SecretStore for Hung {
        fn availability(&self) -> SecretAvailability {
            let _wait = self.0.lock();
            SecretAvailability::Available
        }
        fn put(&self, _: &str, _: &str) -> Result<(), SecretError> {
            let _wait = self.0.lock();
            Ok(())
        }
        fn get(&self, _: &str) -> Result<Option<String>, SecretError> {
            let _wait = self.0.lock();
            Ok(None)
        }
        fn delete(&self, _: &str) -> Result<(), SecretError> {
            let _wait = self.0.lock();
            Ok(())
        }
    }

    #[test]
    fn a_keyring_that_never_answers_is_given_up_on_and_the_next_calls_fail_at_once() {
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap_or_else(|p| p.into_inner());
        let store = TimeBound::new(Hung(gate.clone()), Duration::from_millis(200));
        let e = store.put("k", "v").unwrap_err();
        assert!(e.0.contains("did not answer within"), "{}", e.0);
        assert!(store.get("k").is_err(), "not stacked behind the stuck call");
        assert!(matches!(store.availability(), SecretAvailability::Unavailable { .. }));
        drop(held);
        // Once the stuck call came back, calls go through again.
        for _ in 0..50 {
            if store.get("k").is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the keyring answered but calls still fail");
    }

    #[test]
    fn a_keyring_that_answers_is_used_as_it_is() {
        let store = TimeBound::new(MemoryStore::new(), Duration::from_secs(5));
        store.put("k", "v").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.get("k").unwrap_or_default().as_deref(), Some("v"));
    }
}
