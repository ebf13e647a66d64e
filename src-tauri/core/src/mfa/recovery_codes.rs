//! Recovery codes: ten per account, each 16 characters (79 random bits) from
//! an alphabet without look-alikes, shown once as `xxxx-xxxx-xxxx-xxxx`.
//! Only their SHA-256 is stored (79 random bits make a fast hash enough);
//! each works once; regenerating replaces them all.

use crate::store::sql::{params, OptionalExtension, Tx};

use crate::error::{Error, Result};
use crate::secrets::random;

pub const COUNT: usize = 10;
const CHARS: usize = 16;
/// 31 lower-case letters and digits, without 0/o and 1/l/i.
const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// Bytes are drawn without modulo bias.
fn generate() -> Result<String> {
    let n = ALPHABET.len();
    let limit = (256 / n * n) as u8;
    let mut chars: Vec<char> = Vec::with_capacity(CHARS);
    let mut buf = [0u8; 32];
    while chars.len() < CHARS {
        getrandom::fill(&mut buf).map_err(|e| Error::internal(format!("OS random source failed: {e}")))?;
        chars.extend(buf.iter().filter(|b| **b < limit).map(|b| char::from(ALPHABET[usize::from(*b) % n])));
    }
    chars.truncate(CHARS);
    Ok(chars.chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join("-"))
}

/// What is hashed: lower case, without the dashes and spaces people type.
pub(crate) fn normalized(code: &str) -> String {
    code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase()
}

/// Whether what someone typed has the shape of a recovery code (not a 6-digit TOTP code).
pub(crate) fn looks_like_one(code: &str) -> bool {
    normalized(code).len() == CHARS
}

fn hash(code: &str) -> String {
    random::token_hash(&normalized(code))
}

/// Replaces every recovery code of the account with ten new ones; returns
/// them for showing once.
pub(crate) fn replace_all(tx: &Tx, account_id: i64, now: i64) -> Result<Vec<String>> {
    tx.execute("DELETE FROM mfa_recovery_codes WHERE account_id = ?1", [account_id])?;
    let mut codes = Vec::with_capacity(COUNT);
    while codes.len() < COUNT {
        let code = generate()?;
        let inserted = tx.execute(
            "INSERT INTO mfa_recovery_codes (account_id, code_hash, created_at) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            params![account_id, hash(&code), now],
        )?;
        if inserted == 1 {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Uses up a recovery code of the account: true when it was valid and unused.
pub(crate) fn consume(tx: &Tx, account_id: i64, code: &str, now: i64) -> Result<bool> {
    let id: Option<i64> = tx
        .query_row(
            "SELECT id FROM mfa_recovery_codes WHERE account_id = ?1 AND code_hash = ?2 AND used_at IS NULL",
            params![account_id, hash(code)],
            |r| r.get(0),
        )
        .optional()?;
    match id {
        Some(id) => {
            tx.execute("UPDATE mfa_recovery_codes SET used_at = ?2 WHERE id = ?1", params![id, now])?;
            Ok(true)
        }
        None => Ok(false),
    }
}

pub(crate) fn remaining(tx: &Tx, account_id: i64) -> Result<i64> {
    Ok(tx.query_row(
        "SELECT count(*) FROM mfa_recovery_codes WHERE account_id = ?1 AND used_at IS NULL",
        [account_id],
        |r| r.get(0),
    )?)
}

pub(crate) fn delete_all(tx: &Tx, account_id: i64) -> Result<()> {
    tx.execute("DELETE FROM mfa_recovery_codes WHERE account_id = ?1", [account_id])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_and_typed_forms_match() -> Result<()> {
        let code = generate()?;
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3);
        assert!(looks_like_one(&code));
        assert!(looks_like_one(&code.to_uppercase().replace('-', " ")));
        assert_eq!(hash(&code), hash(&code.to_uppercase().replace('-', "")));
        assert!(!looks_like_one("123456"));
        assert_ne!(code, generate()?);
        Ok(())
    }
}
