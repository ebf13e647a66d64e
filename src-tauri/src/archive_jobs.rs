//! Archive exports and imports running in the background: each on a thread
//! of its own, with the progress the window polls and the Cancel it sends.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use specta::Type;
use tenant_desk_core::archives::{ArchiveCounts, ExportOutcome, ImportOutcome, Limits, Problem, Progress, SnapshotRow};
use tenant_desk_core::authz::Actor;
use tenant_desk_core::{Desk, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ArchiveJobKind {
    Export,
    Import,
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
    /// Starts exporting the actor's tenant to `path` or importing `path`.
    pub fn start(&self, desk: Arc<Desk>, actor: Actor, kind: ArchiveJobKind, path: PathBuf) -> u32 {
        let id = self.next.fetch_add(1, Ordering::Relaxed) + 1;
        let job = Arc::new(Job {
            kind,
            file: path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
            progress: Arc::new(Progress::new()),
            state: Mutex::new(ArchiveJobState::Running),
        });
        self.lock().insert(id, job.clone());
        std::thread::spawn(move || {
            let state = match kind {
                ArchiveJobKind::Export => match desk.export_tenant_archive(&actor, &path, &job.progress) {
                    Ok(ExportOutcome::Exported { path, counts }) => ArchiveJobState::Exported { path, counts },
                    Ok(ExportOutcome::Cancelled) => ArchiveJobState::Cancelled,
                    Err(e) => failed(e),
                },
                ArchiveJobKind::Import => {
                    match desk.import_tenant_archive(&actor, &path, &job.progress, Limits::default()) {
                        Ok(ImportOutcome::Imported { snapshot }) => ArchiveJobState::Imported { snapshot },
                        Ok(ImportOutcome::Rejected { problems, more }) => ArchiveJobState::Rejected { problems, more },
                        Ok(ImportOutcome::Cancelled) => ArchiveJobState::Cancelled,
                        Err(e) => failed(e),
                    }
                }
            };
            *job.state.lock().unwrap_or_else(|p| p.into_inner()) = state;
        });
        id
    }

    pub fn get(&self, id: u32) -> Result<ArchiveJob> {
        let job = self.lock().get(&id).cloned().ok_or_else(|| Error::not_found("job"))?;
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

    pub fn cancel(&self, id: u32) -> Result<()> {
        let job = self.lock().get(&id).cloned().ok_or_else(|| Error::not_found("job"))?;
        job.progress.cancel();
        Ok(())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, Arc<Job>>> {
        self.jobs.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn failed(e: Error) -> ArchiveJobState {
    eprintln!("tenant-desk: archive job failed: {}", e.message);
    ArchiveJobState::Failed { message: e.message }
}
