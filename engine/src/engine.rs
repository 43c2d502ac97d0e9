//! The engine: one step per resident input, plus the supporter side of handover.

use std::sync::{Arc, Mutex};

use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tokio::sync::broadcast;

use crate::conversation::{Conversation, InputRecord, Message, Mode, Pending, Reason, Sender};
use crate::model::Lang;
use crate::msg;
use crate::reply::{Choice, HandoverStatus, Label, Reply, ReplyKind, ServiceCard};
use crate::store::{AuditEntry, ConversationStore, QueueEntry, StoreError, Ticket};
use crate::triage::{Action, KnowledgeSource};
use crate::UiLang;

/// Longest text a resident or supporter may send in one message.
pub const MAX_TEXT_CHARS: usize = 2000;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("no such conversation")]
    NotFound,
    #[error("the message is too long: at most {max} characters")]
    TooLong { max: usize },
    #[error("the message is empty")]
    Empty,
    #[error("another supporter already holds this conversation")]
    AlreadyClaimed,
    #[error("this conversation is not waiting for a person")]
    NotWaiting,
    #[error("you do not hold this conversation")]
    NotHolder,
    #[error(transparent)]
    Store(#[from] StoreError),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A step's outcome: the replies, and the conversation as the step left it
/// (None when the step deleted it).
#[derive(Clone, Debug)]
pub struct Stepped {
    pub replies: Vec<Reply>,
    pub conversation: Option<Conversation>,
}

/// A step in the store, maybe not yet on disk: what to wait for, and what to
/// tell listeners once it is durable.
struct Written {
    id: String,
    stepped: Stepped,
    ticket: Ticket,
    events: Vec<EventKind>,
}

/// Where a conversation stands in the queue, for telling whether a step moved it.
fn queue_place(mode: &Mode) -> Option<Reason> {
    match mode {
        Mode::Waiting { reason, .. } => Some(*reason),
        _ => None,
    }
}

/// What a resident sends.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Input {
    Text(String),
    /// A pictogram tile: a menu node id, or "home"/"back"/"person".
    Tap(String),
    /// A button id (see `Engine::step`).
    Button(String),
    SetLang(UiLang),
    Person,
    Delete,
}

/// Time, so tests can move it.
pub trait Clock: Send + Sync {
    /// Seconds since the Unix epoch.
    fn now(&self) -> i64;
    /// Local (Dutch) weekday, Monday = 0, and minute of the day.
    fn local(&self) -> (usize, u16);
    /// Today's local (Dutch) date as `YYYY-MM-DD`, for closing days.
    fn local_date(&self) -> String {
        crate::hours::date_in_netherlands(self.now())
    }
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    }
    fn local(&self) -> (usize, u16) {
        crate::hours::now_in_netherlands()
    }
}

/// A team of supporters and what it takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Team {
    pub name: String,
    /// UI language codes; empty takes all.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Service ids; empty takes all.
    #[serde(default)]
    pub topics: Vec<String>,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// When supporters are there, e.g. ["ma-vr 09:00-17:00"].
    pub office_hours: Vec<String>,
    /// Public holidays and closing days (`YYYY-MM-DD`): no office hours then.
    pub closed_dates: Vec<String>,
    /// Seconds after a supporter's last sign of life in the console (an open
    /// queue page asks every few seconds) that they count as away.
    pub presence_idle_secs: i64,
    /// Seconds a resident may wait before being told nobody is free.
    pub claim_timeout_secs: i64,
    /// Seconds message text is kept.
    pub retention_secs: i64,
    /// Minutes a supporter needs per conversation, for the expected wait.
    pub minutes_per_conversation: u32,
    pub teams: Vec<Team>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            office_hours: vec!["ma-vr 09:00-17:00".into()],
            closed_dates: Vec::new(),
            presence_idle_secs: 120,
            claim_timeout_secs: 10 * 60,
            retention_secs: 30 * 24 * 3600,
            minutes_per_conversation: 5,
            teams: vec![
                Team { name: "professionals".into(), languages: vec![], topics: vec![] },
                Team { name: "volunteers".into(), languages: vec!["nl".into(), "en".into()], topics: vec![] },
            ],
        }
    }
}

/// Something happened in a conversation; adapters and the console listen.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    pub conversation: String,
    #[serde(flatten)]
    pub kind: EventKind,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum EventKind {
    /// A message was stored (resident, bot, supporter or system).
    Message { seq: u64 },
    /// Replies the resident should see that were not an answer to their own
    /// input (a supporter wrote, someone joined, the wait timed out).
    Push { replies: Vec<Reply> },
    QueueChanged,
    Typing { supporter: String },
    Deleted,
}

/// A supporter's availability, as the console reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Presence {
    team: String,
    available: bool,
    seen: i64,
}

impl Presence {
    /// Available, and seen within the idle time.
    fn counts(&self, now: i64, idle_secs: i64) -> bool {
        self.available && now - self.seen <= idle_secs
    }
}

/// Whether a team takes conversations in this language and on this topic.
/// Crisis goes to every team.
fn team_takes(team: Option<&Team>, lang: &str, topic: Option<&str>, reason: Reason) -> bool {
    let Some(t) = team else { return true };
    reason == Reason::Crisis
        || ((t.languages.is_empty() || t.languages.iter().any(|l| l == lang))
            && (t.topics.is_empty() || topic.is_some_and(|x| t.topics.iter().any(|t| t == x))))
}

/// A queue entry with its place, for the console.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct QueueItem {
    #[serde(flatten)]
    pub entry: QueueEntry,
    pub position: usize,
    pub waiting_secs: i64,
}

