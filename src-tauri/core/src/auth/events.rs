//! Sign-ins in the audit log: successes, failures, and the throttle's waits.
//! An entry about an account has no tenant: every tenant the person belongs
//! to shows it to its administrators. A failure for an address no account
//! has is the install's own entry, for platform administrators.

use crate::store::sql::{params, Tx};
use serde_json::json;

use super::throttle;
use crate::error::Result;
use crate::audit::{self, Entry, Via};

/// The step that succeeded or failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Password,
    Code,
    /// "Keep me signed in" opened the app.
    Remembered,
    Unlock,
}

impl Step {
    fn key(self) -> &'static str {
        match self {
            Step::Password => "password",
            Step::Code => "code",
            Step::Remembered => "remembered",
            Step::Unlock => "unlock",
        }
    }
}

fn entry(action: &str, actor: Option<i64>, account: Option<i64>, at: i64, after: serde_json::Value) -> Entry<'_> {
    Entry {
        at,
        actor_account_id: actor,
        tenant_id: None,
        action,
        subject: account.map_or_else(|| "sign_in".into(), |id| format!("account:{id}")),
        subject_account_id: account,
        before: None,
        after: Some(after),
        via: Via::Window,
    }
}

/// A sign-in that opened (`Step::Password` without MFA, `Step::Code` with it)
/// or a window unlocked.
pub(crate) fn succeeded(tx: &Tx, account_id: i64, step: Step, at: i64) -> Result<()> {
    let action = if step == Step::Unlock { "sign_in.unlock" } else { "sign_in.success" };
    match step {
        Step::Unlock => tracing::info!(account_id, "window unlocked"),
        _ => tracing::info!(account_id, step = step.key(), "signed in"),
    }
    audit::record(tx, entry(action, Some(account_id), Some(account_id), at, json!({ "step": step.key() })))
}

/// A refused attempt. `account_id` is `None` when no account has the typed
/// address; the address is kept (trimmed, at most 254 characters) so a
/// platform administrator can see what was tried. When this failure started
/// a wait of the throttle, that is recorded too. The log gets the account
/// only, never what was typed: a password typed in the email field would
/// otherwise end up there.
pub(crate) fn failed(tx: &Tx, account_id: Option<i64>, typed_email: &str, step: Step, at: i64) -> Result<()> {
    tracing::warn!(account_id, known_account = account_id.is_some(), step = step.key(), "sign-in refused");
    let email: String = typed_email.trim().chars().take(254).collect();
    audit::record(tx, entry("sign_in.failure", None, account_id, at, json!({ "step": step.key(), "email": email })))?;
    let key = crate::validate::email_key(&email);
    if let Some(until) = throttle::locked_until(tx, &key, at)? {
        tracing::warn!(account_id, until = %crate::clock::to_wire(until), "sign-in throttled");
        audit::record(
            tx,
            entry(
                "sign_in.locked",
                None,
                account_id,
                at,
                json!({ "email": email, "until": crate::clock::to_wire(until) }),
            ),
        )?;
    }
    Ok(())
}

/// The typed address of an account, for [`failed`].
pub(crate) fn email_of(tx: &Tx, account_id: i64) -> Result<String> {
    Ok(tx.query_row("SELECT email FROM accounts WHERE id = ?1", params![account_id], |r| r.get(0))?)
}
