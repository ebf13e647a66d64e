//! Random tokens from the OS CSPRNG, and the hashes the database keeps of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `bytes` random bytes from the OS, URL-safe base64 without padding.
pub fn token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| Error::storage(format!("OS random source failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// Tokens are 128+ bits of OS randomness, so a plain SHA-256 is enough to
/// make a stolen database useless for replaying them (no need for a slow hash).
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_and_distinct() -> Result<()> {
        let a = token(32)?;
        let b = token(32)?;
        assert_ne!(a, b);
        assert_eq!(URL_SAFE_NO_PAD.decode(&a).map(|v| v.len()).unwrap_or(0), 32);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), token_hash(&b));
        Ok(())
    }
}
