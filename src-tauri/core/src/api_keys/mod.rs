//! The tenant API key: authenticates calls made on behalf of a tenant.
//!
//! 256 bits from the OS CSPRNG behind the recognisable prefix `tdk_`, so secret
//! scanners can spot a leaked key. The database keeps only its SHA-256 (to verify
//! calls); the key itself lives in the OS keyring of the machine that created it,
//! so it can be copied again there. It never crosses to the window, a log or an error.

mod copy;
mod issue;
mod rotate;
mod verify;

pub(crate) use issue::issue;

use crate::error::Result;
use crate::secrets::random;
use crate::Desk;

/// What every tenant API key starts with.
pub const PREFIX: &str = "tdk_";
/// Random bytes behind the prefix.
pub const RANDOM_BYTES: usize = 32;

/// A key in the clear. Its Debug form hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKey(…)")
    }
}

impl ApiKey {
    pub(crate) fn generate() -> Result<Self> {
        Ok(Self(format!("{PREFIX}{}", random::token(RANDOM_BYTES)?)))
    }

    /// The key itself, for the clipboard and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The hash stored to verify a key. 256 random bits make a fast hash enough.
pub(crate) fn hash(key: &str) -> String {
    random::token_hash(key)
}

impl Desk {
    /// The keyring entry that holds a tenant's key on this install.
    pub(crate) fn api_key_entry(&self, tenant_id: i64) -> String {
        format!("tenant-api-key/{}/{tenant_id}", self.install_id())
    }

    /// Where a rotated key waits until its hash is stored (`rotate`).
    pub(crate) fn api_key_pending_entry(&self, tenant_id: i64) -> String {
        format!("tenant-api-key-pending/{}/{tenant_id}", self.install_id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_prefix_and_256_random_bits() -> Result<()> {
        let a = ApiKey::generate()?;
        let b = ApiKey::generate()?;
        assert!(a.expose().starts_with(PREFIX));
        // 32 bytes in unpadded base64: 43 characters.
        assert_eq!(a.expose().len(), PREFIX.len() + 43);
        assert_ne!(a, b);
        assert_ne!(hash(a.expose()), hash(b.expose()));
        assert_eq!(format!("{a:?}"), "ApiKey(…)");
        Ok(())
    }
}
