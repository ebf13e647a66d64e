//! A run with the app's own log going to its file: setup and sign-ins with a
//! password (and wrong ones), MFA turned on and used, the window locked and
//! unlocked, the tenant API key copied and rotated, a personal API key, a
//! new user and a temporary password. Afterwards the whole log holds none of
//! the secrets the run handled, and the events support needs are there.

use std::path::Path;
use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use tenant_desk_core::auth::{SignInCodeInput, SignInInput, UnlockInput};
use tenant_desk_core::authz::Role;
use tenant_desk_core::clock::{Clock, ManualClock};
use tenant_desk_core::mfa::totp;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::secrets::{MemoryStore, SecretStore};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::users::NewUser;
use tenant_desk_core::{Desk, DeskConfig};
use tracing_subscriber::EnvFilter;

const EMAIL: &str = "grace@example.com";
const PASSWORD: &str = "violet marble canyon drifts";
const WRONG_PASSWORD: &str = "umber heron quietly sings";
const NEW_USER_PASSWORD: &str = "amber falcon river stone";

/// Random tokens (session, remembered sign-in, keys) are 32 bytes in URL-safe
/// base64: 43 characters. The window's session tokens never leave the core,
/// so no test can name them; no such run of characters may appear at all.
const TOKEN_LIKE_RUN: usize = 40;

