//! The Telegram adapter (teloxide) over the engine: the only crate that knows
//! Telegram. Residents get everything the web widget offers in Telegram's own
//! idiom (inline keyboards, a numbered pictogram grid as one photo), and
//! supporters take conversations over live from the console.
//!
//! Updates come by long polling (`getUpdates`) in our own loop rather than
//! teloxide's `Dispatcher`: an update is confirmed to Telegram (by the next
//! call's offset) only after it was handled, so a crash or a Bot API outage
//! loses nothing, and flood control and server errors are handled in one
//! place (`api.rs`). Or, in webhook mode, Telegram posts them to a route the
//! web server mounts (`webhook.rs`), answered only after handling, for the
//! same reason. Both modes hand every update to the same `Adapter::handle`.
//! Optionally replies are also read aloud as voice messages (`voice.rs`).
//! The same code runs in production and in tests; only the Bot API base URL
//! differs.

mod adapter;
pub mod api;
pub mod callback;
pub mod chats;
pub mod keys;
pub mod render;
pub mod voice;
pub mod webhook;

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

use engine::Engine;
use locales::Locales;
use pictograms::PictogramSet;
use teloxide::payloads::{GetUpdatesSetters, SetMyCommandsSetters, SetWebhookSetters};
use teloxide::prelude::Requester;
use teloxide::types::{AllowedUpdate, BotCommand, Update};
use teloxide::{ApiError, Bot, RequestError};

pub use keys::UI_KEYS;
pub use voice::VoiceMode;
pub use webhook::Webhook;

/// Seconds one `getUpdates` call waits for news. Below teloxide's HTTP
/// timeout of 17 s, so a quiet poll is not mistaken for a dead connection.
const POLL_SECS: u32 = 10;

/// The updates the bot asks for, in both modes.
const ALLOWED_UPDATES: [AllowedUpdate; 4] = [
    AllowedUpdate::Message,
    AllowedUpdate::EditedMessage,
    AllowedUpdate::CallbackQuery,
    AllowedUpdate::MyChatMember,
];

/// How updates reach the bot.
#[derive(Clone, Debug, Default)]
pub enum Mode {
    /// Our own `getUpdates` loop: works behind any firewall, needs no public URL.
    #[default]
    Polling,
    /// Telegram posts to a route on the web server (see [`start`]).
    Webhook(Webhook),
}

#[derive(Clone, Default)]
pub struct BotConfig {
    pub token: String,
    /// Bot API base URL; None for Telegram's own.
    pub api_url: Option<String>,
    /// Where the chat-to-conversation map is kept (`telegram-chats.json`);
    /// `None` keeps it in memory only, and residents start over after a restart.
    pub data_dir: Option<PathBuf>,
    pub mode: Mode,
    /// Replies also as voice messages (`WEGWIJS_TELEGRAM_VOICE`).
    pub voice: VoiceMode,
    /// Where espeak-ng and opusenc are; the default finds them on `PATH`.
    /// Tests point it at a missing program.
    pub voice_programs: voice::Programs,
}

