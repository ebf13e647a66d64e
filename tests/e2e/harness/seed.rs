//! Preparing an install through the core itself, for flows that start after setup.

use std::path::Path;
use std::sync::Arc;

use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::clock::{Clock, SystemClock};
use tenant_desk_core::local_api::LocalApiSettings;
use tenant_desk_core::secrets::{KeyringStore, MemoryStore, SecretStore, KEYRING_SERVICE};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::tenants::TenantFields;
use tenant_desk_core::{Desk, DeskConfig};

pub const ADMIN_NAME: &str = "Grace Hopper";
pub const ADMIN_EMAIL: &str = "grace@example.com";
pub const PASSWORD: &str = "violet marble canyon drifts";

pub fn set_up(dir: &Path, load_demo: bool) {
    off_runtime(|| {
        set_up_with(open(dir, Arc::new(MemoryStore::new())), load_demo);
    })
}

/// Setup as it happened `days_ago` days back: everything it records (the
/// accounts, the demo data, the audit) is dated then, so an archive exported
/// "as of" that day holds nothing from its future.
pub fn set_up_days_ago(dir: &Path, load_demo: bool, days_ago: u64) {
    off_runtime(|| {
        use tenant_desk_core::clock::{from_millis, to_millis, ManualClock};
        let then = to_millis(SystemClock.now()) - days_ago as i64 * 86_400_000;
        set_up_with(open_at(dir, Arc::new(MemoryStore::new()), Arc::new(ManualClock::new(from_millis(then)))), load_demo);
    })
}

fn set_up_with(desk: Desk, load_demo: bool) {
    let (token, _) = desk
        .complete_setup(SetupInput {
            tenant_name: "Acme Support".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: ADMIN_NAME.into(),
            email: ADMIN_EMAIL.into(),
            password: PASSWORD.into(),
            load_demo,
            load_demo_conversations: false,
        })
        .unwrap_or_else(|e| panic!("seeding setup failed: {e:?}"));
    // As the server's own setup does: nobody stays signed in (a team server
    // counts every live sign-in as someone a notice can reach).
    desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out after setup: {e:?}"));
}

/// The remembered sign-in this install keeps in the real OS keyring, if any.
/// The keyring client drives its own runtime, so it runs on a blocking thread.
pub async fn remembered_token(dir: &Path) -> Option<String> {
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || {
        let desk = open(&dir, Arc::new(MemoryStore::new()));
        KeyringStore::new(KEYRING_SERVICE)
            .get(&desk.remembered_sign_in_key())
            .unwrap_or_else(|e| panic!("keyring: {e}"))
    })
    .await
    .unwrap_or_else(|e| panic!("keyring thread: {e}"))
}

/// The sign-in a desktop keeps in the real keyring for the team server at
/// `base` ("Keep me signed in" against a server), if any.
pub async fn remembered_server_token(base: &str) -> Option<String> {
    let key = format!("team-server-sign-in:{base}");
    tokio::task::spawn_blocking(move || KeyringStore::new(KEYRING_SERVICE).get(&key).unwrap_or_else(|e| panic!("keyring: {e}")))
        .await
        .unwrap_or_else(|e| panic!("keyring thread: {e}"))
}

/// Runs a seed off the async runtime's context: the PostgreSQL client of a
/// team server's store blocks on a runtime of its own, which may not start
/// inside another.
fn off_runtime<T>(seed: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current() {
        Ok(_) => tokio::task::block_in_place(seed),
        Err(_) => seed(),
    }
}

fn open(dir: &Path, secrets: Arc<dyn SecretStore>) -> Desk {
    open_at(dir, secrets, Arc::new(SystemClock))
}

