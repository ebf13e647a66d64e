//! Profile > Security > Where you're signed in: this computer's windows
//! signed in to the account and its remembered sign-ins ("Keep me signed
//! in"), with their last use, and signing out of any of them.

use crate::store::sql::{params, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use super::login_session::{self, SessionToken};
use super::remembered::ABSOLUTE_LIFETIME;
use crate::authz::{permit, Operation};
use crate::clock::to_wire;
use crate::error::{Error, ErrorCode, Result};
use crate::audit;
use crate::Desk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A window signed in since Tenant Desk started.
    Window,
    /// "Keep me signed in": Tenant Desk opens signed in with it.
    Remembered,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct SignInPlace {
    pub kind: PlaceKind,
    pub id: i64,
    /// UTC, RFC 3339.
    pub started_on: String,
    pub last_used_on: String,
    /// This very window.
    pub current: bool,
    /// A window that came from a remembered sign-in.
    pub remembered: bool,
}

/// The live places of the account. Windows count from `opened_at`: a
/// window's token lives in memory only, so one from an earlier run of the
/// app can never be used again.
pub(crate) fn list(tx: &Tx, account_id: i64, token: &SessionToken, opened_at: i64, now: i64) -> Result<Vec<SignInPlace>> {
    let current = login_session::stored_id(token);
    let mut stmt = tx.prepare(
        "SELECT rowid, created_at, coalesce(last_active_at, created_at), id = ?2, remembered_id IS NOT NULL
           FROM login_sessions
          WHERE account_id = ?1 AND ended_at IS NULL AND awaiting_code = 0 AND (created_at >= ?3 OR id = ?2)
          ORDER BY id = ?2 DESC, created_at DESC",
    )?;
    let mut places = stmt
        .query_map(params![account_id, current, opened_at], |r| {
            Ok(SignInPlace {
                kind: PlaceKind::Window,
                id: r.get(0)?,
                started_on: to_wire(r.get(1)?),
                last_used_on: to_wire(r.get(2)?),
                current: r.get(3)?,
                remembered: r.get(4)?,
            })
        })?
        .collect::<crate::store::sql::Result<Vec<_>>>()?;
    let mut stmt = tx.prepare(
        "SELECT r.id, r.created_at, coalesce(r.last_used_at, r.created_at) FROM remembered_sign_ins r
          WHERE r.account_id = ?1 AND r.revoked_at IS NULL AND r.expires_at > ?2 AND r.created_at > ?3
            AND r.id NOT IN (SELECT remembered_id FROM login_sessions
                              WHERE account_id = ?1 AND ended_at IS NULL AND remembered_id IS NOT NULL
                                AND (created_at >= ?5 OR id = ?4))
          ORDER BY r.created_at DESC",
    )?;
    // A remembered sign-in with a window open is that window's row.
    let remembered = stmt.query_map(params![account_id, now, now - ABSOLUTE_LIFETIME.num_milliseconds(), current, opened_at], |r| {
        Ok(SignInPlace {
            kind: PlaceKind::Remembered,
            id: r.get(0)?,
            started_on: to_wire(r.get(1)?),
            last_used_on: to_wire(r.get(2)?),
            current: false,
            remembered: true,
        })
    })?;
    places.extend(remembered.collect::<crate::store::sql::Result<Vec<_>>>()?);
    Ok(places)
}

impl Desk {
    pub fn signed_in_places(&self, token: &SessionToken) -> Result<Vec<SignInPlace>> {
        let actor = self.actor(token)?;
        let now = self.now_millis();
        self.db.read(|tx| {
            let account_id = permit(tx, &actor, Operation::ManageOwnSignIns)?.account_id();
            list(tx, account_id, token, self.opened_at, now)
        })
    }

    /// Signs out of one place: a window ends (with the remembered sign-in it
    /// came from), a remembered sign-in is revoked (with the windows it
    /// opened). This window signs out with Log out.
    pub fn sign_out_place(&self, token: &SessionToken, kind: PlaceKind, id: i64) -> Result<Vec<SignInPlace>> {
        let actor = self.actor(token)?;
        let now = self.now_millis();
        let places = self.db.write(|tx| {
            let permit = permit(tx, &actor, Operation::ManageOwnSignIns)?;
            let account_id = permit.account_id();
            let place = list(tx, account_id, token, self.opened_at, now)?
                .into_iter()
                .find(|p| p.kind == kind && p.id == id)
                .ok_or_else(|| Error::not_found("sign-in"))?;
            if place.current {
                return Err(Error::new(ErrorCode::NotAllowed, "Use Log out to sign out of this window."));
            }
            let remembered_id: Option<i64> = match kind {
                PlaceKind::Window => {
                    let remembered_id = tx.query_row("SELECT remembered_id FROM login_sessions WHERE rowid = ?1", [id], |r| r.get(0))?;
                    tx.execute("UPDATE login_sessions SET ended_at = ?2 WHERE rowid = ?1", params![id, now])?;
                    remembered_id
                }
                PlaceKind::Remembered => Some(id),
            };
            if let Some(remembered_id) = remembered_id {
                tx.execute(
                    "UPDATE remembered_sign_ins SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                    params![remembered_id, now],
                )?;
                tx.execute(
                    "UPDATE login_sessions SET ended_at = ?2 WHERE remembered_id = ?1 AND ended_at IS NULL",
                    params![remembered_id, now],
                )?;
            }
            audit::record(
                tx,
                audit::Entry::own_account(
                    account_id,
                    permit.actor(),
                    now,
                    "account.sign_out_elsewhere",
                    json!({ "place": kind, "started_on": place.started_on }),
                ),
            )?;
            list(tx, account_id, token, self.opened_at, now)
        })?;
        super::remembered::forget_if_revoked(self);
        Ok(places)
    }
}
