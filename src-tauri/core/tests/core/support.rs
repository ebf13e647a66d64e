use std::sync::Arc;

use chrono::{TimeZone, Utc};
use tempfile::TempDir;
use tenant_desk_core::auth::{SessionToken, SignInInput, SignedIn};
use tenant_desk_core::authz::{Actor, Role};
use tenant_desk_core::users::{NewUser, UserRow};
use tenant_desk_core::clock::ManualClock;
use tenant_desk_core::notifications::{DesktopNotifier, Recorder};
use tenant_desk_core::secrets::{MemoryStore, SecretStore};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::store::{Db, PgSettings};
use tenant_desk_core::{Desk, DeskConfig};

pub const ADMIN_EMAIL: &str = "grace@example.com";
pub const PASSWORD: &str = "violet marble canyon drifts";
/// A second strong password, for changes of one.
pub const OTHER_PASSWORD: &str = "amber falcon river stone";

pub struct Harness {
    pub dir: TempDir,
    pub clock: Arc<ManualClock>,
    pub secrets: Arc<MemoryStore>,
    /// Every desktop notification the desk showed.
    pub notifier: Arc<Recorder>,
    pub desk: Desk,
}

impl Harness {
    pub fn new() -> Self {
        Self::with_secrets(Arc::new(MemoryStore::new()))
    }

    pub fn with_secrets(secrets: Arc<MemoryStore>) -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
        let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()));
        let notifier = Arc::new(Recorder::new());
        let desk = open_with(&dir, clock.clone(), secrets.clone(), notifier.clone());
        Self { dir, clock, secrets, notifier, desk }
    }

    /// The same data folder opened again, as after an app restart.
    pub fn reopen(&self) -> Desk {
        open_with(&self.dir, self.clock.clone(), self.secrets.clone(), self.notifier.clone())
    }

    /// The clock's time in UTC millis.
    pub fn desk_now(&self) -> i64 {
        tenant_desk_core::clock::Clock::now(&*self.clock).timestamp_millis()
    }

    /// Setup with the demo team and its 90 days of conversations.
    pub fn set_up_with_demo_conversations(&self) -> (SessionToken, SignedIn) {
        self.desk
            .complete_setup(SetupInput { load_demo_conversations: true, ..setup_input(true) })
            .unwrap_or_else(|e| panic!("setup failed: {e:?}"))
    }

    pub fn set_up(&self, load_demo: bool) -> (SessionToken, SignedIn) {
        self.desk
            .complete_setup(setup_input(load_demo))
            .unwrap_or_else(|e| panic!("setup failed: {e:?}"))
    }
}

pub fn open(dir: &TempDir, clock: Arc<ManualClock>, secrets: Arc<dyn SecretStore>) -> Desk {
    open_with(dir, clock, secrets, Arc::new(Recorder::new()))
}

pub fn open_with(
    dir: &TempDir,
    clock: Arc<ManualClock>,
    secrets: Arc<dyn SecretStore>,
    notifier: Arc<dyn DesktopNotifier>,
) -> Desk {
    let config = DeskConfig { data_dir: dir.path().to_owned(), clock, secrets, notifier };
    match postgres_store::database_for(dir.path()) {
        Some(url) => Desk::open_on(config, Db::open_postgres(&PgSettings::new(url)).unwrap_or_else(|e| panic!("{e:?}"))),
        None => Desk::open(config),
    }
    .unwrap_or_else(|e| panic!("open failed: {e:?}"))
}

