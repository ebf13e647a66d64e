//! Login sessions: one per signed-in window. The window keeps a random token
//! in memory; the database keeps its hash and whether the session has ended.

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::Serialize;
use specta::Type;

use crate::authz::{Actor, Role, TenantContext};
use crate::error::{Error, Result};
use crate::menu::{self, Menu};
use crate::preferences;
use crate::secrets::random;
use crate::tenants::rules::IDLE_LOCK_MINUTES_DEFAULT;
use crate::Desk;

/// The in-memory proof of a signed-in window. Its Debug form hides the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionToken(String);

impl SessionToken {
    /// The token as a client of the team server holds it (its bearer
    /// credential); the store keeps only its hash. Never logged.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// A token a client presented: every operation checks it as it checks
    /// the window's own.
    pub fn presented(token: String) -> Self {
        SessionToken(token)
    }
}

impl std::fmt::Debug for SessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionToken(…)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct AccountSummary {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub is_platform_admin: bool,
    /// Unlocking an idle window asks for a code too.
    pub mfa_on: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct TenantSummary {
    pub id: i64,
    pub name: String,
    pub timezone: String,
    /// Nothing of the tenant can be changed (a snapshot): the window offers
    /// no changes, and the core refuses them.
    pub read_only: bool,
    /// A read-only snapshot: when its data was exported, in its timezone.
    pub snapshot_data_as_of: Option<String>,
}

/// What the window needs to know about who is signed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SignedIn {
    pub account: AccountSummary,
    pub tenant: Option<TenantSummary>,
    pub role: Option<Role>,
    pub menu: Menu,
    /// What the window offers this person beyond the menu.
    pub offers: crate::authz::Offers,
    /// Whether this sign-in is kept in the OS keyring for the next start.
    pub remembered: bool,
    /// The password was set by an administrator: nothing opens until the
    /// person chooses a new one (the menu is empty meanwhile).
    pub must_change_password: bool,
    /// MFA is on: the code (or a recovery code) must follow the password
    /// before anything opens.
    pub second_factor_required: bool,
    /// A tenant of the account requires MFA: it must be set up before
    /// anything else opens.
    pub mfa_enrollment_required: bool,
    /// The window is locked (left idle, or locked by its person): it stays
    /// covered until the password (and code) unlock it.
    pub locked: bool,
    /// Minutes without input after which the window locks: the shortest any
    /// tenant of the account asks for.
    pub idle_lock_minutes: u32,
}

/// Starts a session for the account in the organization it last chose, or
/// its first one. `awaiting_code`: the password was right but MFA is on, so
/// nothing opens until a code is accepted.
pub(crate) fn start(
    tx: &Tx,
    account_id: i64,
    remembered_id: Option<i64>,
    awaiting_code: bool,
    now: i64,
) -> Result<SessionToken> {
    let tenant_id: Option<i64> = tx
        .query_row(
            "SELECT m.tenant_id FROM memberships m JOIN accounts a ON a.id = m.account_id
              WHERE m.account_id = ?1
              ORDER BY m.tenant_id IS DISTINCT FROM a.current_tenant_id, m.id LIMIT 1",
            [account_id],
            |r| r.get(0),
        )
        .optional()?;
    let token = random::token(32)?;
    tx.execute(
        "INSERT INTO login_sessions (id, account_id, tenant_id, remembered_id, awaiting_code, created_at, last_active_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![random::token_hash(&token), account_id, tenant_id, remembered_id, awaiting_code, now],
    )?;
    Ok(SessionToken(token))
}

/// The session's key in `login_sessions`: the hash of its token.
pub(crate) fn stored_id(token: &SessionToken) -> String {
    random::token_hash(&token.0)
}

pub(crate) struct LiveSession {
    pub account_id: i64,
    is_platform_admin: bool,
    pub tenant_id: Option<i64>,
    pub remembered_id: Option<i64>,
    pub must_change_password: bool,
    /// MFA is on and this sign-in still waits for its code.
    pub awaiting_code: bool,
    /// A tenant of the account requires MFA and the account has none yet.
    pub must_enroll_mfa: bool,
    /// The last input in the window.
    pub last_active_at: i64,
    /// Locked until the person unlocks it.
    pub locked: bool,
    pub idle_lock_minutes: i64,
}

impl LiveSession {
    /// Signed in all the way: no code, new password or MFA setup pending.
    fn open(&self) -> bool {
        !self.awaiting_code && !self.must_change_password && !self.must_enroll_mfa
    }

    /// Whether input stopped long enough ago for the window to lock.
    fn idle(&self, now: i64) -> bool {
        now - self.last_active_at >= self.idle_lock_minutes.saturating_mul(60_000)
    }

    /// The window is covered: locked already, or idle past its limit.
    pub fn covered(&self, now: i64) -> bool {
        self.open() && (self.locked || self.idle(now))
    }
}


