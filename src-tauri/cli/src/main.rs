//! `tenant-desk-cli`: the same core as the app, on the same data folder, with
//! no window. Each command is a thin adapter: parse, call the core as the
//! folder's local administrator, print.

mod args;
mod commands;
mod folder;
mod output;
mod progress;

use std::process::ExitCode;

use clap::Parser;

use args::Cli;
use output::Output;

/// Refused or invalid: the message says why.
const REFUSED: u8 = 1;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Output { json: cli.json };
    let outcome = commands::run(cli.data_dir, cli.command, out);
    match outcome {
        Ok(commands::Done::Ok) => ExitCode::SUCCESS,
        Ok(commands::Done::Refused) => ExitCode::from(REFUSED),
        Err(e) => {
            out.error(&e);
            ExitCode::from(REFUSED)
        }
    }
}
