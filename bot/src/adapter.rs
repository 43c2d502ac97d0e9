//! The adapter proper: Telegram updates in, engine inputs through, replies out;
//! engine pushes (a supporter joined, wrote, left) out to the right chat.
//!
//! Handlers stay thin: turn an update into an `engine::Input`, call the
//! engine in `spawn_blocking` (it flushes to disk before answering), render
//! the replies. Nothing here logs what residents or supporters write.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use engine::{msg, Choice, Engine, Input, Label, Mode, Reply, UiLang};
use locales::Locales;
use pictograms::{PictogramSet, Tile};
use teloxide::payloads::{AnswerCallbackQuerySetters, SendMessageSetters, SendPhotoSetters};
use teloxide::prelude::Requester;
use teloxide::types::{
    CallbackQuery, ChatAction, ChatId, FileId, InlineKeyboardButton, InlineKeyboardMarkup,
    InputFile, LinkPreviewOptions, MediaKind, Message, MessageKind, Update, UpdateKind,
};
use teloxide::{Bot, RequestError};

use crate::api::{self, describe};
use crate::callback::{self, Action};
use crate::chats::ChatMap;
use crate::keys;
use crate::render::{self, Keyboard, Outgoing, Renderer};
use crate::voice::{self, Voice};
use crate::Error;

/// Grids already uploaded, by tile list: Telegram keeps the photo, so the
/// next resident gets the same menu by file id instead of a new upload.
const MAX_CACHED_PHOTOS: usize = 256;
/// A supporter's "typing..." is passed on at most this often per chat.
const TYPING_EVERY: Duration = Duration::from_secs(4);
/// Per-chat hints (last menu, last typing) are dropped beyond this many chats:
/// losing one only means a typed number is read as text.
const MAX_CHAT_HINTS: usize = 10_000;

pub(crate) struct Adapter {
    pub bot: Bot,
    pub engine: Arc<Engine>,
    pub locales: Arc<Locales>,
    pub pictograms: Arc<PictogramSet>,
    pub chats: Arc<ChatMap>,
    /// The bot's username, to recognise `/cmd@thisbot` and mentions in groups.
    pub username: String,
    /// Replies read aloud too; None when the server does not (or cannot).
    voice: Option<Arc<Voice>>,
    /// Choice ids of the last numbered menu per chat, for typed numbers.
    menus: Mutex<HashMap<i64, Vec<String>>>,
    photos: Mutex<HashMap<Vec<Tile>, FileId>>,
    typing: Mutex<HashMap<i64, Instant>>,
}

/// What one engine step did, as far as the adapter cares.
struct Outcome {
    replies: Vec<Reply>,
    lang: UiLang,
    with_supporter: bool,
}

/// A slash command. Dutch names, with English aliases.
#[derive(Debug, PartialEq, Eq)]
enum Command {
    Start(Option<String>),
    Menu,
    Person,
    Lang,
    Stop,
    Forget,
    Voice,
    Help,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // These maps are caches and hints; a panic elsewhere cannot break them.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Run blocking engine or file work off the async runtime.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> Result<T, Error> {
    tokio::task::spawn_blocking(f).await.map_err(|e| Error::Task(e.to_string()))
}

/// The UI language for a Telegram `language_code` ("nl", "pt-br", ...).
fn ui_lang(code: Option<&str>) -> Option<UiLang> {
    let code = code?.split(['-', '_']).next()?;
    UiLang::from_code(&code.to_ascii_lowercase())
}

/// The language to start a conversation in. Dutch and English are left to the
/// engine's detection (a Dutch resident with an English phone still gets
/// Dutch answers to Dutch questions); the others have no detection, so the
/// phone's language is the best guess.
fn start_lang(hint: Option<UiLang>) -> Option<UiLang> {
    hint.filter(|l| !matches!(l, UiLang::Nl | UiLang::En))
}

