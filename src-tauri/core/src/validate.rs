//! Small text rules shared by forms: trim, then count characters (not bytes).

pub fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

/// PostgreSQL text cannot hold U+0000 (SQLite can): refused on both stores,
/// so that a value either store takes, the other takes too.
pub fn without_nul(value: &str, label: &str) -> Result<(), String> {
    if value.contains('\0') {
        Err(format!("{label} cannot contain the character U+0000."))
    } else {
        Ok(())
    }
}

pub fn required_text(value: &str, label: &str, max_chars: usize) -> Result<(), String> {
    without_nul(value, label)?;
    let n = value.chars().count();
    if n == 0 {
        Err(format!("{label} is required."))
    } else if n > max_chars {
        Err(format!("{label} must be at most {max_chars} characters."))
    } else {
        Ok(())
    }
}

pub fn email(value: &str) -> Result<(), String> {
    without_nul(value, "Email")?;
    if value.is_empty() {
        return Err("Email is required.".to_owned());
    }
    if value.chars().count() > 254 || !email_address::EmailAddress::is_valid(value) {
        return Err("Enter a valid email address, like name@example.com.".to_owned());
    }
    Ok(())
}

/// The key emails are unique by: case-insensitive beyond ASCII.
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let hundred_e_acute = "é".repeat(100);
        assert!(required_text(&hundred_e_acute, "Name", 100).is_ok());
        assert!(required_text(&"é".repeat(101), "Name", 100).is_err());
    }

    #[test]
    fn nul_is_refused_before_the_length() {
        let refused = Err("Name cannot contain the character U+0000.".to_owned());
        assert_eq!(without_nul("Ada\0", "Name"), refused);
        assert_eq!(required_text("\0", "Name", 100), refused);
        assert_eq!(required_text(&"\0".repeat(101), "Name", 100), refused);
        assert_eq!(without_nul("", "Name"), Ok(()));
    }

    #[test]
    fn email_rules() {
        assert!(email("ada@example.com").is_ok());
        assert!(email("").is_err());
        assert!(email("ada@").is_err());
        assert!(email("not an email").is_err());
        assert_eq!(email_key(" Élodie@Example.COM "), "élodie@example.com");
    }
}
