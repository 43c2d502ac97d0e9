//! `wegwijs`: the one binary. Subcommands for content editors (kb, triage, eval,
//! pictogram, chat), for supporters (supporter add) and the server (serve).

mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wegwijs: {e:#}");
            ExitCode::from(2)
        }
    }
}
