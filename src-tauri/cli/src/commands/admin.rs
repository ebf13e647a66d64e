//! `admin reset-password`, `admin reset-mfa` and `admin grant-platform`: the
//! way back in for a locked-out administrator.

use std::path::Path;

use serde_json::json;
use tenant_desk_core::Result;

use super::Done;
use crate::args::Admin;
use crate::folder;
use crate::output::Output;

pub fn run(dir: &Path, command: Admin, out: Output) -> Result<Done> {
    let opened = folder::open_to_change(dir)?;
    match command {
        Admin::ResetPassword { email } => {
            let temporary = opened.desk.reset_password_locally(&opened.local, &email)?;
            out.show(&json!({ "email": temporary.email, "temporary_password": temporary.password }), || {
                format!(
                    "Temporary password for {}:\n{}\n\nSign in with it; Tenant Desk then asks for a new password. \
                     Their other sessions have ended.",
                    temporary.email, temporary.password
                )
            });
        }
        Admin::ResetMfa { email } => {
            let email = opened.desk.reset_mfa_locally(&opened.local, &email)?;
            out.show(&json!({ "email": email, "mfa": false }), || {
                format!("MFA is off for {email}. They sign in with their password; their other sessions have ended.")
            });
        }
        Admin::GrantPlatform { email } => {
            let (email, had) = opened.desk.grant_platform_locally(&opened.local, &email)?;
            out.show(&json!({ "email": email, "platform_admin": true, "changed": !had }), || {
                if had {
                    format!("{email} is already a platform administrator; nothing changed.")
                } else {
                    format!("{email} is a platform administrator now.")
                }
            });
        }
    }
    Ok(Done::Ok)
}
