//! The OS keyring (Secret Service on Linux) through the keyring crate.

use keyring::Entry;

use super::{SecretAvailability, SecretError, SecretStore};

pub struct KeyringStore {
    service: String,
}

impl KeyringStore {
    pub fn new(service: impl Into<String>) -> Self {
        Self { service: service.into() }
    }

    fn entry(&self, key: &str) -> Result<Entry, SecretError> {
        Entry::new(&self.service, key).map_err(describe)
    }
}

/// Keyring errors can carry platform detail, never the secret itself.
fn describe(e: keyring::Error) -> SecretError {
    SecretError(e.to_string())
}

impl SecretStore for KeyringStore {
    /// Asks the keyring for an entry that never exists: "no entry" proves the
    /// service answers; anything else says why it does not.
    fn availability(&self) -> SecretAvailability {
        match self.entry("availability-probe").and_then(|e| match e.get_password() {
            Ok(_) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(e)),
        }) {
            Ok(()) => SecretAvailability::Available,
            Err(e) => SecretAvailability::Unavailable {
                reason: format!("No keyring service is available on this desktop ({e})."),
            },
        }
    }

    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        self.entry(key)?.set_password(secret).map_err(describe)
    }

    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        match self.entry(key)?.get_password() {
            Ok(secret) => Ok(Some(secret)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(describe(e)),
        }
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        match self.entry(key)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(describe(e)),
        }
    }
}