fn open_at(dir: &Path, secrets: Arc<dyn SecretStore>, clock: Arc<dyn Clock>) -> Desk {
    // Seeding shows no notifications: the app under test does that.
    let notifier = Arc::new(tenant_desk_core::notifications::Recorder::new());
    let config = DeskConfig { data_dir: dir.to_owned(), clock, secrets, notifier };
    // A team server's store in PostgreSQL: the database its folder names.
    match std::fs::read_to_string(dir.join(super::team_server::DATABASE_MARKER)) {
        Ok(url) => {
            let db = tenant_desk_core::store::Db::open_postgres(&tenant_desk_core::store::PgSettings::new(url.trim()))
                .unwrap_or_else(|e| panic!("open {url}: {e:?}"));
            Desk::open_on(config, db)
        }
        Err(_) => Desk::open(config),
    }
    .unwrap_or_else(|e| panic!("open: {e:?}"))
}

/// Adds the users of a CSV (`id,name,email,role,created_at`, as written by
/// the peer benchmark script) to the first tenant, straight into the tables
/// (the triggers build the search index). They share one placeholder hash:
/// nobody signs in as them. Returns how many were added.
pub fn load_users_csv(dir: &Path, csv: &Path) -> usize {
    off_runtime(|| {
        let text = std::fs::read_to_string(csv).unwrap_or_else(|e| panic!("{}: {e}", csv.display()));
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.db()
            .write(|tx| {
                let mut account = tx.prepare(
                    "INSERT INTO accounts (email, email_key, name, password_hash, created_at, modified_at)
                     VALUES (?1, lower(?1), ?2, 'bench: no password', 0, 0)",
                )?;
                let mut member = tx.prepare(
                    "INSERT INTO memberships (account_id, tenant_id, role, created_at, modified_at)
                     VALUES (?1, (SELECT min(id) FROM tenants), ?2, 0, 0)",
                )?;
                let mut n = 0;
                for line in text.lines().skip(1) {
                    let f: Vec<&str> = line.split(',').collect();
                    let role = match f.get(3).copied().unwrap_or_default() {
                        "Tenant Admin" => "tenant_admin",
                        "Tenant Operator" => "tenant_operator",
                        "Tenant Viewer" => "tenant_viewer",
                        _ => "tenant_user",
                    };
                    account.execute([f[2], f[1]])?;
                    member.execute(tenant_desk_core::params![tx.last_insert_rowid()?, role])?;
                    n += 1;
                }
                Ok(n)
            })
            .unwrap_or_else(|e| panic!("loading users: {e:?}"))
    })
}

/// Like [`set_up`], with the real OS keyring, so the tenant's API key is on
/// this machine as when the app sets up. Runs on a blocking thread (the
/// keyring client drives its own runtime).
pub async fn set_up_keeping_keys(dir: &Path) {
    let dir = dir.to_owned();
    tokio::task::spawn_blocking(move || {
        let desk = open(&dir, Arc::new(KeyringStore::new(KEYRING_SERVICE)));
        desk.complete_setup(SetupInput {
            tenant_name: "Acme Support".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: ADMIN_NAME.into(),
            email: ADMIN_EMAIL.into(),
            password: PASSWORD.into(),
            load_demo: false,
            load_demo_conversations: false,
        })
        .unwrap_or_else(|e| panic!("seeding setup failed: {e:?}"));
    })
    .await
    .unwrap_or_else(|e| panic!("setup thread: {e}"))
}

/// Adds a tenant as the platform administrator; optionally marks it read-only
/// (which only support does, so there is no screen for it).
pub fn add_tenant(dir: &Path, details: TenantFields, read_only: bool) -> i64 {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        let id = desk.add_tenant(&actor, &details).unwrap_or_else(|e| panic!("add tenant: {e:?}")).id;
        if read_only {
            desk.db()
                .write(|tx| Ok(tx.execute("UPDATE tenants SET read_only = 1 WHERE id = ?1", [id])?))
                .unwrap_or_else(|e| panic!("read-only: {e:?}"));
        }
        id
    })
}

/// Takes every membership from an account, leaving it with no tenant.
pub fn remove_memberships(dir: &Path, email: &str) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .write(|tx| {
                Ok(tx.execute(
                    "DELETE FROM memberships WHERE account_id = (SELECT id FROM accounts WHERE email = ?1)",
                    [email],
                )?)
            })
            .unwrap_or_else(|e| panic!("remove memberships: {e:?}"));
    })
}

