//! The one error type of the core. It crosses the IPC boundary as
//! `{code, message, fields}`: `code` is a closed set the UI switches on,
//! `message` is shown to people, `fields` maps a form field to the message
//! shown under it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use specta::Type;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields failed validation; see `fields`.
    Validation,
    /// The caller's role does not allow the operation.
    NotAllowed,
    /// No session, or the session has ended (signed out, user deleted).
    NotSignedIn,
    /// Email or password did not match. Never says which.
    WrongCredentials,
    /// Too many failed sign-ins; wait before trying again.
    Throttled,
    /// First-run setup was asked for on an install that is already set up.
    AlreadySetUp,
    /// The password was set by an administrator: a new one must be chosen
    /// before anything else opens.
    PasswordChangeRequired,
    /// The password was right and MFA is on: a code (or a recovery code)
    /// must follow before anything opens.
    SecondFactorRequired,
    /// A tenant the account belongs to requires MFA: it must be turned on
    /// before anything else opens.
    MfaEnrollmentRequired,
    /// The change would leave a tenant without a Tenant Admin.
    LastTenantAdmin,
    /// The user (or another record) no longer exists.
    NotFound,
    /// The local database, or a file of the store (a backup, an archive, an
    /// export), could not be read or written.
    Storage,
    /// Something that should not happen did (a worker thread died, a value
    /// would not serialize): a bug, not a problem with the data or the disk.
    Internal,
    /// This machine's keyring does not hold the tenant's current API key;
    /// rotating the key makes a new one here.
    ApiKeyNotOnThisMachine,
    /// A desktop service (keyring, clipboard) failed or is missing.
    Desktop,
    /// The record changed meanwhile (another operator accepted the session, an
    /// idempotency key was reused for a different request).
    Conflict,
    /// The local store fails its integrity check, is not a SQLite database,
    /// or was made by a newer Tenant Desk: it is left as it is and the
    /// window offers to restore a backup.
    StoreDamaged,
    /// A file offered for restore is not a usable Tenant Desk backup.
    NotABackup,
    /// Add User was given the address of an existing account: the window
    /// offers to add that person to the tenant instead.
    AccountExists,
    /// The window was left idle (or locked by its person): nothing opens
    /// until the password (and code, with MFA) unlock it.
    SessionLocked,
    /// The disk is full, or would be: nothing was written; it works again
    /// once there is room.
    DiskFull,
    /// Another Tenant Desk (a window, the command line) has the data folder
    /// open: one app at a time uses a folder.
    FolderInUse,
    /// Someone else saved the same user, tenant or organization after this
    /// form was opened: nothing was written; the window offers to reload.
    EditConflict,
    /// The team server this desktop works with did not answer: nothing was
    /// read, and a change may not have arrived. What the person typed stays.
    ServerUnreachable,
    /// The team server's database (PostgreSQL) did not answer in time:
    /// nothing was written.
    StoreUnreachable,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type, thiserror::Error)]