/// SQLite's word indexes are sound (FTS5's own check) and hold a row for
/// every stored message and for nothing else: the store's own index the
/// messages of every tenant but the snapshots, each snapshot's own index its
/// messages; the rows of deleted messages are gone. PostgreSQL's word index
/// is an index on the messages themselves, always whole.
pub fn word_index_is_whole(desk: &Desk) -> bool {
    if postgres_store::on_postgres() {
        return true;
    }
    let snapshots: Vec<i64> = desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT tenant_id FROM snapshots ORDER BY 1")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
            Ok(ids)
        })
        .unwrap_or_else(|e| panic!("snapshots: {e:?}"));
    let shared = ("message_search".to_owned(), "message_search_terms".to_owned(), "NOT IN (SELECT tenant_id FROM snapshots)".to_owned());
    let own = snapshots.iter().map(|id| (format!("message_search_{id}"), format!("message_search_terms_{id}"), format!("= {id}")));
    std::iter::once(shared).chain(own).all(|(table, terms, tenants)| {
        let sound = desk
            .db()
            .write(|tx| Ok(tx.execute(&format!("INSERT INTO {table} ({table}) VALUES ('integrity-check')"), [])?))
            .is_ok();
        let (indexed, stored) = desk
            .db()
            .read(|tx| {
                let ids = |sql: &str| -> tenant_desk_core::error::Result<Vec<i64>> {
                    let mut stmt = tx.prepare(sql)?;
                    let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<i64>, _>>()?;
                    Ok(ids)
                };
                Ok((
                    ids(&format!("SELECT DISTINCT doc FROM {terms} ORDER BY doc"))?,
                    ids(&format!(
                        "SELECT (m.conversation_id << 32) | (m.id & 4294967295) FROM messages m
                           JOIN conversations c ON c.id = m.conversation_id WHERE c.tenant_id {tenants} ORDER BY 1"
                    ))?,
                ))
            })
            .unwrap_or_else(|e| panic!("word index rows of {table}: {e:?}"));
        sound && indexed == stored
    })
}

/// The SQLite word index holding tenant `tenant_id`'s messages: a
/// snapshot's own, or the store's.
pub fn word_index_of(desk: &Desk, tenant_id: i64) -> String {
    let snapshot = desk
        .db()
        .read(|tx| Ok(tx.query_row("SELECT count(*) FROM snapshots WHERE tenant_id = ?1", [tenant_id], |r| r.get::<_, i64>(0))?))
        .unwrap_or_else(|e| panic!("snapshots: {e:?}"));
    if snapshot > 0 { format!("message_search_{tenant_id}") } else { "message_search".into() }
}

/// With `TENANT_DESK_TEST_POSTGRES` set to a cluster's address
/// (`scripts/with-postgres.sh`), every test's store is a PostgreSQL database
/// of its own, copied from one migrated template; the data folder still
/// holds what is not in the store (logs, exports).
pub mod postgres_store {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    use tenant_desk_core::store::{Db, PgSettings};

    pub fn cluster() -> Option<String> {
        std::env::var("TENANT_DESK_TEST_POSTGRES").ok().filter(|s| !s.is_empty())
    }

    pub fn on_postgres() -> bool {
        cluster().is_some()
    }

    fn admin(cluster: &str) -> postgres::Client {
        postgres::Client::connect(&format!("{cluster}/postgres"), postgres::NoTls)
            .unwrap_or_else(|e| panic!("cannot reach {cluster}: {e}"))
    }

    /// A template database at this build's schema, made once per test process.
    fn template(cluster: &str) -> &'static str {
        static TEMPLATE: OnceLock<String> = OnceLock::new();
        TEMPLATE.get_or_init(|| {
            let name = format!("desk_template_{}", std::process::id());
            let mut admin = admin(cluster);
            admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name}")).unwrap_or_else(|e| panic!("{e:?}"));
            admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap_or_else(|e| panic!("{e:?}"));
            drop(Db::open_postgres(&PgSettings::new(format!("{cluster}/{name}"))).unwrap_or_else(|e| panic!("{e:?}")));
            name
        })
    }

    /// The database of the data folder `dir`, made on first use.
    pub fn database_for(dir: &Path) -> Option<String> {
        static DATABASES: OnceLock<Mutex<HashMap<PathBuf, String>>> = OnceLock::new();
        let cluster = cluster()?;
        let mut databases = DATABASES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
        if let Some(url) = databases.get(dir) {
            return Some(url.clone());
        }
        let template = template(&cluster);
        let name = format!("desk_test_{}_{}", std::process::id(), databases.len());
        admin(&cluster)
            .batch_execute(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
            .unwrap_or_else(|e| panic!("{e:?}"));
        let url = format!("{cluster}/{name}");
        databases.insert(dir.to_owned(), url.clone());
        Some(url)
    }
}