/// The tenant a key verifies for, as the tenant API will ask.
pub fn verify_api_key(dir: &Path, key: &str) -> Option<i64> {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new())).verify_tenant_api_key(key).unwrap_or_else(|e| panic!("verify: {e:?}"))
    })
}

pub fn tenant_id(dir: &Path, name: &str) -> i64 {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .read(|tx| Ok(tx.query_row("SELECT id FROM tenants WHERE name = ?1", [name], |r| r.get(0))?))
            .unwrap_or_else(|e| panic!("tenant {name}: {e:?}"))
    })
}

/// An account's name and phone as stored.
pub fn account_details(dir: &Path, email: &str) -> (String, String) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .read(|tx| {
                Ok(tx.query_row("SELECT name, phone FROM accounts WHERE email = ?1", [email], |r| Ok((r.get(0)?, r.get(1)?)))?)
            })
            .unwrap_or_else(|e| panic!("account {email}: {e:?}"))
    })
}

/// Renames an account behind the window's back, as another program would.
pub fn rename_account(dir: &Path, email: &str, name: &str) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .write(|tx| Ok(tx.execute("UPDATE accounts SET name = ?2 WHERE email = ?1", [email, name])?))
            .unwrap_or_else(|e| panic!("rename {email}: {e:?}"));
    })
}

/// The account and tenant a personal API key acts for, as the local API will
/// ask (recording its use).
pub fn verify_personal_api_key(dir: &Path, key: &str) -> Option<(i64, i64)> {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .verify_personal_api_key(key)
            .unwrap_or_else(|e| panic!("verify: {e:?}"))
            .map(|actor| (actor.account_id, actor.tenant.map(|t| t.tenant_id).unwrap_or_default()))
    })
}

/// The code an authenticator app holding `secret` (as the window shows it)
/// displays `steps_ahead` 30-second steps from now.
pub fn totp_code(secret: &str, steps_ahead: u64) -> String {
    off_runtime(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default();
        tenant_desk_core::mfa::totp::code_at(&secret.replace(' ', ""), now + 30 * steps_ahead)
            .unwrap_or_else(|e| panic!("totp: {e:?}"))
    })
}

/// Sets a tenant's "Require MFA" straight in the store (in the window only an
/// administrator with MFA of their own can).
pub fn require_mfa(dir: &Path, tenant_name: &str) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .write(|tx| Ok(tx.execute("UPDATE tenants SET require_mfa = 1 WHERE name = ?1", [tenant_name])?))
            .unwrap_or_else(|e| panic!("require MFA: {e:?}"));
    })
}

/// Turns the local tenant API on at `port` and returns a tenant API key for
/// it (a fresh one: the seeding keyring is in memory, so the key is rotated
/// to be known here).
pub fn enable_local_api(dir: &Path, port: u16) -> String {
    off_runtime(|| {
        enable_local_api_with(dir, port, Arc::new(MemoryStore::new()))
    })
}

/// The same, with the new key kept in the real OS keyring, where the app
/// finds it (to sign its reply deliveries). Blocking: call it off the runtime.
pub fn enable_local_api_in_keyring(dir: &Path, port: u16) -> String {
    off_runtime(|| {
        enable_local_api_with(dir, port, Arc::new(KeyringStore::new(KEYRING_SERVICE)))
    })
}

/// A new tenant API key for the seeded tenant, as its Tenant Admin makes
/// one (for a team server's store, which serves the tenant API itself).
pub fn tenant_api_key(dir: &Path) -> String {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let admin = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        let tenant = admin.tenant.as_ref().map(|t| t.tenant_id).unwrap_or_else(|| panic!("no tenant"));
        desk.rotate_tenant_api_key(&admin, tenant).unwrap_or_else(|e| panic!("rotate: {e:?}"));
        let key = desk.tenant_api_key(&admin, tenant).unwrap_or_else(|e| panic!("key: {e:?}")).expose().to_owned();
        // Signed out again: the administrator is not left signed in somewhere (notices reach those who are).
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
        key
    })
}

