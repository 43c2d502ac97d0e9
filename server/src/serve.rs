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

/// Threads for blocking work (Telegram steps, password hashing, rendering);
/// web steps run on the runtime and await the disk without a thread. Each
/// thread more costs memory (stack, allocator arena) and context switches.
const BLOCKING_THREADS: usize = 32;

/// How long blocking work may go on after the server stopped.
const STOP_WAIT: Duration = Duration::from_secs(10);

pub fn run(content: &Path, data: &Path, bind: SocketAddr) -> Result<()> {
    // Blocking work gets a bounded pool: work beyond it queues in memory
    // rather than in hundreds of parked threads.
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().max_blocking_threads(BLOCKING_THREADS).build()?;
    let served = rt.block_on(async move {
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
        // Telegram: polling, or a webhook route on the same port as the widget.
        let mut webhook_route = None;
        let env = |name: &str| std::env::var(name).ok();
        match telegram_config(data, env)? {
            Some(config) => {
                match &config.mode {
                    bot::Mode::Polling => tracing::info!("Telegram: long polling (getUpdates)"),
                    bot::Mode::Webhook(w) => tracing::info!(url = %w.url(), "Telegram: webhook"),
                }
                let (e, l, p) = (engine.clone(), locales.clone(), pictograms.clone());
                let (route, run) = bot::start(config, e, l, p);
                webhook_route = route;
                tokio::spawn(async move {
                    if let Err(err) = run.await {
                        tracing::error!(error = %err, "the Telegram bot stopped; the web part keeps running");
                    }
                });
            }
            None => tracing::info!("no WEGWIJS_TELEGRAM_TOKEN: the Telegram bot is off"),
        }
        let state = web_widget::AppState { engine, locales, pictograms, config: Arc::new(web_config()?) };
        eprintln!("Wegwijs runs at http://{bind}/ (console: http://{bind}/console)");
        let served = match webhook_route {
            Some(route) => web_widget::serve_with(bind, state, route).await,
            None => web_widget::serve(bind, state).await,
        };
        served.with_context(|| format!("cannot serve on {bind}"))
    });
    // Dropping the tasks drops the last handles on the store, which then
    // checkpoints its log and zeroes the keys it made ahead.
    rt.shutdown_timeout(STOP_WAIT);
    if served.is_ok() {
        tracing::info!("stopped");
    }
    served
}

/// Telegram settings from environment variables (documented in
/// `wegwijs.env.template`); `None` without a token. A webhook URL or secret
/// Telegram would refuse, or an unknown voice setting, stops the start with a
/// clear error.
fn telegram_config(data: &Path, env: impl Fn(&str) -> Option<String>) -> Result<Option<bot::BotConfig>> {
    let var = |name: &str| env(name).filter(|v| !v.trim().is_empty());
    let api_url = var("WEGWIJS_TELEGRAM_API_URL");
    let secret = var("WEGWIJS_TELEGRAM_WEBHOOK_SECRET");
    let mode = match var("WEGWIJS_TELEGRAM_WEBHOOK_URL") {
        // A self-hosted Bot API server may post to plain http; Telegram's own only to https.
        Some(url) => bot::Mode::Webhook(
            bot::Webhook::new(&url, secret.as_deref(), api_url.is_some()).map_err(|e| anyhow::anyhow!("{e}"))?,
        ),
        None => {
            anyhow::ensure!(
                secret.is_none(),
                "WEGWIJS_TELEGRAM_WEBHOOK_SECRET is set without WEGWIJS_TELEGRAM_WEBHOOK_URL: set both for webhook mode, or neither for polling"
            );
            bot::Mode::Polling
        }
    };
    let voice = var("WEGWIJS_TELEGRAM_VOICE").unwrap_or_default();
    let voice = bot::VoiceMode::parse(&voice).with_context(|| {
        format!("WEGWIJS_TELEGRAM_VOICE is `{voice}`: write off, on (every chat) or ask (a chat switches it on with /voorlezen)")
    })?;
    Ok(var("WEGWIJS_TELEGRAM_TOKEN").map(|token| bot::BotConfig {
        token,
        api_url,
        data_dir: Some(data.to_path_buf()),
        mode,
        voice,
        voice_programs: bot::voice::Programs::default(),
    }))
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
    use std::path::Path;

    fn telegram(vars: &[(&str, &str)]) -> anyhow::Result<Option<bot::BotConfig>> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        super::telegram_config(Path::new("data"), |name| {
            vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn telegram_mode_comes_from_the_environment() {
        assert!(telegram(&[]).unwrap().is_none(), "no token, no bot");
        let polling = telegram(&[("WEGWIJS_TELEGRAM_TOKEN", "1:t")]).unwrap().unwrap();
        assert!(matches!(polling.mode, bot::Mode::Polling));
        let hook = telegram(&[
            ("WEGWIJS_TELEGRAM_TOKEN", "1:t"),
            ("WEGWIJS_TELEGRAM_WEBHOOK_URL", "https://wegwijs.example.org"),
            ("WEGWIJS_TELEGRAM_WEBHOOK_SECRET", "geheim_123"),
        ])
        .unwrap()
        .unwrap();
        let bot::Mode::Webhook(w) = &hook.mode else { panic!("webhook mode expected") };
        assert_eq!(w.url().as_str(), "https://wegwijs.example.org/telegram/webhook");
        assert!(!format!("{hook:?}").contains("geheim_123"), "the secret stays out of logs");
        // Without a secret one is made up.
        let made_up =
            telegram(&[("WEGWIJS_TELEGRAM_TOKEN", "1:t"), ("WEGWIJS_TELEGRAM_WEBHOOK_URL", "https://x.example.org/hook")]);
        assert!(matches!(made_up.unwrap().unwrap().mode, bot::Mode::Webhook(_)));
    }

    #[test]
    fn telegram_voice_is_off_unless_asked_for() {
        let voice = |v: &str| {
            telegram(&[("WEGWIJS_TELEGRAM_TOKEN", "1:t"), ("WEGWIJS_TELEGRAM_VOICE", v)]).map(|c| c.unwrap().voice)
        };
        assert_eq!(telegram(&[("WEGWIJS_TELEGRAM_TOKEN", "1:t")]).unwrap().unwrap().voice, bot::VoiceMode::Off);
        assert_eq!(voice("off").unwrap(), bot::VoiceMode::Off);
        assert_eq!(voice("on").unwrap(), bot::VoiceMode::On);
        assert_eq!(voice("ask").unwrap(), bot::VoiceMode::Ask);
        let err = voice("loud").unwrap_err().to_string();
        assert!(err.contains("WEGWIJS_TELEGRAM_VOICE") && err.contains("loud"), "{err}");
    }

    #[test]
    fn bad_telegram_webhook_settings_stop_the_start_clearly() {
        for (url, secret, names) in [
            ("https://x.example.org/hook", "not allowed!", "WEGWIJS_TELEGRAM_WEBHOOK_SECRET"),
            ("http://x.example.org/hook", "ok", "WEGWIJS_TELEGRAM_WEBHOOK_URL"),
            ("", "ok", "WEGWIJS_TELEGRAM_WEBHOOK_URL"),
        ] {
            let err = telegram(&[
                ("WEGWIJS_TELEGRAM_TOKEN", "1:t"),
                ("WEGWIJS_TELEGRAM_WEBHOOK_URL", url),
                ("WEGWIJS_TELEGRAM_WEBHOOK_SECRET", secret),
            ])
            .unwrap_err()
            .to_string();
            assert!(err.contains(names), "{err}");
            assert!(!err.contains("not allowed!"), "the secret is not repeated: {err}");
        }
    }

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