fn parse_command(text: &str, username: &str) -> Option<Command> {
    let rest = text.strip_prefix('/')?;
    let (word, arg) = match rest.split_once(char::is_whitespace) {
        Some((w, a)) => (w, Some(a.trim()).filter(|a| !a.is_empty())),
        None => (rest, None),
    };
    let (name, target) = match word.split_once('@') {
        Some((n, t)) => (n, Some(t)),
        None => (word, None),
    };
    if target.is_some_and(|t| !t.eq_ignore_ascii_case(username)) {
        return None;
    }
    Some(match name.to_lowercase().as_str() {
        "start" => Command::Start(arg.map(str::to_string)),
        "menu" | "begin" | "home" => Command::Menu,
        "mens" | "person" | "human" => Command::Person,
        "taal" | "language" | "lang" => Command::Lang,
        "stop" => Command::Stop,
        "vergeet" | "forget" | "wis" | "delete" => Command::Forget,
        "voorlezen" | "voice" | "readaloud" => Command::Voice,
        _ => Command::Help,
    })
}

fn markup(k: &Keyboard) -> Option<InlineKeyboardMarkup> {
    (!k.is_empty()).then(|| {
        InlineKeyboardMarkup::new(k.iter().map(|row| {
            row.iter()
                .map(|b| InlineKeyboardButton::callback(b.text.clone(), b.data.clone()))
                .collect::<Vec<_>>()
        }))
    })
}

fn no_preview() -> LinkPreviewOptions {
    LinkPreviewOptions {
        is_disabled: true,
        url: None,
        prefer_small_media: false,
        prefer_large_media: false,
        show_above_text: false,
    }
}

fn lang_buttons(key: &str) -> Reply {
    let mut r = Reply::text(key).pictogram("language");
    r.buttons = UiLang::ALL
        .iter()
        .map(|l| Choice {
            id: format!("lang:{}", l.code()),
            label: Label::Text(l.native_name().into()),
            pictogram: "language".into(),
        })
        .collect();
    r
}

impl Adapter {
    pub fn new(
        bot: Bot,
        engine: Arc<Engine>,
        locales: Arc<Locales>,
        pictograms: Arc<PictogramSet>,
        chats: Arc<ChatMap>,
        username: String,
        voice: Option<Arc<Voice>>,
    ) -> Adapter {
        Adapter {
            bot,
            engine,
            locales,
            pictograms,
            chats,
            username,
            voice,
            menus: Mutex::default(),
            photos: Mutex::default(),
            typing: Mutex::default(),
        }
    }

    // ----- updates -----

