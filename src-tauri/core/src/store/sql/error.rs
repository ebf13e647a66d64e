//! What a statement on either engine can fail with.

use super::value::FromSqlError;

#[derive(Debug)]
pub enum Error {
    Sqlite(rusqlite::Error),
    #[cfg(feature = "postgres")]
    Postgres(postgres::Error),
    /// `query_row` found no row.
    NoRows,
    /// A column did not hold what the code reads it as.
    Column { index: String, problem: FromSqlError },
    /// A value could not be written as a parameter.
    Conversion(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn conversion(why: String) -> Self {
        Error::Conversion(why)
    }

    /// The SQLite error this is, if it came from SQLite.
    pub fn as_sqlite(&self) -> Option<&rusqlite::Error> {
        match self {
            Error::Sqlite(e) => Some(e),
            _ => None,
        }
    }

    /// A unique, foreign-key or check constraint refused the change.
    pub fn is_constraint_violation(&self) -> bool {
        match self {
            Error::Sqlite(rusqlite::Error::SqliteFailure(f, _)) => f.code == rusqlite::ErrorCode::ConstraintViolation,
            #[cfg(feature = "postgres")]
            Error::Postgres(e) => e.code().is_some_and(|c| c.code().starts_with("23")),
            _ => false,
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Sqlite(e) => write!(f, "{e}"),
            #[cfg(feature = "postgres")]
            Error::Postgres(e) => match e.as_db_error() {
                Some(db) => write!(f, "{}: {}", db.severity(), db.message()),
                None => write!(f, "{e}"),
            },
            Error::NoRows => f.write_str("query returned no rows"),
            Error::Column { index, problem } => write!(f, "column {index}: {problem}"),
            Error::Conversion(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::QueryReturnedNoRows => Error::NoRows,
            other => Error::Sqlite(other),
        }
    }
}

#[cfg(feature = "postgres")]
impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Postgres(e)
    }
}

/// `.optional()` on a `query_row`: no row is `None`.
pub trait OptionalExtension<T> {
    fn optional(self) -> Result<Option<T>>;
}

impl<T> OptionalExtension<T> for Result<T> {
    fn optional(self) -> Result<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(Error::NoRows) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
