//! The Telegram bot against a stand-in Bot API server on loopback.
//!
//! The stand-in (axum on 127.0.0.1:0) speaks the real wire format: it answers
//! getMe, hands out scripted updates through getUpdates (with Telegram's
//! offset semantics), answers sendMessage/sendPhoto with real Message JSON,
//! can fail a method on purpose (429 with retry_after, 502), and records every
//! request (method, JSON or multipart fields, uploaded files such as menu
//! grids and voice messages). The bot runs
//! through `bot::run`, exactly as in `wegwijs serve`; only the base URL
//! differs. The engine is real: shipped content and sled in a temp dir.

use std::collections::{HashMap, VecDeque};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use engine::conversation::InputRecord;
use engine::{Clock, Config, Engine, Lang, Sender};
use serde_json::{json, Value};

const TOKEN: &str = "123456:stand-in-token";
const BOT_ID: i64 = 4242;
const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const WAIT: Duration = Duration::from_secs(30);

// ---------- the stand-in Bot API ----------

#[derive(Clone, Debug)]
struct Recorded {
    method: String,
    /// JSON body, or the multipart text fields as a JSON object.
    body: Value,
    /// Multipart files: (field name, bytes).
    files: Vec<(String, Vec<u8>)>,
    at: Instant,
    /// The stand-in answered with a scripted failure.
    failed: bool,
}

impl Recorded {
    fn chat(&self) -> Option<i64> {
        match &self.body["chat_id"] {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        }
    }

    fn text(&self) -> String {
        self.body["text"].as_str().or(self.body["caption"].as_str()).unwrap_or_default().to_string()
    }

