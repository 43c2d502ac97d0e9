//! `wegwijs supporter add`: create a supporter account with an argon2 hash.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Result};
use engine::{ConversationStore, Supporter};

pub fn add(data: &Path, name: &str, team: &str, stats: bool) -> Result<()> {
    if name.trim().is_empty() || name.len() > 64 || name.chars().any(|c| c.is_control()) {
        bail!("a supporter name is 1 to 64 characters, without control characters");
    }
    let password = read_password()?;
    if password.chars().count() < 10 {
        bail!("the password needs at least 10 characters");
    }
    let store = crate::app::open_store(data)?;
    if store.supporter(name)?.is_some() {
        bail!("supporter `{name}` already exists");
    }
    let hash = hash_password(&password)?;
    store.put_supporter(&Supporter { name: name.into(), password_hash: hash, team: team.into(), stats, failed_logins: 0, locked_until: 0 })?;
    eprintln!("supporter `{name}` added (team {team}{})", if stats { ", may see figures" } else { "" });
    Ok(())
}

fn hash_password(password: &str) -> Result<String> {
    web_widget::auth::hash_password(password).map_err(|e| anyhow::anyhow!(e))
}

fn read_password() -> Result<String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("password (shown as you type; use a pipe to hide it): ");
        std::io::stderr().flush()?;
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
