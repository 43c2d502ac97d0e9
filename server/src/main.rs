//! `wegwijs`: the one binary. Subcommands for content editors (kb, triage, eval,
//! pictogram, chat), for supporters (supporter add) and the server (serve).

mod app;
mod chat;
mod cli;
mod loadtest;
mod serve;
mod supporter;

use std::process::ExitCode;

use clap::Parser;

/// The server allocates per request (JSON, sled nodes, tantivy queries); under
/// load glibc's allocator took a fifth of its CPU. Built without transparent
/// huge pages, which cost memory and, while the kernel compacts, latency.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Logs never carry message text: handlers log ids and outcomes only.
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("WEGWIJS_LOG").unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wegwijs: {e:#}");
            ExitCode::from(2)
        }
    }
}
