//! `wegwijs serve`: the web widget, the console and (with a token) the Telegram bot
//! in one process, with background work for timeouts and retention.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

/// Names, sizes and modification times of every file under `dir`.
fn fingerprint(dir: &Path) -> Vec<(std::path::PathBuf, u64, Option<std::time::SystemTime>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else { continue };
        for e in rd.flatten() {
            let p = e.path();
            match e.metadata() {
                Ok(m) if m.is_dir() => stack.push(p),
                Ok(m) => out.push((p, m.len(), m.modified().ok())),
                Err(_) => {}
            }
        }
    }
    out.sort();
    out
}

pub fn run(content: &Path, data: &Path, bind: SocketAddr) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    rt.block_on(async move {
        let (engine, _store) = crate::app::engine(content, data, engine::Config::default())?;
        let locales = Arc::new(locales::Locales::load()?);
        let pictograms = Arc::new(
            pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir()).context("cannot load the pictogram set")?,
        );
        // Background work: tell waiting residents nobody came, purge old text.
        let ticker = engine.clone();
        tokio::spawn(async move {
            let mut every = tokio::time::interval(Duration::from_secs(30));
            loop {
                every.tick().await;
                let e = ticker.clone();
                match tokio::task::spawn_blocking(move || e.tick()).await {
                    Ok(Ok((told, purged))) if told + purged > 0 => tracing::info!(told, purged, "background work"),
                    Ok(Err(e)) => tracing::error!(error = %e, "background work failed"),
                    _ => {}
                }
            }
        });
        // Content edits take effect without a restart: rebuild the index when a
        // file changes; broken content is logged and the old index stays.
        let (watched, dir) = (engine.clone(), content.to_path_buf());
        tokio::spawn(async move {
            let mut last = fingerprint(&dir);
            let mut every = tokio::time::interval(Duration::from_secs(5));
            loop {
                every.tick().await;
                let now = fingerprint(&dir);
                if now == last {
                    continue;
                }
                last = now;
                let d = dir.clone();
                match tokio::task::spawn_blocking(move || knowledge_base::KnowledgeBase::load(&d)).await {
                    Ok(Ok(kb)) => {
                        tracing::info!(ms = kb.build_time.as_millis() as u64, "content changed: index rebuilt");
                        watched.set_knowledge(Arc::new(kb));
                    }
                    Ok(Err(e)) => tracing::error!(error = %e, "content changed but does not load; keeping the previous index"),
                    Err(e) => tracing::error!(error = %e, "content reload failed"),
                }
            }
        });
        match std::env::var("WEGWIJS_TELEGRAM_TOKEN").ok().filter(|t| !t.trim().is_empty()) {
            Some(token) => {
                let config = bot::BotConfig {
                    token,
                    api_url: std::env::var("WEGWIJS_TELEGRAM_API_URL").ok(),
                    data_dir: Some(data.to_path_buf()),
                };
                let (e, l, p) = (engine.clone(), locales.clone(), pictograms.clone());
                tokio::spawn(async move {
                    if let Err(err) = bot::run(config, e, l, p).await {
                        tracing::error!(error = %err, "the Telegram bot stopped; the web part keeps running");
                    }
                });
            }
            None => tracing::info!("no WEGWIJS_TELEGRAM_TOKEN: the Telegram bot is off"),
        }
        let state = web_widget::AppState { engine, locales, pictograms, config: Arc::new(web_config()?) };
        eprintln!("Wegwijs runs at http://{bind}/ (console: http://{bind}/console)");
        web_widget::serve(bind, state).await.with_context(|| format!("cannot serve on {bind}"))
    })
}

/// Web settings: defaults, then environment variables (documented in
/// `wegwijs.env.template`).
fn web_config() -> Result<web_widget::WebConfig> {
    let mut c = web_widget::WebConfig::default();
    let rate = |name: &str| -> Result<Option<web_widget::Rate>> {
        let Ok(v) = std::env::var(name) else { return Ok(None) };
        let (b, p) = v.split_once('/').with_context(|| format!("{name}: write BURST/PER_SECOND, like 20/2"))?;
        Ok(Some(web_widget::Rate {
            burst: b.trim().parse().with_context(|| format!("{name}: burst `{b}` is not a whole number"))?,
            per_sec: p.trim().parse().with_context(|| format!("{name}: rate `{p}` is not a number"))?,
        }))
    };
    if let Some(r) = rate("WEGWIJS_RATE_PER_CLIENT")? {
        c.rate_per_client = r;
    }
    if let Some(r) = rate("WEGWIJS_RATE_PER_CONVERSATION")? {
        c.rate_per_conversation = r;
    }
    if let Ok(v) = std::env::var("WEGWIJS_FRAME_ANCESTORS") {
        c.frame_ancestors = v.split_whitespace().map(String::from).collect();
    }
    if let Ok(v) = std::env::var("WEGWIJS_SECURE_COOKIES") {
        c.secure_cookies = matches!(v.as_str(), "1" | "true" | "yes");
    }
    if let Ok(v) = std::env::var("WEGWIJS_CORS_ORIGINS") {
        c.cors_origins = cors_origins(&v)?;
    }
    Ok(c)
}

/// `WEGWIJS_CORS_ORIGINS`: space-separated origins like `https://www.example.org`
/// whose pages may call the API. No wildcard: residents' tokens are at stake.
fn cors_origins(v: &str) -> Result<Vec<String>> {
    v.split_whitespace()
        .map(|o| {
            let o = o.trim_end_matches('/');
            let ok = o
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
                .is_some_and(|r| !r.is_empty() && !r.contains(['/', '?', '#', '*', '@']));
            anyhow::ensure!(
                ok,
                "WEGWIJS_CORS_ORIGINS: `{o}` is not an origin like https://www.example.org (no path, no *)"
            );
            Ok(o.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn cors_origins_are_checked() {
        assert_eq!(
            super::cors_origins(" https://www.example.org/  http://localhost:3000 ").unwrap(),
            vec!["https://www.example.org".to_string(), "http://localhost:3000".to_string()]
        );
        assert!(super::cors_origins("").unwrap().is_empty());
        for bad in [
            "*",
            "www.example.org",
            "https://",
            "https://example.org/path",
            "https://*.example.org",
        ] {
            assert!(super::cors_origins(bad).is_err(), "{bad} is refused");
        }
    }
}
