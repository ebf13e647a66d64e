//! Where the file layer writes: nowhere until the data folder is known,
//! then the day's file of `<data folder>/logs`, rolled daily by
//! tracing-appender with the last `log_files::KEPT` kept.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use tenant_desk_core::diagnostics::log_files;
use tenant_desk_core::store::private::{make_private, private_dir};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;

#[derive(Clone, Default)]
pub struct LogFile(Arc<OnceLock<Mutex<PrivateDailyFiles>>>);

impl LogFile {
    /// Starts writing into `<data_dir>/logs` (made 0700); returns that
    /// folder. The first folder stays for the process's life.
    pub fn open(&self, data_dir: &Path) -> io::Result<PathBuf> {
        let folder = log_files::folder(data_dir);
        private_dir(&folder)?;
        let appender = RollingFileAppender::builder()
            .rotation(Rotation::DAILY)
            .filename_prefix(log_files::FILE_PREFIX)
            .filename_suffix(log_files::FILE_SUFFIX)
            .max_log_files(log_files::KEPT)
            .build(&folder)
            .map_err(io::Error::other)?;
        let _ = self.0.set(Mutex::new(PrivateDailyFiles { appender, folder: folder.clone(), made_private: None }));
        Ok(folder)
    }
}

impl<'a> MakeWriter<'a> for LogFile {
    type Writer = LogFileWriter<'a>;

    fn make_writer(&'a self) -> Self::Writer {
        LogFileWriter(self.0.get().map(|files| files.lock().unwrap_or_else(|p| p.into_inner())))
    }
}

/// One event's write: to the day's file, or dropped before there is one.
pub struct LogFileWriter<'a>(Option<MutexGuard<'a, PrivateDailyFiles>>);

impl Write for LogFileWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.0 {
            Some(files) => files.write(buf),
            None => Ok(buf.len()),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.0 {
            Some(files) => files.flush(),
            None => Ok(()),
        }
    }
}

/// tracing-appender creates each day's file with the process's umask
/// (often 0644). The store's files are 0600, so a new day's file is made
/// 0600 by the write that created it; the folder is 0700 throughout, so no
/// one else reaches the file meanwhile.
struct PrivateDailyFiles {
    appender: RollingFileAppender,
    folder: PathBuf,
    made_private: Option<PathBuf>,
}

impl Write for PrivateDailyFiles {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let written = self.appender.write(buf)?;
        // The appender names files by the UTC day, as `log_files` does.
        let today = self.folder.join(log_files::file_name(chrono::Utc::now().date_naive()));
        if self.made_private.as_ref() != Some(&today) && today.exists() && make_private(&today).is_ok() {
            self.made_private = Some(today);
        }
        Ok(written)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.appender.flush()
    }
}
