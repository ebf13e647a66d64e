//! The local tenant API's settings: whether this install serves it on
//! 127.0.0.1, and on which port. The server itself lives in the
//! `tenant-desk-api` crate; the app starts and stops it.

use rusqlite::params;
use serde::{Deserialize, Serialize};
use serde_json::json;
use specta::Type;

use crate::authz::{authorize, Actor, Operation};
use crate::error::{FieldErrors, Result};
use crate::store::audit;
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
        self.db.read(|tx| {
            Ok(tx.query_row("SELECT enabled, port FROM local_api_settings WHERE id = 1", [], |r| {
                Ok(LocalApiSettings { enabled: r.get(0)?, port: r.get(1)? })
            })?)
        })
    }

    pub fn local_api_settings(&self, actor: &Actor) -> Result<LocalApiSettings> {
        authorize(actor, Operation::ManageLocalApi)?;
        self.local_api_config()
    }

    pub fn update_local_api_settings(&self, actor: &Actor, settings: LocalApiSettings) -> Result<LocalApiSettings> {
        authorize(actor, Operation::ManageLocalApi)?;
        let mut errors = FieldErrors::new();
        if settings.port < PORT_MIN {
            errors.add("port", format!("Choose a port from {PORT_MIN} to 65535."));
        }
        errors.into_result()?;
        let before = self.local_api_config()?;
        let now = self.now_millis();
        self.db.write(|tx| {
            tx.execute(
                "UPDATE local_api_settings SET enabled = ?1, port = ?2 WHERE id = 1",
                params![settings.enabled, settings.port],
            )?;
            audit::record(
                tx,
                audit::Entry {
                    at: now,
                    actor_account_id: Some(actor.account_id),
                    tenant_id: actor.tenant.as_ref().map(|t| t.tenant_id),
                    action: "local_api.update",
                    subject: "local_api".into(),
                    subject_account_id: None,
                    before: Some(json!({ "enabled": before.enabled, "port": before.port })),
                    after: Some(json!({ "enabled": settings.enabled, "port": settings.port })),
                },
            )?;
            Ok(settings)
        })
    }
}