pub(crate) fn live(tx: &Tx, token: &SessionToken) -> Result<LiveSession> {
    tx.query_row(
        &format!(
            "SELECT s.account_id, a.is_platform_admin, s.tenant_id, s.remembered_id, a.must_change_password,
                    s.awaiting_code,
                    NOT EXISTS (SELECT 1 FROM account_mfa f WHERE f.account_id = a.id)
                      AND EXISTS (SELECT 1 FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                                   WHERE m.account_id = a.id AND t.require_mfa = 1 AND m.snapshot_reader = 0),
                    coalesce(s.last_active_at, s.created_at), s.locked_at IS NOT NULL,
                    -- The shortest idle lock of the account's tenants.
                    coalesce((SELECT min(t.idle_lock_minutes) FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                               WHERE m.account_id = a.id AND m.snapshot_reader = 0), {IDLE_LOCK_MINUTES_DEFAULT})
               FROM login_sessions s JOIN accounts a ON a.id = s.account_id
              WHERE s.id = ?1 AND s.ended_at IS NULL AND a.deleted_at IS NULL"
        ),
        [random::token_hash(&token.0)],
        |r| {
            Ok(LiveSession {
                account_id: r.get(0)?,
                is_platform_admin: r.get(1)?,
                tenant_id: r.get(2)?,
                remembered_id: r.get(3)?,
                must_change_password: r.get(4)?,
                awaiting_code: r.get(5)?,
                must_enroll_mfa: r.get(6)?,
                last_active_at: r.get(7)?,
                locked: r.get(8)?,
                idle_lock_minutes: r.get(9)?,
            })
        },
    )
    .optional()?
    .ok_or_else(Error::not_signed_in)
}

/// The person operations run for. Refused while a sign-in is unfinished: its
/// code still to come, a temporary password to replace, or MFA to set up
/// because a tenant requires it. No operation opens before that.
fn actor(tx: &Tx, s: LiveSession) -> Result<Actor> {
    if s.must_enroll_mfa && !s.awaiting_code && !s.must_change_password {
        return Err(Error::mfa_enrollment_required());
    }
    enrolling_actor(tx, s)
}

/// Like [`actor`], but open while MFA must be set up: the one thing such a
/// session may do is set it up.
pub(crate) fn enrolling_actor(tx: &Tx, s: LiveSession) -> Result<Actor> {
    if s.awaiting_code {
        return Err(Error::second_factor_required());
    }
    if s.must_change_password {
        return Err(Error::password_change_required());
    }
    resolve(tx, s)
}

fn resolve(tx: &Tx, s: LiveSession) -> Result<Actor> {
    let tenant = match s.tenant_id {
        Some(tenant_id) => tx
            .query_row(
                "SELECT m.role, t.read_only FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                  WHERE m.account_id = ?1 AND m.tenant_id = ?2",
                params![s.account_id, tenant_id],
                |r| Ok((r.get::<_, Role>(0)?, r.get::<_, bool>(1)?)),
            )
            .optional()?
            .map(|(role, read_only)| TenantContext { tenant_id, role, read_only }),
        None => None,
    };
    Ok(Actor { account_id: s.account_id, is_platform_admin: s.is_platform_admin, tenant, through_key: false })
}

pub(crate) fn view(tx: &Tx, token: &SessionToken, now: i64) -> Result<SignedIn> {
    let s = live(tx, token)?;
    let remembered = s.remembered_id.is_some();
    let locked = s.covered(now);
    let idle_lock_minutes = u32::try_from(s.idle_lock_minutes).unwrap_or(IDLE_LOCK_MINUTES_DEFAULT);
    // One step at a time: the code, then a new password, then MFA setup.
    let second_factor_required = s.awaiting_code;
    let must_change_password = s.must_change_password && !second_factor_required;
    let mfa_enrollment_required = s.must_enroll_mfa && !second_factor_required && !must_change_password;
    let actor = resolve(tx, s)?;
    let account = tx.query_row(
        "SELECT id, name, email, is_platform_admin, EXISTS (SELECT 1 FROM account_mfa WHERE account_id = a.id)
           FROM accounts a WHERE id = ?1",
        [actor.account_id],
        |r| {
            Ok(AccountSummary {
                id: r.get(0)?,
                name: r.get(1)?,
                email: r.get(2)?,
                is_platform_admin: r.get(3)?,
                mfa_on: r.get(4)?,
            })
        },
    )?;
    let tenant = match &actor.tenant {
        Some(t) => Some(tx.query_row(
            "SELECT t.id, t.name, t.timezone, s.data_as_of, t.read_only FROM tenants t LEFT JOIN snapshots s ON s.tenant_id = t.id
              WHERE t.id = ?1",
            [t.tenant_id],
            |r| {
                let timezone: String = r.get(2)?;
                let as_of: Option<i64> = r.get(3)?;
                Ok(TenantSummary {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    read_only: r.get(4)?,
                    snapshot_data_as_of: as_of.map(|at| crate::tenants::in_zone(at, &timezone)),
                    timezone,
                })
            },
        )?),
        None => None,
    };
    let unfinished = second_factor_required || must_change_password || mfa_enrollment_required;
    let menu = if unfinished { menu::locked() } else { menu::for_actor(&actor, preferences::load(tx, actor.account_id)?.pinned) };
    let offers = if unfinished { crate::authz::Offers::none() } else { crate::authz::Offers::for_actor(&actor) };
    Ok(SignedIn {
        account,
        tenant,
        role: actor.role(),
        menu,
        offers,
        remembered,
        must_change_password,
        second_factor_required,
        mfa_enrollment_required,
        locked,
        idle_lock_minutes,
    })
}