/// `count` messages in the seeded tenant, ten to a conversation, through the
/// core's bulk path: a store of a benchmark's size (1,000,000 messages is
/// about 190 MB).
pub fn messages(dir: &Path, count: usize) {
    use tenant_desk_core::conversations::{Author, ConversationStatus, ImportedConversation, ImportedMessage};
    const WORDS: [&str; 8] = ["order", "parcel", "refund", "invoice", "delivery", "address", "payment", "courier"];
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin: tenant_desk_core::authz::Caller = (&actor(&desk, ADMIN_EMAIL)).into();
        let start_ms: i64 = 1_735_689_600_000; // 2025-01-01
        let conversations = count / 10;
        for batch in 0..conversations.div_ceil(1000) {
            let batch: Vec<ImportedConversation> = (batch * 1000..conversations.min(batch * 1000 + 1000))
                .map(|c| {
                    let created = start_ms + c as i64 * 300_000;
                    ImportedConversation {
                        channel: "web".into(),
                        customer: format!("Customer {c}"),
                        operator_account_id: None,
                        status: if c % 3 == 0 { ConversationStatus::Open } else { ConversationStatus::Resolved },
                        created_at: created,
                        messages: (0..10)
                            .map(|m| ImportedMessage {
                                author: if m % 2 == 0 { Author::Customer } else { Author::AiAgent },
                                text: format!("Hello, my {} and {} please ({c}).", WORDS[(c + m) % 8], WORDS[(c * 7 + m) % 8]),
                                at: created + m as i64 * 20_000,
                            })
                            .collect(),
                    }
                })
                .collect();
            desk.import_conversations(&admin, &batch).unwrap_or_else(|e| panic!("messages: {e:?}"));
        }
    })
}

/// Sets the seeded tenant's delivery address, as its Tenant Admin would.
pub fn delivery_address(dir: &Path, url: &str) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, ADMIN_EMAIL);
        desk.set_delivery_address(&admin, url).unwrap_or_else(|e| panic!("delivery address: {e:?}"));
    })
}

fn enable_local_api_with(dir: &Path, port: u16, secrets: Arc<dyn SecretStore>) -> String {
    let desk = open(dir, secrets);
    let (token, _) = desk
        .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
        .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
    let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
    let tenant = actor.tenant.as_ref().map(|t| t.tenant_id).unwrap_or_else(|| panic!("no tenant"));
    desk.rotate_tenant_api_key(&actor, tenant).unwrap_or_else(|e| panic!("rotate: {e:?}"));
    let key = desk.tenant_api_key(&actor, tenant).unwrap_or_else(|e| panic!("key: {e:?}"));
    desk.update_local_api_settings(&actor, LocalApiSettings { enabled: true, port })
        .unwrap_or_else(|e| panic!("local API: {e:?}"));
    desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
    key.expose().to_owned()
}

/// The account id of a person, by email.
pub fn account_id(dir: &Path, email: &str) -> i64 {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .read(|tx| Ok(tx.query_row("SELECT id FROM accounts WHERE email = ?1", [email], |r| r.get(0))?))
            .unwrap_or_else(|e| panic!("account {email}: {e:?}"))
    })
}

/// Gives an operator a schedule of every hour of every day, or one with no
/// hours at all (never on shift), so whether they are on shift does not
/// depend on when the test runs.
pub fn set_operator_shift(dir: &Path, email: &str, always: bool) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .write(|tx| {
                let membership: i64 = tx.query_row(
                    "SELECT m.id FROM memberships m JOIN accounts a ON a.id = m.account_id WHERE a.email = ?1",
                    [email],
                    |r| r.get(0),
                )?;
                tx.execute("DELETE FROM operator_schedule_ranges WHERE membership_id = ?1", [membership])?;
                tx.execute("DELETE FROM operator_schedules WHERE membership_id = ?1", [membership])?;
                tx.execute("INSERT INTO operator_schedules (membership_id, zone) VALUES (?1, 'UTC')", [membership])?;
                if always {
                    for day in 0..7 {
                        tx.execute(
                            "INSERT INTO operator_schedule_ranges (membership_id, weekday, start_minute, end_minute)
                             VALUES (?1, ?2, 0, 1440)",
                            [membership, day],
                        )?;
                    }
                }
                Ok(())
            })
            .unwrap_or_else(|e| panic!("schedule of {email}: {e:?}"));
    })
}

