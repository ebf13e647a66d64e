//! Versioned schema migrations (SQLite `user_version`), applied in one transaction.

use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/0001_initial.sql")),
        M::up(include_str!("../../migrations/0002_identity_users.sql")),
        M::up(include_str!("../../migrations/0003_tenant_details.sql")),
        M::up(include_str!("../../migrations/0004_notifications.sql")),
        M::up(include_str!("../../migrations/0005_mfa_organizations_personal_keys.sql")),
        M::up(include_str!("../../migrations/0006_profile_preferences.sql")),
        M::up(include_str!("../../migrations/0007_sessions.sql")),
        M::up(include_str!("../../migrations/0008_billing.sql")),
        M::up(include_str!("../../migrations/0010_snapshots.sql")),
    ])
}

pub fn apply(conn: &mut Connection) -> Result<()> {
    migrations()
        .to_latest(conn)
        .map_err(|e| Error::storage(format!("migration failed: {e}")))
}

#[cfg(test)]
mod tests {
    // The migrations use `fold_case`, so they are checked on a connection
    // configured like the store's.
    #[test]
    fn migrations_apply_to_an_empty_database() {
        let mut conn = rusqlite::Connection::open_in_memory().unwrap_or_else(|e| panic!("{e}"));
        super::super::configure(&conn).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(super::apply(&mut conn).is_ok());
    }
}
