//! Files the app hands to the person: written to their Downloads folder under
//! a name that never overwrites an earlier file.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tenant_desk_core::{Error, ErrorCode, Result};

/// Writes `contents` to Downloads as `stem.extension` (or `stem-2.extension`, …)
/// off the UI thread and returns the path written.
pub async fn save(app: &AppHandle, stem: &str, extension: &str, contents: String, what: &str) -> Result<String> {
    let what = what.to_owned();
    let unavailable = move |e: &dyn std::fmt::Display| {
        eprintln!("tenant-desk: {what} could not be saved: {e}");
        Error::new(ErrorCode::Desktop, format!("The {what} could not be saved to your Downloads folder."))
    };
    // Desktops without XDG user folders configured have no "download dir":
    // then ~/Downloads, as on most desktops.
    let dir = app
        .path()
        .download_dir()
        .or_else(|_| app.path().home_dir().map(|home| home.join("Downloads")))
        .map_err(|e| unavailable(&e))?;
    let (stem, extension) = (stem.to_owned(), extension.to_owned());
    tauri::async_runtime::spawn_blocking(move || {
        std::fs::create_dir_all(&dir).map_err(|e| unavailable(&e))?;
        let path = free_name(&dir, &stem, &extension);
        std::fs::write(&path, contents).map_err(|e| unavailable(&e))?;
        Ok(path.display().to_string())
    })
    .await
    .map_err(|e| Error::storage(format!("worker failed: {e}")))?
}

fn free_name(dir: &Path, stem: &str, extension: &str) -> PathBuf {
    let mut path = dir.join(format!("{stem}.{extension}"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.{extension}"));
        n += 1;
    }
    path
}
