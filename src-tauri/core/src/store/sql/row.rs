//! One row of a result, read by column index or name.

use super::error::{Error, Result};
#[cfg(feature = "postgres")]
use super::pg::PgValueRef;
use super::value::{FromSql, ValueRef};

pub struct Row<'r> {
    inner: RowInner<'r>,
}

enum RowInner<'r> {
    Lite(&'r rusqlite::Row<'r>),
    #[cfg(feature = "postgres")]
    Pg(&'r postgres::Row),
}

pub trait RowIndex: rusqlite::RowIndex + Copy + std::fmt::Debug {
    #[cfg(feature = "postgres")]
    fn pg_index(&self, row: &postgres::Row) -> Option<usize>;
}

impl RowIndex for usize {
    #[cfg(feature = "postgres")]
    fn pg_index(&self, row: &postgres::Row) -> Option<usize> {
        (*self < row.len()).then_some(*self)
    }
}

impl RowIndex for &str {
    #[cfg(feature = "postgres")]
    fn pg_index(&self, row: &postgres::Row) -> Option<usize> {
        row.columns().iter().position(|c| c.name() == *self)
    }
}

impl<'r> Row<'r> {
    pub(super) fn lite(row: &'r rusqlite::Row<'r>) -> Self {
        Self { inner: RowInner::Lite(row) }
    }

    #[cfg(feature = "postgres")]
    pub(super) fn pg(row: &'r postgres::Row) -> Self {
        Self { inner: RowInner::Pg(row) }
    }

    pub fn get<I: RowIndex, T: FromSql>(&self, idx: I) -> Result<T> {
        let column = |problem| Error::Column { index: format!("{idx:?}"), problem };
        match &self.inner {
            RowInner::Lite(row) => {
                let value = row.get_ref(idx)?;
                T::column_result(from_sqlite(value).map_err(column)?).map_err(column)
            }
            #[cfg(feature = "postgres")]
            RowInner::Pg(row) => {
                let Some(i) = idx.pg_index(row) else {
                    return Err(Error::Conversion(format!("no column {idx:?}")));
                };
                let value: PgValueRef<'_> = row.try_get(i)?;
                T::column_result(value.0).map_err(column)
            }
        }
    }

    pub fn get_ref<I: RowIndex>(&self, idx: I) -> Result<ValueRef<'_>> {
        let column = |problem| Error::Column { index: format!("{idx:?}"), problem };
        match &self.inner {
            RowInner::Lite(row) => from_sqlite(row.get_ref(idx)?).map_err(column),
            #[cfg(feature = "postgres")]
            RowInner::Pg(row) => {
                let Some(i) = idx.pg_index(row) else {
                    return Err(Error::Conversion(format!("no column {idx:?}")));
                };
                let value: PgValueRef<'_> = row.try_get(i)?;
                Ok(value.0)
            }
        }
    }
}

fn from_sqlite(value: rusqlite::types::ValueRef<'_>) -> super::value::FromSqlResult<ValueRef<'_>> {
    use rusqlite::types::ValueRef as V;
    Ok(match value {
        V::Null => ValueRef::Null,
        V::Integer(i) => ValueRef::Integer(i),
        V::Real(r) => ValueRef::Real(r),
        V::Text(t) => ValueRef::Text(std::str::from_utf8(t).map_err(|_| super::value::FromSqlError::InvalidType)?),
        V::Blob(b) => ValueRef::Blob(b),
    })
}
