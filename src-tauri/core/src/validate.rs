//! Small text rules shared by forms: trim, then count characters (not bytes).

pub fn trimmed(s: &str) -> String {
    s.trim().to_owned()
}

pub fn required_text(value: &str, label: &str, max_chars: usize) -> Result<(), String> {
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
    fn email_rules() {
        assert!(email("ada@example.com").is_ok());
        assert!(email("").is_err());
        assert!(email("ada@").is_err());
        assert!(email("not an email").is_err());
        assert_eq!(email_key(" Élodie@Example.COM "), "élodie@example.com");
    }
}
