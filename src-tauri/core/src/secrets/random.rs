//! Random tokens from the OS CSPRNG, and the hashes the database keeps of them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `bytes` random bytes from the OS, URL-safe base64 without padding.
pub fn token(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| Error::internal(format!("OS random source failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// Letters and digits that cannot be mistaken for one another when read out
/// or copied by hand (no 0/O, 1/l/I).
const PASSWORD_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/// A temporary password of `len` characters from the OS CSPRNG (16
/// characters ≈ 93 bits). Bytes are drawn without modulo bias.
pub fn password(len: usize) -> Result<String> {
    let n = PASSWORD_ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        getrandom::fill(&mut buf).map_err(|e| Error::internal(format!("OS random source failed: {e}")))?;
        for b in buf.iter().filter(|b| **b < limit) {
            if out.len() == len {
                break;
            }
            out.push(char::from(PASSWORD_ALPHABET[usize::from(*b) % n]));
        }
    }
    Ok(out)
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

    #[test]
    fn temporary_passwords_use_the_alphabet_and_pass_the_policy() -> Result<()> {
        let p = password(16)?;
        assert_eq!(p.chars().count(), 16);
        assert!(p.bytes().all(|b| PASSWORD_ALPHABET.contains(&b)), "{p}");
        assert_ne!(p, password(16)?);
        assert!(crate::auth::password::check_policy(&p, &[]).is_ok());
        Ok(())
    }
}
