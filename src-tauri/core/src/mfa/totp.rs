//! TOTP codes (RFC 6238) through the `totp-rs` crate: SHA-1, 6 digits,
//! 30-second steps, one step of drift either way (what authenticator apps
//! expect), and the QR code apps scan (an SVG from the `qrcode` crate, shown
//! as a `data:` image so the window's strict CSP allows it).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use qrcode::render::svg;
use qrcode::QrCode;
use totp_rs::{Builder, Secret, Totp};

use crate::error::{Error, Result};

pub const DIGITS: u8 = 6;
pub const STEP_SECONDS: u64 = 30;
/// Steps accepted either side of the current one: clocks drift.
pub const DRIFT_STEPS: u16 = 1;
/// RFC 4226 recommends 160-bit secrets.
const SECRET_BYTES: usize = 20;
const ISSUER: &str = "Tenant Desk";

/// A fresh secret from the OS CSPRNG, in the base32 form apps and the keyring take.
pub(crate) fn new_secret() -> Result<String> {
    let mut bytes = vec![0u8; SECRET_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("OS random source failed: {e}")))?;
    Ok(Secret::from(bytes).to_base32())
}

fn totp(secret_base32: &str, account_name: &str) -> Result<Totp> {
    let secret = Secret::try_from_base32(secret_base32).map_err(|_| Error::internal("a stored MFA secret is not base32"))?;
    Builder::new()
        .with_secret(secret)
        .with_digits(DIGITS)
        .with_skew(DRIFT_STEPS)
        .with_step_duration(STEP_SECONDS)
        .with_issuer(Some(ISSUER))
        // The otpauth label cannot hold ':'; an address never needs one.
        .with_account_name(account_name.replace(':', ""))
        .build()
        .map_err(|e| Error::internal(format!("TOTP setup failed: {e}")))
}

/// The time step a code matches at `unix_seconds` (within the drift), if any.
pub fn matching_step(secret_base32: &str, code: &str, unix_seconds: u64) -> Result<Option<u64>> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    Ok(totp(secret_base32, "")?.check(&code, unix_seconds))
}

/// The code an authenticator app shows at `unix_seconds` (for tests and tools).
pub fn code_at(secret_base32: &str, unix_seconds: u64) -> Result<String> {
    Ok(totp(secret_base32, "")?.generate(unix_seconds).to_string())
}

pub fn step_of(unix_seconds: u64) -> u64 {
    unix_seconds / STEP_SECONDS
}

/// The `otpauth://` address an app adds the account from, and its QR code
/// as a `data:image/svg+xml` URL.
pub(crate) fn provisioning(secret_base32: &str, account_name: &str) -> Result<(String, String)> {
    let url = totp(secret_base32, account_name)?
        .to_url()
        .map_err(|e| Error::internal(format!("otpauth address failed: {e}")))?;
    let svg = QrCode::new(url.as_bytes())
        .map_err(|e| Error::internal(format!("QR code failed: {e}")))?
        .render::<svg::Color>()
        .min_dimensions(220, 220)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    Ok((url, format!("data:image/svg+xml;base64,{}", STANDARD.encode(svg))))
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1: the secret is the ASCII "12345678901234567890".
    const RFC_SECRET: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    #[test]
    fn rfc_6238_test_vectors_last_six_digits() -> Result<()> {
        assert_eq!(code_at(RFC_SECRET, 59)?, "287082");
        assert_eq!(code_at(RFC_SECRET, 1_111_111_109)?, "081804");
        assert_eq!(code_at(RFC_SECRET, 1_234_567_890)?, "005924");
        assert_eq!(code_at(RFC_SECRET, 2_000_000_000)?, "279037");
        Ok(())
    }

    #[test]
    fn one_step_of_drift_either_way_and_no_more() -> Result<()> {
        let t = 1_234_567_890;
        let code = code_at(RFC_SECRET, t)?;
        assert_eq!(matching_step(RFC_SECRET, &code, t)?, Some(step_of(t)));
        assert_eq!(matching_step(RFC_SECRET, &code, t + 30)?, Some(step_of(t)));
        assert_eq!(matching_step(RFC_SECRET, &code, t - 30)?, Some(step_of(t)));
        assert_eq!(matching_step(RFC_SECRET, &code, t + 60)?, None);
        assert_eq!(matching_step(RFC_SECRET, &code, t - 60)?, None);
        assert_eq!(matching_step(RFC_SECRET, "12345", t)?, None);
        Ok(())
    }

    #[test]
    fn secrets_are_160_bits_and_the_qr_is_an_svg_data_url() -> Result<()> {
        let secret = new_secret()?;
        assert_eq!(secret.len(), 32, "20 bytes in base32");
        assert_ne!(secret, new_secret()?);
        let (url, qr) = provisioning(&secret, "grace@example.com")?;
        assert!(url.starts_with("otpauth://totp/Tenant%20Desk:grace%40example.com?secret="), "{url}");
        assert!(url.contains(&secret));
        assert!(qr.starts_with("data:image/svg+xml;base64,"));
        let svg = STANDARD.decode(&qr["data:image/svg+xml;base64,".len()..]).unwrap_or_default();
        assert!(String::from_utf8_lossy(&svg).contains("<svg"));
        Ok(())
    }
}