#[test]
fn a_run_leaves_no_secret_in_the_log() {
    let dir = tempfile::tempdir().unwrap();
    // What people run with: the default filter, whatever RUST_LOG says here.
    let folder = super::install_filtered(|| EnvFilter::new(super::DEFAULT_FILTER)).unwrap().open(dir.path()).unwrap();
    let clock = Arc::new(ManualClock::new(Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap()));
    let keyring = Arc::new(MemoryStore::new());
    let desk = Desk::open(DeskConfig {
        data_dir: dir.path().to_owned(),
        clock: clock.clone(),
        secrets: keyring.clone(),
        notifier: Arc::new(Recorder::new()),
    })
    .unwrap();
    let code_now = |secret: &str| totp::code_at(secret, u64::try_from(clock.now().timestamp()).unwrap()).unwrap();
    let mut secrets: Vec<(String, String)> = vec![
        ("the password".into(), PASSWORD.into()),
        ("a wrong password".into(), WRONG_PASSWORD.into()),
        ("a new user's password".into(), NEW_USER_PASSWORD.into()),
    ];

    let setup = SetupInput {
        tenant_name: "Acme Support".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Grace Hopper".into(),
        email: EMAIL.into(),
        password: PASSWORD.into(),
        load_demo: false,
        load_demo_conversations: false,
    };
    let (token, _) = desk.complete_setup(setup.clone()).unwrap();
    desk.sign_out(&token).unwrap();
    let attempt = |email: &str, password: &str, remember: bool| {
        desk.sign_in(SignInInput { email: email.into(), password: password.into(), remember })
    };
    assert!(attempt(EMAIL, WRONG_PASSWORD, false).is_err());
    // A password typed into the email field is refused without being kept.
    assert!(attempt(PASSWORD, PASSWORD, false).is_err());
    let (token, _) = attempt(EMAIL, PASSWORD, true).unwrap();
    let actor = desk.actor(&token).unwrap();

    let mfa = desk.begin_mfa_setup(&actor, PASSWORD).unwrap();
    let mfa_secret = mfa.secret.replace(' ', "");
    let recovery = desk.confirm_mfa(&actor, &code_now(&mfa_secret)).unwrap();
    clock.advance(Duration::seconds(30));
    secrets.push(("the TOTP secret as shown".into(), mfa.secret.clone()));
    secrets.push(("the TOTP secret".into(), mfa_secret.clone()));
    secrets.push(("the otpauth address".into(), mfa.otpauth_url.clone()));
    secrets.extend(recovery.codes.iter().map(|c| ("a recovery code".into(), c.clone())));

    desk.sign_out(&token).unwrap();
    let (token, _) = attempt(EMAIL, PASSWORD, false).unwrap();
    desk.verify_sign_in_code(&token, SignInCodeInput { code: recovery.codes[0].clone(), remember: false }).unwrap();
    desk.lock_session(&token).unwrap();
    clock.advance(Duration::seconds(30));
    desk.unlock_session(&token, &UnlockInput { password: PASSWORD.into(), code: code_now(&mfa_secret) }).unwrap();
    let actor = desk.actor(&token).unwrap();
    let tenant_id = actor.tenant.as_ref().unwrap().tenant_id;

    let first_key = desk.tenant_api_key(&actor, tenant_id).unwrap();
    desk.rotate_tenant_api_key(&actor, tenant_id).unwrap();
    let second_key = desk.tenant_api_key(&actor, tenant_id).unwrap();
    secrets.push(("the tenant API key".into(), first_key.expose().to_owned()));
    secrets.push(("the rotated tenant API key".into(), second_key.expose().to_owned()));
    let personal = desk
        .create_personal_api_key(&actor, &NewPersonalApiKey { name: "Nightly import".into(), expires_in_days: Some(30) })
        .unwrap();
    secrets.push(("a personal API key".into(), personal.secret.clone()));

    let user = NewUser {
        name: "Ada Lovelace".into(),
        email: "ada@example.com".into(),
        password: NEW_USER_PASSWORD.into(),
        role: Role::TenantUser,
        tenant_id,
        schedule: None,
    };
    let added = desk.create_user(&actor, user.clone()).unwrap();
    let temporary = desk.reset_user_password(&actor, added.id).unwrap();
    secrets.push(("a temporary password".into(), temporary.password.clone()));

    for entry in keyring.keys() {
        let held = keyring.get(&entry).unwrap().unwrap_or_default();
        secrets.push((format!("the keyring entry {entry}"), held));
    }
    let session_hashes: Vec<String> = desk
        .db()
        .read(|tx| {
            let mut stmt = tx.prepare("SELECT id FROM login_sessions")?;
            let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<Vec<String>, _>>()?;
            Ok(ids)
        })
        .unwrap();
    assert!(!session_hashes.is_empty());
    secrets.extend(session_hashes.into_iter().map(|h| ("a session token's hash".into(), h)));

    // The values' Debug forms, which a `?value` field would print, hide them too.
    let debug_forms = [
        format!("{setup:?}"),
        format!("{:?}", SignInInput { email: EMAIL.into(), password: PASSWORD.into(), remember: false }),
        format!("{mfa:?}"),
        format!("{recovery:?}"),
        format!("{first_key:?}"),
        format!("{personal:?}"),
        format!("{user:?}"),
        format!("{temporary:?}"),
        format!("{token:?}"),
    ];
    for (what, secret) in &secrets {
        for form in &debug_forms {
            assert!(!form.contains(secret.as_str()), "a Debug form shows {what}: {form}");
        }
    }

    let log = whole_log(&folder);
    for (what, secret) in &secrets {
        assert!(!secret.is_empty(), "{what} is known to the test");
        assert!(!log.contains(secret.as_str()), "the log holds {what}");
    }
    let token_like: Vec<&str> = token_like_runs(&log).collect();
    assert!(token_like.is_empty(), "token-like text in the log: {token_like:?}");

    for event in [
        "store opened",
        "signed in",
        "sign-in refused",
        "MFA turned on",
        "window locked",
        "window unlocked",
        "tenant API key read for the clipboard",
        "tenant API key rotated",
        "personal API key created",
    ] {
        assert!(log.contains(event), "the log records \"{event}\":\n{log}");
    }
    assert!(log.contains("schema_version="), "{log}");
    assert!(log.contains(" INFO tenant_desk_core::auth::events: signed in account_id="), "{log}");
    assert!(log.contains("step=\"code\""), "{log}");
    assert!(log.contains(" WARN tenant_desk_core::auth::events: sign-in refused known_account=false"), "{log}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&folder), 0o700, "the log folder is its owner's alone");
        for file in tenant_desk_core::diagnostics::log_files::files(&folder) {
            assert_eq!(mode(&file), 0o600, "{} is its owner's alone", file.display());
        }
    }
}

/// Every file of the log folder, whatever the day.
fn whole_log(folder: &Path) -> String {
    let mut log = String::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        log.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    assert!(!log.is_empty(), "the run was logged");
    log
}

fn token_like_runs(log: &str) -> impl Iterator<Item = &str> {
    log.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).filter(|run| run.len() >= TOKEN_LIKE_RUN)
}