impl std::fmt::Debug for BotConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the token: it is the bot's password.
        f.debug_struct("BotConfig")
            .field("api_url", &self.api_url)
            .field("data_dir", &self.data_dir)
            .field("mode", &self.mode)
            .field("voice", &self.voice)
            .field("voice_programs", &self.voice_programs)
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
    #[error("{0}")]
    Config(String),
    #[error("Telegram refused the webhook (setWebhook: {0}). Check WEGWIJS_TELEGRAM_WEBHOOK_URL; the bot is off, the rest of Wegwijs keeps running")]
    WebhookRefused(String),
    #[error(transparent)]
    Engine(#[from] engine::Error),
    #[error(transparent)]
    ChatMap(#[from] chats::MapError),
    #[error("a background task failed: {0}")]
    Task(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Run the bot in polling mode until the process ends. Returns an error for
/// a token Telegram refuses (at start-up or later), or a data directory it
/// cannot use. Webhook mode needs its route mounted: use [`start`].
pub async fn run(
    config: BotConfig,
    engine: Arc<Engine>,
    locales: Arc<Locales>,
    pictograms: Arc<PictogramSet>,
) -> Result<(), String> {
    if matches!(config.mode, Mode::Webhook(_)) {
        return Err("webhook mode needs its route on the web server: use bot::start".into());
    }
    start(config, engine, locales, pictograms).1.await
}

/// The bot in either mode: the route to mount on the web server (webhook
/// mode only; it answers 503 until the bot is up), and the future that runs
/// the bot until the process ends (errors as for [`run`]). Dropping the
/// future stops the bot; the route then answers 503.
pub fn start(
    config: BotConfig,
    engine: Arc<Engine>,
    locales: Arc<Locales>,
    pictograms: Arc<PictogramSet>,
) -> (Option<axum::Router>, impl Future<Output = Result<(), String>> + Send + 'static) {
    let hook = match &config.mode {
        Mode::Polling => None,
        Mode::Webhook(w) => Some((webhook::Hook::new(w), w.clone())),
    };
    let router = hook.as_ref().map(|(h, w)| h.router(w.path()));
    let run = async move {
        run_bot(config, engine, locales, pictograms, hook).await.map_err(|e| e.to_string())
    };
    (router, run)
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
    hook: Option<(Arc<webhook::Hook>, Webhook)>,
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
    if hook.is_none() {
        if let Err(e) = api::call(&bot.delete_webhook()).await {
            tracing::warn!(error = %api::describe(&e), "deleteWebhook failed");
        }
    }
    let voice =
        voice::Voice::detect(config.voice, config.voice_programs.clone()).await.map(Arc::new);
    let _commands =
        AbortOnDrop(tokio::spawn(set_commands(bot.clone(), locales.clone(), voice.is_some())));

    let adapter = Arc::new(adapter::Adapter::new(
        bot.clone(),
        engine.clone(),
        locales,
        pictograms,
        chats,
        username,
        voice,
    ));
    // Subscribe before polling, so no push is missed.
    let _listener = AbortOnDrop(tokio::spawn(adapter.clone().listen(engine.subscribe())));
    match hook {
        None => poll(&bot, adapter).await,
        Some((hook, webhook)) => {
            // Ready before Telegram hears of the URL, so no update meets a 503.
            let _running = hook.ready(adapter);
            set_webhook(&bot, &webhook).await?;
            tracing::info!(path = webhook.path(), "Telegram posts updates to the webhook");
            std::future::pending().await
        }
    }
}

/// Tell Telegram where to post. Not `drop_pending_updates`: updates that
/// came while we were down are still wanted.
async fn set_webhook(bot: &Bot, webhook: &Webhook) -> Result<()> {
    let req = bot
        .set_webhook(webhook.url().clone())
        .secret_token(webhook.secret())
        .allowed_updates(ALLOWED_UPDATES)
        .drop_pending_updates(false);
    match api::call(&req).await {
        Ok(_) => Ok(()),
        Err(RequestError::Api(ApiError::InvalidToken)) => Err(Error::InvalidToken),
        Err(e) => Err(Error::WebhookRefused(api::describe(&e))),
    }
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

/// The command menu in every UI language (best effort). `/voorlezen` only
/// where the server reads replies aloud.
async fn set_commands(bot: Bot, locales: Arc<Locales>, voice: bool) {
    let commands = |lang: &str| {
        [
            ("start", keys::CMD_START),
            ("menu", keys::CMD_MENU),
            ("mens", keys::CMD_MENS),
            ("taal", keys::CMD_TAAL),
            ("voorlezen", keys::CMD_VOORLEZEN),
            ("stop", keys::CMD_STOP),
            ("vergeet", keys::CMD_VERGEET),
        ]
        .into_iter()
        .filter(|(c, _)| voice || *c != "voorlezen")
        .map(|(c, key)| BotCommand::new(c, locales.text(lang, key, &[])))
        .collect::<Vec<_>>()
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
        let req =
            bot.get_updates().offset(offset).timeout(POLL_SECS).allowed_updates(ALLOWED_UPDATES);
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

/// What orders updates: the chat, or for a button under a message too old
/// for Telegram to send along, the user (in a private chat the same id).
pub(crate) fn order_key(update: &Update) -> Option<i64> {
    update.chat().map(|c| c.id.0).or_else(|| update.from().map(|u| u.id.0 as i64))
}

async fn handle_batch(adapter: &Arc<adapter::Adapter>, updates: Vec<Update>) {
    let mut by_chat: HashMap<Option<i64>, Vec<Update>> = HashMap::new();
    let mut loose = Vec::new();
    for u in updates {
        match order_key(&u) {
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
