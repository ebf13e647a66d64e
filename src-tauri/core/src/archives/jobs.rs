//! Archive exports and imports running in the background: each on a thread
//! of its own, with the progress the window polls and the Cancel it sends.
//! A job is its starter's: nobody else follows or cancels it.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;
use specta::Type;

use super::{ArchiveCounts, ExportOutcome, ImportOutcome, Limits, Problem, Progress, SnapshotRow};
use crate::authz::{Actor, Operation};
use crate::error::{Error, Result};
use crate::Desk;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveJobKind {
    Export,
    Import,
}

impl ArchiveJobKind {
    fn operation(self) -> Operation {
        match self {
            ArchiveJobKind::Export => Operation::ExportTenantArchive,
            ArchiveJobKind::Import => Operation::ImportTenantArchive,
        }
    }
}

/// Where a job stands; everything but `running` is final.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ArchiveJobState {
    Running,
    Exported { path: String, counts: ArchiveCounts },
    Imported { snapshot: SnapshotRow },
    /// The archive was refused; nothing was written.
    Rejected { problems: Vec<Problem>, more: bool },
    Cancelled,
    Failed { message: String },
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct ArchiveJob {
    pub id: u32,
    pub kind: ArchiveJobKind,
    /// The chosen file's name.
    pub file: String,
    /// Records done of `total`.
    pub done: u32,
    pub total: u32,
    pub state: ArchiveJobState,
}

struct Job {
    /// The account that started it.
    owner: i64,
    kind: ArchiveJobKind,
    file: String,
    progress: Arc<Progress>,
    state: Mutex<ArchiveJobState>,
}

#[derive(Default)]
pub struct ArchiveJobs {
    next: AtomicU32,
    jobs: Mutex<HashMap<u32, Arc<Job>>>,
}

impl ArchiveJobs {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The job, if the actor started it: anyone else's id is "not found".
    fn owned(&self, actor: &Actor, id: u32) -> Result<Arc<Job>> {
        self.lock().get(&id).filter(|job| job.owner == actor.account_id).cloned().ok_or_else(|| Error::not_found("job"))
    }
}

impl Desk {
    /// Starts exporting the actor's tenant to `path` or importing `path`, once
    /// the actor may (the job itself checks again when it runs).
    pub fn start_archive_job(self: &Arc<Self>, actor: &Actor, kind: ArchiveJobKind, path: PathBuf) -> Result<u32> {
        self.check(actor, kind.operation())?;
        let jobs = &self.archive_jobs;
        let id = jobs.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job {
            owner: actor.account_id,
            kind,
            file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            progress: Arc::new(Progress::new()),
            state: Mutex::new(ArchiveJobState::Running),
        });
        jobs.lock().insert(id, job.clone());
        let desk = self.clone();
        let actor = actor.clone();
        tracing::info!(job = id, ?kind, account_id = actor.account_id, file = %job.file, "archive job started");
        std::thread::spawn(move || {
            let started = std::time::Instant::now();
            let state = match kind {
                ArchiveJobKind::Export => match desk.export_tenant_archive(&actor, &path, &job.progress) {
                    Ok(ExportOutcome::Exported { path, counts }) => ArchiveJobState::Exported { path, counts },
                    Ok(ExportOutcome::Cancelled) => ArchiveJobState::Cancelled,
                    Err(e) => ArchiveJobState::Failed { message: e.message },
                },
                ArchiveJobKind::Import => {
                    match desk.import_tenant_archive(&actor, &path, &job.progress, Limits::default()) {
                        Ok(ImportOutcome::Imported { snapshot }) => ArchiveJobState::Imported { snapshot },
                        Ok(ImportOutcome::Rejected { problems, more }) => ArchiveJobState::Rejected { problems, more },
                        Ok(ImportOutcome::Cancelled) => ArchiveJobState::Cancelled,
                        Err(e) => ArchiveJobState::Failed { message: e.message },
                    }
                }
            };
            log_end(id, kind, &state, job.progress.done(), started.elapsed());
            *job.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
        });
        Ok(id)
    }

    /// Where the actor's job stands.
    pub fn archive_job(&self, actor: &Actor, id: u32) -> Result<ArchiveJob> {
        let job = self.archive_jobs.owned(actor, id)?;
        let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
        let state = job.state.lock().unwrap_or_else(|p| p.into_inner()).clone();
        Ok(ArchiveJob {
            id,
            kind: job.kind,
            file: job.file.clone(),
            done: n(job.progress.done()),
            total: n(job.progress.total()),
            state,
        })
    }

    /// Asks the actor's job to stop; it stops at its next record.
    pub fn cancel_archive_job(&self, actor: &Actor, id: u32) -> Result<()> {
        self.archive_jobs.owned(actor, id)?.progress.cancel();
        Ok(())
    }
}

/// How a job ended, for the log: what it did and how long it took.
fn log_end(id: u32, kind: ArchiveJobKind, state: &ArchiveJobState, done: u64, took: Duration) {
    let ms = u64::try_from(took.as_millis()).unwrap_or(u64::MAX);
    match state {
        ArchiveJobState::Running => {}
        ArchiveJobState::Exported { counts, .. } => tracing::info!(
            job = id,
            ?kind,
            ms,
            users = counts.users,
            conversations = counts.conversations,
            messages = counts.messages,
            audit_log = counts.audit_log,
            "archive exported"
        ),
        ArchiveJobState::Imported { snapshot } => tracing::info!(
            job = id,
            ?kind,
            ms,
            snapshot_tenant_id = snapshot.tenant_id,
            users = snapshot.users,
            conversations = snapshot.conversations,
            messages = snapshot.messages,
            "archive imported"
        ),
        ArchiveJobState::Rejected { problems, more } => {
            tracing::info!(job = id, ?kind, ms, problems = problems.len(), more, "archive refused, nothing written")
        }
        ArchiveJobState::Cancelled => tracing::info!(job = id, ?kind, ms, records_done = done, "archive job cancelled"),
        ArchiveJobState::Failed { message } => tracing::warn!(job = id, ?kind, ms, error = %message, "archive job failed"),
    }
}
