//! What only a PostgreSQL store does: its schema version, and a database
//! that cannot be reached. (Every other test runs on it as well, with
//! `scripts/with-postgres.sh`.)

use std::time::Duration;

use tenant_desk_core::store::{Db, PgSettings};
use tenant_desk_core::ErrorCode;

use crate::support::postgres_store;

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_as_it_is() {
    let Some(_) = postgres_store::cluster() else {
        eprintln!("skipped: needs a PostgreSQL cluster (scripts/with-postgres.sh)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let url = postgres_store::database_for(dir.path()).unwrap();
    let db = Db::open_postgres(&PgSettings::new(url.clone())).unwrap();
    let newer: i64 = db
        .write(|tx| {
            tx.execute("UPDATE desk_schema_version SET version = version + 1", [])?;
            Ok(tx.query_row("SELECT version FROM desk_schema_version", [], |r| r.get(0))?)
        })
        .unwrap();
    drop(db);
    let refused = Db::open_postgres(&PgSettings::new(url.clone())).err().unwrap();
    assert_eq!(refused.code, ErrorCode::StoreDamaged);
    assert!(refused.message.contains("made by a newer version of Tenant Desk") && refused.message.contains("has not been changed"), "{}", refused.message);
    assert!(!refused.message.contains("password"), "{}", refused.message);
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    let kept: i64 = admin.query_one("SELECT version FROM desk_schema_version", &[]).unwrap().get(0);
    assert_eq!(kept, newer);
}

#[test]
fn a_database_that_does_not_answer_is_named_without_its_password_in_time() {
    // A port nobody listens on: refused at once, reported as unreachable.
    let settings = PgSettings {
        url: "postgres://desk:s3cret-pass@127.0.0.1:1/team".into(),
        connect_timeout: Duration::from_secs(1),
        acquire_timeout: Duration::from_secs(1),
        ..PgSettings::new("")
    };
    let refused = Db::open_postgres(&settings).err().unwrap();
    assert_eq!(refused.code, ErrorCode::StoreUnreachable);
    assert!(refused.message.starts_with("The team's database postgres://desk@127.0.0.1:1/team cannot be reached"), "{}", refused.message);
    assert!(!refused.message.contains("s3cret-pass"), "{}", refused.message);
}
