//! The Telegram adapter (teloxide) over the engine: the only crate that knows
//! Telegram. Residents get everything the web widget offers in Telegram's own
//! idiom (inline keyboards, a numbered pictogram grid as one photo), and
//! supporters take conversations over live from the console.
//!
//! Updates come by long polling (`getUpdates`) in our own loop rather than
//! teloxide's `Dispatcher`: an update is confirmed to Telegram (by the next
//! call's offset) only after it was handled, so a crash or a Bot API outage
//! loses nothing, and flood control and server errors are handled in one
//! place (`api.rs`). The same code runs in production and in tests; only the
//! Bot API base URL differs.

mod adapter;
pub mod api;
pub mod callback;
pub mod chats;
pub mod keys;
pub mod render;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use engine::Engine;
use locales::Locales;
use pictograms::PictogramSet;
use teloxide::payloads::{GetUpdatesSetters, SetMyCommandsSetters};
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, BotCommand, Update};
use teloxide::{ApiError, Bot, RequestError};

pub use keys::UI_KEYS;

/// Seconds one `getUpdates` call waits for news. Below teloxide's HTTP
/// timeout of 17 s, so a quiet poll is not mistaken for a dead connection.
const POLL_SECS: u32 = 10;

#[derive(Clone, Default)]
pub struct BotConfig {
    pub token: String,
    /// Bot API base URL; None for Telegram's own.
    pub api_url: Option<String>,
    /// Where the chat-to-conversation map is kept (`telegram-chats.json`);
    /// `None` keeps it in memory only, and residents start over after a restart.
    pub data_dir: Option<PathBuf>,
}