/// Turns desktop notifications on (or one category off) for a person, as
/// their Settings > Notifications would.
pub fn notifications(dir: &Path, email: &str, new_messages: bool) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        desk.enable_notifications(&actor).unwrap_or_else(|e| panic!("enable: {e:?}"));
        desk.set_notification_category(&actor, tenant_desk_core::notifications::Category::NewMessage, new_messages)
            .unwrap_or_else(|e| panic!("category: {e:?}"));
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
    })
}

/// Puts the seeded tenant on a credit-based plan (Individual, paid with
/// credits) holding `credits`.
pub fn put_on_credits(dir: &Path, credits: i64) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        let plan = tenant_desk_core::billing::PlanChoice {
            plan_key: "individual".into(),
            extra_sessions: false,
            custom_sessions: Some(1000),
            custom_answered_only: false,
            custom_credit_based: true,
        };
        desk.change_plan(&actor, &plan).unwrap_or_else(|e| panic!("plan: {e:?}"));
        desk.add_credits(&actor, credits).unwrap_or_else(|e| panic!("credits: {e:?}"));
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
    })
}

/// A backup of the whole store written by the platform administrator to `dest`.
pub fn back_up(dir: &Path, dest: &Path) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        desk.back_up_store(&actor, dest).unwrap_or_else(|e| panic!("backup: {e:?}"));
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
    })
}

/// Where the first page of `table`'s b-tree is in the store's file: its
/// offset and the page size.
pub fn first_page_of(dir: &Path, table: &str) -> (usize, usize) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.db()
            .read(|tx| {
                let page_size: i64 = tx.query_row("PRAGMA page_size", [], |r| r.get(0))?;
                let root: i64 = tx.query_row("SELECT rootpage FROM sqlite_schema WHERE name = ?1", [table], |r| r.get(0))?;
                Ok((((root - 1) * page_size) as usize, page_size as usize))
            })
            .unwrap_or_else(|e| panic!("the pages of {table}: {e:?}"))
    })
}

/// Today's automatic backup, in the app's backup folder.
pub fn daily_backup(dir: &Path) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.daily_backup_if_due().unwrap_or_else(|e| panic!("daily backup: {e:?}"));
    })
}

/// Setup with the demo team and its 90 days of demo conversations, as
/// "Load demo data" in the window does.
pub fn set_up_with_demo_conversations(dir: &Path) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.complete_setup(SetupInput {
            tenant_name: "Acme Support".into(),
            timezone: "Europe/Berlin".into(),
            admin_name: ADMIN_NAME.into(),
            email: ADMIN_EMAIL.into(),
            password: PASSWORD.into(),
            load_demo: true,
            load_demo_conversations: true,
        })
        .unwrap_or_else(|e| panic!("seeding setup failed: {e:?}"));
    })
}

fn actor(desk: &Desk, email: &str) -> tenant_desk_core::authz::Actor {
    let (token, _) = desk
        .sign_in(SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
        .unwrap_or_else(|e| panic!("sign-in of {email}: {e:?}"));
    desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"))
}

/// The charts as the core computes them for `email` over the last 30 days.
pub fn analytics_last_30_days(dir: &Path, email: &str) -> tenant_desk_core::analytics::Analytics {
    off_runtime(|| {
        use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.analytics(&actor(&desk, email), &AnalyticsRange::preset(RangePreset::Last30Days))
            .unwrap_or_else(|e| panic!("analytics: {e:?}"))
    })
}

/// Records a chart data export of the last 7 days for `email` that nothing
/// runs: before a launch, a job the last run was cut short in; while the app
/// runs, one still in progress.
pub fn start_chart_export(dir: &Path, email: &str) -> i64 {
    off_runtime(|| {
        use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.start_chart_export(&actor(&desk, email), &AnalyticsRange::preset(RangePreset::Last7Days))
            .unwrap_or_else(|e| panic!("export: {e:?}"))
            .id
    })
}

/// Saves a theme in an account's preferences, as Profile > Preferences does.
pub fn set_theme(dir: &Path, email: &str, theme: tenant_desk_core::preferences::Theme) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.set_theme(&actor(&desk, email), theme).unwrap_or_else(|e| panic!("theme: {e:?}"));
    })
}

