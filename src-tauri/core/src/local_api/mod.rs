//! The local tenant API's settings: whether this install serves it on
//! 127.0.0.1, and on which port. The server itself lives in the
//! `tenant-desk-api` crate; the app starts and stops it.

use crate::store::sql::{params, Tx};
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::authz::{authorize, permit, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::audit;
use crate::Desk;

pub const PORT_MIN: u16 = 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct LocalApiSettings {
    pub enabled: bool,
    /// 1024–65535, on 127.0.0.1 only.
    pub port: u16,
}

impl Desk {
    /// The saved settings, for the app to start the server with.
    pub fn local_api_config(&self) -> Result<LocalApiSettings> {
        self.db.read(stored)
    }

    pub fn local_api_settings(&self, actor: &Actor) -> Result<LocalApiSettings> {
        self.db.read(|tx| {
            permit(tx, actor, Operation::ManageLocalApi)?;
            stored(tx)
        })
    }

    /// A setting of the whole install, audited where every platform
    /// administrator reads it.
    pub fn update_local_api_settings(&self, actor: &Actor, settings: LocalApiSettings) -> Result<LocalApiSettings> {
        authorize(actor, Operation::ManageLocalApi)?;
        let mut errors = FieldErrors::new();
        if settings.port < PORT_MIN {
            errors.add("port", format!("Choose a port from {PORT_MIN} to 65535."));
        }
        errors.into_result()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            let permit = permit(tx, actor, Operation::ManageLocalApi)?;
            let before = stored(tx)?;
            tx.execute(
                "UPDATE local_api_settings SET enabled = ?1, port = ?2 WHERE id = 1",
                params![settings.enabled, settings.port],
            )?;
            audit::record(
                tx,
                audit::Entry::install_change(
                    Some(permit.account_id()),
                    now,
                    "local_api.update",
                    Some(json!({ "enabled": before.enabled, "port": before.port })),
                    Some(json!({ "enabled": settings.enabled, "port": settings.port })),
                ),
            )?;
            Ok(settings)
        })
    }
}

fn stored(tx: &Tx) -> Result<LocalApiSettings> {
    Ok(tx.query_row("SELECT enabled, port FROM local_api_settings WHERE id = 1", [], |r| {
        Ok(LocalApiSettings { enabled: r.get(0)?, port: r.get(1)? })
    })?)
}
