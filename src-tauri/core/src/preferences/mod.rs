//! Profile > Preferences: toasts, theme and the pinned home page, saved per
//! account and read back at every sign-in. Everyone edits their own, Tenant
//! Viewers included.

use rusqlite::{params, OptionalExtension, Transaction};
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
pub struct Preferences {
    /// Display Toast Notifications; off suppresses confirmations, actions still complete.
    pub show_toasts: bool,
    pub theme: Theme,
    /// The section the app opens on after sign-in, if one is pinned.
    pub pinned: Option<Section>,
}

impl Default for Preferences {
    fn default() -> Self {
        Self { show_toasts: true, theme: Theme::System, pinned: None }
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
                "INSERT INTO account_preferences (account_id, show_toasts, theme, pinned_section, modified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (account_id) DO UPDATE SET show_toasts = ?2, theme = ?3, pinned_section = ?4, modified_at = ?5",
                params![permit.account_id(), prefs.show_toasts, prefs.theme.key(), prefs.pinned.map(Section::key), now],
            )?;
            Ok(prefs)
        })
    }
}

/// An account's preferences; the defaults when it never changed any.
pub(crate) fn load(tx: &Transaction, account_id: i64) -> Result<Preferences> {
    let exists: bool = tx
        .query_row("SELECT 1 FROM accounts WHERE id = ?1 AND deleted_at IS NULL", [account_id], |_| Ok(true))
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::not_signed_in());
    }
    let row: Option<(bool, String, Option<String>)> = tx
        .query_row(
            "SELECT show_toasts, theme, pinned_section FROM account_preferences WHERE account_id = ?1",
            [account_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(match row {
        Some((show_toasts, theme, pinned)) => Preferences {
            show_toasts,
            theme: Theme::from_key(&theme),
            pinned: pinned.as_deref().and_then(Section::from_key),
        },
        None => Preferences::default(),
    })
}