/// Locks the window and the remembered sign-in it came from (the app opens
/// locked again if it is closed meanwhile).
pub(crate) fn lock(tx: &Tx, token: &SessionToken, now: i64) -> Result<()> {
    let id = random::token_hash(&token.0);
    tx.execute("UPDATE login_sessions SET locked_at = ?2 WHERE id = ?1 AND locked_at IS NULL", params![id, now])?;
    tx.execute(
        "UPDATE remembered_sign_ins SET locked_at = ?2
          WHERE id = (SELECT remembered_id FROM login_sessions WHERE id = ?1) AND locked_at IS NULL",
        params![id, now],
    )?;
    Ok(())
}

/// Ends every session of an account and revokes its remembered sign-ins (the
/// account was deleted or its password reset).
pub(crate) fn end_all(tx: &Tx, account_id: i64, now: i64) -> Result<()> {
    tx.execute(
        "UPDATE login_sessions SET ended_at = ?2 WHERE account_id = ?1 AND ended_at IS NULL",
        params![account_id, now],
    )?;
    tx.execute(
        "UPDATE remembered_sign_ins SET revoked_at = ?2 WHERE account_id = ?1 AND revoked_at IS NULL",
        params![account_id, now],
    )?;
    Ok(())
}

/// Ends the account's sessions that work in `tenant_id` (they were removed
/// from it); their other tenants and remembered sign-ins are untouched.
pub(crate) fn end_in(tx: &Tx, account_id: i64, tenant_id: i64, now: i64) -> Result<()> {
    tx.execute(
        "UPDATE login_sessions SET ended_at = ?3 WHERE account_id = ?1 AND tenant_id = ?2 AND ended_at IS NULL",
        params![account_id, tenant_id, now],
    )?;
    Ok(())
}

/// Ends every session of every account and revokes every remembered sign-in
/// (a restored store starts with nobody signed in).
pub(crate) fn end_everyone(tx: &Tx, now: i64) -> Result<()> {
    tx.execute("UPDATE login_sessions SET ended_at = ?1 WHERE ended_at IS NULL", [now])?;
    tx.execute("UPDATE remembered_sign_ins SET revoked_at = ?1 WHERE revoked_at IS NULL", [now])?;
    Ok(())
}

/// Ends the session; returns the remembered sign-in it came with, if any.
pub(crate) fn end(tx: &Tx, token: &SessionToken, now: i64) -> Result<Option<i64>> {
    let s = live(tx, token)?;
    tx.execute(
        "UPDATE login_sessions SET ended_at = ?2 WHERE id = ?1",
        params![random::token_hash(&token.0), now],
    )?;
    Ok(s.remembered_id)
}

impl Desk {
    /// Resolves the live session to the person operations run for. Fails
    /// with "not signed in" once the session ended or the account was
    /// deleted, and with "locked" while the window is locked: a window idle
    /// past its tenants' limit is locked here, whatever the window shows.
    pub fn actor(&self, token: &SessionToken) -> Result<Actor> {
        self.unlocked_actor(token, actor)
    }

    /// The actor for setting up MFA: open also while a tenant's "Require
    /// MFA" keeps everything else closed.
    pub fn enrolling_actor(&self, token: &SessionToken) -> Result<Actor> {
        self.unlocked_actor(token, enrolling_actor)
    }

    fn unlocked_actor(&self, token: &SessionToken, resolve: fn(&Tx, LiveSession) -> Result<Actor>) -> Result<Actor> {
        let now = self.now_millis();
        let resolved = self.db.read(|tx| {
            let s = live(tx, token)?;
            if s.covered(now) {
                return Ok(Err(s.locked));
            }
            resolve(tx, s).map(Ok)
        })?;
        match resolved {
            Ok(actor) => Ok(actor),
            Err(already) => {
                if !already {
                    self.db.write(|tx| lock(tx, token, now))?;
                }
                Err(Error::session_locked())
            }
        }
    }

    pub fn signed_in(&self, token: &SessionToken) -> Result<SignedIn> {
        let now = self.now_millis();
        self.db.read(|tx| view(tx, token, now))
    }
}