    /// Inline keyboard as (button text, callback data) rows.
    fn keyboard(&self) -> Vec<Vec<(String, String)>> {
        let markup = match &self.body["reply_markup"] {
            Value::String(s) => serde_json::from_str(s).unwrap_or(Value::Null),
            v => v.clone(),
        };
        markup["inline_keyboard"]
            .as_array()
            .map(|rows| {
                rows.iter()
                    .map(|row| {
                        row.as_array()
                            .unwrap()
                            .iter()
                            .map(|b| {
                                (
                                    b["text"].as_str().unwrap_or_default().to_string(),
                                    b["callback_data"].as_str().unwrap_or_default().to_string(),
                                )
                            })
                            .collect()
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    fn callback_data(&self) -> Vec<String> {
        self.keyboard().into_iter().flatten().map(|(_, d)| d).collect()
    }

    /// An uploaded file: the field holds `attach://<part>`, the bytes come
    /// as a file part of that name.
    fn upload(&self, field: &str) -> Option<&[u8]> {
        let part = self.body[field].as_str()?.strip_prefix("attach://")?;
        self.files.iter().find(|(name, _)| name == part).map(|(_, bytes)| bytes.as_slice())
    }

    fn is_reply(&self) -> bool {
        !self.failed && (self.method == "sendMessage" || self.method == "sendPhoto")
    }
}

#[derive(Clone, Copy, Debug)]
enum Failure {
    RetryAfter(u32),
    BadGateway,
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    /// Highest offset a getUpdates call confirmed (Telegram then forgets older updates).
    confirmed: i64,
    requests: Vec<Recorded>,
    failures: HashMap<String, VecDeque<Failure>>,
    next_message_id: i64,
    /// Every getUpdates call, including the quiet ones the log leaves out.
    polls: usize,
}

#[derive(Clone, Default)]
struct StandIn {
    inner: Arc<Mutex<Inner>>,
    addr: Arc<OnceLock<SocketAddr>>,
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from >= hay.len() {
        return None;
    }
    hay[from..].windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

/// A small multipart/form-data reader: enough for what reqwest sends.
fn parse_multipart(body: &[u8], boundary: &str) -> (Value, Vec<(String, Vec<u8>)>) {
    let delim = format!("--{boundary}");
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    let mut pos = 0;
    while let Some(start) = find(body, delim.as_bytes(), pos) {
        let after = start + delim.len();
        if body[after..].starts_with(b"--") {
            break;
        }
        let Some(head_end) = find(body, b"\r\n\r\n", after) else { break };
        let head = String::from_utf8_lossy(&body[after..head_end]).to_string();
        let content_start = head_end + 4;
        let next =
            find(body, format!("\r\n{delim}").as_bytes(), content_start).unwrap_or(body.len());
        let content = &body[content_start..next];
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            head.find(&key).map(|i| {
                let rest = &head[i + key.len()..];
                rest[..rest.find('"').unwrap_or(rest.len())].to_string()
            })
        };
        let name = attr("name").unwrap_or_default();
        if attr("filename").is_some() {
            files.push((name, content.to_vec()));
        } else {
            fields.insert(name, Value::String(String::from_utf8_lossy(content).to_string()));
        }
        pos = next + 2;
    }
    (Value::Object(fields), files)
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "Wegwijs", "username": "wegwijs_test_bot"})
}

fn chat_json(id: i64) -> Value {
    if id < 0 {
        json!({"id": id, "type": "group", "title": "Buurtgroep"})
    } else {
        json!({"id": id, "type": "private", "first_name": "Resident"})
    }
}

fn ok(result: Value) -> Response {
    Json(json!({"ok": true, "result": result})).into_response()
}

async fn api(
    State(s): State<StandIn>,
    UrlPath((bot, method)): UrlPath<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Telegram reads method names case-insensitively (teloxide sends "SendMessage").
    let method = match method.chars().next() {
        Some(first) => first.to_lowercase().chain(method.chars().skip(1)).collect::<String>(),
        None => method,
    };
    if bot != format!("bot{TOKEN}") {
        let body = json!({"ok": false, "error_code": 401, "description": "Unauthorized"});
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let content_type =
        headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let (fields, files) = match content_type.split_once("boundary=") {
        Some((_, boundary)) if content_type.starts_with("multipart/") => {
            parse_multipart(&body, boundary.trim_matches('"'))
        }
        _ => (serde_json::from_slice(&body).unwrap_or(Value::Null), Vec::new()),
    };
    let failure = s.inner.lock().unwrap().failures.get_mut(&method).and_then(VecDeque::pop_front);
    let mut rec = Recorded {
        method: method.clone(),
        body: fields.clone(),
        files,
        at: Instant::now(),
        failed: failure.is_some(),
    };
    if method != "getUpdates" || failure.is_some() {
        s.inner.lock().unwrap().requests.push(rec.clone());
    }
    match failure {
        Some(Failure::RetryAfter(secs)) => {
            let body = json!({"ok": false, "error_code": 429, "description": format!("Too Many Requests: retry after {secs}"), "parameters": {"retry_after": secs}});
            return (StatusCode::TOO_MANY_REQUESTS, Json(body)).into_response();
        }
        Some(Failure::BadGateway) => {
            let body = json!({"ok": false, "error_code": 502, "description": "Bad Gateway"});
            return (StatusCode::BAD_GATEWAY, Json(body)).into_response();
        }
        None => {}
    }
    match method.as_str() {
        "getMe" => ok(json!({
            "id": BOT_ID, "is_bot": true, "first_name": "Wegwijs", "username": "wegwijs_test_bot",
            "can_join_groups": true, "can_read_all_group_messages": false, "supports_inline_queries": false,
            "can_connect_to_business": false, "has_main_web_app": false
        })),
        "getUpdates" => {
            s.inner.lock().unwrap().polls += 1;
            let offset = fields["offset"].as_i64().unwrap_or(0);
            // Long poll, but short: tests should not wait for quiet polls.
            let deadline = Instant::now() + Duration::from_millis(300);
            loop {
                let ready: Vec<Value> = {
                    let mut inner = s.inner.lock().unwrap();
                    inner.confirmed = inner.confirmed.max(offset);
                    let from = inner.confirmed;
                    inner
                        .updates
                        .iter()
                        .filter(|u| u["update_id"].as_i64().unwrap() >= from)
                        .cloned()
                        .collect()
                };
                if !ready.is_empty() || Instant::now() >= deadline {
                    rec.body = json!({"offset": offset, "delivered": ready.len()});
                    if !ready.is_empty() {
                        s.inner.lock().unwrap().requests.push(rec);
                    }
                    return ok(Value::Array(ready));
                }
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
        "sendMessage" | "sendPhoto" | "sendVoice" => {
            let chat = rec.chat().unwrap_or(0);
            let id = {
                let mut inner = s.inner.lock().unwrap();
                inner.next_message_id += 1;
                inner.next_message_id
            };
            let mut m = json!({"message_id": id, "date": 1_800_000_000, "chat": chat_json(chat), "from": bot_user()});
            if method == "sendMessage" {
                m["text"] = fields["text"].clone();
            } else if method == "sendVoice" {
                m["voice"] = json!({"file_id": format!("voice-{id}"), "file_unique_id": format!("uv-{id}"), "duration": 4, "mime_type": "audio/ogg"});
            } else {
                m["photo"] = json!([
                    {"file_id": format!("small-{id}"), "file_unique_id": format!("us-{id}"), "width": 90, "height": 90},
                    {"file_id": format!("photo-{id}"), "file_unique_id": format!("u-{id}"), "width": 620, "height": 700}
                ]);
                m["caption"] = fields["caption"].clone();
            }
            ok(m)
        }
        // answerCallbackQuery, sendChatAction, setMyCommands, deleteWebhook, ...
        _ => ok(json!(true)),
    }
}

impl StandIn {
    async fn start() -> StandIn {
        let s = StandIn::default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        s.addr.set(listener.local_addr().unwrap()).unwrap();
        let app = Router::new().route("/{bot}/{method}", post(api)).with_state(s.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        s
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr.get().unwrap())
    }

    fn push(&self, mut update: Value) {
        let mut inner = self.inner.lock().unwrap();
        update["update_id"] = json!(inner.updates.len() as i64 + 1);
        inner.updates.push(update);
    }

    fn fail_next(&self, method: &str, f: Failure) {
        self.inner.lock().unwrap().failures.entry(method.to_string()).or_default().push_back(f);
    }

    fn requests(&self) -> Vec<Recorded> {
        self.inner.lock().unwrap().requests.clone()
    }

    fn confirmed(&self) -> i64 {
        self.inner.lock().unwrap().confirmed
    }

    fn polls(&self) -> usize {
        self.inner.lock().unwrap().polls
    }

    /// Wait until the bot has confirmed every update pushed so far, so a
    /// restart does not get any of them again.
    async fn all_confirmed(&self) {
        let deadline = Instant::now() + WAIT;
        loop {
            {
                let inner = self.inner.lock().unwrap();
                if inner.confirmed > inner.updates.len() as i64 {
                    return;
                }
            }
            assert!(Instant::now() < deadline, "the bot never confirmed its updates");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn count(&self, pred: impl Fn(&Recorded) -> bool) -> usize {
        self.requests().iter().filter(|r| pred(r)).count()
    }

    /// The first recorded request (from index `after` on) that matches.
    async fn wait_after(
        &self,
        after: usize,
        what: &str,
        pred: impl Fn(&Recorded) -> bool,
    ) -> Recorded {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(r) = self.requests().into_iter().skip(after).find(|r| pred(r)) {
                return r;
            }
            if Instant::now() > deadline {
                let seen: Vec<String> =
                    self.requests().iter().map(|r| format!("{} {}", r.method, r.text())).collect();
                panic!("timed out waiting for {what}; requests so far:\n{}", seen.join("\n"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    async fn wait(&self, what: &str, pred: impl Fn(&Recorded) -> bool) -> Recorded {
        self.wait_after(0, what, pred).await
    }

    fn len(&self) -> usize {
        self.inner.lock().unwrap().requests.len()
    }
}

// ---------- updates as Telegram sends them ----------

static MESSAGE_ID: AtomicI64 = AtomicI64::new(1);

fn user(chat: i64) -> Value {
    json!({"id": chat.abs(), "is_bot": false, "first_name": "Resident", "language_code": "nl"})
}

fn message(chat: i64, extra: Value) -> Value {
    let mut m = json!({
        "message_id": MESSAGE_ID.fetch_add(1, Ordering::SeqCst),
        "date": 1_800_000_000,
        "chat": chat_json(chat),
        "from": user(chat),
    });
    for (k, v) in extra.as_object().unwrap() {
        m[k] = v.clone();
    }
    m
}

fn text(chat: i64, t: &str) -> Value {
    let mut extra = json!({"text": t});
    if t.starts_with('/') {
        let len = t.split_whitespace().next().unwrap().encode_utf16().count();
        extra["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    json!({"message": message(chat, extra)})
}

fn edited(chat: i64, t: &str) -> Value {
    json!({"edited_message": message(chat, json!({"text": t, "edit_date": 1_800_000_100}))})
}

fn voice(chat: i64) -> Value {
    json!({"message": message(chat, json!({"voice": {"file_id": "voice-1", "file_unique_id": "uv-1", "duration": 3, "mime_type": "audio/ogg"}}))})
}

fn sticker(chat: i64) -> Value {
    json!({"message": message(chat, json!({"sticker": {
        "file_id": "sticker-1", "file_unique_id": "us-1", "type": "regular",
        "width": 512, "height": 512, "is_animated": false, "is_video": false, "emoji": "👍"
    }}))})
}

fn location(chat: i64) -> Value {
    json!({"message": message(chat, json!({"location": {"latitude": 52.09, "longitude": 5.12}}))})
}

fn callback(chat: i64, id: &str, data: &str) -> Value {
    let shown = json!({
        "message_id": 1, "date": 1_800_000_000, "chat": chat_json(chat), "from": bot_user(), "text": "menu"
    });
    json!({"callback_query": {"id": id, "from": user(chat), "chat_instance": "ci-1", "data": data, "message": shown}})
}

// ---------- the bot over a real engine ----------

/// Tuesday 10:00 in the Netherlands, for ever: within office hours.
struct OfficeHours;

impl Clock for OfficeHours {
    fn now(&self) -> i64 {
        engine::SystemClock.now()
    }
    fn local(&self) -> (usize, u16) {
        (1, 600)
    }
}

fn locales() -> Arc<locales::Locales> {
    static L: OnceLock<Arc<locales::Locales>> = OnceLock::new();
    L.get_or_init(|| Arc::new(locales::Locales::load().unwrap())).clone()
}

fn pictograms() -> Arc<pictograms::PictogramSet> {
    static P: OnceLock<Arc<pictograms::PictogramSet>> = OnceLock::new();
    P.get_or_init(|| {
        Arc::new(pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir()).unwrap())
    })
    .clone()
}

fn nl(id: &str) -> String {
    locales().text("nl", id, &[])
}

struct Running {
    api: StandIn,
    engine: Arc<Engine>,
    data: tempfile::TempDir,
    task: tokio::task::JoinHandle<Result<(), String>>,
}

impl Running {
    fn restart(&mut self) {
        self.task.abort();
        self.task = spawn_bot(&self.api, TOKEN, self.engine.clone(), self.data.path());
    }

    /// The one conversation of `chat`, from the bot's chat list on disk.
    fn conversation_of(&self, chat: i64) -> Option<String> {
        let file = self.data.path().join(bot::chats::FILE_NAME);
        let v: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
        v["chats"][chat.to_string()].as_str().map(String::from)
    }
}

fn bot_config(api: &StandIn, token: &str, data: &Path) -> bot::BotConfig {
    bot::BotConfig {
        token: token.into(),
        api_url: Some(api.url()),
        data_dir: Some(data.to_path_buf()),
        mode: bot::Mode::Polling,
        ..bot::BotConfig::default()
    }
}

fn spawn_bot(
    api: &StandIn,
    token: &str,
    engine: Arc<Engine>,
    data: &Path,
) -> tokio::task::JoinHandle<Result<(), String>> {
    tokio::spawn(bot::run(bot_config(api, token, data), engine, locales(), pictograms()))
}

/// A real engine over the shipped content, with its store in `data`.
fn new_engine(data: &Path) -> Arc<Engine> {
    let store = Arc::new(storage::SledStore::open(&data.join("store")).unwrap());
    let kb = Arc::new(
        knowledge_base::KnowledgeBase::load(&knowledge_base::content::default_dir()).unwrap(),
    );
    Arc::new(Engine::new(kb, store, Arc::new(OfficeHours), Config::default()))
}

async fn start() -> Running {
    let api = StandIn::start().await;
    let data = tempfile::tempdir().unwrap();
    let engine = new_engine(data.path());
    let task = spawn_bot(&api, TOKEN, engine.clone(), data.path());
    Running { api, engine, data, task }
}

fn to(chat: i64) -> impl Fn(&Recorded) -> bool {
    move |r| r.is_reply() && r.chat() == Some(chat)
}

/// Start a chat and wait until the greeting and the menu are out.
async fn started(r: &Running, chat: i64) {
    r.api.push(text(chat, "/start"));
    r.api.wait("the menu photo", |q| to(chat)(q) && q.method == "sendPhoto").await;
}

fn resident_texts(engine: &Engine, id: &str) -> Vec<String> {
    engine
        .transcript(id)
        .unwrap()
        .into_iter()
        .filter(|m| m.from == Sender::Resident)
        .filter_map(|m| m.text)
        .collect()
}

// ---------- the tests ----------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_offers_languages_then_a_pictogram_grid_and_a_question_gets_a_service_card() {
    let r = start().await;
    let chat = 1001;
    r.api.push(text(chat, "/start"));

    let greeting = r.api.wait("the greeting", |q| to(chat)(q) && q.method == "sendMessage").await;
    assert!(greeting.text().contains("Wegwijs"), "{}", greeting.text());
    let data = greeting.callback_data();
    for code in ["nl", "en", "tr", "ar", "pl", "uk"] {
        assert!(data.contains(&format!("v1:l:{code}")), "language {code} missing: {data:?}");
    }

    let menu = r.api.wait("the menu photo", |q| to(chat)(q) && q.method == "sendPhoto").await;
    let png = menu.upload("photo").expect("the grid is uploaded");
    assert!(png.starts_with(PNG_SIGNATURE), "not a PNG");
    assert!(png.len() > 2000, "a grid of pictograms is more than {} bytes", png.len());
    assert_eq!(menu.text(), nl("home-menu"), "caption");
    let home = r.engine.knowledge().navigation().home.clone();
    let keyboard = menu.keyboard();
    let numbered: Vec<(String, String)> =
        keyboard.iter().flatten().filter(|(_, d)| d.starts_with("v1:t:")).cloned().collect();
    assert_eq!(numbered.len(), home.len());
    for (i, ((label, data), node)) in numbered.iter().zip(&home).enumerate() {
        assert!(label.starts_with(&format!("{} ", i + 1)), "button {i}: {label}");
        assert_eq!(data, &format!("v1:t:{node}"));
    }
    assert!(
        menu.callback_data().contains(&"v1:b:person".to_string()),
        "talk to a person on the menu"
    );
    assert!(r.api.count(|q| q.method == "sendChatAction" && q.body["action"] == "typing") >= 1);

    // A typed question: the service card, with contact, and "did this help?".
    let before = r.api.len();
    r.api.push(text(chat, "de deurwaarder staat bij me aan de deur, ik heb schulden"));
    let card = r.engine.service_card("schuldhulp", Lang::Nl, None).unwrap();
    let answer = r
        .api
        .wait_after(before, "the service card", |q| to(chat)(q) && q.text().contains(&card.name))
        .await;
    let t = answer.text();
    assert!(t.contains(&card.contact.phone), "phone missing:\n{t}");
    assert!(t.contains(card.steps[0].trim()), "steps missing:\n{t}");
    assert!(
        t.contains(&nl("tg-card-open-now")) || t.contains(&nl("tg-card-closed-now")),
        "open now missing:\n{t}"
    );
    if card.contact.demo {
        assert!(t.contains(&nl("tg-card-demo")), "demo mark missing:\n{t}");
    }
    assert!(t.contains(&nl("ask-feedback")), "{t}");
    let data = answer.callback_data();
    assert!(
        data.contains(&"v1:b:yes".into())
            && data.contains(&"v1:b:no".into())
            && data.contains(&"v1:b:person".into()),
        "{data:?}"
    );

    // "Yes, this helped": the button is answered, then thanks and the menu.
    let before = r.api.len();
    r.api.push(callback(chat, "cb-yes", "v1:b:yes"));
    r.api
        .wait_after(before, "answerCallbackQuery", |q| {
            q.method == "answerCallbackQuery" && q.body["callback_query_id"] == "cb-yes"
        })
        .await;
    r.api
        .wait_after(before, "thanks", |q| to(chat)(q) && q.text().contains(&nl("feedback-thanks")))
        .await;

    // A tile, then a typed number picks from the grid that came with it.
    let before = r.api.len();
    r.api.push(callback(chat, "cb-money", "v1:t:money"));
    let sub = r
        .api
        .wait_after(before, "the money submenu", |q| to(chat)(q) && q.method == "sendPhoto")
        .await;
    let first = r.engine.knowledge().navigation().node("money").unwrap().children[0].clone();
    assert_eq!(sub.keyboard()[0][0].1, format!("v1:t:{first}"));
    let before = r.api.len();
    r.api.push(text(chat, "1"));
    r.api.wait_after(before, "the answer to tile 1", |q| to(chat)(q)).await;
    let id = r.conversation_of(chat).expect("the chat is in the bot's chat list");
    let last_input = r
        .engine
        .transcript(&id)
        .unwrap()
        .into_iter()
        .rev()
        .find(|m| m.from == Sender::Resident)
        .unwrap()
        .input;
    assert_eq!(last_input, Some(InputRecord::Tap(first)));
    assert_eq!(r.engine.conversation(&id).unwrap().channel, "telegram");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_or_stale_buttons_get_a_friendly_answer_and_the_menu() {
    let r = start().await;
    let chat = 1002;
    started(&r, chat).await;
    let stale = nl("tg-stale-button");
    for (i, data) in [
        "v1:t:../../etc/passwd",
        "v0:b:yes",
        "garbage",
        "v1:t:no-such-screen",
        "v1:b:format-disk",
        "v1:l:xx",
        "",
    ]
    .into_iter()
    .enumerate()
    {
        let before = r.api.len();
        let id = format!("cb-bad-{i}");
        r.api.push(callback(chat, &id, data));
        let answered = r
            .api
            .wait_after(before, "answerCallbackQuery", |q| {
                q.method == "answerCallbackQuery" && q.body["callback_query_id"] == id.as_str()
            })
            .await;
        assert_eq!(answered.body["text"], stale.as_str(), "{data:?}");
        let reply = r
            .api
            .wait_after(before, "the friendly reply", |q| to(chat)(q) && q.text().contains(&stale))
            .await;
        assert_eq!(reply.method, "sendPhoto", "the menu comes with it");
    }
    // Still alive and well.
    let before = r.api.len();
    r.api.push(text(chat, "/mens"));
    r.api
        .wait_after(before, "the queue", |q| {
            to(chat)(q) && q.callback_data().contains(&"v1:b:stop".into())
        })
        .await;

    // A button from a chat the bot never saw (e.g. after a reinstall) just works.
    let before = r.api.len();
    r.api.push(callback(1099, "cb-unknown", "v1:t:money"));
    r.api
        .wait_after(before, "the submenu for an unknown chat", |q| {
            to(1099)(q) && q.method == "sendPhoto"
        })
        .await;
    assert!(
        r.api
            .count(|q| q.method == "answerCallbackQuery"
                && q.body["callback_query_id"] == "cb-unknown")
            == 1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supporter_takes_over_writes_and_hands_back() {
    let r = start().await;
    let chat = 1003;
    started(&r, chat).await;

    let before = r.api.len();
    r.api.push(text(chat, "/mens"));
    let queued = r
        .api
        .wait_after(before, "the queue place", |q| {
            to(chat)(q) && q.callback_data().contains(&"v1:b:stop".into())
        })
        .await;
    assert!(queued.text().contains("nummer 1"), "{}", queued.text());
    let id =
        r.engine.queue().unwrap().first().expect("the chat waits in the queue").entry.id.clone();
    assert_eq!(r.conversation_of(chat).as_deref(), Some(id.as_str()));

    let e = r.engine.clone();
    let i = id.clone();
    let before = r.api.len();
    tokio::task::spawn_blocking(move || e.claim(&i, "Sanne")).await.unwrap().unwrap();
    let joined = r
        .api
        .wait_after(before, "supporter joined", |q| to(chat)(q) && q.text().contains("Sanne"))
        .await;
    assert!(
        !joined.callback_data().contains(&"v1:b:person".into()),
        "no 'talk to a person' while one is here"
    );

    let (e, i) = (r.engine.clone(), id.clone());
    let before = r.api.len();
    tokio::task::spawn_blocking(move || {
        e.supporter_message(&i, "Sanne", "Hoi! Wat is er aan de hand?")
    })
    .await
    .unwrap()
    .unwrap();
    r.api
        .wait_after(before, "the supporter's message", |q| {
            to(chat)(q) && q.text().contains("Hoi! Wat is er aan de hand?")
        })
        .await;

    // The resident answers: it reaches the transcript (the console), and the bot stays silent.
    let before = r.api.len();
    r.api.push(text(chat, "Ik heb een brief van de belasting en ik snap hem niet"));
    let deadline = Instant::now() + WAIT;
    while !resident_texts(&r.engine, &id).iter().any(|t| t.contains("brief van de belasting")) {
        assert!(Instant::now() < deadline, "the resident's message did not reach the engine");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        r.api.requests().iter().skip(before).filter(|q| to(chat)(q)).count(),
        0,
        "the bot must not answer during a takeover"
    );

    // A button during the takeover is passed on to Sanne, the resident is told
    // so, and can stop talking to the person with one tap.
    let before = r.api.len();
    r.api.push(callback(chat, "cb-during", "v1:b:home"));
    let passed = r
        .api
        .wait_after(before, "the passed-on note", |q| {
            to(chat)(q) && q.method == "sendMessage" && q.text().contains("Sanne")
        })
        .await;
    assert!(passed.callback_data().contains(&"v1:b:stop".to_string()), "{:?}", passed.callback_data());
    assert!(matches!(r.engine.conversation(&id).unwrap().mode, engine::Mode::WithSupporter { .. }));

    let (e, i) = (r.engine.clone(), id.clone());
    let before = r.api.len();
    tokio::task::spawn_blocking(move || e.hand_back(&i, "Sanne")).await.unwrap().unwrap();
    let back = r
        .api
        .wait_after(before, "supporter left", |q| to(chat)(q) && q.text().contains("Sanne"))
        .await;
    assert_eq!(back.method, "sendPhoto", "the menu comes back with the goodbye");

    // Bot again: a question is answered by the bot.
    let before = r.api.len();
    r.api.push(text(chat, "de deurwaarder staat bij me aan de deur, ik heb schulden"));
    r.api
        .wait_after(before, "a bot answer after hand-back", |q| {
            to(chat)(q) && q.text().contains(&nl("ask-feedback"))
        })
        .await;

    // Closing by the supporter reaches the chat too.
    let before = r.api.len();
    r.api.push(text(chat, "/mens"));
    r.api
        .wait_after(before, "queued again", |q| {
            to(chat)(q) && q.callback_data().contains(&"v1:b:stop".into())
        })
        .await;
    let (e, i) = (r.engine.clone(), id.clone());
    let before = r.api.len();
    tokio::task::spawn_blocking(move || {
        e.claim(&i, "Sanne")?;
        e.close(&i, "Sanne", "helped")
    })
    .await
    .unwrap()
    .unwrap();
    r.api
        .wait_after(before, "closed", |q| {
            to(chat)(q) && q.text().contains(&nl("conversation-closed"))
        })
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn vergeet_with_confirmation_deletes_the_conversation_and_the_chat_link() {
    let r = start().await;
    let chat = 1004;
    started(&r, chat).await;
    r.api.push(text(chat, "ik heb schulden"));
    let id = r.conversation_of(chat).expect("the chat is linked to a conversation on disk");
    assert!(r.engine.conversation(&id).is_ok());

    let before = r.api.len();
    r.api.push(text(chat, "/vergeet"));
    let ask = r
        .api
        .wait_after(before, "the confirmation question", |q| {
            to(chat)(q) && q.text().contains(&nl("confirm-delete"))
        })
        .await;
    let data = ask.callback_data();
    assert!(
        data.contains(&"v1:b:delete-confirm".into()) && data.contains(&"v1:b:delete-cancel".into()),
        "{data:?}"
    );
    assert!(r.engine.conversation(&id).is_ok(), "nothing is deleted before the confirmation");

    let before = r.api.len();
    r.api.push(callback(chat, "cb-del", "v1:b:delete-confirm"));
    r.api
        .wait_after(before, "answerCallbackQuery", |q| {
            q.method == "answerCallbackQuery" && q.body["callback_query_id"] == "cb-del"
        })
        .await;
    r.api.wait_after(before, "deleted", |q| to(chat)(q) && q.text().contains(&nl("deleted"))).await;
    assert!(matches!(r.engine.conversation(&id), Err(engine::Error::NotFound)));
    assert!(r.engine.transcript(&id).is_err());
    assert_eq!(r.conversation_of(chat), None, "the chat link is gone from disk");

    // A second tap on the old button: still gone, and no new conversation for it.
    let before = r.api.len();
    r.api.push(callback(chat, "cb-del-2", "v1:b:delete-confirm"));
    r.api
        .wait_after(before, "deleted again", |q| to(chat)(q) && q.text().contains(&nl("deleted")))
        .await;
    assert!(r.engine.store().conversation_ids().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voice_stickers_and_locations_get_a_plain_reply_and_groups_are_turned_away() {
    let r = start().await;
    let chat = 1005;
    started(&r, chat).await;
    let not_text = nl("tg-not-text");
    for update in [voice(chat), sticker(chat), location(chat)] {
        let before = r.api.len();
        r.api.push(update);
        let reply = r
            .api
            .wait_after(before, "the not-text reply", |q| {
                to(chat)(q) && q.text().contains(&not_text)
            })
            .await;
        assert_eq!(reply.method, "sendPhoto", "with the pictogram menu");
    }

    // An edited message counts as a new message.
    let before = r.api.len();
    r.api.push(edited(chat, "de deurwaarder staat bij me aan de deur, ik heb schulden"));
    r.api
        .wait_after(before, "an answer to the edit", |q| {
            to(chat)(q) && q.text().contains(&nl("ask-feedback"))
        })
        .await;

    // A group: a friendly "private chats only", and nothing stored.
    let conversations = r.engine.store().conversation_ids().unwrap().len();
    let group = -2001;
    let before = r.api.len();
    r.api.push(text(group, "/start@wegwijs_test_bot"));
    r.api
        .wait_after(before, "private only", |q| to(group)(q) && q.text() == nl("tg-private-only"))
        .await;
    assert_eq!(r.engine.store().conversation_ids().unwrap().len(), conversations);

    // A message longer than the engine takes gets a plain "too long".
    let before = r.api.len();
    r.api.push(text(chat, &"Ik heb een vraag over mijn huur. ".repeat(100)));
    r.api.wait_after(before, "too long", |q| to(chat)(q) && q.text().contains("te lang")).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flood_control_is_waited_out_and_the_message_still_arrives() {
    let api = StandIn::start().await;
    api.fail_next("sendMessage", Failure::RetryAfter(1));
    let r = {
        let data = tempfile::tempdir().unwrap();
        let engine = new_engine(data.path());
        let task = spawn_bot(&api, TOKEN, engine.clone(), data.path());
        Running { api, engine, data, task }
    };
    let chat = 1006;
    r.api.push(text(chat, "/start"));
    let sent = r
        .api
        .wait("the greeting after the retry", |q| to(chat)(q) && q.method == "sendMessage")
        .await;
    let refused: Vec<Recorded> =
        r.api.requests().into_iter().filter(|q| q.method == "sendMessage" && q.failed).collect();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].text(), sent.text(), "the same message is sent again");
    let waited = sent.at.duration_since(refused[0].at);
    assert!(
        waited >= Duration::from_millis(900),
        "retried after {waited:?}, Telegram asked for 1 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_errors_back_off_and_lose_no_update() {
    let r = start().await;
    // Let the bot reach its polling loop first, then break getUpdates once.
    r.api.wait("the first poll", |q| q.method == "deleteWebhook").await;
    r.api.fail_next("getUpdates", Failure::BadGateway);
    r.api.wait("a failed poll", |q| q.failed && q.method == "getUpdates").await;
    // The update arrives while the bot backs off; it must still be handled.
    r.api.fail_next("sendMessage", Failure::BadGateway);
    let chat = 1007;
    r.api.push(text(chat, "/start"));
    let greeting = r
        .api
        .wait("the greeting despite two 502s", |q| to(chat)(q) && q.method == "sendMessage")
        .await;
    assert!(greeting.text().contains("Wegwijs"));
    assert_eq!(r.api.count(|q| q.failed && q.method == "getUpdates"), 1);
    assert_eq!(r.api.count(|q| q.failed && q.method == "sendMessage"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_makes_run_return_a_clear_error() {
    let api = StandIn::start().await;
    let data = tempfile::tempdir().unwrap();
    let task = spawn_bot(&api, "999:wrong", new_engine(data.path()), data.path());
    let result = tokio::time::timeout(Duration::from_secs(20), task)
        .await
        .expect("run returns, it does not hang")
        .unwrap();
    let err = result.expect_err("a refused token is an error");
    assert!(err.contains("token") && err.contains("WEGWIJS_TELEGRAM_TOKEN"), "{err}");
    assert!(!err.contains("999:wrong"), "the token is not in the message");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_chat_keeps_its_conversation_across_a_restart() {
    let mut r = start().await;
    let chat = 1008;
    started(&r, chat).await;
    let id = r.conversation_of(chat).unwrap();
    // Wait until Telegram (the stand-in) has the /start confirmed, then restart.
    let deadline = Instant::now() + WAIT;
    while r.api.confirmed() < 2 {
        assert!(Instant::now() < deadline, "the bot never confirmed its updates");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    r.restart();
    let before = r.api.len();
    r.api.push(text(chat, "ik wil praten over mijn schulden"));
    r.api.wait_after(before, "an answer after the restart", |q| to(chat)(q)).await;
    assert_eq!(r.conversation_of(chat).as_deref(), Some(id.as_str()));
    assert!(resident_texts(&r.engine, &id).iter().any(|t| t.contains("schulden")));
    assert_eq!(r.engine.store().conversation_ids().unwrap().len(), 1);
}

// ---------- webhook mode ----------

const WEBHOOK_URL: &str = "https://wegwijs.example.org/telegram/webhook";
const SECRET: &str = "stand-in_webhook-SECRET-42";

static UPDATE_ID: AtomicI64 = AtomicI64::new(1);

/// The bot in webhook mode, its route mounted on the web widget's router and
/// served over a real socket, as `wegwijs serve` does.
struct Hooked {
    r: Running,
    base: String,
    http: reqwest::Client,
}

impl Hooked {
    /// POST a body to the webhook route, with the given secret header.
    async fn post(
        &self,
        secret: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.try_post(&self.http, secret, body).await.unwrap()
    }

    /// The same through `http`, giving the error when the server closes the
    /// connection.
    async fn try_post(
        &self,
        http: &reqwest::Client,
        secret: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Result<reqwest::Response> {
        let mut req = http
            .post(format!("{}/telegram/webhook", self.base))
            .header("content-type", "application/json")
            .body(body);
        if let Some(s) = secret {
            req = req.header(bot::webhook::SECRET_HEADER, s);
        }
        req.send().await
    }

    /// POST an update as Telegram does, with a fresh update_id; the status.
    async fn deliver(&self, mut update: Value) -> u16 {
        update["update_id"] = json!(UPDATE_ID.fetch_add(1, Ordering::SeqCst));
        self.post(Some(SECRET), update.to_string()).await.status().as_u16()
    }
}

async fn start_webhook() -> Hooked {
    let api = StandIn::start().await;
    let data = tempfile::tempdir().unwrap();
    let engine = new_engine(data.path());
    let webhook = bot::Webhook::new(WEBHOOK_URL, Some(SECRET), false).unwrap();
    let config = bot::BotConfig {
        mode: bot::Mode::Webhook(webhook),
        ..bot_config(&api, TOKEN, data.path())
    };
    let (route, run) = bot::start(config, engine.clone(), locales(), pictograms());
    let task = tokio::spawn(run);
    let state = web_widget::AppState {
        engine: engine.clone(),
        locales: locales(),
        pictograms: pictograms(),
        config: Arc::new(web_widget::WebConfig::default()),
    };
    let app = web_widget::router_with(state, route.expect("webhook mode has a route"));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
            .await
            .unwrap()
    });
    api.wait("setWebhook", |q| q.method == "setWebhook").await;
    Hooked { r: Running { api, engine, data, task }, base, http: reqwest::Client::new() }
}

/// A field as sent, whether the request was JSON or multipart (strings).
fn sent(v: &Value) -> Value {
    match v {
        Value::String(s) => serde_json::from_str(s).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_mode_registers_url_and_secret_and_never_polls() {
    let h = start_webhook().await;
    let set = h.r.api.wait("setWebhook", |q| q.method == "setWebhook").await;
    assert_eq!(set.body["url"], WEBHOOK_URL);
    assert_eq!(set.body["secret_token"], SECRET);
    assert_eq!(sent(&set.body["drop_pending_updates"]), json!(false));
    assert_eq!(
        sent(&set.body["allowed_updates"]),
        json!(["message", "edited_message", "callback_query", "my_chat_member"])
    );
    // An update waiting in getUpdates is never fetched: Telegram posts it instead.
    h.r.api.push(text(2001, "/start"));
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(h.r.api.polls(), 0, "webhook mode must not call getUpdates");
    assert_eq!(h.r.api.count(|q| q.method == "deleteWebhook"), 0);
    assert_eq!(h.r.api.count(|q| q.method == "setWebhook"), 1);
    assert_eq!(h.r.api.count(to(2001)), 0);
    assert!(!h.r.task.is_finished(), "the bot keeps running");

    // A stopped bot takes the route down with it: 503, Telegram delivers again later.
    h.r.task.abort();
    let deadline = Instant::now() + WAIT;
    while h.deliver(text(2001, "/start")).await != 503 {
        assert!(Instant::now() < deadline, "the route still takes updates after the bot stopped");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(h.r.api.count(to(2001)), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_update_with_the_secret_is_answered_after_handling() {
    let h = start_webhook().await;
    let chat = 2002;
    assert_eq!(h.deliver(text(chat, "/start")).await, 200);
    // 200 only after handling: the greeting and the menu are already out.
    let replies: Vec<Recorded> = h.r.api.requests().into_iter().filter(|q| to(chat)(q)).collect();
    assert!(replies.iter().any(|q| q.method == "sendMessage" && q.text().contains("Wegwijs")));
    assert!(replies.iter().any(|q| q.method == "sendPhoto"), "the menu grid");
    assert!(h.r.conversation_of(chat).is_some(), "the chat is linked to a conversation");

    // Buttons take the same road.
    let before = h.r.api.len();
    assert_eq!(h.deliver(callback(chat, "cb-hook", "v1:t:money")).await, 200);
    let after: Vec<Recorded> = h.r.api.requests().into_iter().skip(before).collect();
    assert!(after
        .iter()
        .any(|q| q.method == "answerCallbackQuery" && q.body["callback_query_id"] == "cb-hook"));
    assert!(after.iter().any(|q| to(chat)(q) && q.method == "sendPhoto"), "the money submenu");

    // The widget keeps working on the same port, and the webhook is not API.
    let health = h.http.get(format!("{}/healthz", h.base)).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert!(health.headers().contains_key("content-security-policy"));
    let doc = h.http.get(format!("{}/api/v1/openapi.json", h.base)).send().await.unwrap();
    let doc: Value = doc.json().await.unwrap();
    let paths: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    assert!(!paths.iter().any(|p| p.contains("telegram")), "the webhook is not API: {paths:?}");
    let get = h.http.get(format!("{}/telegram/webhook", h.base)).send().await.unwrap();
    assert_eq!(get.status(), 405, "only POST");

    // Webhook requests are counted with the widget's.
    let metrics = h.http.get(format!("{}/metrics", h.base)).send().await.unwrap();
    let metrics = metrics.text().await.unwrap();
    let two_updates = r#"wegwijs_http_requests_total{method="POST",route="/telegram/webhook",status="200"} 2"#;
    assert!(metrics.contains(two_updates), "{metrics}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_requests_without_the_right_secret_are_refused_unread() {
    let h = start_webhook().await;
    let chat = 2003;
    let wrong_length = format!("{SECRET}x");
    let lowercase = SECRET.to_lowercase();
    for secret in
        [None, Some(""), Some("wrong"), Some(wrong_length.as_str()), Some(lowercase.as_str())]
    {
        let mut update = text(chat, "/start");
        update["update_id"] = json!(UPDATE_ID.fetch_add(1, Ordering::SeqCst));
        let res = h.post(secret, update.to_string()).await;
        assert_eq!(res.status(), 401, "{secret:?}");
        assert!(res.text().await.unwrap().is_empty(), "no detail in the body");
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(h.r.api.count(|q| q.chat() == Some(chat)), 0, "nothing was handled");
    assert!(h.r.engine.store().conversation_ids().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_webhook_bodies_get_400_and_the_bot_lives_on() {
    let h = start_webhook().await;
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    for body in [
        "",
        "not json",
        "{",
        "[]",
        "null",
        "{\"message\": {\"text\": \"hoi\"}}",
        "{\"update_id\": \"one\"}",
        "{\"update_id\": 1e400}",
        deep.as_str(),
    ] {
        let res = h.post(Some(SECRET), body.to_string()).await;
        assert_eq!(res.status(), 400, "{body:.40}");
    }
    // Too big to read.
    let huge = format!("{{\"update_id\": 1, \"pad\": \"{}\"}}", "x".repeat(bot::webhook::MAX_BODY));
    // The server answers 413 without reading the rest, so the client may see
    // the connection close while it is still sending: also a refusal.
    // A client of its own: the connection the server closes is not reused.
    match h.try_post(&reqwest::Client::new(), Some(SECRET), huge).await {
        Ok(res) => assert_eq!(res.status(), 413),
        Err(e) => assert!(e.is_request(), "{e}"),
    }
    // An update of a kind teloxide cannot read is skipped, not retried forever.
    assert_eq!(h.deliver(json!({"message": {"what": "is this"}})).await, 200);
    assert_eq!(h.r.api.count(|q| q.is_reply()), 0);
    // Alive and well.
    let chat = 2004;
    assert_eq!(h.deliver(text(chat, "/start")).await, 200);
    assert!(h.r.api.count(to(chat)) >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhook_updates_of_one_chat_are_handled_in_order_and_other_chats_in_parallel() {
    let h = Arc::new(start_webhook().await);
    let (chat, other) = (2005, 2006);
    // The first update gets stuck on flood control while sending its menu.
    h.r.api.fail_next("sendPhoto", Failure::RetryAfter(2));
    let first = {
        let h = h.clone();
        tokio::spawn(async move { (h.deliver(text(chat, "/start")).await, Instant::now()) })
    };
    h.r.api.wait("the refused menu", |q| q.failed && q.method == "sendPhoto").await;
    // Meanwhile a second update of the same chat, and one of another chat.
    let second = {
        let h = h.clone();
        tokio::spawn(async move {
            let status =
                h.deliver(text(chat, "de deurwaarder staat aan de deur, ik heb schulden")).await;
            (status, Instant::now())
        })
    };
    let elsewhere = h.deliver(text(other, "/stop")).await;
    assert_eq!(elsewhere, 200);
    assert!(!first.is_finished(), "another chat does not wait for a stuck one");
    assert_eq!(h.r.api.count(to(other)), 1);

    let (first, first_done) = first.await.unwrap();
    let (second, second_done) = second.await.unwrap();
    assert_eq!((first, second), (200, 200));
    assert!(first_done <= second_done);
    // In the chat: the refused menu, then the same menu again, then the second answer.
    let in_chat: Vec<Recorded> =
        h.r.api
            .requests()
            .into_iter()
            .filter(|q| q.chat() == Some(chat))
            .skip_while(|q| !q.failed)
            .collect();
    assert!(in_chat.len() >= 3, "{in_chat:?}");
    assert_eq!(
        in_chat[1].method, "sendPhoto",
        "the first update finishes before the second starts"
    );
    assert!(!in_chat[1].failed);
    assert!(in_chat[2..].iter().any(|q| q.text().contains(&nl("ask-feedback"))));
}

// ---------- voice replies ----------

const OGG_MAGIC: &[u8] = b"OggS";

/// Whether espeak-ng and opusenc run here. In CI they must (scripts/test.sh
/// installs them); elsewhere a test that needs them says it is skipped.
fn voice_programs_here(test: &str) -> bool {
    let runs = |program: &str| {
        std::process::Command::new(program)
            .arg("--version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let here = runs("espeak-ng") && runs("opusenc");
    if !here {
        assert_ne!(
            std::env::var("CI").as_deref(),
            Ok("true"),
            "espeak-ng or opusenc is missing: scripts/test.sh installs them (Debian packages espeak-ng, opus-tools)"
        );
        eprintln!(
            "SKIPPED {test}: espeak-ng or opusenc is missing (apt-get install espeak-ng opus-tools)"
        );
    }
    here
}

fn spawn_voice_bot(
    r: (&StandIn, &Arc<Engine>, &Path),
    voice: bot::VoiceMode,
    programs: bot::voice::Programs,
) -> tokio::task::JoinHandle<Result<(), String>> {
    let (api, engine, data) = r;
    let config = bot::BotConfig { voice, voice_programs: programs, ..bot_config(api, TOKEN, data) };
    tokio::spawn(bot::run(config, engine.clone(), locales(), pictograms()))
}

async fn start_voice(voice: bot::VoiceMode, programs: bot::voice::Programs) -> Running {
    let api = StandIn::start().await;
    let data = tempfile::tempdir().unwrap();
    let engine = new_engine(data.path());
    let task = spawn_voice_bot((&api, &engine, data.path()), voice, programs);
    Running { api, engine, data, task }
}

impl Running {
    fn restart_voice(&mut self, voice: bot::VoiceMode) {
        self.task.abort();
        self.task = spawn_voice_bot(
            (&self.api, &self.engine, self.data.path()),
            voice,
            bot::voice::Programs::default(),
        );
    }

    /// Send `text` and wait for the answer and the voice message after it.
    async fn ask_spoken(&self, chat: i64, text_sent: &str) -> Recorded {
        let before = self.api.len();
        self.api.push(text(chat, text_sent));
        self.api.wait_after(before, "an answer", to(chat)).await;
        self.api.wait_after(before, "the answer read aloud", voice_to(chat)).await
    }

    /// Send `text`, wait for the answer, then for the answer to `/menu`
    /// after it: a voice message for the first would have come in between
    /// (a chat's updates are handled in order). None came.
    async fn ask_unspoken(&self, chat: i64, text_sent: &str) {
        let before = self.api.len();
        self.api.push(text(chat, text_sent));
        self.api.wait_after(before, "an answer", to(chat)).await;
        let mid = self.api.len();
        self.api.push(text(chat, "/menu"));
        self.api.wait_after(mid, "the menu", |q| to(chat)(q) && q.method == "sendPhoto").await;
        let voices = self.api.requests().into_iter().skip(before).filter(voice_to(chat)).count();
        assert_eq!(voices, 0, "no voice message for chat {chat}");
    }

    /// The chat's own voice choice in the bot's chat list on disk.
    fn voice_choice(&self, chat: i64) -> Option<bool> {
        let file = self.data.path().join(bot::chats::FILE_NAME);
        let v: Value = serde_json::from_slice(&std::fs::read(file).ok()?).ok()?;
        v["voice"][chat.to_string()].as_bool()
    }
}

fn voice_to(chat: i64) -> impl Fn(&Recorded) -> bool {
    move |r| !r.failed && r.method == "sendVoice" && r.chat() == Some(chat)
}

/// The command names of the last setMyCommands call without a language.
async fn menu_commands(api: &StandIn) -> Vec<String> {
    let set = api.wait("setMyCommands", |q| q.method == "setMyCommands").await;
    sent(&set.body["commands"])
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["command"].as_str().unwrap().to_string())
        .collect()
}

const QUESTION: &str = "de deurwaarder staat bij me aan de deur, ik heb schulden";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_voice_on_a_question_gets_the_text_and_then_the_same_as_a_voice_message() {
    if !voice_programs_here("voice on") {
        return;
    }
    let r = start_voice(bot::VoiceMode::On, bot::voice::Programs::default()).await;
    assert!(menu_commands(&r.api).await.contains(&"voorlezen".to_string()));
    let chat = 3001;
    started(&r, chat).await;
    r.api.wait("the greeting read aloud", voice_to(chat)).await;

    let before = r.api.len();
    r.api.push(text(chat, QUESTION));
    let spoken = r.api.wait_after(before, "the answer read aloud", voice_to(chat)).await;
    let after: Vec<Recorded> = r.api.requests().into_iter().skip(before).collect();
    let card = r.engine.service_card("schuldhulp", Lang::Nl, None).unwrap();
    let text_at = after.iter().position(|q| to(chat)(q) && q.text().contains(&card.name));
    let voice_at = after.iter().position(voice_to(chat));
    assert!(text_at.is_some() && text_at < voice_at, "the text first, then the voice");
    let ogg = spoken.upload("voice").expect("the voice message is uploaded");
    assert!(ogg.starts_with(OGG_MAGIC), "not an OGG file");
    assert!(ogg.len() > 5_000, "a spoken service card is more than {} bytes", ogg.len());
    assert_eq!(r.api.count(voice_to(chat)), 2, "one voice message per answer");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_voice_off_there_is_no_voice_message_and_no_voorlezen_command() {
    let r = start().await;
    assert!(!menu_commands(&r.api).await.contains(&"voorlezen".to_string()));
    let chat = 3002;
    started(&r, chat).await;
    r.ask_unspoken(chat, QUESTION).await;
    // The command is not offered, and gets the help text.
    let before = r.api.len();
    r.api.push(text(chat, "/voorlezen"));
    r.api.wait_after(before, "help", |q| to(chat)(q) && q.text() == nl("tg-help")).await;
    r.ask_unspoken(chat, QUESTION).await;
    assert_eq!(r.api.count(|q| q.method == "sendVoice"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn voorlezen_switches_voice_per_chat_and_the_choice_survives_a_restart() {
    if !voice_programs_here("/voorlezen") {
        return;
    }
    // Offered, not on by default: a chat switches it on.
    let mode = bot::VoiceMode::Ask;
    let mut r = start_voice(mode, bot::voice::Programs::default()).await;
    let (chat, other) = (3003, 3004);
    started(&r, chat).await;
    started(&r, other).await;
    r.ask_unspoken(chat, QUESTION).await;

    let before = r.api.len();
    r.api.push(text(chat, "/voorlezen"));
    r.api.wait_after(before, "voice on", |q| to(chat)(q) && q.text() == nl("tg-voice-on")).await;
    r.api.wait_after(before, "the confirmation read aloud", voice_to(chat)).await;
    let before = r.api.len();
    r.api.push(text(chat, "/help"));
    let help = r.api.wait_after(before, "help", |q| to(chat)(q) && q.method == "sendMessage").await;
    assert!(help.text().ends_with("\n/voorlezen: zet voorlezen aan of uit"), "{}", help.text());
    r.api.wait_after(before, "help read aloud", voice_to(chat)).await;
    assert_eq!(r.voice_choice(chat), Some(true));
    r.ask_spoken(chat, QUESTION).await;
    r.ask_unspoken(other, QUESTION).await; // another chat is not affected

    r.api.all_confirmed().await;
    r.restart_voice(mode);
    r.ask_spoken(chat, QUESTION).await; // still on after a restart

    let spoken = r.api.count(voice_to(chat));
    let before = r.api.len();
    r.api.push(text(chat, "/voorlezen"));
    r.api.wait_after(before, "voice off", |q| to(chat)(q) && q.text() == nl("tg-voice-off")).await;
    r.ask_unspoken(chat, QUESTION).await;
    assert_eq!(r.api.count(voice_to(chat)), spoken, "the 'off' confirmation is not read aloud");

    r.api.all_confirmed().await;
    r.restart_voice(mode);
    r.ask_unspoken(chat, QUESTION).await; // still off after a restart
    assert_eq!(r.voice_choice(chat), Some(false));
    assert_eq!(r.voice_choice(other), None);
    assert_eq!(r.api.count(voice_to(other)), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_speech_program_leaves_the_text_and_voice_off() {
    let missing = bot::voice::Programs {
        espeak: "/nonexistent/espeak-ng".into(),
        opusenc: "/nonexistent/opusenc".into(),
    };
    let r = start_voice(bot::VoiceMode::On, missing).await;
    assert!(!menu_commands(&r.api).await.contains(&"voorlezen".to_string()));
    let chat = 3005;
    started(&r, chat).await;
    let card = r.engine.service_card("schuldhulp", Lang::Nl, None).unwrap();
    let before = r.api.len();
    r.ask_unspoken(chat, QUESTION).await;
    assert!(r
        .api
        .requests()
        .iter()
        .skip(before)
        .any(|q| to(chat)(q) && q.text().contains(&card.name)));
    assert_eq!(r.api.count(|q| q.method == "sendVoice"), 0);
    assert!(!r.task.is_finished(), "the bot keeps running");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_arabic_resident_gets_the_card_in_arabic_with_numbers_isolated_left_to_right() {
    let r = start().await;
    let chat = 1077;
    started(&r, chat).await;
    let before = r.api.len();
    r.api.push(callback(chat, "cb-ar", "v1:l:ar"));
    r.api.wait_after(before, "the Arabic menu", |q| to(chat)(q) && q.method == "sendPhoto").await;
    let before = r.api.len();
    r.api.push(text(chat, "عندي ديون كثيرة ولا أستطيع دفع الفواتير"));
    let card = r.engine.service_card("schuldhulp", Lang::Ar, None).unwrap();
    assert_ne!(card.name, card.name_nl.clone().unwrap_or_default(), "a translated name");
    let answer = r
        .api
        .wait_after(before, "the Arabic card", |q| {
            to(chat)(q) && q.text().replace(['\u{2066}', '\u{2069}'], "").contains(card.summary.trim())
        })
        .await;
    let t = answer.text();
    // The phone number reads 088 555 14 10 left to right, inside the Arabic text:
    // it stands within one left-to-right isolate.
    let isolated: Vec<&str> = t.split('\u{2066}').skip(1).filter_map(|s| s.split('\u{2069}').next()).collect();
    assert!(isolated.iter().any(|s| s.contains(&card.contact.phone)), "{t:?}");
    // The Dutch name stands beside the Arabic one, isolated as left-to-right text.
    assert!(t.contains(&format!("\u{2066}{}\u{2069}", card.name_nl.as_deref().unwrap())), "{t:?}");
}
