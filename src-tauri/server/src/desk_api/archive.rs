//! `GET /api/desk/v1/archive`: the tenant the person works in, as an archive
//! in today's format, so a desktop can keep a read-only snapshot of it for
//! reviewing offline (with its "data as of"). The same rule as the window's
//! Export: Tenant Admins and platform administrators.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::Response;
use futures_util::stream;
use tenant_desk_api::ApiError;
use tenant_desk_core::archives::{ExportOutcome, Progress};
use tenant_desk_core::store::private::private_dir;
use tokio::io::AsyncReadExt;

use super::{blocking, Bearer, DeskApi};

/// Where an archive is written before it is sent; it is gone once sending starts.
const FOLDER: &str = "archive-downloads";

pub async fn download(State(api): State<DeskApi>, Bearer(token): Bearer) -> Result<Response, ApiError> {
    let desk = api.desk.clone();
    let folder = api.data_dir.join(FOLDER);
    let (path, name) = blocking(move || {
        let actor = desk.actor(&token)?;
        let tenant_id = actor.tenant.as_ref().map(|t| t.tenant_id).unwrap_or_default();
        private_dir(&folder).map_err(|e| tenant_desk_core::Error::file_system(format!("{}: {e}", folder.display())))?;
        let target = folder.join(format!("{}.zip", tenant_desk_core::secrets::random::token(12)?));
        match desk.export_tenant_archive(&actor, &target, &Progress::new())? {
            ExportOutcome::Exported { .. } => Ok((target, format!("tenant-{tenant_id}.zip"))),
            ExportOutcome::Cancelled => Err(tenant_desk_core::Error::internal("the export stopped").into()),
        }
    })
    .await?;
    let file = tokio::fs::File::open(&path).await.map_err(|e| {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", format!("The archive could not be read: {e}"))
    });
    // Open files stay readable once unlinked: nothing is left behind, whatever happens to the transfer.
    let _ = std::fs::remove_file(&path);
    let chunks = stream::unfold(file?, |mut file| async move {
        let mut buffer = vec![0; 64 * 1024];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(Bytes::from(buffer)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "application/zip")
        .header(header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\""))
        .body(Body::from_stream(chunks))
        .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "The archive could not be sent."))
}
