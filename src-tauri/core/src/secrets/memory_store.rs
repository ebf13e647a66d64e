//! A secret store that lives as long as the process: for tests, and to model a
//! desktop without a keyring (`MemoryStore::unavailable`).

use std::collections::HashMap;
use std::sync::Mutex;

use super::{SecretAvailability, SecretError, SecretStore};

#[derive(Default)]
pub struct MemoryStore {
    entries: Mutex<HashMap<String, String>>,
    unavailable: Option<String>,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn unavailable(reason: &str) -> Self {
        Self { entries: Mutex::default(), unavailable: Some(reason.to_owned()) }
    }

    /// The names of the entries held, sorted (what a test looks at).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.entries.lock().unwrap_or_else(|p| p.into_inner()).keys().cloned().collect();
        keys.sort();
        keys
    }

    fn entries(&self) -> Result<std::sync::MutexGuard<'_, HashMap<String, String>>, SecretError> {
        if let Some(reason) = &self.unavailable {
            return Err(SecretError(reason.clone()));
        }
        Ok(self.entries.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl SecretStore for MemoryStore {
    fn availability(&self) -> SecretAvailability {
        match &self.unavailable {
            None => SecretAvailability::Available,
            Some(reason) => SecretAvailability::Unavailable { reason: reason.clone() },
        }
    }

    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        self.entries()?.insert(key.to_owned(), secret.to_owned());
        Ok(())
    }

    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        Ok(self.entries()?.get(key).cloned())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.entries()?.remove(key);
        Ok(())
    }
}
