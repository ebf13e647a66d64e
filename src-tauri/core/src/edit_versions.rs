//! Edits don't silently overwrite each other. A form is opened with the
//! version of what it shows (a digest of the stored fields); saving with an
//! older version is refused, inside the saving transaction, with who made the
//! change and when, and the window offers to reload (optimistic concurrency:
//! no lock is held while a person types).

use crate::store::sql::{OptionalExtension, Tx};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::{Error, ErrorCode, Result};

/// The version of what a form shows: stable for equal fields, different as
/// soon as one differs.
pub fn of(fields: &impl Serialize) -> String {
    let text = serde_json::to_vec(fields).unwrap_or_default();
    Sha256::digest(&text).iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// What was edited, to name it and to find its last change in the audit log.
pub(crate) struct Edited<'a> {
    /// "this user", "this tenant", "the organization".
    pub what: &'a str,
    /// The audit subjects of its changes ("user:12", "account:5").
    pub subjects: Vec<String>,
    /// The timezone its times are shown in.
    pub timezone: &'a str,
}

/// Refuses the save when `seen` (the version the form was opened with) is no
/// longer `current`. `None`: the caller edits without a form (the API, tests).
pub(crate) fn ensure_unchanged(tx: &Tx, seen: Option<&str>, current: &str, edited: Edited) -> Result<()> {
    match seen {
        None => Ok(()),
        Some(seen) if seen == current => Ok(()),
        Some(_) => Err(conflict(tx, edited)?),
    }
}

fn conflict(tx: &Tx, edited: Edited) -> Result<Error> {
    let placeholders = vec!["?"; edited.subjects.len()].join(", ");
    let last: Option<(Option<String>, i64)> = tx
        .query_row(
            &format!(
                "SELECT a.name, l.at FROM audit_log l LEFT JOIN accounts a ON a.id = l.actor_account_id
                  WHERE l.subject IN ({placeholders}) ORDER BY l.id DESC LIMIT 1"
            ),
            crate::store::sql::params_from_iter(edited.subjects.iter()),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let who_when = match last {
        Some((who, at)) => format!(
            "{} changed {} at {}",
            who.as_deref().unwrap_or("Someone"),
            edited.what,
            crate::tenants::in_zone(at, edited.timezone)
        ),
        None => format!("Someone changed {}", edited.what),
    };
    Ok(Error::new(
        ErrorCode::EditConflict,
        format!("{who_when} while you were editing. Nothing was saved: reload to see the change, then make yours again."),
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn equal_fields_have_one_version_and_any_difference_another() {
        let a = super::of(&("Ada", 3, Some("Europe/Berlin")));
        assert_eq!(a, super::of(&("Ada", 3, Some("Europe/Berlin"))));
        assert_ne!(a, super::of(&("Ada", 3, Some("Europe/Paris"))));
        assert_eq!(a.len(), 24);
    }
}
