//! The Users search means the same on both stores: the shared users
//! benchmark's 50 terms (its generator's people: accents, apostrophes,
//! several email domains) find the same people in the same order on SQLite
//! (FTS5 trigrams) and on PostgreSQL (pg_trgm), sorted by ID, name and email.

use std::sync::Arc;

use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::store::{Db, PgSettings};
use tenant_desk_core::users::{UserQuery, UserSort};
use tenant_desk_core::{params, Desk, DeskConfig};

use crate::support::postgres_store;

/// `users_search_django.py --write-csv … --users 3000`, and its `--print-terms`.
const USERS: &str = include_str!("fixtures/users-3000.csv");
const TERMS: &str = include_str!("fixtures/search-terms.json");

fn loaded(db: Db, dir: &std::path::Path) -> (Desk, tenant_desk_core::authz::Actor) {
    let config = DeskConfig {
        data_dir: dir.to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(tenant_desk_core::notifications::Recorder::new()),
    };
    let desk = Desk::open_on(config, db).unwrap();
    let (token, view) = desk
        .complete_setup(SetupInput {
            tenant_name: "Search".into(),
            timezone: "UTC".into(),
            admin_name: "Search Admin".into(),
            email: "search.admin@tenant-desk.invalid".into(),
            password: "violet marble canyon drifts".into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap();
    let tenant_id = view.tenant.map(|t| t.id).unwrap();
    desk.db()
        .write(|tx| {
            let mut account = tx.prepare(
                "INSERT INTO accounts (email, email_key, name, password_hash, created_at, modified_at)
                 VALUES (?1, ?2, ?3, 'no password', ?4, ?4)",
            )?;
            let mut member = tx.prepare(
                "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at) VALUES (?1, ?2, ?3, ?4, ?4)",
            )?;
            let mut csv = csv::Reader::from_reader(USERS.as_bytes());
            for record in csv.records() {
                let r = record.unwrap();
                let role = match &r[3] {
                    "Tenant Admin" => "tenant_admin",
                    "Tenant Operator" => "tenant_operator",
                    "Tenant Viewer" => "tenant_viewer",
                    _ => "tenant_user",
                };
                let created = chrono::DateTime::parse_from_rfc3339(&r[4]).unwrap().timestamp_millis();
                account.execute(params![&r[2], r[2].to_lowercase(), &r[1], created])?;
                member.execute(params![tx.last_insert_rowid()?, tenant_id, role, created])?;
            }
            Ok(())
        })
        .unwrap();
    let actor = desk.actor(&token).unwrap();
    (desk, actor)
}

/// Every match of `term` in the sort's order: the emails, page by page.
fn matches(desk: &Desk, actor: &tenant_desk_core::authz::Actor, term: &str, sort: UserSort) -> Vec<String> {
    let mut emails = Vec::new();
    for page in 0.. {
        let found = desk.list_users(actor, &UserQuery { term: term.into(), sort, descending: false, page, page_size: 200 }).unwrap();
        emails.extend(found.rows.into_iter().map(|r| r.email));
        if !found.has_more {
            return emails;
        }
    }
    emails
}

#[test]
fn the_benchmark_terms_find_the_same_people_in_the_same_order_on_both_stores() {
    let Some(_) = postgres_store::cluster() else {
        eprintln!("skipped: needs a PostgreSQL cluster (scripts/with-postgres.sh)");
        return;
    };
    let (lite_dir, pg_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (sqlite, sqlite_actor) = loaded(Db::open(lite_dir.path()).unwrap(), lite_dir.path());
    let url = postgres_store::database_for(pg_dir.path()).unwrap();
    let (postgres, postgres_actor) = loaded(Db::open_postgres(&PgSettings::new(url)).unwrap(), pg_dir.path());
    let terms: Vec<String> = serde_json::from_str(TERMS).unwrap();
    assert_eq!(terms.len(), 50);
    let mut found_any = 0;
    for term in &terms {
        for sort in [UserSort::Id, UserSort::Name, UserSort::Email] {
            let on_sqlite = matches(&sqlite, &sqlite_actor, term, sort);
            let on_postgres = matches(&postgres, &postgres_actor, term, sort);
            assert_eq!(on_postgres, on_sqlite, "{term:?} sorted by {sort:?}");
            found_any += usize::from(!on_sqlite.is_empty());
        }
    }
    // Most terms find someone; a few are meant to find nobody.
    assert!(found_any > 100, "{found_any}");
}