impl std::fmt::Debug for BotConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token: it is the bot's password.
        f.debug_struct("BotConfig")
            .field("api_url", &self.api_url)
            .field("data_dir", &self.data_dir)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Telegram refused the bot token (getMe answered 401 Unauthorized). Check WEGWIJS_TELEGRAM_TOKEN; the bot is off, the rest of Wegwijs keeps running")]
    InvalidToken,
    #[error("the Telegram API URL `{0}` is not a valid URL (WEGWIJS_TELEGRAM_API_URL)")]
    BadApiUrl(String),
    #[error("the Telegram Bot API failed: {0}")]
    Telegram(String),
    #[error(transparent)]
    Engine(#[from] engine::Error),
    #[error(transparent)]
    ChatMap(#[from] chats::MapError),
    #[error("a background task failed: {0}")]
    Task(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Run the bot until the process ends. Returns an error for a token Telegram
/// refuses (at start-up or later), or a data directory it cannot use.
pub async fn run(
    config: BotConfig,
    engine: Arc<Engine>,
    locales: Arc<Locales>,
    pictograms: Arc<PictogramSet>,
) -> Result<(), String> {
    run_bot(config, engine, locales, pictograms).await.map_err(|e| e.to_string())
}

/// Aborts a spawned task when dropped, so stopping `run` stops everything it started.
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn run_bot(
    config: BotConfig,
    engine: Arc<Engine>,
    locales: Arc<Locales>,
    pictograms: Arc<PictogramSet>,
) -> Result<()> {
    let mut bot = Bot::new(config.token.trim());
    if let Some(url) = config.api_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let parsed = reqwest::Url::parse(url.trim_end_matches('/'))
            .map_err(|_| Error::BadApiUrl(url.to_string()))?;
        if parsed.cannot_be_a_base() {
            return Err(Error::BadApiUrl(url.to_string()));
        }
        bot = bot.set_api_url(parsed);
    }
    let me = get_me(&bot).await?;
    let username = me.user.username.clone().unwrap_or_default();
    tracing::info!(bot = %username, "the Telegram bot is on");

    let chats = Arc::new(match &config.data_dir {
        Some(dir) => {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || chats::ChatMap::open(&dir))
                .await
                .map_err(|e| Error::Task(e.to_string()))??
        }
        None => {
            tracing::warn!(
                "no data directory for the Telegram bot: chats start over after a restart"
            );
            chats::ChatMap::in_memory()
        }
    });

    // Polling and a webhook exclude each other; a webhook left behind would
    // make every getUpdates fail.
    if let Err(e) = api::call(&bot.delete_webhook()).await {
        tracing::warn!(error = %api::describe(&e), "deleteWebhook failed");
    }
    let _commands = AbortOnDrop(tokio::spawn(set_commands(bot.clone(), locales.clone())));

    let adapter = Arc::new(adapter::Adapter::new(
        bot.clone(),
        engine.clone(),
        locales,
        pictograms,
        chats,
        username,
    ));
    // Subscribe before polling, so no push is missed.
    let _listener = AbortOnDrop(tokio::spawn(adapter.clone().listen(engine.subscribe())));
    poll(&bot, adapter).await
}

async fn get_me(bot: &Bot) -> Result<teloxide::types::Me> {
    let mut backoff = api::Backoff::default();
    loop {
        match bot.get_me().await {
            Ok(me) => return Ok(me),
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(Error::InvalidToken),
            Err(RequestError::RetryAfter(s)) => tokio::time::sleep(s.duration()).await,
            // Telegram unreachable at start-up: keep trying, the web part runs meanwhile.
            Err(e) => {
                let wait = backoff.next_delay();
                tracing::warn!(error = %api::describe(&e), wait_secs = wait.as_secs(), "cannot reach the Telegram Bot API; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

/// The command menu in every UI language (best effort).
async fn set_commands(bot: Bot, locales: Arc<Locales>) {
    let commands = |lang: &str| {
        [
            ("start", keys::CMD_START),
            ("menu", keys::CMD_MENU),
            ("mens", keys::CMD_MENS),
            ("taal", keys::CMD_TAAL),
            ("stop", keys::CMD_STOP),
            ("vergeet", keys::CMD_VERGEET),
        ]
        .map(|(c, key)| BotCommand::new(c, locales.text(lang, key, &[])))
    };
    if let Err(e) = api::call(&bot.set_my_commands(commands("nl"))).await {
        tracing::warn!(error = %api::describe(&e), "setMyCommands failed");
        return;
    }
    for lang in locales::LANGS {
        if let Err(e) = api::call(&bot.set_my_commands(commands(lang)).language_code(lang)).await {
            tracing::warn!(error = %api::describe(&e), lang, "setMyCommands failed");
        }
    }
}

/// Long polling. A batch is handled completely (chats in parallel, each
/// chat's updates in order) before the next call confirms it.
async fn poll(bot: &Bot, adapter: Arc<adapter::Adapter>) -> Result<()> {
    let mut offset = 0;
    let mut backoff = api::Backoff::default();
    loop {
        let req = bot.get_updates().offset(offset).timeout(POLL_SECS).allowed_updates([
            AllowedUpdate::Message,
            AllowedUpdate::EditedMessage,
            AllowedUpdate::CallbackQuery,
            AllowedUpdate::MyChatMember,
        ]);
        match req.await {
            Ok(updates) => {
                backoff.reset();
                if let Some(last) = updates.last() {
                    offset = last.id.as_offset();
                }
                handle_batch(&adapter, updates).await;
            }
            Err(RequestError::Api(ApiError::InvalidToken)) => return Err(Error::InvalidToken),
            Err(RequestError::RetryAfter(s)) => tokio::time::sleep(s.duration()).await,
            Err(e) => {
                let wait = backoff.next_delay();
                tracing::warn!(error = %api::describe(&e), wait_secs = wait.as_secs(), "getUpdates failed; retrying");
                tokio::time::sleep(wait).await;
            }
        }
    }
}

async fn handle_batch(adapter: &Arc<adapter::Adapter>, updates: Vec<Update>) {
    let mut by_chat: HashMap<Option<i64>, Vec<Update>> = HashMap::new();
    let mut loose = Vec::new();
    for u in updates {
        match u.chat().map(|c| c.id.0) {
            Some(chat) => by_chat.entry(Some(chat)).or_default().push(u),
            None => loose.push(u),
        }
    }
    let mut tasks = tokio::task::JoinSet::new();
    for group in by_chat.into_values().chain(loose.into_iter().map(|u| vec![u])) {
        let adapter = adapter.clone();
        tasks.spawn(async move {
            for u in group {
                adapter.handle(u).await;
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        if let Err(e) = done {
            tracing::error!(error = %e, "a Telegram update handler panicked");
        }
    }
}
