//! The desktop's own file chooser. Commands ask it from Rust and write the
//! file themselves, so the window never hands the shell a path to write to.

use std::io::Write;
use std::path::{Path, PathBuf};

use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder, FilePath};
use tenant_desk_core::{Error, ErrorCode, Result};

/// What the chooser offers to show, e.g. "CSV files" with `*.csv`.
pub struct FileType {
    pub name: &'static str,
    pub extensions: &'static [&'static str],
}

pub const CSV: FileType = FileType { name: "CSV files", extensions: &["csv"] };
pub const IMAGES: FileType = FileType { name: "PNG or JPEG images", extensions: &["png", "jpg", "jpeg"] };
pub const ARCHIVES: FileType = FileType { name: "Tenant Desk archives", extensions: &["zip"] };
pub const TEXT: FileType = FileType { name: "Text files", extensions: &["txt"] };
pub const BACKUPS: FileType = FileType { name: "Tenant Desk backups", extensions: &["sqlite3"] };

/// Asks where to save, suggesting `file_name` in Downloads. `None` when the
/// person cancels.
pub async fn choose_save_path(app: &AppHandle, title: &str, file_name: &str, file_type: &FileType) -> Option<PathBuf> {
    choose_save_path_in(app, title, file_name, file_type, None).await
}

/// As `choose_save_path`, starting in `folder` (created if missing) instead of Downloads.
pub async fn choose_save_path_in(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    file_type: &FileType,
    folder: Option<&Path>,
) -> Option<PathBuf> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    chooser(app, title, file_type, folder)
        .set_file_name(file_name)
        .save_file(move |path| {
            let _ = answer.send(path);
        });
    chosen.await.ok().flatten().and_then(local_path)
}

/// Asks which file to open. `None` when the person cancels.
pub async fn choose_open_path(app: &AppHandle, title: &str, file_type: &FileType) -> Option<PathBuf> {
    choose_open_path_in(app, title, file_type, None).await
}

/// As `choose_open_path`, starting in `folder` instead of Downloads.
pub async fn choose_open_path_in(app: &AppHandle, title: &str, file_type: &FileType, folder: Option<&Path>) -> Option<PathBuf> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    chooser(app, title, file_type, folder).pick_file(move |path| {
        let _ = answer.send(path);
    });
    chosen.await.ok().flatten().and_then(local_path)
}

/// Asks where to save, then writes `contents` there off the UI thread.
/// Answers the path written, or `None` when the person cancelled.
pub async fn save_text(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    file_type: &FileType,
    contents: String,
) -> Result<Option<String>> {
    let Some(path) = choose_save_path(app, title, file_name, file_type).await else {
        return Ok(None);
    };
    tauri::async_runtime::spawn_blocking(move || {
        write_whole(&path, contents.as_bytes()).map_err(|e| {
            tracing::warn!(file = %path.display(), error = %e, "saved file not written");
            Error::new(ErrorCode::Desktop, format!("{} could not be written: {e}", path.display()))
        })?;
        Ok(Some(path.display().to_string()))
    })
    .await
    .map_err(|e| Error::internal(format!("worker failed: {e}")))?
}

/// Writes beside the target and renames at the end, so a failure never leaves
/// half a file under the chosen name (nor destroys the file it replaces).
fn write_whole(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(contents)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

fn chooser(app: &AppHandle, title: &str, file_type: &FileType, folder: Option<&Path>) -> FileDialogBuilder<tauri::Wry> {
    let mut builder = app.dialog().file().set_title(title).add_filter(file_type.name, file_type.extensions);
    if let Some(folder) = folder {
        let _ = std::fs::create_dir_all(folder);
    }
    let start = folder
        .map(Path::to_path_buf)
        .into_iter()
        .chain([app.path().download_dir(), app.path().home_dir()].into_iter().flatten())
        .find(|d| d.is_dir());
    if let Some(dir) = start {
        builder = builder.set_directory(dir);
    }
    // Attached to the window, so it stays on top of it and is modal to it.
    match app.get_webview_window("main") {
        Some(window) => builder.set_parent(&window),
        None => builder,
    }
}

fn local_path(path: FilePath) -> Option<PathBuf> {
    path.into_path().ok()
}
