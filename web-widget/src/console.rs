//! The supporter console at `/console`: login, the live queue, one
//! conversation (claim, reply, canned replies, typing, hand back, close).
//!
//! Pages are rendered on the server with every value escaped, and work
//! without script; `console.js` adds live updates over server-sent events.
//! Sessions live in memory (a restart logs everyone out). Every POST carries
//! a CSRF token: the session's own once logged in, a double-submit cookie on
//! the login form. Five failed logins in a row lock the account.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::{ConnectInfo, Form, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use engine::{EventKind, Mode, QueueItem, Reason};
use rand::RngCore;
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use crate::html::{duration, esc, page};
use crate::{blocking, render, ApiError, Shared};

const SESSION_COOKIE: &str = "wegwijs_session";
const LOGIN_COOKIE: &str = "wegwijs_login";

/// Plain-language replies a supporter can send with one click. Labels are
/// Dutch (for the supporter); the text goes out in the resident's language.
pub const CANNED: &[(&str, &str)] = &[
    ("web-canned-moment", "Even kijken"),
    ("web-canned-more", "Vertel meer"),
    ("web-canned-call", "Zullen we bellen?"),
    ("web-canned-service", "Ik stuur je door"),
    ("web-canned-bye", "Afsluiten"),
];

const OUTCOMES: &[(&str, &str)] = &[
    ("resolved", "Opgelost"),
    ("referred", "Doorverwezen naar een dienst"),
    ("no_contact", "Geen contact"),
];

#[derive(Clone, Debug)]
pub struct Session {
    pub supporter: String,
    pub team: String,
    pub stats: bool,
    pub csrf: String,
    expires: i64,
}

#[derive(Default)]
pub struct Sessions {
    map: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    fn get(&self, id: &str, now: i64) -> Option<Session> {
        let map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.get(id).filter(|s| s.expires > now).cloned()
    }

    fn insert(&self, s: Session, now: i64) -> String {
        let id = random_token();
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        map.retain(|_, s| s.expires > now);
        map.insert(id.clone(), s);
        id
    }

    fn remove(&self, id: &str) {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }
}

pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Compare secrets without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn set_cookie(ctx: &Shared, name: &str, value: &str, max_age: i64) -> HeaderValue {
    let secure = if ctx.config.secure_cookies { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn session(ctx: &Shared, headers: &HeaderMap) -> Option<Session> {
    cookie(headers, SESSION_COOKIE).and_then(|id| ctx.sessions.get(id, ctx.engine.now()))
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// Why a console request may not go on.
pub enum Denied {
    /// Not logged in: a redirect to the login form, or 401 for script.
    Login { json: bool },
    /// A POST without the session's CSRF token.
    Csrf,
    /// The account lacks the stats role.
    NoStats,
}

impl IntoResponse for Denied {
    fn into_response(self) -> Response {
        match self {
            Denied::Login { json: true } => ApiError::Unauthorized.into_response(),
            Denied::Login { json: false } => Redirect::to("/console").into_response(),
            Denied::Csrf => ApiError::Forbidden(
                "csrf",
                "the form is out of date: reload the page and try again".into(),
            )
            .into_response(),
            Denied::NoStats => {
                ApiError::Forbidden("forbidden", "this account may not see the figures".into())
                    .into_response()
            }
        }
    }
}

/// The session, or a redirect to the login form.
fn require(ctx: &Shared, headers: &HeaderMap) -> Result<Session, Denied> {
    session(ctx, headers).ok_or(Denied::Login { json: wants_json(headers) })
}

/// The session of a POST whose form carries the session's CSRF token.
fn require_post(
    ctx: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Session, Denied> {
    let s = require(ctx, headers)?;
    match form.get("csrf") {
        Some(t) if same(t, &s.csrf) => Ok(s),
        _ => Err(Denied::Csrf),
    }
}

pub fn routes(ctx: Shared) -> Router<Shared> {
    Router::new()
        .route("/console", get(home))
        .route("/console/login", post(login))
        .route("/console/logout", post(logout))
        .route("/console/queue", get(queue_json))
        .route("/console/events", get(events))
        .route("/console/c/{id}", get(conversation_page))
        .route("/console/c/{id}/messages", get(conversation_json))
        .route("/console/c/{id}/claim", post(claim))
        .route("/console/c/{id}/reply", post(reply))
        .route("/console/c/{id}/typing", post(typing))
        .route("/console/c/{id}/handback", post(hand_back))
        .route("/console/c/{id}/close", post(close))
        .route("/console/stats", get(crate::stats::page))
        .route("/console/stats.csv", get(crate::stats::csv))
        .route("/console/stats/review", post(crate::stats::review))
        .with_state(ctx)
}

/// The bar on every console page: who is logged in, the pages, log out.
pub fn header_bar(s: &Session) -> String {
    let stats = if s.stats { "<li><a href=\"/console/stats\">Cijfers</a></li>" } else { "" };
    format!(
        "<header class=\"bar\"><p class=\"brand\"><a href=\"/console\">Wegwijs console</a></p>\
         <nav aria-label=\"Console\"><ul><li><a href=\"/console\">Wachtrij</a></li>{stats}</ul></nav>\
         <p class=\"who\">Ingelogd als <strong>{}</strong> (team {})</p>\
         <form method=\"post\" action=\"/console/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\">Uitloggen</button></form></header>",
        esc(&s.supporter),
        esc(&s.team),
        esc(&s.csrf)
    )
}

pub fn reason_nl(r: Reason) -> &'static str {
    match r {
        Reason::Crisis => "Crisis",
        Reason::AskedForPerson => "Vroeg om een mens",
        Reason::NotUnderstood => "Bot begreep het niet",
        Reason::AnswerDidNotHelp => "Antwoord hielp niet",
    }
}

/// The Dutch label of a reason as stored in counters (`asked_for_person`).
pub fn reason_label(code: &str) -> &str {
    match code {
        "crisis" => "Crisis",
        "asked_for_person" => "Vroeg om een mens",
        "not_understood" => "Bot begreep het niet",
        "answer_did_not_help" => "Antwoord hielp niet",
        other => other,
    }
}

fn queue_value(items: &[QueueItem]) -> Value {
    json!(items
        .iter()
        .map(|q| json!({
            "id": q.entry.id,
            "position": q.position,
            "crisis": q.entry.reason == Reason::Crisis,
            "reason": q.entry.reason,
            "reason_text": reason_nl(q.entry.reason),
            "lang": q.entry.lang,
            "topic": q.entry.topic,
            "waiting_secs": q.waiting_secs,
            "waiting": duration(q.waiting_secs),
        }))
        .collect::<Vec<_>>())
}

fn queue_rows(items: &[QueueItem], csrf: &str) -> String {
    if items.is_empty() {
        return "<tr><td colspan=\"6\">Niemand wacht.</td></tr>".into();
    }
    let mut s = String::new();
    for q in items {
        let crisis = q.entry.reason == Reason::Crisis;
        let id = esc(&q.entry.id);
        s.push_str(&format!(
            "<tr class=\"{}\"><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"wait\" data-secs=\"{}\">{}</td>\
             <td><form method=\"post\" action=\"/console/c/{id}/claim\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\">Oppakken</button></form> <a href=\"/console/c/{id}\">Bekijk<span class=\"sr\"> gesprek {}</span></a></td></tr>",
            if crisis { "crisis" } else { "" },
            if crisis { "<span class=\"badge\">CRISIS</span> " } else { "" },
            q.position,
            esc(reason_nl(q.entry.reason)),
            esc(&q.entry.lang),
            esc(q.entry.topic.as_deref().unwrap_or("–")),
            q.waiting_secs,
            esc(&duration(q.waiting_secs)),
            esc(csrf),
            q.position,
        ));
    }
    s
}

fn login_page(ctx: &Shared, error: Option<&str>, status: StatusCode) -> Response {
    let token = random_token();
    let err = error
        .map(|e| format!("<p class=\"error\" role=\"alert\" id=\"login-error\">{}</p>", esc(e)))
        .unwrap_or_default();
    let body = format!(
        "<main id=\"main\" class=\"login\"><h1>Inloggen voor hulpverleners</h1>{err}\
         <form method=\"post\" action=\"/console/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
         <p><label for=\"name\">Naam</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required></p>\
         <p><label for=\"password\">Wachtwoord</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">Inloggen</button></p></form>\
         <p class=\"hint\">Nog geen account? Een beheerder maakt het aan met <code>wegwijs supporter add NAAM</code>.</p></main>"
    );
    let mut res = (status, Html(page("Inloggen", &body, None))).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ctx, LOGIN_COOKIE, &token, 3600));
    res
}

/// `GET /console`: the login form, or the queue.
async fn home(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else {
        return Ok(login_page(&ctx, None, StatusCode::OK));
    };
    let (c, team, me) = (ctx.clone(), s.team.clone(), s.supporter.clone());
    let (items, mine) = blocking(move || -> Result<_, ApiError> {
        let items = c.engine.queue_for_team(&team)?;
        // Conversations this supporter holds, so they can go back to them.
        let mut mine = Vec::new();
        for id in c.engine.store().conversation_ids().map_err(engine::Error::from)? {
            if let Ok(conv) = c.engine.conversation(&id) {
                if matches!(&conv.mode, Mode::WithSupporter { supporter, .. } if *supporter == me) {
                    mine.push(conv);
                }
            }
        }
        Ok((items, mine))
    })
    .await??;
    let crisis = items.iter().any(|q| q.entry.reason == Reason::Crisis);
    let mine_html = if mine.is_empty() {
        "<p>Je hebt nu geen gesprekken.</p>".to_string()
    } else {
        let li: String = mine
            .iter()
            .map(|c| {
                format!(
                    "<li><a href=\"/console/c/{0}\">Gesprek {1}</a> ({2})</li>",
                    esc(&c.id),
                    esc(&c.id[..8.min(c.id.len())]),
                    esc(c.lang.code())
                )
            })
            .collect();
        format!("<ul>{li}</ul>")
    };
    let body = format!(
        "{}<main id=\"main\" data-page=\"queue\"><h1>Wachtrij</h1>\
         <div id=\"crisis-alert\" class=\"crisis-alert\" role=\"alert\">{}</div>\
         <p id=\"queue-status\" role=\"status\">{} wachtend</p>\
         <table class=\"queue\"><caption class=\"sr\">Gesprekken die op een mens wachten, crisis eerst</caption>\
         <thead><tr><th scope=\"col\">Plek</th><th scope=\"col\">Reden</th><th scope=\"col\">Taal</th><th scope=\"col\">Onderwerp</th>\
         <th scope=\"col\">Wacht</th><th scope=\"col\">Actie</th></tr></thead><tbody id=\"queue-rows\">{}</tbody></table>\
         <h2>Mijn gesprekken</h2>{mine_html}</main>",
        header_bar(&s),
        if crisis { "Let op: er wacht iemand in crisis. Pak dit gesprek eerst op." } else { "" },
        items.len(),
        queue_rows(&items, &s.csrf),
    );
    Ok(Html(page("Wachtrij", &body, Some(&s.csrf))).into_response())
}

fn dummy_hash() -> &'static str {
    static H: OnceLock<String> = OnceLock::new();
    H.get_or_init(|| {
        crate::auth::hash_password("no such supporter, still take the time").unwrap_or_default()
    })
}