/// Adds `count` conversations of `messages` messages each to the seeded
/// tenant through the core's bulk path.
pub fn add_conversations(dir: &Path, count: usize, messages: usize) {
    off_runtime(|| {
        use tenant_desk_core::conversations::{Author, ImportedMessage, ImportedConversation, ConversationStatus};
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: ADMIN_EMAIL.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        let start = 1_767_225_600_000_i64; // 2026-01-01
        let conversations: Vec<ImportedConversation> = (0..count)
            .map(|i| {
                let created_at = start + i as i64 * 60_000;
                ImportedConversation {
                    channel: if i % 2 == 0 { "web".into() } else { "email".into() },
                    customer: format!("Customer {i}"),
                    operator_account_id: None,
                    status: if i % 3 == 0 { ConversationStatus::Resolved } else { ConversationStatus::Open },
                    created_at,
                    messages: (0..messages)
                        .map(|m| ImportedMessage {
                            author: if m % 2 == 0 { Author::Customer } else { Author::AiAgent },
                            text: format!("Message {m} about order ORD-{i}"),
                            at: created_at + m as i64 * 1_000,
                        })
                        .collect(),
                }
            })
            .collect();
        desk.import_conversations(&(&actor).into(), &conversations).unwrap_or_else(|e| panic!("conversations: {e:?}"));
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
    })
}

/// The seeded tenant exported by its administrator to `dest` as an archive of
/// the core, its "data as of" `days_ago` days back, so two archives of one
/// tenant tell apart in the Archives screen.
pub fn export_archive(dir: &Path, dest: &Path, days_ago: u64) {
    off_runtime(|| {
        use tenant_desk_core::archives::Progress;
        use tenant_desk_core::clock::{from_millis, to_millis, ManualClock};
        let then = to_millis(SystemClock.now()) - days_ago as i64 * 86_400_000;
        let desk = open_at(dir, Arc::new(MemoryStore::new()), Arc::new(ManualClock::new(from_millis(then))));
        desk.export_tenant_archive(&actor(&desk, ADMIN_EMAIL), dest, &Progress::new())
            .unwrap_or_else(|e| panic!("export: {e:?}"));
    })
}

/// The seeded tenant's user with `email`, as the administrator's Users tab finds it.
fn user(desk: &Desk, admin: &tenant_desk_core::authz::Actor, email: &str) -> tenant_desk_core::users::UserRow {
    use tenant_desk_core::users::UserQuery;
    desk.list_users(admin, &UserQuery::search(email))
        .unwrap_or_else(|e| panic!("users: {e:?}"))
        .rows
        .into_iter()
        .find(|u| u.email == email)
        .unwrap_or_else(|| panic!("no user {email}"))
}

/// Deletes a user of the seeded tenant, as Delete user does.
pub fn delete_user(dir: &Path, email: &str) {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, ADMIN_EMAIL);
        let id = user(&desk, &admin, email).id;
        desk.delete_user(&admin, id).unwrap_or_else(|e| panic!("delete {email}: {e:?}"));
    })
}

/// Gives a user of the seeded tenant another role, as Edit user does.
pub fn change_role(dir: &Path, email: &str, role: tenant_desk_core::authz::Role) {
    off_runtime(|| {
        use tenant_desk_core::users::UserChanges;
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, ADMIN_EMAIL);
        let found = user(&desk, &admin, email);
        let changes = UserChanges { name: found.name, role, tenant_id: found.tenant_id, schedule: None };
        desk.update_user(&admin, found.id, changes).unwrap_or_else(|e| panic!("role of {email}: {e:?}"));
    })
}

