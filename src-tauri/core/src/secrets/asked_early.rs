//! The first screen asks the keyring two things: whether it answers (for
//! "Keep me signed in") and the remembered sign-in. Each call opens its own
//! Secret Service session, about 9 ms apiece on the development machine. Asked
//! on a thread of their own as the app opens, both answers are ready when the
//! page asks for them, while WebKit is still starting.
//!
//! An early answer serves one call, only while it is fresh, and a write or a
//! removal of its key drops it: every other call goes to the keyring.

use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{SecretAvailability, SecretError, SecretStore};

/// How long an early answer may stand in for the keyring's: the first screen
/// asks within a second of the launch.
const FRESH_FOR: Duration = Duration::from_secs(10);

type Secret = Result<Option<String>, SecretError>;

pub struct AskedEarly {
    inner: Arc<dyn SecretStore>,
    fresh_for: Duration,
    early: Mutex<Option<Early>>,
}

struct Early {
    asked_at: Instant,
    availability: Option<Receiver<SecretAvailability>>,
    key: String,
    secret: Option<Receiver<Secret>>,
}

impl AskedEarly {
    pub fn new(inner: impl SecretStore + 'static) -> Self {
        Self::fresh_for(inner, FRESH_FOR)
    }

    fn fresh_for(inner: impl SecretStore + 'static, fresh_for: Duration) -> Self {
        Self { inner: Arc::new(inner), fresh_for, early: Mutex::new(None) }
    }

    /// Asks, on a thread of its own, whether the keyring answers and for the
    /// secret under `key`.
    pub fn ask(&self, key: String) {
        let (availability_tx, availability) = mpsc::channel();
        let (secret_tx, secret) = mpsc::channel();
        let inner = self.inner.clone();
        let asked = key.clone();
        std::thread::spawn(move || {
            let _ = availability_tx.send(inner.availability());
            let _ = secret_tx.send(inner.get(&asked));
        });
        *self.lock() =
            Some(Early { asked_at: Instant::now(), availability: Some(availability), key, secret: Some(secret) });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Early>> {
        self.early.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The early answer `pick` takes out, if one is there and fresh.
    fn take<T>(&self, pick: impl FnOnce(&mut Early) -> Option<Receiver<T>>) -> Option<T> {
        let answer = {
            let mut early = self.lock();
            let fresh = early.as_ref().is_some_and(|e| e.asked_at.elapsed() < self.fresh_for);
            if !fresh {
                *early = None;
                return None;
            }
            early.as_mut().and_then(pick)?
        };
        // The thread's keyring is time-bound, so this wait is too.
        answer.recv().ok()
    }

    fn forget(&self, key: &str) {
        if let Some(early) = self.lock().as_mut() {
            if early.key == key {
                early.secret = None;
            }
        }
    }
}

impl SecretStore for AskedEarly {
    fn availability(&self) -> SecretAvailability {
        self.take(|e| e.availability.take()).unwrap_or_else(|| self.inner.availability())
    }

    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        self.forget(key);
        self.inner.put(key, secret)
    }

    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        self.take(|e| if e.key == key { e.secret.take() } else { None }).unwrap_or_else(|| self.inner.get(key))
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.forget(key);
        self.inner.delete(key)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;
    use crate::secrets::MemoryStore;

    /// A keyring that counts the calls it answered.
    #[derive(Default)]
    struct Counted {
        store: MemoryStore,
        calls: Arc<AtomicUsize>,
    }

    impl Counted {
        fn answered<T>(&self, answer: T) -> T {
            self.calls.fetch_add(1, Ordering::SeqCst);
            answer
        }
    }

    impl SecretStore for Counted {
        fn availability(&self) -> SecretAvailability {
            self.answered(self.store.availability())
        }
        fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
            self.answered(self.store.put(key, secret))
        }
        fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
            self.answered(self.store.get(key))
        }
        fn delete(&self, key: &str) -> Result<(), SecretError> {
            self.answered(self.store.delete(key))
        }
    }

    fn keyring_with(key: &str, secret: &str, fresh_for: Duration) -> (AskedEarly, Arc<AtomicUsize>) {
        let counted = Counted::default();
        counted.store.put(key, secret).unwrap_or_else(|e| panic!("{e}"));
        let calls = counted.calls.clone();
        (AskedEarly::fresh_for(counted, fresh_for), calls)
    }

    /// Waits until the early thread has asked both its questions.
    fn asked(calls: &AtomicUsize) {
        for _ in 0..500 {
            if calls.load(Ordering::SeqCst) >= 2 {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        panic!("the early questions were never asked");
    }

    fn got(store: &AskedEarly, key: &str) -> Option<String> {
        store.get(key).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_early_answers_serve_the_first_calls_and_the_next_ones_ask_the_keyring() {
        let (store, calls) = keyring_with("remembered", "token", FRESH_FOR);
        store.ask("remembered".into());
        assert_eq!(store.availability(), SecretAvailability::Available);
        assert_eq!(got(&store, "remembered").as_deref(), Some("token"));
        assert_eq!(calls.load(Ordering::SeqCst), 2, "each asked once, early");
        assert_eq!(store.availability(), SecretAvailability::Available);
        assert_eq!(got(&store, "remembered").as_deref(), Some("token"));
        assert_eq!(calls.load(Ordering::SeqCst), 4, "then each call reaches the keyring");
    }

    #[test]
    fn a_write_or_a_removal_of_the_key_drops_its_early_answer() {
        let (store, calls) = keyring_with("remembered", "old", FRESH_FOR);
        store.ask("remembered".into());
        asked(&calls);
        store.put("remembered", "new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got(&store, "remembered").as_deref(), Some("new"));

        let (store, calls) = keyring_with("remembered", "old", FRESH_FOR);
        store.ask("remembered".into());
        asked(&calls);
        store.delete("remembered").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got(&store, "remembered"), None);
    }

    #[test]
    fn another_key_and_a_stale_answer_go_to_the_keyring() {
        let (store, _) = keyring_with("remembered", "old", FRESH_FOR);
        store.put("other", "theirs").unwrap_or_else(|e| panic!("{e}"));
        store.ask("remembered".into());
        assert_eq!(got(&store, "other").as_deref(), Some("theirs"));

        let (store, calls) = keyring_with("remembered", "old", Duration::ZERO);
        store.ask("remembered".into());
        asked(&calls);
        // A write the early thread could not see: only the keyring knows it.
        store.inner.put("remembered", "new").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got(&store, "remembered").as_deref(), Some("new"));
    }
}
