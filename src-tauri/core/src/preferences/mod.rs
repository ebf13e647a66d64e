//! Profile > Preferences: toasts, theme, the pinned home page and what closing
//! the window does, saved per account and read back at every sign-in. Everyone edits their own, Tenant
//! Viewers included.

use crate::store::sql::{params, OptionalExtension, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use crate::authz::{permit, Actor, Operation, Permit};
use crate::error::{Error, FieldErrors, Result};
use crate::menu::{self, Section};
use crate::Desk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follows the operating system's light or dark mode, live.
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    fn key(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn from_key(key: &str) -> Theme {
        Theme::ALL.into_iter().find(|t| t.key() == key).unwrap_or(Theme::System)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct Preferences {
    /// Display Toast Notifications; off suppresses confirmations, actions still complete.
    pub show_toasts: bool,
    pub theme: Theme,
    /// The section the app opens on after sign-in, if one is pinned.
    pub pinned: Option<Section>,
    /// Closing the window keeps the app running in the tray (where the
    /// desktop has one), so notifications keep coming; off, closing quits.
    pub keep_running_when_closed: bool,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { show_toasts: true, theme: Theme::System, pinned: None, keep_running_when_closed: true }
    }
}

impl Desk {
    pub fn preferences(&self, actor: &Actor) -> Result<Preferences> {
        self.db.read(|tx| load(tx, permit(tx, actor, Operation::ManageOwnPreferences)?.account_id()))
    }

    pub fn set_show_toasts(&self, actor: &Actor, show: bool) -> Result<Preferences> {
        self.save(actor, |_, p| {
            p.show_toasts = show;
            Ok(())
        })
    }

    pub fn set_theme(&self, actor: &Actor, theme: Theme) -> Result<Preferences> {
        self.save(actor, |_, p| {
            p.theme = theme;
            Ok(())
        })
    }

    /// Pins a section the actor can open as the page shown after sign-in.
    pub fn pin_home_page(&self, actor: &Actor, section: Section) -> Result<Preferences> {
        self.save(actor, |permit, p| {
            if !menu::sections(permit.actor()).contains(&section) {
                let mut errors = FieldErrors::new();
                errors.add("pinned", "Only a section in your menu can be pinned.");
                errors.into_result()?;
            }
            p.pinned = Some(section);
            Ok(())
        })
    }

    pub fn set_keep_running_when_closed(&self, actor: &Actor, keep: bool) -> Result<Preferences> {
        self.save(actor, |_, p| {
            p.keep_running_when_closed = keep;
            Ok(())
        })
    }

    /// The window was closed into the tray: whether this is the first time
    /// for the person (they are then told once how it works).
    pub fn first_close_to_tray(&self, actor: &Actor) -> Result<bool> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let account_id = permit(tx, actor, Operation::ManageOwnPreferences)?.account_id();
            tx.execute(
                "INSERT INTO account_preferences (account_id, modified_at) VALUES (?1, ?2) ON CONFLICT (account_id) DO NOTHING",
                params![account_id, now],
            )?;
            Ok(tx.execute(
                "UPDATE account_preferences SET tray_notice_shown = 1 WHERE account_id = ?1 AND tray_notice_shown = 0",
                [account_id],
            )? == 1)
        })
    }

    pub fn unpin_home_page(&self, actor: &Actor) -> Result<Preferences> {
        self.save(actor, |_, p| {
            p.pinned = None;
            Ok(())
        })
    }

    /// Reads, changes and writes back in one write transaction, so two quick
    /// changes never undo each other.
    fn save(&self, actor: &Actor, change: impl FnOnce(&Permit, &mut Preferences) -> Result<()>) -> Result<Preferences> {
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageOwnPreferences)?;
            let mut prefs = load(tx, permit.account_id())?;
            change(&permit, &mut prefs)?;
            tx.execute(
                "INSERT INTO account_preferences (account_id, show_toasts, theme, pinned_section, keep_running_when_closed, modified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (account_id) DO UPDATE SET show_toasts = ?2, theme = ?3, pinned_section = ?4,
                                                        keep_running_when_closed = ?5, modified_at = ?6",
                params![
                    permit.account_id(),
                    prefs.show_toasts,
                    prefs.theme.key(),
                    prefs.pinned.map(Section::key),
                    prefs.keep_running_when_closed,
                    now
                ],
            )?;
            Ok(prefs)
        })
    }
}

/// An account's preferences; the defaults when it never changed any.
pub(crate) fn load(tx: &Tx, account_id: i64) -> Result<Preferences> {
    let exists: bool = tx
        .query_row("SELECT 1 FROM accounts WHERE id = ?1 AND deleted_at IS NULL", [account_id], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::not_signed_in());
    }
    let row: Option<(bool, String, Option<String>, bool)> = tx
        .query_row(
            "SELECT show_toasts, theme, pinned_section, keep_running_when_closed FROM account_preferences WHERE account_id = ?1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(match row {
        Some((show_toasts, theme, pinned, keep_running_when_closed)) => Preferences {
            show_toasts,
            theme: Theme::from_key(&theme),
            pinned: pinned.as_deref().and_then(Section::from_key),
            keep_running_when_closed,
        },
        None => Preferences::default(),
    })
}