    /// Handle one update; errors are logged (without text) and, where a
    /// resident waits for an answer, told in plain words.
    pub async fn handle(&self, update: Update) {
        let chat = update.chat().map(|c| c.id);
        let result = match update.kind {
            UpdateKind::Message(m) | UpdateKind::EditedMessage(m) => self.on_message(m).await,
            UpdateKind::CallbackQuery(q) => self.on_callback(q).await,
            UpdateKind::MyChatMember(m) => {
                if !m.chat.is_private() && !m.chat.is_channel() && m.new_chat_member.is_present() {
                    self.say(
                        m.chat.id,
                        ui_lang(m.from.language_code.as_deref()).unwrap_or(UiLang::Nl),
                        vec![Reply::text(keys::PRIVATE_ONLY)],
                    )
                    .await
                } else {
                    Ok(())
                }
            }
            UpdateKind::Error(_) => {
                tracing::warn!(update = update.id.0, "an update teloxide cannot read; skipped");
                Ok(())
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::error!(error = %e, update = update.id.0, "handling a Telegram update failed");
            if let (Some(chat), Error::Engine(_) | Error::Task(_) | Error::ChatMap(_)) = (chat, &e)
            {
                let lang = self.lang_of(chat.0, None).await;
                let _ = self.say(chat, lang, vec![Reply::text(keys::ERROR)]).await;
            }
        }
    }

    async fn on_message(&self, m: Message) -> Result<(), Error> {
        let chat = m.chat.id;
        let hint = ui_lang(m.from.as_ref().and_then(|u| u.language_code.as_deref()));
        let MessageKind::Common(common) = &m.kind else {
            // Service messages (joins, pins, ...): nothing to answer.
            return Ok(());
        };
        if !m.chat.is_private() {
            if m.chat.is_channel() {
                return Ok(());
            }
            // In a group, only answer what is meant for the bot, not every message.
            let text = m.text().unwrap_or_default();
            let for_us = text.starts_with('/')
                || text.to_lowercase().contains(&format!("@{}", self.username.to_lowercase()));
            if for_us {
                self.say(chat, hint.unwrap_or(UiLang::Nl), vec![Reply::text(keys::PRIVATE_ONLY)])
                    .await?;
            }
            return Ok(());
        }
        match &common.media_kind {
            MediaKind::Text(t) => self.on_text(chat, &t.text, hint).await,
            _ => self.notice_and_menu(chat, hint, keys::NOT_TEXT, keys::NOT_TEXT_PERSON).await,
        }
    }

    async fn on_text(&self, chat: ChatId, text: &str, hint: Option<UiLang>) -> Result<(), Error> {
        let text = text.trim();
        if text.starts_with('/') {
            if let Some(cmd) = parse_command(text, &self.username) {
                return self.on_command(chat, cmd, hint).await;
            }
        }
        // A typed number picks a tile of the last numbered menu.
        if let Ok(n) = text.parse::<usize>() {
            let id =
                lock(&self.menus).get(&chat.0).and_then(|ids| ids.get(n.wrapping_sub(1)).cloned());
            if let Some(id) = id {
                return self.converse(chat, Input::Tap(id), hint).await;
            }
        }
        self.converse(chat, Input::Text(text.to_string()), hint).await
    }

    async fn on_command(
        &self,
        chat: ChatId,
        cmd: Command,
        hint: Option<UiLang>,
    ) -> Result<(), Error> {
        match cmd {
            Command::Start(payload) => {
                if self.chats.conversation(chat.0).is_some() {
                    // Already talking: greet again and show the menu.
                    self.typing(chat).await;
                    let out = self.step(chat, Input::Button("home".into()), hint).await?;
                    let mut replies = vec![lang_buttons(msg::GREETING)];
                    replies.extend(out.replies);
                    return self.say(chat, out.lang, replies).await;
                }
                let municipality = payload.filter(|p| {
                    self.engine.knowledge().municipalities().iter().any(|m| &m.id == p)
                });
                self.typing(chat).await;
                let (_, lang, replies) = self.new_conversation(chat, hint, municipality).await?;
                self.say(chat, lang, replies).await
            }
            Command::Menu => self.converse(chat, Input::Button("home".into()), hint).await,
            Command::Person => self.converse(chat, Input::Person, hint).await,
            Command::Stop if self.chats.conversation(chat.0).is_none() => {
                self.say(chat, hint.unwrap_or(UiLang::Nl), vec![Reply::text(msg::GOODBYE)]).await
            }
            Command::Stop => self.converse(chat, Input::Button("stop".into()), hint).await,
            Command::Forget if self.chats.conversation(chat.0).is_none() => {
                // Nothing is kept for this chat.
                self.say(chat, hint.unwrap_or(UiLang::Nl), vec![Reply::text(msg::DELETED)]).await
            }
            Command::Forget => self.converse(chat, Input::Delete, hint).await,
            Command::Lang => {
                let lang = self.lang_of(chat.0, hint).await;
                self.say(chat, lang, vec![lang_buttons(msg::CHOOSE_LANGUAGE)]).await
            }
            Command::Voice => self.toggle_voice(chat, hint).await,
            Command::Help => {
                let lang = self.lang_of(chat.0, hint).await;
                let mut help = Reply::text(keys::HELP);
                if self.voice.is_some() {
                    // One more line, only where the server reads aloud.
                    let what = self.locales.text(lang.code(), keys::CMD_VOORLEZEN, &[]);
                    let mut first = what.chars();
                    let what: String = first
                        .next()
                        .into_iter()
                        .flat_map(char::to_lowercase)
                        .chain(first)
                        .collect();
                    help.text = Some(format!("/voorlezen: {what}"));
                }
                self.say(chat, lang, vec![help]).await
            }
        }
    }

    /// `/voorlezen`: voice replies on or off for this chat. Where the server
    /// does not read aloud, the command is not offered and gets the help text.
    async fn toggle_voice(&self, chat: ChatId, hint: Option<UiLang>) -> Result<(), Error> {
        let lang = self.lang_of(chat.0, hint).await;
        let Some(voice) = &self.voice else {
            return self.say(chat, lang, vec![Reply::text(keys::HELP)]).await;
        };
        if voice.voice_for(lang.code()).is_none() {
            return self.say(chat, lang, vec![Reply::text(keys::VOICE_NO_LANG)]).await;
        }
        let on = !self.voice_on(chat);
        let chats = self.chats.clone();
        blocking(move || chats.set_voice(chat.0, on)).await??;
        tracing::info!(on, "a chat switched voice replies");
        // Switched on, this confirmation is the first reply read aloud.
        let key = if on { keys::VOICE_ON } else { keys::VOICE_OFF };
        self.say(chat, lang, vec![Reply::text(key)]).await
    }

    /// Whether replies to this chat are read aloud: its own choice, else the
    /// server's. Never in groups (they only get "private chats only").
    fn voice_on(&self, chat: ChatId) -> bool {
        match &self.voice {
            Some(v) => chat.0 > 0 && self.chats.voice(chat.0).unwrap_or(v.default_on()),
            None => false,
        }
    }

    async fn on_callback(&self, q: CallbackQuery) -> Result<(), Error> {
        let (chat, private) = match q.message.as_ref().map(|m| m.chat()) {
            Some(c) => (c.id, c.is_private()),
            // No message (too old for Telegram to send): in a private chat the chat id is the user id.
            None => (ChatId(q.from.id.0 as i64), true),
        };
        let hint = ui_lang(q.from.language_code.as_deref());
        let action = match q.data.as_deref().map(callback::decode) {
            Some(Ok(Action::Tap(id))) if !self.tap_exists(&id) => None,
            Some(Ok(a)) => Some(a),
            _ => None,
        };
        let known = self.chats.conversation(chat.0).is_some();
        // After /vergeet a second tap on "delete" finds nothing: say it is gone,
        // do not start a new conversation for it.
        let gone = !known && matches!(&action, Some(Action::Button(b)) if b.starts_with("delete"));
        // Answer first: it stops the spinner on the resident's button.
        let mut answer = self.bot.answer_callback_query(q.id.clone());
        if action.is_none() {
            let lang = self.lang_of(chat.0, hint).await;
            answer = answer.text(self.locales.text(lang.code(), keys::STALE_BUTTON, &[]));
        }
        if let Err(e) = api::call(&answer).await {
            tracing::info!(error = %describe(&e), "answerCallbackQuery failed");
        }
        if !private {
            return self
                .say(chat, hint.unwrap_or(UiLang::Nl), vec![Reply::text(keys::PRIVATE_ONLY)])
                .await;
        }
        match action {
            None => {
                tracing::info!("stale or tampered button data");
                self.notice_and_menu(chat, hint, keys::STALE_BUTTON, keys::WITH_PERSON).await
            }
            Some(_) if gone => {
                self.say(chat, hint.unwrap_or(UiLang::Nl), vec![Reply::text(msg::DELETED)]).await
            }
            Some(Action::Tap(id)) => self.converse(chat, Input::Tap(id), hint).await,
            Some(Action::Button(b)) => self.converse(chat, Input::Button(b), hint).await,
            Some(Action::Lang(l)) => self.converse(chat, Input::SetLang(l), hint).await,
        }
    }

    fn tap_exists(&self, id: &str) -> bool {
        let kb = self.engine.knowledge();
        match id.strip_prefix("service:") {
            Some(sid) => kb.service(sid).is_some(),
            None => kb.navigation().node(id).is_some(),
        }
    }

    /// A short notice and the menu (for things the bot cannot read, and old
    /// buttons). With a supporter on the line, only a hint to type instead.
    async fn notice_and_menu(
        &self,
        chat: ChatId,
        hint: Option<UiLang>,
        notice: &str,
        with_person: &str,
    ) -> Result<(), Error> {
        let id = self.conversation_for(chat, hint).await?;
        let engine = self.engine.clone();
        let conversation = blocking(move || engine.conversation(&id)).await?;
        if let Ok(c) = &conversation {
            if matches!(c.mode, Mode::WithSupporter { .. }) {
                return self.say(chat, c.lang, vec![Reply::text(with_person)]).await;
            }
        }
        let out = self.step(chat, Input::Button("home".into()), hint).await?;
        let mut replies = vec![Reply::text(notice)];
        replies.extend(out.replies);
        self.say(chat, out.lang, replies).await
    }

    /// One resident input: typing, engine step, replies.
    async fn converse(
        &self,
        chat: ChatId,
        input: Input,
        hint: Option<UiLang>,
    ) -> Result<(), Error> {
        let text = matches!(input, Input::Text(_));
        self.typing(chat).await;
        let out = self.step(chat, input, hint).await?;
        if out.replies.is_empty() {
            // A supporter holds the conversation: text goes to them, silently.
            // A button does nothing then; say why.
            if out.with_supporter && !text {
                return self.say(chat, out.lang, vec![Reply::text(keys::WITH_PERSON)]).await;
            }
            return Ok(());
        }
        self.say(chat, out.lang, out.replies).await
    }

    // ----- the engine -----

    async fn new_conversation(
        &self,
        chat: ChatId,
        hint: Option<UiLang>,
        municipality: Option<String>,
    ) -> Result<(String, UiLang, Vec<Reply>), Error> {
        let engine = self.engine.clone();
        let lang = start_lang(hint);
        // The resident's token is not needed: the Telegram chat is the credential.
        let (c, _token, replies) =
            blocking(move || engine.start("telegram", lang, municipality)).await??;
        let chats = self.chats.clone();
        let id = c.id.clone();
        blocking(move || chats.insert(chat.0, &id)).await??;
        tracing::debug!(conversation = %c.id, "new Telegram conversation");
        Ok((c.id, c.lang, replies))
    }

    async fn conversation_for(&self, chat: ChatId, hint: Option<UiLang>) -> Result<String, Error> {
        match self.chats.conversation(chat.0) {
            Some(id) => Ok(id),
            None => Ok(self.new_conversation(chat, hint, None).await?.0),
        }
    }

    async fn step(
        &self,
        chat: ChatId,
        input: Input,
        hint: Option<UiLang>,
    ) -> Result<Outcome, Error> {
        let id = self.conversation_for(chat, hint).await?;
        let engine = self.engine.clone();
        let (again, i) = (input.clone(), id.clone());
        match blocking(move || step_blocking(&engine, &i, input)).await? {
            Ok((out, deleted)) => {
                if deleted {
                    self.forget(chat, &id).await?;
                }
                Ok(out)
            }
            Err(engine::Error::NotFound) => {
                // Deleted elsewhere (the console, retention): start afresh, once.
                self.forget(chat, &id).await?;
                let (id, _, _) = self.new_conversation(chat, hint, None).await?;
                let engine = self.engine.clone();
                let (out, _) = blocking(move || step_blocking(&engine, &id, again)).await??;
                Ok(out)
            }
            Err(e) => Err(e.into()),
        }
    }

    async fn forget(&self, chat: ChatId, conversation: &str) -> Result<(), Error> {
        lock(&self.menus).remove(&chat.0);
        let chats = self.chats.clone();
        let id = conversation.to_string();
        blocking(move || chats.remove_conversation(&id)).await??;
        Ok(())
    }

    /// The language a chat's conversation is in (a cheap read, but still a
    /// store read: off the runtime).
    async fn lang_of(&self, chat: i64, hint: Option<UiLang>) -> UiLang {
        let fallback = hint.unwrap_or(UiLang::Nl);
        let Some(id) = self.chats.conversation(chat) else { return fallback };
        let engine = self.engine.clone();
        match blocking(move || engine.conversation(&id)).await {
            Ok(Ok(c)) => c.lang,
            _ => fallback,
        }
    }

    // ----- sending -----

    async fn typing(&self, chat: ChatId) {
        // Best effort, one attempt: "typing..." is not worth waiting for.
        if let Err(e) = self.bot.send_chat_action(chat, ChatAction::Typing).await {
            tracing::debug!(error = %describe(&e), "sendChatAction failed");
        }
    }

    /// Render replies and send them in order.
    pub async fn say(&self, chat: ChatId, lang: UiLang, replies: Vec<Reply>) -> Result<(), Error> {
        let rendered =
            Renderer { locales: &self.locales, pictograms: &self.pictograms, lang: lang.code() }
                .render(&replies);
        {
            // The last screen decides what a typed number means.
            let mut menus = lock(&self.menus);
            if menus.len() >= MAX_CHAT_HINTS {
                menus.clear();
            }
            match rendered.menu {
                Some(ids) => menus.insert(chat.0, ids),
                None => menus.remove(&chat.0),
            };
        }
        let spoken: Vec<String> = if self.voice_on(chat) {
            rendered
                .messages
                .iter()
                .map(|m| match m {
                    Outgoing::Text { text, .. } => text.clone(),
                    // The menu as a numbered list: the numbers on the grid, said.
                    Outgoing::Grid { fallback, .. } => fallback.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        for m in rendered.messages {
            self.send(chat, m).await?;
        }
        if !spoken.is_empty() {
            self.speak(chat, lang, &spoken.join("\n\n")).await;
        }
        Ok(())
    }

    /// The text just sent, as a voice message after it. Best effort: any
    /// failure is logged (once, without the text) and the resident keeps the text.
    async fn speak(&self, chat: ChatId, lang: UiLang, text: &str) {
        let Some(voice) = &self.voice else { return };
        let Some(name) = voice.voice_for(lang.code()) else { return };
        let text = voice::speakable(text, &self.locales.text(lang.code(), keys::VOICE_LINK, &[]));
        if text.is_empty() {
            return;
        }
        if let Err(e) = self.bot.send_chat_action(chat, ChatAction::UploadVoice).await {
            tracing::debug!(error = %describe(&e), "sendChatAction failed");
        }
        let ogg = match voice.synthesize(&name, &text).await {
            Ok(ogg) => ogg,
            Err(e) => return voice.warn_once(&e),
        };
        let req = self.bot.send_voice(chat, InputFile::memory(ogg).file_name("voorlezen.ogg"));
        if let Err(e) = api::call(&req).await {
            tracing::warn!(error = %describe(&e), "sendVoice failed; the text was sent");
        }
    }

    async fn send_text(&self, chat: ChatId, text: &str, keyboard: &Keyboard) -> Result<(), Error> {
        // Telegram refuses empty messages.
        let pieces: Vec<String> = render::split_text(text, render::MAX_TEXT)
            .into_iter()
            .filter(|p| !p.trim().is_empty())
            .collect();
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut req = self.bot.send_message(chat, piece).link_preview_options(no_preview());
            if i == last {
                if let Some(m) = markup(keyboard) {
                    req = req.reply_markup(m);
                }
            }
            api::call(&req).await.map_err(|e| Error::Telegram(describe(&e)))?;
        }
        Ok(())
    }

    async fn send(&self, chat: ChatId, m: Outgoing) -> Result<(), Error> {
        match m {
            Outgoing::Text { text, keyboard } => self.send_text(chat, &text, &keyboard).await,
            Outgoing::Grid { tiles, caption, keyboard, fallback } => {
                let cached = lock(&self.photos).get(&tiles).cloned();
                if let Some(file) = cached {
                    match self.send_photo(chat, InputFile::file_id(file), &caption, &keyboard).await
                    {
                        Ok(_) => return Ok(()),
                        // Telegram forgot the file: upload again.
                        Err(RequestError::Api(e)) => {
                            tracing::info!(error = %e, "cached menu photo refused; uploading again");
                            lock(&self.photos).remove(&tiles);
                        }
                        Err(e) => return Err(Error::Telegram(describe(&e))),
                    }
                }
                let set = self.pictograms.clone();
                let t = tiles.clone();
                let png = match blocking(move || set.grid_png(&t, render::TILE_SIZE)).await? {
                    Ok(png) => png,
                    Err(e) => {
                        tracing::error!(error = %e, "cannot draw the menu grid; sending it as a list");
                        return self.send_text(chat, &fallback, &keyboard).await;
                    }
                };
                let photo = InputFile::memory(png).file_name("menu.png");
                match self.send_photo(chat, photo, &caption, &keyboard).await {
                    Ok(sent) => {
                        if let Some(p) = sent.photo().and_then(|sizes| sizes.last()) {
                            let mut photos = lock(&self.photos);
                            if photos.len() >= MAX_CACHED_PHOTOS {
                                photos.clear();
                            }
                            photos.insert(tiles, p.file.id.clone());
                        }
                        Ok(())
                    }
                    Err(RequestError::Api(e)) => {
                        tracing::warn!(error = %e, "Telegram refused the menu photo; sending it as a list");
                        self.send_text(chat, &fallback, &keyboard).await
                    }
                    Err(e) => Err(Error::Telegram(describe(&e))),
                }
            }
        }
    }

    async fn send_photo(
        &self,
        chat: ChatId,
        photo: InputFile,
        caption: &str,
        keyboard: &Keyboard,
    ) -> Result<Message, RequestError> {
        let mut req = self.bot.send_photo(chat, photo).caption(caption.to_string());
        if let Some(m) = markup(keyboard) {
            req = req.reply_markup(m);
        }
        api::call(&req).await
    }

    // ----- engine events -----

    /// Pass the engine's pushes to the chats they belong to, in order.
    pub async fn listen(
        self: Arc<Self>,
        mut events: tokio::sync::broadcast::Receiver<engine::Event>,
    ) {
        use tokio::sync::broadcast::error::RecvError;
        loop {
            let event = match events.recv().await {
                Ok(e) => e,
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(missed = n, "the Telegram bot fell behind the engine's events");
                    continue;
                }
                Err(RecvError::Closed) => return,
            };
            let Some(chat) = self.chats.chat(&event.conversation) else { continue };
            let chat = ChatId(chat);
            match event.kind {
                engine::EventKind::Push { replies } => {
                    let lang = self.lang_of(chat.0, None).await;
                    if let Err(e) = self.say(chat, lang, replies).await {
                        tracing::error!(error = %e, conversation = %event.conversation, "could not pass a message on to Telegram");
                    }
                }
                engine::EventKind::Typing { .. } => {
                    let due = {
                        let mut typing = lock(&self.typing);
                        let now = Instant::now();
                        let due = typing
                            .get(&chat.0)
                            .is_none_or(|t| now.duration_since(*t) >= TYPING_EVERY);
                        if due {
                            if typing.len() >= MAX_CHAT_HINTS {
                                typing.clear();
                            }
                            typing.insert(chat.0, now);
                        }
                        due
                    };
                    if due {
                        self.typing(chat).await;
                    }
                }
                engine::EventKind::Deleted => {
                    if let Err(e) = self.forget(chat, &event.conversation).await {
                        tracing::error!(error = %e, "could not forget a deleted conversation's chat");
                    }
                    lock(&self.typing).remove(&chat.0);
                }
                _ => {}
            }
        }
    }
}

/// Step and report the state after. `deleted` is true when the step deleted
/// the conversation (`/vergeet` confirmed).
fn step_blocking(
    engine: &Engine,
    id: &str,
    input: Input,
) -> Result<(Outcome, bool), engine::Error> {
    let before = engine.conversation(id)?;
    let replies = match engine.step(id, input) {
        Ok(r) => r,
        Err(engine::Error::TooLong { max }) => vec![Reply::text(msg::TOO_LONG).arg("max", max)],
        Err(e) => return Err(e),
    };
    let after = match engine.conversation(id) {
        Ok(c) => Some(c),
        Err(engine::Error::NotFound) => None,
        Err(e) => return Err(e),
    };
    let lang = after.as_ref().map_or(before.lang, |c| c.lang);
    let with_supporter =
        after.as_ref().is_some_and(|c| matches!(c.mode, Mode::WithSupporter { .. }));
    Ok((Outcome { replies, lang, with_supporter }, after.is_none()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_in_dutch_and_english() {
        assert_eq!(parse_command("/start", "wegwijs_bot"), Some(Command::Start(None)));
        assert_eq!(
            parse_command("/start utrecht", "wegwijs_bot"),
            Some(Command::Start(Some("utrecht".into())))
        );
        assert_eq!(parse_command("/mens@Wegwijs_Bot", "wegwijs_bot"), Some(Command::Person));
        assert_eq!(parse_command("/mens@other_bot", "wegwijs_bot"), None);
        assert_eq!(parse_command("/VERGEET", "wegwijs_bot"), Some(Command::Forget));
        assert_eq!(parse_command("/language", "wegwijs_bot"), Some(Command::Lang));
        assert_eq!(parse_command("/voorlezen", "wegwijs_bot"), Some(Command::Voice));
        assert_eq!(parse_command("/wat", "wegwijs_bot"), Some(Command::Help));
        assert_eq!(parse_command("geen commando", "wegwijs_bot"), None);
    }

    #[test]
    fn telegram_language_codes() {
        assert_eq!(ui_lang(Some("uk")), Some(UiLang::Uk));
        assert_eq!(ui_lang(Some("pt-br")), None);
        assert_eq!(ui_lang(Some("en-GB")), Some(UiLang::En));
        assert_eq!(start_lang(Some(UiLang::Nl)), None);
        assert_eq!(start_lang(Some(UiLang::Ar)), Some(UiLang::Ar));
    }
}
