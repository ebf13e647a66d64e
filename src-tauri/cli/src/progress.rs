//! A progress bar on stderr for long work (an archive, an import), drawn only
//! on a terminal: piped or in a script, nothing is drawn.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tenant_desk_core::archives::Progress;

/// Runs `work` with a core `Progress`, drawing it as a bar labelled `what`.
pub fn with_bar<T>(what: &str, quiet: bool, work: impl FnOnce(&Progress) -> T) -> T {
    let progress = Arc::new(Progress::new());
    if quiet || !std::io::stderr().is_terminal() {
        return work(&progress);
    }
    let bar = ProgressBar::new(0);
    let style = ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({per_sec}, {eta} left)")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_message(what.to_owned());
    let done = Arc::new(AtomicBool::new(false));
    let drawer = {
        let (bar, progress, done) = (bar.clone(), progress.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                bar.set_length(progress.total());
                bar.set_position(progress.done());
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };
    let outcome = work(&progress);
    done.store(true, Ordering::Relaxed);
    let _ = drawer.join();
    bar.finish_and_clear();
    outcome
}
