//! Import users from CSV: the file chosen in the desktop's own chooser and
//! read here (the import itself is the `import_users` operation, here or on
//! the team server), and the temporary passwords saved where the person chooses.

use serde::Serialize;
use specta::Type;
use tauri::AppHandle;
use tenant_desk_core::users::{TemporaryPassword, MAX_CSV_BYTES};
use tenant_desk_core::{Error, ErrorCode, Result};

use crate::file_dialogs::{self, CSV};

/// The CSV file chosen: its name and its text.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChosenCsv {
    pub name: String,
    pub text: String,
}

/// Asks for a CSV file and reads it; `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn choose_users_csv(app: AppHandle) -> Result<Option<ChosenCsv>> {
    let Some(path) = file_dialogs::choose_open_path(&app, "Import users from CSV", &CSV).await else {
        return Ok(None);
    };
    tauri::async_runtime::spawn_blocking(move || {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let size = std::fs::metadata(&path).map_err(|e| Error::file_system(format!("cannot read {name}: {e}")))?.len();
        if size > MAX_CSV_BYTES as u64 {
            return Err(Error::new(ErrorCode::Validation, format!("{name} is larger than 64 MiB; split it in several files.")));
        }
        let bytes = std::fs::read(&path).map_err(|e| Error::file_system(format!("cannot read {name}: {e}")))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::new(ErrorCode::Validation, format!("{name} is not UTF-8 text; save it as CSV UTF-8.")))?;
        Ok(Some(ChosenCsv { name, text }))
    })
    .await
    .map_err(|e| Error::internal(format!("worker failed: {e}")))?
}

/// Saves the temporary passwords of an import to a CSV file readable by its
/// owner only; answers the path, or nothing when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn save_temporary_passwords(app: AppHandle, passwords: Vec<TemporaryPassword>) -> Result<Option<String>> {
    let text = tenant_desk_core::list_csv::temporary_passwords(&passwords)?;
    file_dialogs::save_text(&app, "Save temporary passwords", "temporary-passwords.csv", &CSV, text).await
}