pub fn setup_input(load_demo: bool) -> SetupInput {
    SetupInput {
        tenant_name: "Acme Support".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Grace Hopper".into(),
        email: ADMIN_EMAIL.into(),
        password: PASSWORD.into(),
        load_demo,
        load_demo_conversations: false,
    }
}

impl Harness {
    /// Signs in (not remembered) and returns the person operations run for.
    pub fn actor_of(&self, email: &str) -> tenant_desk_core::authz::Actor {
        let (token, _) = self
            .desk
            .sign_in(tenant_desk_core::auth::SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in of {email} failed: {e:?}"));
        self.desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"))
    }

    /// Signs in (not remembered): the session and the person it acts for.
    pub fn session_of(&self, email: &str) -> (SessionToken, Actor) {
        let (token, _) = sign_in(&self.desk, email, PASSWORD).unwrap_or_else(|e| panic!("sign-in of {email} failed: {e:?}"));
        let actor = self.desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        (token, actor)
    }

    /// Unix seconds of the test clock, for computing TOTP codes.
    pub fn unix_now(&self) -> u64 {
        use tenant_desk_core::clock::Clock;
        u64::try_from(self.clock.now().timestamp()).unwrap_or_default()
    }

    /// The code an authenticator app with `secret` shows now.
    pub fn code(&self, secret: &str) -> String {
        tenant_desk_core::mfa::totp::code_at(&secret.replace(' ', ""), self.unix_now()).unwrap()
    }

    /// Turns MFA on for `actor`; returns the secret and the recovery codes.
    /// Moves the clock one step on, so the confirming code is not the next one's.
    pub fn enable_mfa(&self, actor: &Actor) -> (String, Vec<String>) {
        let setup = self.desk.begin_mfa_setup(actor, PASSWORD).unwrap_or_else(|e| panic!("begin MFA: {e:?}"));
        let codes = self.desk.confirm_mfa(actor, &self.code(&setup.secret)).unwrap_or_else(|e| panic!("confirm MFA: {e:?}"));
        self.clock.advance(chrono::Duration::seconds(30));
        (setup.secret, codes.codes)
    }

    /// Every byte of the database (main file and write-ahead log), to check
    /// a secret is not stored in it.
    pub fn database_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        for name in ["tenant-desk.sqlite3", "tenant-desk.sqlite3-wal"] {
            bytes.extend(std::fs::read(self.dir.path().join(name)).unwrap_or_default());
        }
        bytes
    }

    /// The audit entries of one action, oldest first: (before, after).
    pub fn audit(&self, action: &str) -> Vec<(Option<String>, Option<String>)> {
        self.desk
            .db()
            .read(|tx| {
                let mut stmt = tx.prepare("SELECT before, after FROM audit_log WHERE action = ?1 ORDER BY id")?;
                let rows = stmt.query_map([action], |r| Ok((r.get(0)?, r.get(1)?)))?;
                Ok(rows.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?)
            })
            .unwrap_or_else(|e| panic!("audit: {e:?}"))
    }

    pub fn mark_read_only(&self, tenant_id: i64) {
        self.desk
            .db()
            .write(|tx| Ok(tx.execute("UPDATE tenants SET read_only = 1 WHERE id = ?1", [tenant_id])?))
            .unwrap_or_else(|e| panic!("read-only: {e:?}"));
    }
}

/// An account's id by email, without signing in (which MFA may hold up).
pub fn account_id(desk: &Desk, email: &str) -> i64 {
    desk.db()
        .read(|tx| Ok(tx.query_row("SELECT id FROM accounts WHERE email = ?1 ORDER BY id LIMIT 1", [email], |r| r.get(0))?))
        .unwrap_or_else(|e| panic!("account {email}: {e:?}"))
}

