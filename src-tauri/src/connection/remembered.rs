//! "Keep me signed in" against a team server: its token in this desktop's
//! OS keyring, one entry per server address. The server keeps only a hash.

use std::sync::Arc;

use tenant_desk_core::secrets::SecretStore;

use super::TeamServer;

fn entry(server: &TeamServer) -> String {
    format!("team-server-sign-in:{}", server.base())
}

pub async fn keep(keyring: &Arc<dyn SecretStore>, server: &TeamServer, token: &str) {
    let (keyring, key, token) = (keyring.clone(), entry(server), token.to_owned());
    let kept = tauri::async_runtime::spawn_blocking(move || keyring.put(&key, &token)).await;
    if !matches!(kept, Ok(Ok(()))) {
        tracing::warn!("the team server sign-in is not kept: the keyring refused it");
    }
}

pub async fn recall(keyring: &Arc<dyn SecretStore>, server: &TeamServer) -> Option<String> {
    let (keyring, key) = (keyring.clone(), entry(server));
    tauri::async_runtime::spawn_blocking(move || keyring.get(&key)).await.ok()?.ok()?
}

pub async fn forget(keyring: &Arc<dyn SecretStore>, server: &TeamServer) {
    let (keyring, key) = (keyring.clone(), entry(server));
    let _ = tauri::async_runtime::spawn_blocking(move || keyring.delete(&key)).await;
}
