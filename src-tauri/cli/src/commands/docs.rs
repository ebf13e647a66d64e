//! Shell completions and the man page, generated from the same definitions
//! as `--help`.

use clap::CommandFactory;
use tenant_desk_core::{Error, Result};

use super::Done;
use crate::args::Cli;

pub fn completions(shell: clap_complete::Shell) -> Result<Done> {
    let mut command = Cli::command();
    let name = command.get_name().to_owned();
    clap_complete::generate(shell, &mut command, name, &mut std::io::stdout());
    Ok(Done::Ok)
}

pub fn manpage() -> Result<Done> {
    clap_mangen::Man::new(Cli::command())
        .render(&mut std::io::stdout())
        .map_err(|e| Error::internal(format!("cannot write the man page: {e}")))?;
    Ok(Done::Ok)
}
