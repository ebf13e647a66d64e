//! The two stores' schemas stay one: every table, column (its type, whether
//! it may be empty), index and key of the SQLite migrations exists on
//! PostgreSQL alike, and the other way round, but for the differences named
//! here (each engine's own word and trigram search). A migration added to one
//! store only fails this test, as a stale generated TypeScript file fails its
//! own.

use std::collections::{BTreeMap, BTreeSet};

use tenant_desk_core::store::sql::Tx;
use tenant_desk_core::store::{Db, PgSettings};

use crate::support::postgres_store;

/// Tables only SQLite has: FTS5's indexes and their storage.
fn sqlite_only_table(name: &str) -> bool {
    name.starts_with("user_search") && name != "user_search_text" || name.starts_with("message_search")
}

/// Tables only PostgreSQL has: its schema version (SQLite keeps it in
/// `user_version`), and a server's secrets (a file or the keyring elsewhere).
const POSTGRES_ONLY_TABLES: [&str; 2] = ["desk_schema_version", "server_secrets"];
/// SQLite's implicit rowid, which PostgreSQL spells out where it is used.
const POSTGRES_ONLY_COLUMNS: [(&str, &str); 1] = [("login_sessions", "rowid")];
/// PostgreSQL's word and trigram indexes (FTS5 tables on SQLite), and the
/// unique index of the rowid column above.
const POSTGRES_ONLY_INDEXES: [&str; 3] = ["messages_words", "user_search_text_trigrams", "login_sessions_rowid_key"];

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord, Clone)]
struct Column {
    name: String,
    kind: String,
    /// May be NULL (a key column never is, on either engine).
    nullable: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    tables: BTreeMap<String, Vec<Column>>,
    /// Named indexes, each with its table and columns.
    indexes: BTreeMap<String, (String, Vec<String>)>,
    /// Foreign keys: (table, columns, referenced table).
    foreign_keys: BTreeSet<(String, String, String)>,
}

fn rows(tx: &Tx, sql: &str, params: &[&dyn tenant_desk_core::store::sql::ToSql]) -> Vec<Vec<String>> {
    let mut stmt = tx.prepare(sql).unwrap();
    let n = stmt.column_count();
    stmt.query_map(params, |r| {
        (0..n)
            .map(|i| {
                Ok(match r.get_ref(i)? {
                    tenant_desk_core::store::sql::ValueRef::Text(t) => t.to_owned(),
                    tenant_desk_core::store::sql::ValueRef::Integer(v) => v.to_string(),
                    tenant_desk_core::store::sql::ValueRef::Null => String::new(),
                    other => format!("{other:?}"),
                })
            })
            .collect()
    })
    .unwrap()
    .collect::<Result<Vec<Vec<String>>, _>>()
    .unwrap()
}

fn sqlite_schema(db: &Db) -> Schema {
    db.read(|tx| {
        let mut schema = Schema::default();
        for t in rows(tx, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", &[]) {
            let table = &t[0];
            if sqlite_only_table(table) {
                continue;
            }
            let columns = rows(tx, "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid", &[table])
                .into_iter()
                .map(|c| Column { name: c[0].clone(), kind: c[1].to_uppercase(), nullable: c[2] == "0" && c[3] == "0" })
                .collect();
            schema.tables.insert(table.clone(), columns);
            for fk in rows(tx, "SELECT \"from\", \"table\" FROM pragma_foreign_key_list(?1)", &[table]) {
                schema.foreign_keys.insert((table.clone(), fk[0].clone(), fk[1].clone()));
            }
        }
        for i in rows(tx, "SELECT name, tbl_name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name", &[]) {
            let columns = rows(tx, "SELECT name FROM pragma_index_info(?1) ORDER BY seqno", &[&i[0]]).into_iter().map(|c| c[0].clone()).collect();
            schema.indexes.insert(i[0].clone(), (i[1].clone(), columns));
        }
        Ok(schema)
    })
    .unwrap()
}

