//! Argon2id hashing (OWASP parameters) and the password policy (OWASP ASVS 5.0 §6.2).

use std::sync::LazyLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::{Error, Result};

pub const MIN_CHARS: usize = 8;
/// ASVS asks that at least 64 characters be accepted; passphrases need room.
pub const MAX_CHARS: usize = 128;

fn hasher() -> Argon2<'static> {
    // m = 19 MiB, t = 2, p = 1: OWASP's Argon2id recommendation.
    let params = Params::new(19_456, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`). Slow on purpose: call
/// it from a blocking thread, never the UI thread.
pub fn hash(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::internal(format!("password hashing failed: {e}")))
}

pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// Verified against when the email matches no account, so a wrong email
/// costs the same time as a wrong password.
pub(crate) static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash("decoy password for unknown emails").unwrap_or_default());

/// Length limits and a refusal of common or guessable passwords (zxcvbn,
/// which knows the most common passwords, names and keyboard patterns).
/// No composition rules. `context` holds the person's own words (email,
/// name), which must not make up the password.
pub fn check_policy(password: &str, context: &[&str]) -> std::result::Result<(), String> {
    let n = password.chars().count();
    if n == 0 {
        return Err("Password is required.".to_owned());
    }
    if n < MIN_CHARS {
        return Err(format!("Password must be at least {MIN_CHARS} characters."));
    }
    if n > MAX_CHARS {
        return Err(format!("Password must be at most {MAX_CHARS} characters."));
    }
    let estimate = zxcvbn::zxcvbn(password, context);
    if (estimate.score() as u8) < 2 {
        let why = estimate
            .feedback()
            .and_then(|f| f.warning())
            .map(|w| format!(" {}.", w.to_string().trim_end_matches('.')))
            .unwrap_or_default();
        return Err(format!(
            "This password is too common or easy to guess.{why} Try a longer phrase of unrelated words."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_owasp_parameters() -> Result<()> {
        let phc = hash("correct horse battery staple")?;
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse battery staple", &phc));
        assert!(!verify("correct horse battery stapler", &phc));
        assert!(!verify("anything", "not a phc string"));
        Ok(())
    }

    #[test]
    fn same_password_gets_different_salts() -> Result<()> {
        assert_ne!(hash("correct horse battery staple")?, hash("correct horse battery staple")?);
        Ok(())
    }

    #[test]
    fn policy_limits() {
        assert!(check_policy("", &[]).is_err());
        assert!(check_policy("Xq7#vR2", &[]).is_err(), "7 characters");
        assert!(check_policy("Xq7#vR2!p", &[]).is_ok(), "9 random characters");
        let sixty_four = "tangerine orbit walrus quietly ".repeat(3)[..64].to_owned();
        assert!(check_policy(&sixty_four, &[]).is_ok(), "64 characters accepted");
        assert!(check_policy(&"a7".repeat(65), &[]).is_err(), "over the maximum");
    }

    #[test]
    fn common_passwords_are_refused() {
        for common in ["password", "password1", "12345678", "qwertyuiop", "iloveyou", "football1"] {
            let msg = check_policy(common, &[]).err().unwrap_or_default();
            assert!(msg.contains("too common"), "{common}: {msg}");
        }
    }

    #[test]
    fn own_email_is_refused_as_password() {
        assert!(check_policy("grace.hopper", &["grace.hopper@example.com", "grace.hopper"]).is_err());
    }

    #[test]
    fn no_composition_rules() {
        // Lowercase letters and spaces only, yet long and unguessable: accepted.
        assert!(check_policy("violet marble canyon drifts", &[]).is_ok());
    }
}
