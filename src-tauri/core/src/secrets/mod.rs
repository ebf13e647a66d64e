//! Secrets that must be read back (the remembered sign-in token, tenant API
//! keys) live in the OS keyring, or on a machine without one (a team server)
//! in an owner-only file. Everything else only keeps hashes.

mod asked_early;
mod file_store;
mod keyring_store;
mod memory_store;
pub mod random;
mod time_bound;

pub use asked_early::AskedEarly;
pub use file_store::FileStore;
pub use keyring_store::KeyringStore;
pub use time_bound::TimeBound;

/// The service name this app files its keyring entries under.
pub const KEYRING_SERVICE: &str = "Tenant Desk";
pub use memory_store::MemoryStore;

use serde::Serialize;
use specta::Type;

/// Whether this machine can keep secrets, and if not, why — shown to people
/// next to "Keep me signed in".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum SecretAvailability {
    Available,
    Unavailable { reason: String },
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SecretError(pub String);

pub trait SecretStore: Send + Sync {
    fn availability(&self) -> SecretAvailability;
    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError>;
    fn get(&self, key: &str) -> Result<Option<String>, SecretError>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, key: &str) -> Result<(), SecretError>;
}