/// `POST /console/login`.
async fn login(
    State(ctx): State<Shared>,
    connect: Option<axum::Extension<ConnectInfo<std::net::SocketAddr>>>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let ip = crate::middleware::client_ip(
        &headers,
        connect.map(|c| c.0 .0),
        ctx.config.trust_forwarded_for,
    );
    if let Err(retry_after) = ctx.limits.client.take(&ip) {
        return Err(ApiError::RateLimited { retry_after });
    }
    let want = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    match form.get("csrf") {
        Some(t) if !want.is_empty() && same(t, want) => {}
        _ => {
            return Ok(login_page(
                &ctx,
                Some("Het formulier was verlopen. Probeer het nog eens."),
                StatusCode::FORBIDDEN,
            ))
        }
    }
    let name = form.get("name").cloned().unwrap_or_default();
    let password = form.get("password").cloned().unwrap_or_default();
    let c = ctx.clone();
    let user = blocking(move || -> Result<Option<engine::Supporter>, ApiError> {
        let now = c.engine.now();
        let store = c.engine.store();
        let Some(mut s) = store.supporter(&name).map_err(engine::Error::from)? else {
            // Same work as for a real account, so timing does not tell names apart.
            crate::auth::verify_password(&password, dummy_hash());
            return Ok(None);
        };
        if s.locked_until > now {
            crate::auth::verify_password(&password, dummy_hash());
            return Ok(None);
        }
        if crate::auth::verify_password(&password, &s.password_hash) {
            if s.failed_logins != 0 || s.locked_until != 0 {
                s.failed_logins = 0;
                s.locked_until = 0;
                store.put_supporter(&s).map_err(engine::Error::from)?;
            }
            return Ok(Some(s));
        }
        s.failed_logins += 1;
        if s.failed_logins >= c.config.max_failed_logins {
            s.failed_logins = 0;
            s.locked_until = now + c.config.lockout_secs;
            tracing::warn!(supporter = %s.name, "account locked after failed logins");
        }
        store.put_supporter(&s).map_err(engine::Error::from)?;
        Ok(None)
    })
    .await??;
    let Some(user) = user else {
        tracing::info!("failed console login");
        return Ok(login_page(
            &ctx,
            Some("Inloggen lukt niet. De naam of het wachtwoord klopt niet, of het account is na 5 pogingen 15 minuten op slot."),
            StatusCode::UNAUTHORIZED,
        ));
    };
    // A fresh session id at every login: an id planted before login is worthless.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        ctx.sessions.remove(old);
    }
    let now = ctx.engine.now();
    let s = Session {
        supporter: user.name.clone(),
        team: user.team,
        stats: user.stats,
        csrf: random_token(),
        expires: now + ctx.config.session_secs,
    };
    let id = ctx.sessions.insert(s, now);
    tracing::info!(supporter = %user.name, "console login");
    let mut res = Redirect::to("/console").into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&ctx, SESSION_COOKIE, &id, ctx.config.session_secs));
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&ctx, LOGIN_COOKIE, "", 0));
    Ok(res)
}

