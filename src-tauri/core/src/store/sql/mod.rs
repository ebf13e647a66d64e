//! The one way the core speaks to its store, on SQLite (rusqlite) or
//! PostgreSQL (postgres): rusqlite's calls and `?N` placeholders on both, so
//! a rule is written once. Where the engines' SQL differs (word search,
//! trigram search, pragmas), the code asks `Tx::dialect`.

mod error;
mod params;
#[cfg(feature = "postgres")]
pub(crate) mod pg;
mod row;
mod tx;
mod value;

pub use error::{Error, OptionalExtension, Result};
pub use params::{params_from_iter, Params, ParamsFromIter};
pub use row::{Row, RowIndex};
#[cfg(feature = "postgres")]
pub use tx::PgConn;
pub use tx::{Begin, Dialect, MappedRows, Statement, Tx};
pub use value::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};

pub use crate::params;
