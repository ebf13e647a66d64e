use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, State};
use tauri_specta::Event;
use tenant_desk_core::analytics::{AnalyticsRange, ChartExport, ChartExports};
use tenant_desk_core::Result;

use crate::file_dialogs;
use crate::state::AppState;

/// Emitted when a chart data export changes state (finished, timed out,
/// expired), so the export history updates without a refresh.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ChartExportsChanged {
    pub export_id: Option<i64>,
}

pub fn tell_window(app: &AppHandle, export_id: Option<i64>) {
    if let Err(e) = (ChartExportsChanged { export_id }).emit(app) {
        tracing::warn!(error = %e, "the window not told of a chart data export");
    }
}

/// Export: records the job and answers at once; the job runs on a worker
/// thread of its own, so it goes on while the person uses other screens.
#[tauri::command]
#[specta::specta]
pub async fn start_chart_export(app: AppHandle, state: State<'_, AppState>, range: AnalyticsRange) -> Result<ChartExport> {
    let export = state.as_actor(move |desk, actor| desk.start_chart_export(actor, &range)).await?;
    let desk = state.desk().clone();
    let id = export.id;
    tauri::async_runtime::spawn_blocking(move || {
        // A failure is logged by the core and leaves the job Timed Out.
        let _ = desk.run_chart_export(id);
        tell_window(&app, Some(id));
    });
    Ok(export)
}

#[tauri::command]
#[specta::specta]
pub async fn list_chart_exports(state: State<'_, AppState>) -> Result<ChartExports> {
    state.as_actor(|desk, actor| desk.chart_exports(actor)).await
}

/// Download: the desktop's save dialog, then the file written where chosen.
/// Answers the path, or nothing when the person cancelled.
#[tauri::command]
#[specta::specta]
pub async fn download_chart_export(app: AppHandle, state: State<'_, AppState>, id: i64) -> Result<Option<String>> {
    let file = state.as_actor(move |desk, actor| desk.chart_export_file(actor, id)).await?;
    let saved =
        file_dialogs::save_text(&app, "Download chart data", &file.file_name, &file_dialogs::CSV, file.contents).await;
    // The history may have changed while the dialog was open (an expiry).
    tell_window(&app, Some(id));
    saved
}

#[tauri::command]
#[specta::specta]
pub async fn set_chart_export_expiry(state: State<'_, AppState>, hours: i64) -> Result<()> {
    state.as_actor(move |desk, actor| desk.set_chart_export_expiry(actor, hours)).await
}