async fn logout(
    State(ctx): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    if let Err(r) = require_post(&ctx, &headers, &form) {
        return r.into_response();
    }
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        ctx.sessions.remove(id);
    }
    let mut res = Redirect::to("/console").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&ctx, SESSION_COOKIE, "", 0));
    res
}

async fn queue_for(ctx: &Shared, team: &str) -> Result<Vec<QueueItem>, ApiError> {
    let (c, team) = (ctx.clone(), team.to_string());
    Ok(blocking(move || c.engine.queue_for_team(&team)).await??)
}

/// `GET /console/queue`: the queue as JSON, for the live page.
async fn queue_json(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else { return Err(ApiError::Unauthorized) };
    let items = queue_for(&ctx, &s.team).await?;
    Ok(Json(queue_value(&items)).into_response())
}

/// `GET /console/events`: `queue` (the whole queue, on every change) and
/// `message` (a conversation has a new message) as server-sent events.
async fn events(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else { return Err(ApiError::Unauthorized) };
    let mut rx = ctx.engine.subscribe();
    let (tx, out) = mpsc::channel::<SseEvent>(64);
    let c = ctx.clone();
    c.metrics.streams.fetch_add(1, Ordering::Relaxed);
    tokio::spawn(async move {
        let mut send_queue = true;
        loop {
            if send_queue {
                send_queue = false;
                if let Ok(items) = queue_for(&c, &s.team).await {
                    if tx
                        .send(
                            SseEvent::default()
                                .event("queue")
                                .data(queue_value(&items).to_string()),
                        )
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            }
            let ev = tokio::select! {
                ev = rx.recv() => ev,
                _ = tx.closed() => break,
            };
            let out = match ev {
                Ok(ev) => match ev.kind {
                    EventKind::QueueChanged => {
                        send_queue = true;
                        None
                    }
                    EventKind::Message { seq } => Some(
                        SseEvent::default()
                            .event("message")
                            .data(json!({"conversation": ev.conversation, "seq": seq}).to_string()),
                    ),
                    EventKind::Deleted => Some(
                        SseEvent::default()
                            .event("deleted")
                            .data(json!({"conversation": ev.conversation}).to_string()),
                    ),
                    _ => None,
                },
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    send_queue = true;
                    Some(SseEvent::default().event("resync").data("{}"))
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            if let Some(e) = out {
                if tx.send(e).await.is_err() {
                    break;
                }
            }
        }
        c.metrics.streams.fetch_sub(1, Ordering::Relaxed);
    });
    let stream = ReceiverStream::new(out).map(Ok::<_, Infallible>);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

/// One message of the log as escaped HTML (console.js builds the same from JSON).
fn message_html(m: &Value) -> String {
    let from = m["from"].as_str().unwrap_or("");
    let who = match from {
        "resident" => "Bewoner".to_string(),
        "bot" => "Wegwijs".to_string(),
        "supporter" => m["name"].as_str().unwrap_or("Hulpverlener").to_string(),
        _ => "Systeem".to_string(),
    };
    let mut s = format!("<li class=\"msg from-{}\"><p class=\"who\">{}</p>", esc(from), esc(&who));
    if from == "resident" {
        if let Some(t) = m["text"].as_str() {
            s.push_str(&format!("<p class=\"text\">{}</p>", esc(t)));
        } else if let Some(i) = m["input"].as_object() {
            let what =
                i.get("label").or_else(|| i.get("value")).and_then(|v| v.as_str()).unwrap_or("");
            let kind = if i.get("type").and_then(|v| v.as_str()) == Some("tap") {
                "Tikte op"
            } else {
                "Koos"
            };
            s.push_str(&format!("<p class=\"text\">{kind}: {}</p>", esc(what)));
        } else if m["purged"].as_bool() == Some(true) {
            s.push_str("<p class=\"text\">(tekst verwijderd na de bewaartermijn)</p>");
        }
    }
    for r in m["replies"].as_array().into_iter().flatten() {
        s.push_str("<div class=\"reply\">");
        if let Some(p) = r["pictogram"].as_str() {
            s.push_str(&format!(
                "<img src=\"/pictograms/{}.svg\" alt=\"{}\" width=\"32\" height=\"32\">",
                esc(p),
                esc(r["pictogram_alt"].as_str().unwrap_or(""))
            ));
        }
        let text = r["message"].as_str().or_else(|| r["text"].as_str()).unwrap_or("");
        s.push_str(&format!("<p class=\"text\">{}</p>", esc(text)));
        if let Some(card) = r["card"].as_object() {
            s.push_str(&format!(
                "<p class=\"card\">Dienst: {} · tel. {}</p>",
                esc(card.get("name").and_then(|v| v.as_str()).unwrap_or("")),
                esc(card.get("contact").and_then(|c| c["phone"].as_str()).unwrap_or(""))
            ));
        }
        let choices: Vec<&Value> = r["choices"].as_array().into_iter().flatten().collect();
        if !choices.is_empty() {
            s.push_str("<ul class=\"chips\">");
            for c in choices {
                let img = c["pictogram"]
                    .as_str()
                    .map(|p| {
                        format!(
                            "<img src=\"/pictograms/{}.svg\" alt=\"\" width=\"24\" height=\"24\">",
                            esc(p)
                        )
                    })
                    .unwrap_or_default();
                s.push_str(&format!("<li>{img}{}</li>", esc(c["label"].as_str().unwrap_or(""))));
            }
            s.push_str("</ul>");
        }
        s.push_str("</div>");
    }
    s.push_str("</li>");
    s
}

async fn load(
    ctx: &Shared,
    id: &str,
    supporter: &str,
    audited: bool,
) -> Result<(engine::Conversation, Value), ApiError> {
    let (c, id, sup) = (ctx.clone(), id.to_string(), supporter.to_string());
    blocking(move || -> Result<_, ApiError> {
        let (conv, messages) = if audited {
            c.engine.open_as_supporter(&id, &sup)?
        } else {
            (c.engine.conversation(&id)?, c.engine.transcript(&id)?)
        };
        let t = render::transcript(&conv, &messages, &c.locales, &c.pictograms);
        Ok((conv, t))
    })
    .await?
}

/// `GET /console/c/{id}`: the whole conversation, and what the supporter can do.
async fn conversation_page(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let s = match require(&ctx, &headers) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let (conv, t) = load(&ctx, &id, &s.supporter, true).await?;
    let lang = conv.lang.code();
    let log: String = t["messages"].as_array().into_iter().flatten().map(message_html).collect();
    let csrf = esc(&s.csrf);
    let eid = esc(&conv.id);
    let (state_text, actions) = match &conv.mode {
        Mode::Waiting { reason, .. } => (
            format!("Wacht op een mens ({})", reason_nl(*reason)),
            format!(
                "<form method=\"post\" action=\"/console/c/{eid}/claim\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                 <button type=\"submit\" class=\"primary\">Oppakken</button></form>"
            ),
        ),
        Mode::WithSupporter { supporter, .. } if *supporter == s.supporter => {
            let canned: String = CANNED
                .iter()
                .map(|(key, label)| {
                    let text = ctx.locales.text(lang, key, &[]);
                    format!(
                        "<li><form method=\"post\" action=\"/console/c/{eid}/reply\" class=\"canned\">\
                         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"text\" value=\"{}\">\
                         <button type=\"submit\" title=\"{}\">{}</button></form></li>",
                        esc(&text),
                        esc(&text),
                        esc(label)
                    )
                })
                .collect();
            let outcomes: String = OUTCOMES
                .iter()
                .enumerate()
                .map(|(i, (v, l))| {
                    format!(
                        "<p><input type=\"radio\" name=\"outcome\" id=\"outcome-{v}\" value=\"{v}\"{}><label for=\"outcome-{v}\">{}</label></p>",
                        if i == 0 { " checked" } else { "" },
                        esc(l)
                    )
                })
                .collect();
            (
                "Jij praat met deze bewoner".to_string(),
                format!(
                    "<form method=\"post\" action=\"/console/c/{eid}/reply\" id=\"reply-form\" data-typing=\"/console/c/{eid}/typing\">\
                     <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <p><label for=\"reply-text\">Jouw bericht (korte zinnen, eenvoudige woorden)</label>\
                     <textarea id=\"reply-text\" name=\"text\" rows=\"3\" maxlength=\"2000\" required></textarea></p>\
                     <p><button type=\"submit\" class=\"primary\">Versturen</button></p></form>\
                     <h2>Snelle antwoorden <span class=\"hint\">(gaan in de taal van de bewoner: {})</span></h2><ul class=\"canned-list\">{canned}</ul>\
                     <div class=\"row\"><form method=\"post\" action=\"/console/c/{eid}/handback\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <button type=\"submit\">Terug naar de bot</button></form>\
                     <form method=\"post\" action=\"/console/c/{eid}/close\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <fieldset><legend>Afsluiten met uitkomst</legend>{outcomes}</fieldset>\
                     <button type=\"submit\">Afsluiten</button></form></div>",
                    esc(lang)
                ),
            )
        }
        Mode::WithSupporter { supporter, .. } => (format!("{} praat met deze bewoner", supporter), String::new()),
        Mode::Bot => ("De bot praat met deze bewoner".to_string(), String::new()),
        Mode::Closed { outcome } => (format!("Afgesloten ({outcome})"), String::new()),
    };
    let body = format!(
        "{}<main id=\"main\" data-page=\"conversation\" data-id=\"{eid}\"><h1>Gesprek {}</h1>\
         <p id=\"conv-state\" role=\"status\">{} · taal: {} · onderwerp: {}</p>\
         <h2 id=\"log-title\">Het gesprek</h2><ol id=\"log\" class=\"log\" aria-labelledby=\"log-title\" aria-live=\"polite\">{log}</ol>\
         <div id=\"actions\">{actions}</div></main>",
        header_bar(&s),
        esc(&conv.id[..8.min(conv.id.len())]),
        esc(&state_text),
        esc(lang),
        esc(conv.topic.as_deref().unwrap_or("–")),
    );
    Ok(Html(page("Gesprek", &body, Some(&s.csrf))).into_response())
}

/// `GET /console/c/{id}/messages`: the transcript as JSON for the live page.
async fn conversation_json(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else { return Err(ApiError::Unauthorized) };
    let (_, t) = load(&ctx, &id, &s.supporter, false).await?;
    Ok(Json(t).into_response())
}

/// After a console POST: JSON for script, a redirect for a plain form.
fn done(headers: &HeaderMap, to: &str) -> Response {
    if wants_json(headers) {
        Json(json!({"ok": true})).into_response()
    } else {
        Redirect::to(to).into_response()
    }
}

async fn claim(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let back = format!("/console/c/{id}");
    supporter_write(&ctx, &headers, &form, &back, move |engine, who| {
        engine.claim(&id, &who)?;
        tracing::info!(conversation = %id, supporter = %who, "claimed");
        Ok(())
    })
    .await
}

async fn reply(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let text = form.get("text").cloned().unwrap_or_default();
    let back = format!("/console/c/{id}");
    supporter_write(&ctx, &headers, &form, &back, move |engine, who| Ok(engine.supporter_message(&id, &who, &text)?))
        .await
}

async fn typing(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let s = match require_post(&ctx, &headers, &form) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let c = ctx.clone();
    blocking(move || c.engine.supporter_typing(&id, &s.supporter)).await??;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn hand_back(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let back = format!("/console/c/{id}");
    supporter_write(&ctx, &headers, &form, &back, move |engine, who| Ok(engine.hand_back(&id, &who)?)).await
}

async fn close(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Result<Response, ApiError> {
    let outcome = form.get("outcome").cloned().unwrap_or_default();
    supporter_write(&ctx, &headers, &form, "/console", move |engine, who| {
        // Checked after the session and CSRF token, so a forged request learns nothing.
        if !OUTCOMES.iter().any(|(v, _)| *v == outcome) {
            return Err(ApiError::Invalid("outcome must be resolved, referred or no_contact".into()));
        }
        Ok(engine.close(&id, &who, &outcome)?)
    })
    .await
}

/// The body every console write on a conversation shares: the session and its
/// CSRF token are checked, the engine call runs off the async runtime as that
/// supporter, then the browser goes back to `back` (or gets JSON).
async fn supporter_write(
    ctx: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
    back: &str,
    act: impl FnOnce(&engine::Engine, String) -> Result<(), ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let s = match require_post(ctx, headers, form) {
        Ok(s) => s,
        Err(r) => return Ok(r.into_response()),
    };
    let c = ctx.clone();
    blocking(move || act(&c.engine, s.supporter)).await??;
    Ok(done(headers, back))
}

/// For the stats page: the session if it may see figures.
pub fn stats_session(ctx: &Shared, headers: &HeaderMap) -> Result<Session, Denied> {
    let s = require(ctx, headers)?;
    if !s.stats {
        return Err(Denied::NoStats);
    }
    Ok(s)
}

/// A POST on the figures: stats role and the session's CSRF token.
pub fn stats_post(
    ctx: &Shared,
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> Result<Session, Denied> {
    let s = require_post(ctx, headers, form)?;
    if !s.stats {
        return Err(Denied::NoStats);
    }
    Ok(s)
}
