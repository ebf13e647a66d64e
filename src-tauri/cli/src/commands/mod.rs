//! One module per group of commands.

mod admin;
mod archive;
mod backup;
mod check;
mod docs;
mod users;

use std::path::PathBuf;

use tenant_desk_core::Result;

use crate::args::Command;
use crate::folder;
use crate::output::Output;

/// How a command ended when the core raised no error.
pub enum Done {
    Ok,
    /// What was asked was refused with a report already printed (an archive
    /// or a CSV file with problems, a store that fails its check).
    Refused,
}

/// Runs `command`; those about a store on the data folder `data_dir` names
/// (or the app's default).
pub fn run(data_dir: Option<PathBuf>, command: Command, out: Output) -> Result<Done> {
    let dir = || folder::resolve(data_dir);
    match command {
        Command::Admin(admin) => admin::run(&dir()?, admin, out),
        Command::Check => check::run(&dir()?, out),
        Command::Backup(backup) => backup::run(&dir()?, backup, out),
        Command::Archive(archive) => archive::run(&dir()?, archive, out),
        Command::Users(users) => users::run(&dir()?, users, out),
        Command::Completions { shell } => docs::completions(shell),
        Command::Manpage => docs::manpage(),
    }
}
