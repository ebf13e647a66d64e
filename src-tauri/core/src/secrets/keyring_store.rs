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

/// Keyring errors can carry platform detail, never the secret itself. A
/// Secret Service that never answers fails each call when the D-Bus client's
/// reply timeout (2 s) passes; that is said plainly, not in D-Bus's words.
fn describe(e: keyring::Error) -> SecretError {
    if let keyring::Error::PlatformFailure(inner) | keyring::Error::NoStorageAccess(inner) = &e {
        if let Some(dbus_secret_service::Error::Dbus(call)) = inner.downcast_ref() {
            if call.name() == Some("org.freedesktop.DBus.Error.NoReply") {
                return SecretError(
                    "the keyring (Secret Service) did not answer within 2 seconds; it may be locked or hung".into(),
                );
            }
        }
    }
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