// Named apart from the global `Error` of the TypeScript it is generated into.
#[serde(rename = "DeskError")]
#[error("{message}")]
pub struct Error {
    pub code: ErrorCode,
    pub message: String,
    pub fields: BTreeMap<String, String>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), fields: BTreeMap::new() }
    }

    pub fn not_allowed() -> Self {
        Self::new(ErrorCode::NotAllowed, "You are not allowed to do this with your role.")
    }

    pub fn not_signed_in() -> Self {
        Self::new(ErrorCode::NotSignedIn, "Your session has ended. Please sign in again.")
    }

    pub fn password_change_required() -> Self {
        Self::new(ErrorCode::PasswordChangeRequired, "Choose a new password before you continue.")
    }

    pub fn second_factor_required() -> Self {
        Self::new(ErrorCode::SecondFactorRequired, "Enter the code from your authenticator app to finish signing in.")
    }

    pub fn mfa_enrollment_required() -> Self {
        Self::new(ErrorCode::MfaEnrollmentRequired, "Your organization requires MFA. Set it up before you continue.")
    }

    pub fn session_locked() -> Self {
        Self::new(ErrorCode::SessionLocked, "Tenant Desk is locked. Enter your password to continue.")
    }

    pub fn not_found(what: &str) -> Self {
        Self::new(ErrorCode::NotFound, format!("This {what} no longer exists."))
    }

    pub fn wrong_credentials() -> Self {
        Self::new(ErrorCode::WrongCredentials, "Wrong email or password")
    }

    /// A database failure. The detail goes to the log (it never holds secret
    /// values: statements are parameterised); people get a plain sentence.
    pub fn storage(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "storage error");
        Self::new(ErrorCode::Storage, "The local database could not complete the operation.")
    }

    /// A file or folder of the store could not be used: `what` says which
    /// and why, in the operating system's words ("cannot create /x: Permission denied").
    pub fn file_system(what: impl std::fmt::Display) -> Self {
        tracing::error!(%what, "file error");
        Self::new(ErrorCode::Storage, format!("Tenant Desk {what}."))
    }

    /// Something that should not happen: the detail goes to the log.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(%detail, "internal error");
        Self::new(ErrorCode::Internal, "Something went wrong inside Tenant Desk. Please try again.")
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull => {
                tracing::error!(detail = %e, "disk full");
                Error::new(
                    ErrorCode::DiskFull,
                    "The disk is full: the change was not saved. Free some space and try again.",
                )
            }
            _ => Error::storage(e),
        }
    }
}

impl From<crate::store::sql::Error> for Error {
    fn from(e: crate::store::sql::Error) -> Self {
        use crate::store::sql::Error as Sql;
        match e {
            Sql::Sqlite(e) => Error::from(e),
            #[cfg(feature = "postgres")]
            Sql::Postgres(e) if e.is_closed() || e.as_db_error().is_none() => {
                tracing::error!(detail = %e, "database unreachable");
                Error::new(ErrorCode::StoreUnreachable, "The team's database cannot be reached: nothing was saved.")
            }
            #[cfg(feature = "postgres")]
            Sql::Postgres(e) if e.code().map(|c| c.code()) == Some("53100") => {
                tracing::error!(detail = %e, "database disk full");
                Error::new(ErrorCode::DiskFull, "The database's disk is full: the change was not saved.")
            }
            other => Error::storage(other),
        }
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::from(crate::store::sql::Error::Postgres(e))
    }
}

/// Collects field messages; turns into a `Validation` error when any exist.
#[derive(Debug, Default)]
pub struct FieldErrors(BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the first failure of a field; later ones for the same field are dropped.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.entry(field.to_owned()).or_insert_with(|| message.into());
    }

    /// Each field with its message.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &String)> {
        self.0.iter()
    }

    pub fn check(&mut self, field: &str, outcome: std::result::Result<(), String>) {
        if let Err(message) = outcome {
            self.add(field, message);
        }
    }

    pub fn into_result(self) -> Result<()> {
        if self.0.is_empty() {
            return Ok(());
        }
        let message = if self.0.len() == 1 {
            self.0.values().next().cloned().unwrap_or_default()
        } else {
            "Some fields need attention.".to_owned()
        };
        Err(Error { code: ErrorCode::Validation, message, fields: self.0 })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_error_serializes_with_fields() {
        let mut f = FieldErrors::new();
        f.add("name", "Name is required.");
        let err = f.into_result().unwrap_err();
        let json = serde_json::to_value(&err).unwrap_or_default();
        assert_eq!(
            json,
            serde_json::json!({
                "code": "validation",
                "message": "Name is required.",
                "fields": {"name": "Name is required."}
            })
        );
    }

    #[test]
    fn first_message_per_field_wins() {
        let mut f = FieldErrors::new();
        f.add("email", "first");
        f.add("email", "second");
        let err = f.into_result().unwrap_err();
        assert_eq!(err.fields["email"], "first");
    }

    #[test]
    fn not_allowed_serializes_without_fields() {
        let json = serde_json::to_value(Error::not_allowed()).unwrap_or_default();
        assert_eq!(json["code"], "not_allowed");
        assert_eq!(json["fields"], serde_json::json!({}));
    }
}