/// PostgreSQL's types in SQLite's words (the declared types of the migrations).
fn as_sqlite_type(kind: &str) -> String {
    match kind {
        "bigint" => "INTEGER",
        "text" => "TEXT",
        "bytea" => "BLOB",
        "double precision" => "REAL",
        other => other,
    }
    .to_owned()
}

fn postgres_schema(db: &Db) -> Schema {
    db.read(|tx| {
        let mut schema = Schema::default();
        let tables = rows(tx, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1", &[]);
        for t in tables {
            let table = &t[0];
            if POSTGRES_ONLY_TABLES.contains(&table.as_str()) {
                continue;
            }
            let columns = rows(
                tx,
                "SELECT c.column_name::text, c.data_type::text, c.is_nullable::text,
                        EXISTS (SELECT 1 FROM information_schema.key_column_usage k
                                  JOIN information_schema.table_constraints tc ON tc.constraint_name = k.constraint_name
                                 WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name AND k.column_name = c.column_name)::int::text
                   FROM information_schema.columns c WHERE c.table_schema = 'public' AND c.table_name = ?1 ORDER BY c.ordinal_position",
                &[table],
            )
            .into_iter()
            .filter(|c| !POSTGRES_ONLY_COLUMNS.contains(&(table.as_str(), c[0].as_str())))
            .map(|c| Column { name: c[0].clone(), kind: as_sqlite_type(&c[1]), nullable: c[2] == "YES" && c[3] == "0" })
            .collect();
            schema.tables.insert(table.clone(), columns);
        }
        for fk in rows(
            tx,
            "SELECT cl.relname::text, a.attname::text, ref.relname::text
               FROM pg_constraint con JOIN pg_class cl ON cl.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)
              WHERE con.contype = 'f'",
            &[],
        ) {
            schema.foreign_keys.insert((fk[0].clone(), fk[1].clone(), fk[2].clone()));
        }
        for i in rows(
            tx,
            "SELECT ic.relname::text, t.relname::text, x.indisprimary::int::text, EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ic.oid)::int::text
               FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
               JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = 'public' ORDER BY 1",
            &[],
        ) {
            // Keys' own indexes are named by each engine its own way; keys
            // are compared as columns and foreign keys.
            if i[2] == "1" || i[3] == "1" || POSTGRES_ONLY_INDEXES.contains(&i[0].as_str()) {
                continue;
            }
            let columns = rows(
                tx,
                "SELECT a.attname::text FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                   JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n) ON true
                   JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
                  WHERE ic.relname = ?1 ORDER BY k.n",
                &[&i[0]],
            )
            .into_iter()
            .map(|c| c[0].clone())
            .collect();
            schema.indexes.insert(i[0].clone(), (i[1].clone(), columns));
        }
        Ok(schema)
    })
    .unwrap()
}

#[test]
fn the_sqlite_and_postgresql_schemas_do_not_drift() {
    let Some(_) = postgres_store::cluster() else {
        eprintln!("skipped: the PostgreSQL schema is compared on a cluster (scripts/with-postgres.sh)");
        return;
    };
    let lite_dir = tempfile::tempdir().unwrap();
    let sqlite = sqlite_schema(&Db::open(lite_dir.path()).unwrap());
    let pg_dir = tempfile::tempdir().unwrap();
    let url = postgres_store::database_for(pg_dir.path()).unwrap();
    let postgres = postgres_schema(&Db::open_postgres(&PgSettings::new(url)).unwrap());

    let names = |s: &Schema| s.tables.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&postgres), names(&sqlite), "the same tables");
    for (table, columns) in &sqlite.tables {
        assert_eq!(&postgres.tables[table], columns, "the columns of {table}");
    }
    // SQLite names a unique constraint's index itself (sqlite_autoindex_…),
    // without SQL: those are compared as keys, not here.
    assert_eq!(postgres.indexes, sqlite.indexes, "the same named indexes on the same columns");
    assert_eq!(postgres.foreign_keys, sqlite.foreign_keys, "the same foreign keys");
}
