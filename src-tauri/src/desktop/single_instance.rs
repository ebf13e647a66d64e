//! One Tenant Desk per data folder: a second launch on the same folder brings
//! the first window forward and opens none of its own
//! (tauri-plugin-single-instance, a D-Bus name on Linux). Another folder
//! (`TENANT_DESK_DATA_DIR`) is another workspace and runs beside it.

use std::hash::{Hash, Hasher};

use tauri::plugin::TauriPlugin;
use tauri::Wry;

use super::window_life;
use crate::data_dir;

/// The instance's D-Bus name: the app identifier, with the data folder when
/// it is not the platform's default one.
fn dbus_id(identifier: &str, folder: Option<&std::ffi::OsStr>) -> String {
    match folder {
        Some(folder) => {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            folder.hash(&mut hasher);
            format!("{identifier}.folder{:016x}", hasher.finish())
        }
        None => identifier.to_owned(),
    }
}

pub fn plugin(identifier: &str) -> TauriPlugin<Wry> {
    let folder = std::env::var_os(data_dir::ENV_VAR).filter(|d| !d.is_empty());
    tauri_plugin_single_instance::Builder::new()
        .callback(|app, _args, _cwd| {
            tracing::info!("Tenant Desk launched again: the open window is brought forward");
            window_life::bring_forward(app);
        })
        .dbus_id(dbus_id(identifier, folder.as_deref()))
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_data_folder_is_its_own_instance() {
        let id = "app.tenantdesk.desktop";
        assert_eq!(dbus_id(id, None), id);
        let a = dbus_id(id, Some("/tmp/a".as_ref()));
        let b = dbus_id(id, Some("/tmp/b".as_ref()));
        assert_ne!(a, b);
        assert_eq!(a, dbus_id(id, Some("/tmp/a".as_ref())));
        // A D-Bus name element may not start with a digit.
        assert!(a.rsplit('.').next().is_some_and(|last| last.starts_with("folder")));
    }
}
