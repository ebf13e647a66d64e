//! A Secret Service that never answers: it owns org.freedesktop.secrets on
//! a private bus and leaves every call waiting forever, as a locked or hung
//! keyring daemon does.

use crate::notification_service::PrivateBus;

struct Hung;

#[zbus::interface(name = "org.freedesktop.Secret.Service")]
impl Hung {
    async fn open_session(&self, _algorithm: String, _input: zbus::OwnedVariant) -> (zbus::OwnedVariant, zbus::OwnedObjectPath) {
        std::future::pending().await
    }

    async fn search_items(
        &self,
        _attributes: std::collections::HashMap<String, String>,
    ) -> (Vec<zbus::OwnedObjectPath>, Vec<zbus::OwnedObjectPath>) {
        std::future::pending().await
    }
}

pub struct HungKeyring {
    _connection: zbus::Connection,
}

impl HungKeyring {
    pub async fn start(bus: &PrivateBus) -> Self {
        let connection = zbus::connection::Builder::address(bus.address.as_str())
            .name("org.freedesktop.secrets")
            .serve_at("/org/freedesktop/secrets", Hung)
            .build()
            .await
            .unwrap_or_else(|e| panic!("hung keyring on {}: {e}", bus.address));
        Self { _connection: connection }
    }
}