/// `by` (an administrator of the seeded tenant) renames a user, as Edit
/// user does on another desktop.
pub fn rename_user_as(dir: &Path, by: &str, email: &str, name: &str) {
    off_runtime(|| {
        use tenant_desk_core::users::UserChanges;
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, by);
        let found = user(&desk, &admin, email);
        let changes = UserChanges { name: name.into(), role: found.role, tenant_id: found.tenant_id, schedule: None };
        desk.update_user(&admin, found.id, changes).unwrap_or_else(|e| panic!("rename {email}: {e:?}"));
    })
}

/// `email` creates an organization of their own and works in it from then on
/// (the switcher's choice is remembered). Returns its id.
pub fn own_organization(dir: &Path, email: &str, name: &str) -> i64 {
    off_runtime(|| {
        use tenant_desk_core::organizations::NewOrganization;
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let (token, _) = desk
            .sign_in(SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in of {email}: {e:?}"));
        let actor = desk.actor(&token).unwrap_or_else(|e| panic!("actor: {e:?}"));
        let org = desk
            .create_organization(&actor, &NewOrganization { name: name.into(), billing_email: "billing@example.com".into(), timezone: "UTC".into() })
            .unwrap_or_else(|e| panic!("create organization: {e:?}"));
        desk.switch_organization(&token, org.id).unwrap_or_else(|e| panic!("switch: {e:?}"));
        desk.sign_out(&token).unwrap_or_else(|e| panic!("sign-out: {e:?}"));
        org.id
    })
}

/// A person with an account in another tenant only, which the platform
/// administrator adds.
pub fn account_in_new_tenant(dir: &Path, tenant_name: &str, email: &str) {
    off_runtime(|| {
        use tenant_desk_core::authz::Role;
        use tenant_desk_core::users::NewUser;
        let details = TenantFields {
            name: tenant_name.into(),
            billing_email: "billing@example.com".into(),
            timezone: "UTC".into(),
            ..TenantFields::default()
        };
        let tenant_id = add_tenant(dir, details, false);
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, ADMIN_EMAIL);
        let input = NewUser { name: "Olga Petrova".into(), email: email.into(), password: PASSWORD.into(), role: Role::TenantUser, tenant_id, schedule: None };
        desk.create_user(&admin, input).unwrap_or_else(|e| panic!("create {email}: {e:?}"));
        desk.db()
            .write(|tx| Ok(tx.execute("UPDATE accounts SET must_change_password = 0 WHERE email = ?1", [email])?))
            .unwrap_or_else(|e| panic!("password: {e:?}"));
    })
}

/// Signs `email` in somewhere else (another window, as far as the store
/// knows) and returns that sign-in.
pub fn sign_in_elsewhere(dir: &Path, email: &str) -> tenant_desk_core::auth::SessionToken {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        desk.sign_in(SignInInput { email: email.into(), password: PASSWORD.into(), remember: false })
            .unwrap_or_else(|e| panic!("sign-in of {email}: {e:?}"))
            .0
    })
}

/// Whether a sign-in still opens anything.
pub fn still_signed_in(dir: &Path, token: &tenant_desk_core::auth::SessionToken) -> bool {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new())).actor(token).is_ok()
    })
}

/// The minutes without input after which a tenant's windows lock.
pub fn set_idle_lock(dir: &Path, tenant_name: &str, minutes: u32) {
    off_runtime(|| {
        open(dir, Arc::new(MemoryStore::new()))
            .db()
            .write(|tx| Ok(tx.execute(&format!("UPDATE tenants SET idle_lock_minutes = {minutes} WHERE name = ?1"), [tenant_name])?))
            .unwrap_or_else(|e| panic!("idle lock: {e:?}"));
    })
}

/// The id of a user (membership) of the seeded tenant, as the Users table lists it.
pub fn user_id(dir: &Path, email: &str) -> i64 {
    off_runtime(|| {
        let desk = open(dir, Arc::new(MemoryStore::new()));
        let admin = actor(&desk, ADMIN_EMAIL);
        user(&desk, &admin, email).id
    })
}