pub struct Engine {
    /// Swapped whole when the content changes (see `set_knowledge`).
    kb: std::sync::RwLock<Arc<dyn KnowledgeSource>>,
    store: Arc<dyn ConversationStore>,
    clock: Arc<dyn Clock>,
    config: Config,
    events: broadcast::Sender<Event>,
    /// Steps on one conversation run one at a time; shards keep unrelated
    /// conversations from waiting on each other.
    locks: Vec<Mutex<()>>,
    /// Supporters with the console open, by name. In memory: presence is
    /// about this moment, and a restart asks the consoles again within seconds.
    presence: Mutex<std::collections::HashMap<String, Presence>>,
}

pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// `Ok` if `token` is the conversation's resident token (constant time).
fn check_token(c: &Conversation, token: &str) -> Result<()> {
    let want = c.token_hash.as_bytes();
    let got = hash_token(token);
    let got = got.as_bytes();
    let diff = want.iter().zip(got).fold(want.len() ^ got.len(), |acc, (a, b)| acc | usize::from(a ^ b));
    if diff == 0 {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    rand::rng().fill_bytes(&mut b);
    hex(&b)
}

fn btn(id: &str, key: &str, pictogram: &str) -> Choice {
    Choice { id: id.into(), label: Label::Key(key.into()), pictogram: pictogram.into() }
}

/// The buttons every screen has.
/// 112 and 113 first (the safety net shows those two), then 113's free
/// number and Veilig Thuis.
fn crisis_buttons() -> Vec<Choice> {
    [("tel:112", "112"), ("tel:113", "113"), ("tel:08000113", "0800-0113"), ("tel:08002000", "0800-2000")]
        .into_iter()
        .map(|(id, label)| Choice { id: id.into(), label: Label::Text(label.into()), pictogram: "phone".into() })
        .collect()
}

/// 112 and 113 alone: kept in reach wherever danger is possible but not sure.
fn safety_net_buttons() -> Vec<Choice> {
    crisis_buttons().into_iter().take(2).collect()
}

fn nav_buttons() -> Vec<Choice> {
    vec![btn("person", msg::BTN_PERSON, "person"), btn("back", msg::BTN_BACK, "back"), btn("home", msg::BTN_HOME, "home")]
}

impl Engine {
    pub fn new(kb: Arc<dyn KnowledgeSource>, store: Arc<dyn ConversationStore>, clock: Arc<dyn Clock>, config: Config) -> Engine {
        let (events, _) = broadcast::channel(1024);
        Engine {
            kb: std::sync::RwLock::new(kb),
            store,
            clock,
            config,
            events,
            locks: (0..64).map(|_| Mutex::new(())).collect(),
            presence: Mutex::new(Default::default()),
        }
    }

    /// The knowledge in use now.
    pub fn knowledge(&self) -> Arc<dyn KnowledgeSource> {
        self.kb.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replace the knowledge (new content); conversations continue with it.
    pub fn set_knowledge(&self, kb: Arc<dyn KnowledgeSource>) {
        *self.kb.write().unwrap_or_else(|e| e.into_inner()) = kb;
    }

    pub fn store(&self) -> &dyn ConversationStore {
        &*self.store
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.events.subscribe()
    }

    fn emit(&self, conversation: &str, kind: EventKind) {
        // No listener is fine: events are a convenience, the store is the truth.
        let _ = self.events.send(Event { conversation: conversation.to_string(), kind });
    }

    fn lock(&self, id: &str) -> std::sync::MutexGuard<'_, ()> {
        let shard = id.bytes().fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize)) % self.locks.len();
        // A panic while holding the lock leaves no broken state behind (every
        // write goes through the store), so a poisoned lock is still usable.
        self.locks[shard].lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Start a conversation. Returns it, the resident's secret token (shown
    /// once, never stored) and the greeting.
    pub fn start(&self, channel: &str, lang: Option<UiLang>, municipality: Option<String>) -> Result<(Conversation, String, Vec<Reply>)> {
        let (c, token, replies, ticket) = self.write_start(channel, lang, municipality)?;
        self.store.durable(ticket)?;
        self.emit(&c.id, EventKind::Message { seq: 0 });
        Ok((c, token, replies))
    }

    /// `start` for async callers: the wait for the disk holds no thread.
    pub async fn start_async(&self, channel: &str, lang: Option<UiLang>, municipality: Option<String>) -> Result<(Conversation, String, Vec<Reply>)> {
        let (c, token, replies, ticket) = self.write_start(channel, lang, municipality)?;
        self.store.wait_durable(ticket).await?;
        self.emit(&c.id, EventKind::Message { seq: 0 });
        Ok((c, token, replies))
    }

    /// A new conversation and its greeting (message 0), written but maybe not yet on disk.
    fn write_start(&self, channel: &str, lang: Option<UiLang>, municipality: Option<String>) -> Result<(Conversation, String, Vec<Reply>, Ticket)> {
        let now = self.clock.now();
        let token = random_hex(32);
        let mut c = Conversation::new(random_hex(16), hash_token(&token), channel, lang, municipality, now);
        let replies = vec![self.greeting(), self.home_menu(&c)];
        let greeting = self.message(&mut c, Sender::Bot, None, None, replies.clone());
        let ticket = self.store.append_unflushed(&c, std::slice::from_ref(&greeting))?;
        self.store.count(&format!("channel/{channel}"), 1)?;
        Ok((c, token, replies, ticket))
    }

    /// The conversation if `token` is its resident's token. Compares hashes in
    /// constant time so the token cannot be guessed byte by byte.
    pub fn authorize(&self, id: &str, token: &str) -> Result<Conversation> {
        let c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        check_token(&c, token)?;
        Ok(c)
    }

    pub fn conversation(&self, id: &str) -> Result<Conversation> {
        self.store.conversation(id)?.ok_or(Error::NotFound)
    }

    pub fn transcript(&self, id: &str) -> Result<Vec<Message>> {
        if self.store.conversation(id)?.is_none() {
            return Err(Error::NotFound);
        }
        Ok(self.store.messages(id)?)
    }

    fn message(&self, c: &mut Conversation, from: Sender, text: Option<String>, input: Option<InputRecord>, replies: Vec<Reply>) -> Message {
        let seq = c.next_seq;
        c.next_seq += 1;
        c.updated = self.clock.now();
        Message { seq, at: c.updated, from, text, input, replies, purged: false }
    }

    /// Store messages with their conversation, maybe not yet on disk: the
    /// ticket to wait for, and the events to tell once it is durable.
    fn write(&self, c: &Conversation, messages: &[Message]) -> Result<(Ticket, Vec<EventKind>)> {
        let ticket = self.store.append_unflushed(c, messages)?;
        Ok((ticket, messages.iter().map(|m| EventKind::Message { seq: m.seq }).collect()))
    }

    /// Store messages (one durable write) and tell listeners.
    fn commit(&self, c: &Conversation, messages: &[Message]) -> Result<()> {
        let (ticket, events) = self.write(c, messages)?;
        self.store.durable(ticket)?;
        for kind in events {
            self.emit(&c.id, kind);
        }
        Ok(())
    }

    fn record(&self, c: &mut Conversation, from: Sender, text: Option<String>, input: Option<InputRecord>, replies: Vec<Reply>) -> Result<u64> {
        let m = self.message(c, from, text, input, replies);
        self.commit(c, std::slice::from_ref(&m))?;
        Ok(m.seq)
    }

    /// One resident input. Stores the input and the replies before returning,
    /// so what the resident was answered is on disk.
    ///
    /// Buttons: `yes`, `no`, `person`, `back`, `home`, `stop`, `delete`,
    /// `delete-confirm`, `delete-cancel`, `consent-yes`, `consent-no`,
    /// `lang:<code>`, `service:<id>`.
    pub fn step(&self, id: &str, input: Input) -> Result<Vec<Reply>> {
        let written = self.write_step(id, None, input, |_| Ok::<(), Error>(()))?;
        self.store.durable(written.ticket)?;
        Ok(self.publish(written).replies)
    }

    /// A resident input that carries the resident's token, as over the web:
    /// the token is checked, then `admit` (a rate limit, say) sees the
    /// conversation, then the step runs, all on one read of the conversation.
    /// The step runs on the caller's thread; the wait for the disk holds no
    /// thread. Returns once the step is on disk, with the conversation as the
    /// step left it.
    pub async fn step_as_resident<E: From<Error>>(
        &self,
        id: &str,
        token: &str,
        input: Input,
        admit: impl FnOnce(&Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<Stepped, E> {
        let written = self.write_step(id, Some(token), input, admit)?;
        self.store.wait_durable(written.ticket).await.map_err(Error::from)?;
        Ok(self.publish(written))
    }

    /// Tell listeners about a step once it is on disk.
    fn publish(&self, written: Written) -> Stepped {
        for kind in written.events {
            self.emit(&written.id, kind);
        }
        written.stepped
    }

    fn write_step<E: From<Error>>(
        &self,
        id: &str,
        token: Option<&str>,
        input: Input,
        admit: impl FnOnce(&Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<Written, E> {
        let guard = self.lock(id);
        let c = self.conversation(id)?;
        if let Some(token) = token {
            check_token(&c, token)?;
        }
        admit(&c)?;
        Ok(self.step_locked(guard, c, input)?)
    }

    /// The step itself, with the conversation's lock held and the conversation
    /// read. Writes the step without waiting for the disk.
    fn step_locked(&self, guard: std::sync::MutexGuard<'_, ()>, mut c: Conversation, input: Input) -> Result<Written> {
        if let Input::Text(t) = &input {
            if t.chars().count() > MAX_TEXT_CHARS {
                return Err(Error::TooLong { max: MAX_TEXT_CHARS });
            }
        }
        if matches!(c.mode, Mode::Closed { .. }) {
            c.mode = Mode::Bot;
        }
        let (text, record) = match &input {
            Input::Text(t) => (Some(t.clone()), Some(InputRecord::Text(t.clone()))),
            Input::Tap(t) => (None, Some(InputRecord::Tap(t.clone()))),
            Input::Button(b) => (None, Some(InputRecord::Button(b.clone()))),
            Input::SetLang(l) => (None, Some(InputRecord::Button(format!("lang:{}", l.code())))),
            Input::Person => (None, Some(InputRecord::Button("person".into()))),
            Input::Delete => (None, Some(InputRecord::Button("delete".into()))),
        };
        // Deletion must not write the input first: it would be deleted anyway.
        if matches!(&input, Input::Button(b) if b == "delete-confirm") && c.pending == Pending::ConfirmDelete {
            drop(guard);
            // Durable, and told, by `delete` itself.
            self.delete(&c.id)?;
            let stepped = Stepped { replies: vec![Reply::text(msg::DELETED).pictogram("yes")], conversation: None };
            return Ok(Written { id: c.id, stepped, ticket: 0, events: Vec::new() });
        }
        // A supporter holds the conversation: store and pass on, the bot stays silent.
        if let Mode::WithSupporter { supporter, .. } = &c.mode {
            let supporter = supporter.clone();
            let own_way = matches!(&input, Input::Delete) || matches!(&input, Input::Button(b) if b == "delete" || b == "stop");
            if !own_way {
                // A tap or button goes to the supporter as what it says (the
                // console labels it); the resident sees it was passed on, and
                // can stop talking to the person with one tap.
                let passed_on = match &input {
                    Input::Text(_) => Vec::new(),
                    _ => {
                        let mut r = Reply::text(msg::TAP_PASSED_ON).arg("name", &supporter).pictogram("person");
                        r.buttons = vec![btn("stop", msg::BTN_STOP, "stop")];
                        vec![r]
                    }
                };
                let asked = self.message(&mut c, Sender::Resident, text, record, Vec::new());
                let mut messages = vec![asked];
                if !passed_on.is_empty() {
                    messages.push(self.message(&mut c, Sender::Bot, None, None, passed_on.clone()));
                }
                let (ticket, events) = self.write(&c, &messages)?;
                return Ok(Written { id: c.id.clone(), stepped: Stepped { replies: passed_on, conversation: Some(c) }, ticket, events });
            }
        }
        // The input and the answer go to disk in one write, before the answer is returned.
        let queued = queue_place(&c.mode);
        let asked = self.message(&mut c, Sender::Resident, text, record, Vec::new());
        let replies = self.respond(&mut c, input)?;
        let answered = self.message(&mut c, Sender::Bot, None, None, replies.clone());
        let (ticket, mut events) = self.write(&c, &[asked, answered])?;
        if queue_place(&c.mode) != queued {
            events.push(EventKind::QueueChanged);
        }
        Ok(Written { id: c.id.clone(), stepped: Stepped { replies, conversation: Some(c) }, ticket, events })
    }

    fn respond(&self, c: &mut Conversation, input: Input) -> Result<Vec<Reply>> {
        let waiting = matches!(c.mode, Mode::Waiting { .. });
        match input {
            Input::Text(t) => self.on_text(c, &t),
            Input::SetLang(l) => Ok(self.set_lang(c, l)),
            Input::Person => self.enqueue(c, Reason::AskedForPerson),
            Input::Delete => Ok(self.ask_delete(c)),
            Input::Tap(t) => self.on_tap(c, &t),
            Input::Button(b) => match b.as_str() {
                "person" if waiting => Ok(vec![self.queue_status(c)?]),
                "person" => {
                    let reason = match &c.pending {
                        Pending::Feedback { .. } | Pending::Choose { .. } if c.not_understood == 0 => Reason::AnswerDidNotHelp,
                        _ if c.not_understood >= 2 => Reason::NotUnderstood,
                        _ => Reason::AskedForPerson,
                    };
                    self.enqueue(c, reason)
                }
                "home" | "back" => self.on_tap(c, &b),
                "stop" => {
                    if waiting {
                        // Out of the queue (the step tells listeners).
                        c.mode = Mode::Bot;
                    }
                    c.pending = Pending::Nothing;
                    c.nav.clear();
                    c.mode = Mode::Closed { outcome: "resident_stopped".into() };
                    Ok(vec![Reply::text(msg::GOODBYE).pictogram("stop")])
                }
                "delete" => Ok(self.ask_delete(c)),
                "delete-cancel" => {
                    c.pending = Pending::Nothing;
                    Ok(vec![Reply::text(msg::DELETE_CANCELLED), self.home_menu(c)])
                }
                "yes" | "no" => Ok(self.on_feedback(c, b == "yes")),
                "consent-yes" if c.pending == Pending::ConsentContact => {
                    c.pending = Pending::LeaveContact;
                    Ok(vec![Reply::text(msg::LEAVE_CONTACT).pictogram("phone")])
                }
                "consent-no" if c.pending == Pending::ConsentContact => {
                    c.pending = Pending::Nothing;
                    Ok(vec![Reply::text(msg::NO_CONSENT), self.home_menu(c)])
                }
                other => {
                    if let Some(code) = other.strip_prefix("lang:") {
                        if let Some(l) = UiLang::from_code(code) {
                            return Ok(self.set_lang(c, l));
                        }
                    }
                    if let Some(sid) = other.strip_prefix("service:") {
                        if self.knowledge().service(sid).is_some() {
                            return Ok(self.answer_service(c, sid));
                        }
                    }
                    Ok(vec![Reply::text(msg::UNKNOWN_CHOICE), self.home_menu(c)])
                }
            },
        }
    }

    fn on_text(&self, c: &mut Conversation, text: &str) -> Result<Vec<Reply>> {
        if text.trim().is_empty() {
            return Ok(vec![Reply::text(msg::NOT_UNDERSTOOD), self.home_menu(c)]);
        }
        if c.pending == Pending::LeaveContact {
            c.pending = Pending::Nothing;
            self.store.count("contact-requests", 1)?;
            return Ok(vec![Reply::text(msg::CONTACT_SAVED).pictogram("yes")]);
        }
        // The conversation's language is a hint: triage reads every language,
        // and says which one the message was written in.
        let t = self.knowledge().triage(text, Some(c.lang));
        if !c.lang_chosen {
            // Each message decides the language until the resident picks one.
            c.lang = t.lang;
        }
        let waiting = matches!(c.mode, Mode::Waiting { .. });
        match t.action {
            Action::Crisis => {
                self.store.count("action/crisis", 1)?;
                let mut out = vec![self.crisis_card()];
                out.extend(self.enqueue(c, Reason::Crisis)?);
                Ok(out)
            }
            _ if waiting => Ok(vec![Reply::text(msg::STILL_WAITING), self.queue_status(c)?]),
            Action::Human => {
                self.store.count("action/human", 1)?;
                self.enqueue(c, Reason::AskedForPerson)
            }
            Action::Answer => {
                let sid = t.service.unwrap_or_default();
                c.last_services = std::iter::once(sid.clone()).chain(t.alternatives).collect();
                self.store.count("action/answer", 1)?;
                Ok(self.answer_service(c, &sid))
            }
            Action::Clarify => {
                self.store.count("action/clarify", 1)?;
                let services: Vec<String> = t.service.into_iter().chain(t.alternatives).take(3).collect();
                c.last_services = services.clone();
                c.pending = Pending::Choose { services: services.clone() };
                let mut r = Reply::new(ReplyKind::Menu, msg::CLARIFY).pictogram("question");
                r.choices = services.iter().filter_map(|s| self.service_choice(c, s)).collect();
                r.buttons = nav_buttons();
                if services.iter().any(|s| s == "crisis") {
                    // Maybe danger: the numbers are one tap away, not one screen.
                    r.buttons.extend(safety_net_buttons());
                }
                Ok(vec![r])
            }
            Action::OutOfScope => {
                self.store.count("action/out_of_scope", 1)?;
                c.not_understood = c.not_understood.saturating_add(1);
                if c.not_understood >= 2 {
                    let mut r = Reply::text(msg::NOT_UNDERSTOOD_AGAIN).pictogram("person");
                    r.buttons = vec![btn("person", msg::BTN_PERSON, "person"), btn("home", msg::BTN_HOME, "home")];
                    r.buttons.extend(safety_net_buttons());
                    return Ok(vec![r]);
                }
                // Whatever language this was, the crisis numbers stay in reach.
                let mut r = Reply::text(msg::NOT_UNDERSTOOD).pictogram("question");
                r.buttons = safety_net_buttons();
                Ok(vec![r, self.home_menu(c)])
            }
        }
    }

    fn on_tap(&self, c: &mut Conversation, tap: &str) -> Result<Vec<Reply>> {
        match tap {
            "home" => {
                c.nav.clear();
                return Ok(vec![self.home_menu(c)]);
            }
            "back" => {
                c.nav.pop();
                return Ok(vec![match c.nav.last().cloned() {
                    Some(node) => self.submenu(c, &node).unwrap_or_else(|| self.home_menu(c)),
                    None => self.home_menu(c),
                }]);
            }
            "person" => return self.enqueue(c, Reason::AskedForPerson),
            _ => {}
        }
        if let Some(sid) = tap.strip_prefix("service:") {
            if self.knowledge().service(sid).is_some() {
                return Ok(self.answer_service(c, sid));
            }
        }
        let kb = self.knowledge();
        let nav = kb.navigation();
        let Some(node) = nav.node(tap) else {
            return Ok(vec![Reply::text(msg::UNKNOWN_CHOICE), self.home_menu(c)]);
        };
        if let Some(sid) = node.service.clone() {
            return Ok(self.answer_service(c, &sid));
        }
        c.nav.push(node.id.clone());
        Ok(vec![self.submenu(c, tap).unwrap_or_else(|| self.home_menu(c))])
    }

    fn on_feedback(&self, c: &mut Conversation, helped: bool) -> Vec<Reply> {
        let Pending::Feedback { service } = std::mem::take(&mut c.pending) else {
            return vec![Reply::text(msg::UNKNOWN_CHOICE), self.home_menu(c)];
        };
        let _ = self.store.count(&format!("feedback/{service}/{}", if helped { "yes" } else { "no" }), 1);
        if helped {
            return vec![Reply::text(msg::FEEDBACK_THANKS).pictogram("yes"), self.home_menu(c)];
        }
        // Not helped: the other candidates as pictograms, then a person.
        let others: Vec<String> = c.last_services.iter().filter(|s| **s != service).take(3).cloned().collect();
        c.pending = Pending::Choose { services: others.clone() };
        let mut r = Reply::new(ReplyKind::Menu, msg::FEEDBACK_SORRY).pictogram("person");
        r.choices = others.iter().filter_map(|s| self.service_choice(c, s)).collect();
        r.buttons = nav_buttons();
        vec![r]
    }

    fn set_lang(&self, c: &mut Conversation, l: UiLang) -> Vec<Reply> {
        c.lang = l;
        c.lang_chosen = true;
        vec![Reply::text(msg::LANGUAGE_SET).arg("language", l.native_name()).pictogram("language"), self.home_menu(c)]
    }

    fn ask_delete(&self, c: &mut Conversation) -> Vec<Reply> {
        c.pending = Pending::ConfirmDelete;
        let mut r = Reply::text(msg::CONFIRM_DELETE).pictogram("question");
        r.buttons = vec![btn("delete-confirm", msg::BTN_DELETE, "yes"), btn("delete-cancel", msg::BTN_CANCEL, "no")];
        vec![r]
    }

    fn greeting(&self) -> Reply {
        let mut r = Reply::text(msg::GREETING).pictogram("person");
        r.buttons = UiLang::ALL
            .iter()
            .map(|l| Choice { id: format!("lang:{}", l.code()), label: Label::Text(l.native_name().into()), pictogram: "language".into() })
            .collect();
        r
    }

    fn home_menu(&self, c: &Conversation) -> Reply {
        let lang = c.lang;
        let kb = self.knowledge();
        let nav = kb.navigation();
        let mut r = Reply::new(ReplyKind::Menu, msg::HOME_MENU).pictogram("home");
        r.choices = nav
            .home
            .iter()
            .filter_map(|id| nav.node(id))
            .map(|n| Choice { id: n.id.clone(), label: Label::Text(n.label(lang).into()), pictogram: n.pictogram.clone() })
            .collect();
        r.buttons = vec![btn("person", msg::BTN_PERSON, "person")];
        r
    }

    fn submenu(&self, c: &Conversation, node_id: &str) -> Option<Reply> {
        let lang = c.lang;
        let kb = self.knowledge();
        let nav = kb.navigation();
        let node = nav.node(node_id)?;
        let mut r = Reply::new(ReplyKind::Menu, msg::SUBMENU).arg("area", node.label(lang)).pictogram(&node.pictogram);
        r.choices = node
            .children
            .iter()
            .filter_map(|id| nav.node(id))
            .map(|n| Choice { id: n.id.clone(), label: Label::Text(n.label(lang).into()), pictogram: n.pictogram.clone() })
            .collect();
        r.buttons = nav_buttons();
        Some(r)
    }

    fn service_choice(&self, c: &Conversation, sid: &str) -> Option<Choice> {
        let kb = self.knowledge();
        let s = kb.service(sid)?;
        Some(Choice {
            id: format!("service:{sid}"),
            label: Label::Text(s.text(c.lang).name.clone()),
            pictogram: s.main_pictogram().into(),
        })
    }

    /// The card of one service in the resident's language and municipality.
    pub fn service_card(&self, sid: &str, lang: Lang, municipality: Option<&str>) -> Option<ServiceCard> {
        let kb = self.knowledge();
        let s = kb.service(sid)?;
        let t = s.text(lang);
        let contact = s.contact.for_municipality(municipality);
        let (day, minute) = self.clock.local();
        Some(ServiceCard {
            id: s.id.clone(),
            name: t.name.clone(),
            // The name the resident will meet at the counter and on letters.
            name_nl: (lang != Lang::Nl && s.nl.name != t.name).then(|| s.nl.name.clone()),
            summary: t.summary.trim().to_string(),
            when: t.when.clone(),
            steps: t.steps.clone(),
            bring: t.bring.clone(),
            open_now: crate::hours::is_open(&contact.hours, day, minute),
            contact,
            pictograms: s.pictograms.clone(),
        })
    }

    fn answer_service(&self, c: &mut Conversation, sid: &str) -> Vec<Reply> {
        let Some(card) = self.service_card(sid, c.lang, c.municipality.as_deref()) else {
            return vec![Reply::text(msg::UNKNOWN_CHOICE), self.home_menu(c)];
        };
        c.topic = Some(sid.to_string());
        c.not_understood = 0;
        c.pending = Pending::Feedback { service: sid.to_string() };
        let _ = self.store.count(&format!("topic/{}/{sid}", week_of(self.clock.now())), 1);
        // The Dutch name beside the translation: the resident needs it at the counter.
        let name = match &card.name_nl {
            Some(nl) => format!("{} — {nl}", card.name),
            None => card.name.clone(),
        };
        let mut r = Reply::new(ReplyKind::ServiceCard, msg::SERVICE_INTRO).arg("service", name);
        r.service = Some(sid.to_string());
        r.pictogram = card.pictograms.first().cloned();
        r.card = Some(card);
        let mut ask = Reply::new(ReplyKind::Feedback, msg::ASK_FEEDBACK).pictogram("question");
        ask.service = Some(sid.to_string());
        ask.buttons = vec![btn("yes", msg::BTN_YES, "yes"), btn("no", msg::BTN_NO, "no"), btn("person", msg::BTN_PERSON, "person")];
        vec![r, ask]
    }

    fn crisis_card(&self) -> Reply {
        let mut r = Reply::new(ReplyKind::Crisis, msg::CRISIS_CARD).pictogram("crisis");
        r.service = Some("crisis".into());
        r.buttons = crisis_buttons();
        r
    }

    fn office_open(&self) -> bool {
        if self.config.closed_dates.iter().any(|d| d.trim() == self.clock.local_date()) {
            return false;
        }
        let (day, minute) = self.clock.local();
        crate::hours::is_open(&self.config.office_hours, day, minute)
    }

    /// A supporter's console is open: they count as present (and available,
    /// unless they said otherwise) for `presence_idle_secs`.
    pub fn supporter_seen(&self, name: &str, team: &str) {
        let now = self.clock.now();
        let mut p = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        let e = p.entry(name.to_string()).or_insert(Presence { team: team.to_string(), available: true, seen: now });
        e.seen = now;
        e.team = team.to_string();
    }

    /// A supporter says they are available for new conversations, or not.
    pub fn set_available(&self, name: &str, team: &str, available: bool) {
        let now = self.clock.now();
        let mut p = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        p.insert(name.to_string(), Presence { team: team.to_string(), available, seen: now });
    }

    /// A supporter logged off: away at once.
    pub fn supporter_left(&self, name: &str) {
        self.presence.lock().unwrap_or_else(|e| e.into_inner()).remove(name);
    }

    /// Whether this supporter counts as available now.
    pub fn is_available(&self, name: &str) -> bool {
        let now = self.clock.now();
        let p = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        p.get(name).is_some_and(|x| x.counts(now, self.config.presence_idle_secs))
    }

    /// Someone can take this conversation now: office hours run, or an
    /// available supporter of a team that takes its language and topic has the
    /// console open.
    pub fn someone_for(&self, lang: UiLang, topic: Option<&str>, reason: Reason) -> bool {
        if self.office_open() {
            return true;
        }
        let now = self.clock.now();
        let p = self.presence.lock().unwrap_or_else(|e| e.into_inner());
        p.values().any(|x| {
            x.counts(now, self.config.presence_idle_secs)
                && team_takes(self.config.teams.iter().find(|t| t.name == x.team), lang.code(), topic, reason)
        })
    }

    /// Put the conversation in the queue (or tell the resident when nobody can come).
    fn enqueue(&self, c: &mut Conversation, reason: Reason) -> Result<Vec<Reply>> {
        let now = self.clock.now();
        match &mut c.mode {
            Mode::Waiting { reason: r, .. } => {
                // Already waiting: a crisis moves it up.
                if reason == Reason::Crisis {
                    *r = Reason::Crisis;
                }
                return Ok(vec![self.queue_status(c)?]);
            }
            Mode::WithSupporter { .. } => return Ok(Vec::new()),
            _ => {}
        }
        self.store.count(&format!("escalation/{}/{}", week_of(now), reason.as_str()), 1)?;
        let someone = self.someone_for(c.lang, c.topic.as_deref(), reason);
        if !someone && reason != Reason::Crisis {
            c.pending = Pending::ConsentContact;
            let mut r = Reply::new(ReplyKind::Handover, msg::OUT_OF_HOURS).arg("hours", self.config.office_hours.join(", "));
            r.handover = Some(HandoverStatus::OutOfHours);
            r.pictogram = Some("clock".into());
            let mut ask = Reply::text(msg::ASK_CONSENT).pictogram("question");
            ask.buttons = vec![btn("consent-yes", msg::BTN_YES, "yes"), btn("consent-no", msg::BTN_NO, "no")];
            return Ok(vec![r, ask]);
        }
        c.mode = Mode::Waiting { since: now, reason, timeout_told: false };
        c.pending = Pending::Nothing;
        let mut status = self.queue_status(c)?;
        if reason == Reason::Crisis {
            status.key = msg::QUEUED_CRISIS.into();
            if !someone {
                // Never "please wait" when nobody is there: say so, point at
                // 112 and 113 (the crisis card came just before), and keep the
                // place in the queue for the first supporter who comes.
                status.key = msg::QUEUED_CRISIS_UNSTAFFED.into();
                status.args.retain(|(k, _)| k == "position");
                let position = match status.handover {
                    Some(HandoverStatus::Queued { position, .. }) => position,
                    _ => 1,
                };
                status.handover = Some(HandoverStatus::Unstaffed { position });
                status.buttons.extend(safety_net_buttons());
            }
        }
        Ok(vec![status])
    }

    /// Ordered queue; `position` counts from 1.
    pub fn queue(&self) -> Result<Vec<QueueItem>> {
        let now = self.clock.now();
        let mut q = self.store.queue()?;
        q.sort_by(|a, b| a.order().cmp(&b.order()));
        Ok(q.into_iter().enumerate().map(|(i, entry)| QueueItem { waiting_secs: now - entry.since, entry, position: i + 1 }).collect())
    }

    /// The queue as one supporter's team sees it (crisis always shows).
    pub fn queue_for_team(&self, team: &str) -> Result<Vec<QueueItem>> {
        let team = self.config.teams.iter().find(|t| t.name == team);
        Ok(self
            .queue()?
            .into_iter()
            .filter(|q| team_takes(team, &q.entry.lang, q.entry.topic.as_deref(), q.entry.reason))
            .collect())
    }

    /// Where a waiting conversation stands: its place (from 1) and the
    /// expected wait in minutes. The one truth every adapter shows. Counted
    /// from the conversation itself, so it is right before its queue entry is
    /// written too (a new entry used to read "number 1" while the status
    /// line, asked later, said "number 2").
    pub fn place_in_queue(&self, c: &Conversation) -> Result<Option<(usize, u32)>> {
        let Mode::Waiting { since, reason, .. } = c.mode else { return Ok(None) };
        let me = (reason.priority(), since, c.id.as_str());
        let ahead = self.store.queue()?.iter().filter(|e| e.id != c.id && e.order() < me).count();
        let position = ahead + 1;
        Ok(Some((position, position as u32 * self.config.minutes_per_conversation)))
    }

    /// The place of a stored conversation, for adapters that only have its id.
    pub fn place_of(&self, id: &str) -> Result<Option<(usize, u32)>> {
        match self.store.conversation(id)? {
            Some(c) => self.place_in_queue(&c),
            None => Ok(None),
        }
    }

    fn queue_status(&self, c: &Conversation) -> Result<Reply> {
        let (position, minutes) = self.place_in_queue(c)?.unwrap_or((1, self.config.minutes_per_conversation));
        let mut r = Reply::new(ReplyKind::Handover, msg::QUEUED).arg("position", position).arg("minutes", minutes);
        r.handover = Some(HandoverStatus::Queued { position, expected_minutes: minutes });
        r.pictogram = Some("person".into());
        r.buttons = vec![btn("stop", msg::BTN_STOP, "stop")];
        Ok(r)
    }

    /// Tell the resident something they did not ask for (a push), and keep it.
    fn push(&self, c: &mut Conversation, from: Sender, text: Option<String>, replies: Vec<Reply>) -> Result<()> {
        self.record(c, from, text, None, replies.clone())?;
        self.emit(&c.id, EventKind::Push { replies });
        Ok(())
    }

    /// A supporter takes a waiting conversation. Exactly one of two racing
    /// supporters wins.
    pub fn claim(&self, id: &str, supporter: &str) -> Result<()> {
        let _guard = self.lock(id);
        let mut c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        let reason = match c.mode {
            Mode::Waiting { reason, .. } => reason,
            Mode::WithSupporter { .. } => return Err(Error::AlreadyClaimed),
            _ => return Err(Error::NotWaiting),
        };
        c.mode = Mode::WithSupporter { supporter: supporter.to_string(), since: self.clock.now(), reason };
        c.pending = Pending::Nothing;
        self.audit(supporter, id, "claim")?;
        let mut r = Reply::new(ReplyKind::Handover, msg::SUPPORTER_JOINED).arg("name", supporter).pictogram("person");
        r.handover = Some(HandoverStatus::Joined { supporter: supporter.to_string() });
        // "Stop talking to the person", as a pictogram, for the whole talk.
        r.buttons = vec![btn("stop", msg::BTN_STOP, "stop")];
        self.push(&mut c, Sender::System, None, vec![r])?;
        self.emit(id, EventKind::QueueChanged);
        Ok(())
    }

    fn holder_check(&self, c: &Conversation, supporter: &str) -> Result<()> {
        match &c.mode {
            Mode::WithSupporter { supporter: s, .. } if s == supporter => Ok(()),
            _ => Err(Error::NotHolder),
        }
    }

    /// A supporter writes to the resident.
    pub fn supporter_message(&self, id: &str, supporter: &str, text: &str) -> Result<()> {
        if text.trim().is_empty() {
            return Err(Error::Empty);
        }
        if text.chars().count() > MAX_TEXT_CHARS {
            return Err(Error::TooLong { max: MAX_TEXT_CHARS });
        }
        let _guard = self.lock(id);
        let mut c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        self.holder_check(&c, supporter)?;
        let mut r = Reply::new(ReplyKind::Supporter, msg::SUPPORTER_MESSAGE).arg("name", supporter);
        r.text = Some(text.to_string());
        self.push(&mut c, Sender::Supporter { name: supporter.to_string() }, Some(text.to_string()), vec![r])
    }

    /// Shows "typing..." to the resident.
    pub fn supporter_typing(&self, id: &str, supporter: &str) -> Result<()> {
        let c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        self.holder_check(&c, supporter)?;
        self.emit(id, EventKind::Typing { supporter: supporter.to_string() });
        Ok(())
    }

    /// The supporter gives the conversation back to the bot.
    pub fn hand_back(&self, id: &str, supporter: &str) -> Result<()> {
        let _guard = self.lock(id);
        let mut c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        self.holder_check(&c, supporter)?;
        c.mode = Mode::Bot;
        self.audit(supporter, id, "hand_back")?;
        let mut r = Reply::new(ReplyKind::Handover, msg::SUPPORTER_LEFT).arg("name", supporter).pictogram("person");
        r.handover = Some(HandoverStatus::Left);
        let menu = self.home_menu(&c);
        self.push(&mut c, Sender::System, None, vec![r, menu])
    }

    /// The supporter closes the conversation with an outcome.
    pub fn close(&self, id: &str, supporter: &str, outcome: &str) -> Result<()> {
        let _guard = self.lock(id);
        let mut c = self.store.conversation(id)?.ok_or(Error::NotFound)?;
        self.holder_check(&c, supporter)?;
        c.mode = Mode::Closed { outcome: outcome.to_string() };
        self.audit(supporter, id, &format!("close:{outcome}"))?;
        self.store.count(&format!("outcome/{outcome}"), 1)?;
        let mut r = Reply::new(ReplyKind::Handover, msg::CONVERSATION_CLOSED).pictogram("yes");
        r.handover = Some(HandoverStatus::Closed);
        self.push(&mut c, Sender::System, None, vec![r])
    }

    /// A supporter opens a conversation to read it; this is logged.
    pub fn open_as_supporter(&self, id: &str, supporter: &str) -> Result<(Conversation, Vec<Message>)> {
        let c = self.conversation(id)?;
        self.audit(supporter, id, "open")?;
        Ok((c, self.store.messages(id)?))
    }

    fn audit(&self, supporter: &str, id: &str, action: &str) -> Result<()> {
        let e = AuditEntry { at: self.clock.now(), supporter: supporter.into(), conversation: id.into(), action: action.into() };
        Ok(self.store.audit(&e)?)
    }

    /// Delete everything about a conversation (the resident's right).
    pub fn delete(&self, id: &str) -> Result<()> {
        let _guard = self.lock(id);
        if self.store.conversation(id)?.is_none() {
            return Err(Error::NotFound);
        }
        self.store.delete_conversation(id)?;
        self.emit(id, EventKind::Deleted);
        self.emit(id, EventKind::QueueChanged);
        Ok(())
    }

    /// Background work: tell residents nobody came in time, and purge old
    /// message text. Returns (timeouts told, messages purged).
    pub fn tick(&self) -> Result<(usize, usize)> {
        let now = self.clock.now();
        let mut told = 0;
        for q in self.store.queue()? {
            if now - q.since < self.config.claim_timeout_secs {
                continue;
            }
            let _guard = self.lock(&q.id);
            let Some(mut c) = self.store.conversation(&q.id)? else { continue };
            if let Mode::Waiting { timeout_told: false, since, reason } = c.mode {
                c.mode = Mode::Waiting { since, reason, timeout_told: true };
                if reason == Reason::Crisis {
                    // In danger, "sorry" is not an answer: the numbers again,
                    // and the place in the queue stays.
                    let mut r = Reply::new(ReplyKind::Handover, msg::NOBODY_AVAILABLE_CRISIS).pictogram("crisis");
                    r.handover = Some(HandoverStatus::NobodyAvailable);
                    self.push(&mut c, Sender::System, None, vec![self.crisis_card(), r])?;
                    told += 1;
                    continue;
                }
                // Residents stay in the queue, but are told and offered to leave a message.
                c.pending = Pending::ConsentContact;
                let mut r = Reply::new(ReplyKind::Handover, msg::NOBODY_AVAILABLE).pictogram("clock");
                r.handover = Some(HandoverStatus::NobodyAvailable);
                let mut ask = Reply::text(msg::ASK_CONSENT).pictogram("question");
                ask.buttons = vec![btn("consent-yes", msg::BTN_YES, "yes"), btn("consent-no", msg::BTN_NO, "no")];
                self.push(&mut c, Sender::System, None, vec![r, ask])?;
                told += 1;
            }
        }
        let purged = self.store.purge_text_before(now - self.config.retention_secs)?;
        Ok((told, purged))
    }
}

/// ISO-like week label ("2026-W48") of a Unix time, for weekly figures.
pub fn week_of(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    // 1970-01-01 was a Thursday; weeks here start on Monday.
    let monday = days - (days + 3).rem_euclid(7);
    let d = jiff::civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(monday)).unwrap_or_default();
    let iso = d.iso_week_date();
    format!("{}-W{:02}", iso.year(), iso.week())
}