pub fn tenant_id(actor: &Actor) -> i64 {
    actor.tenant.as_ref().map(|t| t.tenant_id).unwrap_or_default()
}

/// An Add user form for `email` in `tenant_id`, with the shared test password.
pub fn new_user_input(email: &str, role: Role, tenant_id: i64) -> NewUser {
    NewUser {
        name: format!("Person {}", email.split('@').next().unwrap_or("x")),
        email: email.into(),
        password: PASSWORD.into(),
        role,
        tenant_id,
        schedule: None,
    }
}

/// Adds a user through the core as `admin`, in the admin's tenant.
pub fn new_user(desk: &Desk, admin: &Actor, email: &str, role: Role) -> UserRow {
    desk.create_user(admin, new_user_input(email, role, tenant_id(admin)))
        .unwrap_or_else(|e| panic!("create {email}: {e:?}"))
}

pub fn sign_in(desk: &Desk, email: &str, password: &str) -> tenant_desk_core::Result<(SessionToken, SignedIn)> {
    desk.sign_in(SignInInput { email: email.into(), password: password.into(), remember: false })
}

/// The demo member of each role (setup with demo data).
pub fn member_email(role: Role) -> &'static str {
    match role {
        Role::TenantAdmin => "ada.lovelace@demo.tenant-desk.example",
        Role::TenantUser => "tomas.munoz@demo.tenant-desk.example",
        Role::TenantViewer => "elodie.durand@demo.tenant-desk.example",
        Role::TenantOperator => "priya.raman@demo.tenant-desk.example",
    }
}

/// Details that pass every rule of both forms.
pub fn valid_tenant(name: &str) -> tenant_desk_core::tenants::TenantFields {
    tenant_desk_core::tenants::TenantFields {
        name: name.into(),
        description: "Customer support for Acme".into(),
        billing_email: "billing@acme.example".into(),
        phone: "+4930123456".into(),
        website: "https://acme.example".into(),
        country: "DE".into(),
        street: "Unter den Linden 1".into(),
        zip_code: "10117".into(),
        timezone: "Europe/Berlin".into(),
        labels: vec!["enterprise".into()],
        require_mfa: false,
        idle_lock_minutes: 15,
    }
}

pub fn valid_organization(name: &str) -> tenant_desk_core::tenants::OrganizationFields {
    let t = valid_tenant(name);
    tenant_desk_core::tenants::OrganizationFields {
        name: t.name,
        billing_email: t.billing_email,
        description: t.description,
        phone: t.phone,
        website: t.website,
        country: t.country,
        street: t.street,
        zip_code: t.zip_code,
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// A conversation on the web channel with one customer message.
pub fn new_conversation(operator_account_id: Option<i64>) -> tenant_desk_core::conversations::NewConversation {
    use tenant_desk_core::conversations::{Author, NewMessage, NewConversation};
    NewConversation {
        channel: "web".into(),
        customer: "Jane Customer".into(),
        operator_account_id,
        messages: vec![NewMessage { author: Author::Customer, text: "Hello, my order is late.".into() }],
    }
}

/// Starts a conversation as `caller` and returns its id.
pub fn session_of(desk: &Desk, caller: &tenant_desk_core::authz::Caller, operator_account_id: Option<i64>) -> i64 {
    desk.create_conversation(caller, new_conversation(operator_account_id))
        .unwrap_or_else(|e| panic!("create session: {e:?}"))
        .conversation
        .id
}

/// Individual with custom terms on credits.
pub fn credit_plan() -> tenant_desk_core::billing::PlanChoice {
    tenant_desk_core::billing::PlanChoice {
        plan_key: "individual".into(),
        extra_sessions: false,
        custom_sessions: Some(1000),
        custom_answered_only: false,
        custom_credit_based: true,
    }
}
