//! The supporter console at `/console`: login, the live queue, one
//! conversation (claim, reply, canned replies, typing, hand back, close).
//!
//! Pages are rendered on the server with every value escaped, and work
//! without script; `console.js` adds live updates over server-sent events.
//! Sessions live in memory (a restart logs everyone out). Every POST carries
//! a CSRF token: the session's own once logged in, a double-submit cookie on
//! the login form. Five failed logins in a row lock the account.
//!
//! Every text a supporter reads is a fluent id from [`CONSOLE_KEYS`], in the
//! supporter's language ([`CONSOLE_LANGS`]: a cookie set by the switch on
//! every page, else `Accept-Language`, else Dutch). What goes to a resident
//! (canned replies) is in the resident's language instead.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use axum::extract::{ConnectInfo, Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use engine::{EventKind, Mode, QueueItem, Reason, UiLang};
use locales::Locales;
use rand::RngCore;
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use crate::html::{esc, page};
use crate::{blocking, render, ApiError, Ctx, Shared};

const SESSION_COOKIE: &str = "wegwijs_session";
const LOGIN_COOKIE: &str = "wegwijs_login";
const LANG_COOKIE: &str = "wegwijs_console_lang";

/// The languages the console speaks, the default first. Supporters work in
/// Dutch or English, so the console ids exist in these locales only (the
/// i18n test holds them to exactly these).
pub const CONSOLE_LANGS: [&str; 2] = ["nl", "en"];

/// Fluent ids of the console and the figures (`console-` prefix). The code
/// names each id as a literal; a unit test checks this list against the code
/// both ways, and the i18n test checks it against the locales.
pub const CONSOLE_KEYS: &[&str] = &[
    "console-brand",
    "console-available-on",
    "console-available-off",
    "console-set-available",
    "console-set-away",
    "console-skip",
    "console-nav",
    "console-nav-queue",
    "console-nav-stats",
    "console-logged-in",
    "console-logout",
    "console-login-title",
    "console-login-heading",
    "console-login-name",
    "console-login-password",
    "console-login-submit",
    "console-login-no-account",
    "console-login-command-name",
    "console-login-expired",
    "console-login-failed",
    "console-queue-count",
    "console-queue-caption",
    "console-queue-empty",
    "console-crisis-alert",
    "console-crisis-badge",
    "console-col-position",
    "console-col-reason",
    "console-col-language",
    "console-col-topic",
    "console-col-waiting",
    "console-col-action",
    "console-claim",
    "console-view",
    "console-view-which",
    "console-mine",
    "console-mine-none",
    "console-conversation-short",
    "console-reason-crisis",
    "console-reason-asked-for-person",
    "console-reason-not-understood",
    "console-reason-answer-did-not-help",
    "console-duration-seconds",
    "console-duration-minutes",
    "console-duration-hours",
    "console-conversation-title",
    "console-state-line",
    "console-state-waiting",
    "console-state-mine",
    "console-state-other",
    "console-state-bot",
    "console-state-closed",
    "console-log-title",
    "console-from-resident",
    "console-from-bot",
    "console-from-supporter",
    "console-from-system",
    "console-resident-tapped",
    "console-resident-chose",
    "console-text-purged",
    "console-card",
    "console-reply-label",
    "console-send",
    "console-canned-heading",
    "console-canned-hint",
    "console-canned-moment",
    "console-canned-more",
    "console-canned-call",
    "console-canned-service",
    "console-canned-bye",
    "console-hand-back",
    "console-close-legend",
    "console-close",
    "console-outcome-resolved",
    "console-outcome-referred",
    "console-outcome-no-contact",
    "console-error-title",
    "console-error-back",
    "console-error",
    "console-error-csrf",
    "console-error-no-stats",
    "console-error-already-claimed",
    "console-error-not-waiting",
    "console-error-not-holder",
    "console-error-not-found",
    "console-error-too-long",
    "console-error-invalid",
    "console-error-rate-limited",
    "console-error-not-anonymised",
    "console-error-question-empty",
    "console-stats-intro",
    "console-stats-download",
    "console-stats-no-data",
    "console-stats-as-table",
    "console-stats-share",
    "console-stats-bot",
    "console-stats-human",
    "console-stats-topics-week",
    "console-stats-topics",
    "console-stats-feedback",
    "console-stats-feedback-yes",
    "console-stats-feedback-no",
    "console-stats-escalations",
    "console-stats-outcomes",
    "console-stats-not-understood",
    "console-stats-times",
    "console-stats-kept",
    "console-stats-to-review",
    "console-stats-nothing-to-review",
    "console-stats-review-intro",
    "console-stats-question",
    "console-stats-anonymised",
    "console-stats-keep",
    "console-stats-drop",
];

/// The console's texts in one supporter's language. `t` and `html` give
/// escaped markup; `raw` is for JSON and attributes that are escaped later.
#[derive(Clone, Copy)]
pub struct Ui<'a> {
    loc: &'a Locales,
    pub lang: &'static str,
}

impl<'a> Ui<'a> {
    pub fn new(ctx: &'a Ctx, headers: &HeaderMap) -> Ui<'a> {
        Ui { loc: &ctx.locales, lang: console_lang(headers) }
    }

    pub fn raw(&self, id: &str) -> String {
        self.loc.text(self.lang, id, &[])
    }

    pub fn raw_with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let args: Vec<(String, String)> =
            args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.loc.text(self.lang, id, &args)
    }

    /// The text of `id`, escaped.
    pub fn t(&self, id: &str) -> String {
        esc(&self.raw(id))
    }

    /// The text of `id` with plain-text arguments, escaped.
    pub fn t_with(&self, id: &str, args: &[(&str, &str)]) -> String {
        esc(&self.raw_with(id, args))
    }

    /// The text of `id` with arguments that are markup already (escaped by
    /// the caller): the sentence is escaped around them.
    pub fn html(&self, id: &str, markup: &[(&str, &str)]) -> String {
        let marks: Vec<String> =
            (0..markup.len()).map(|i| format!("\u{E000}{i}\u{E001}")).collect();
        let args: Vec<(&str, &str)> =
            markup.iter().zip(&marks).map(|((k, _), m)| (*k, m.as_str())).collect();
        let mut out = self.t_with(id, &args);
        for ((_, html), m) in markup.iter().zip(&marks) {
            out = out.replace(m.as_str(), html);
        }
        out
    }

    /// A waiting time: seconds, minutes, or hours and minutes.
    pub fn duration(&self, secs: i64) -> String {
        let secs = secs.max(0);
        let (h, m) = ((secs / 3600).to_string(), ((secs % 3600) / 60).to_string());
        if secs < 60 {
            self.raw_with("console-duration-seconds", &[("seconds", &secs.to_string())])
        } else if secs < 3600 {
            self.raw_with("console-duration-minutes", &[("minutes", &m)])
        } else {
            self.raw_with("console-duration-hours", &[("hours", &h), ("minutes", &m)])
        }
    }

    /// The link to the console in the other language, back to `here`.
    pub fn switch(&self, here: &str) -> String {
        let other = CONSOLE_LANGS.iter().find(|l| **l != self.lang).copied().unwrap_or("nl");
        let name = UiLang::from_code(other).map_or(other, UiLang::native_name);
        format!(
            "<a href=\"/console/language?to={other}&amp;back={}\" hreflang=\"{other}\" lang=\"{other}\">{}</a>",
            esc(here),
            esc(name)
        )
    }
}

/// The supporter's console language: the switch's cookie, else the first
/// console language in `Accept-Language` by quality, else Dutch.
pub fn console_lang(headers: &HeaderMap) -> &'static str {
    let known = |tag: &str| {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
        CONSOLE_LANGS.into_iter().find(|l| *l == primary)
    };
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(known) {
        return l;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let mut best: Option<(f32, &'static str)> = None;
    for part in accept.split(',') {
        let mut it = part.split(';');
        let Some(lang) = it.next().and_then(known) else { continue };
        let q = it
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if q > 0.0 && best.is_none_or(|(bq, _)| q > bq) {
            best = Some((q, lang));
        }
    }
    best.map_or(CONSOLE_LANGS[0], |(_, l)| l)
}

/// Plain-language replies a supporter can send with one click: the
/// supporter's label, and the message that goes out in the resident's language.
const CANNED: &[(&str, &str)] = &[
    ("console-canned-moment", "web-canned-moment"),
    ("console-canned-more", "web-canned-more"),
    ("console-canned-call", "web-canned-call"),
    ("console-canned-service", "web-canned-service"),
    ("console-canned-bye", "web-canned-bye"),
];

/// How a supporter closes a conversation: the stored code and its label.
const OUTCOMES: &[(&str, &str)] = &[
    ("resolved", "console-outcome-resolved"),
    ("referred", "console-outcome-referred"),
    ("no_contact", "console-outcome-no-contact"),
];

/// Why a resident waits: the engine's reason, its counter code, its label.
const REASONS: [(Reason, &str, &str); 4] = [
    (Reason::Crisis, "crisis", "console-reason-crisis"),
    (Reason::AskedForPerson, "asked_for_person", "console-reason-asked-for-person"),
    (Reason::NotUnderstood, "not_understood", "console-reason-not-understood"),
    (Reason::AnswerDidNotHelp, "answer_did_not_help", "console-reason-answer-did-not-help"),
];

/// The label of a code from a table like [`OUTCOMES`]; an unknown code as is.
fn label_of(ui: &Ui, table: &[(&str, &str)], code: &str) -> String {
    table.iter().find(|(c, _)| *c == code).map_or_else(|| code.to_string(), |(_, id)| ui.raw(id))
}

/// The label of a closing outcome (`referred`), for the page and the figures.
pub fn outcome_label(ui: &Ui, code: &str) -> String {
    label_of(ui, OUTCOMES, code)
}

/// The label of a reason as stored in counters (`asked_for_person`).
pub fn reason_label(ui: &Ui, code: &str) -> String {
    let codes: Vec<(&str, &str)> = REASONS.iter().map(|(_, c, id)| (*c, *id)).collect();
    label_of(ui, &codes, code)
}

fn reason_text(ui: &Ui, r: Reason) -> String {
    REASONS.iter().find(|(x, ..)| *x == r).map(|(_, _, id)| ui.raw(id)).unwrap_or_default()
}

/// The texts console.js writes into live pages, placeholders left as `{name}`.
const SCRIPT_KEYS: &[&str] = &[
    "console-queue-empty",
    "console-queue-count",
    "console-crisis-alert",
    "console-crisis-badge",
    "console-claim",
    "console-view",
    "console-view-which",
    "console-from-resident",
    "console-from-bot",
    "console-from-supporter",
    "console-from-system",
    "console-resident-tapped",
    "console-resident-chose",
    "console-text-purged",
    "console-card",
    "console-error",
    "console-duration-seconds",
    "console-duration-minutes",
    "console-duration-hours",
];

/// `SCRIPT_KEYS` as a JSON object for a `data-text` attribute.
fn script_texts(ui: &Ui) -> String {
    let holders: Vec<(&str, &str)> = [
        ("count", "{count}"),
        ("position", "{position}"),
        ("what", "{what}"),
        ("service", "{service}"),
        ("phone", "{phone}"),
        ("seconds", "{seconds}"),
        ("minutes", "{minutes}"),
        ("hours", "{hours}"),
    ]
    .into();
    let map: serde_json::Map<String, Value> =
        SCRIPT_KEYS.iter().map(|k| (k.to_string(), ui.raw_with(k, &holders).into())).collect();
    esc(&Value::Object(map).to_string())
}

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

/// The answer to a console request that cannot go on, in the supporter's
/// language: JSON (`{"error": {"code", "message"}}`) for script, a small page
/// with a way back for a plain form.
pub fn refuse(
    ui: &Ui,
    headers: &HeaderMap,
    status: StatusCode,
    code: &str,
    message: String,
    back: &str,
) -> Response {
    if wants_json(headers) {
        return (status, Json(json!({"error": {"code": code, "message": message}})))
            .into_response();
    }
    let body = format!(
        "<main id=\"main\"><h1>{}</h1><p role=\"alert\">{}</p><p><a href=\"{}\">{}</a></p>\
         <p class=\"hint\">{}</p></main>",
        ui.t("console-error-title"),
        esc(&message),
        esc(back),
        ui.t("console-error-back"),
        ui.switch(back),
    );
    (status, Html(page(ui, &ui.raw("console-error-title"), &body, None))).into_response()
}

/// An error of a console action as the supporter reads it. 5xx causes are
/// logged, never shown.
fn refuse_error(ui: &Ui, headers: &HeaderMap, e: ApiError, back: &str) -> Response {
    let message = match &e {
        ApiError::Conflict("already_claimed", _) => ui.raw("console-error-already-claimed"),
        ApiError::Conflict("not_waiting", _) => ui.raw("console-error-not-waiting"),
        ApiError::Conflict("not_holder", _) => ui.raw("console-error-not-holder"),
        ApiError::NotFound => ui.raw("console-error-not-found"),
        ApiError::TooLong { max, .. } => {
            ui.raw_with("console-error-too-long", &[("max", &max.to_string())])
        }
        ApiError::Invalid(_) => ui.raw("console-error-invalid"),
        ApiError::RateLimited { .. } => ui.raw("console-error-rate-limited"),
        ApiError::Internal(cause) => {
            tracing::error!(cause = %cause, "internal error");
            ui.raw("console-error")
        }
        _ => ui.raw("console-error"),
    };
    let mut res = refuse(ui, headers, e.status(), e.code(), message, back);
    if let ApiError::RateLimited { retry_after } = e {
        if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
    }
    res
}

/// Why a console request may not go on.
pub enum Denied {
    /// Not logged in.
    Login,
    /// A POST without the session's CSRF token.
    Csrf,
    /// The account lacks the stats role.
    NoStats,
}

impl Denied {
    /// The answer in the supporter's language: a redirect to the login form
    /// (401 for script), or 403 with the reason.
    pub fn respond(self, ctx: &Ctx, headers: &HeaderMap) -> Response {
        let (code, id) = match self {
            Denied::Login if wants_json(headers) => return ApiError::Unauthorized.into_response(),
            Denied::Login => return Redirect::to("/console").into_response(),
            Denied::Csrf => ("csrf", "console-error-csrf"),
            Denied::NoStats => ("forbidden", "console-error-no-stats"),
        };
        let ui = Ui::new(ctx, headers);
        refuse(&ui, headers, StatusCode::FORBIDDEN, code, ui.raw(id), "/console")
    }
}

/// The session, or why not.
fn require(ctx: &Shared, headers: &HeaderMap) -> Result<Session, Denied> {
    session(ctx, headers).ok_or(Denied::Login)
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
        .route("/console/presence", post(presence))
        .route("/console/language", get(set_language))
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

/// `GET /console/language?to=en&back=/console/...`: remember the
/// supporter's console language in a cookie and go back to the page.
async fn set_language(
    State(ctx): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let to = q.get("to").map(String::as_str).unwrap_or("");
    let lang = CONSOLE_LANGS.into_iter().find(|l| *l == to).unwrap_or(CONSOLE_LANGS[0]);
    // Only back to a console page of this site, so the link is no open redirect.
    let back = q
        .get("back")
        .map(String::as_str)
        .filter(|b| {
            b.starts_with("/console")
                && !b.contains("..")
                && b.bytes().all(|c| c.is_ascii_alphanumeric() || b"/-_.#".contains(&c))
        })
        .unwrap_or("/console");
    let mut res = Redirect::to(back).into_response();
    res.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&ctx, LANG_COOKIE, lang, 365 * 24 * 3600));
    res
}

/// The bar on every console page: who is logged in, the pages, the other
/// language, log out. `here` is the page's own path.
pub fn header_bar(ui: &Ui, s: &Session, here: &str) -> String {
    let stats = if s.stats {
        format!("<li><a href=\"/console/stats\">{}</a></li>", ui.t("console-nav-stats"))
    } else {
        String::new()
    };
    format!(
        "<header class=\"bar\"><p class=\"brand\"><a href=\"/console\">{}</a></p>\
         <nav aria-label=\"{}\"><ul><li><a href=\"/console\">{}</a></li>{stats}<li>{}</li></ul></nav>\
         <p class=\"who\">{}</p>\
         <form method=\"post\" action=\"/console/logout\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <button type=\"submit\">{}</button></form></header>",
        ui.t("console-brand"),
        ui.t("console-nav"),
        ui.t("console-nav-queue"),
        ui.switch(here),
        ui.html(
            "console-logged-in",
            &[
                ("name", &format!("<strong>{}</strong>", esc(&s.supporter))),
                ("team", &esc(&s.team))
            ]
        ),
        esc(&s.csrf),
        ui.t("console-logout"),
    )
}

fn queue_value(ui: &Ui, items: &[QueueItem]) -> Value {
    json!(items
        .iter()
        .map(|q| json!({
            "id": q.entry.id,
            "position": q.position,
            "crisis": q.entry.reason == Reason::Crisis,
            "reason": q.entry.reason,
            "reason_text": reason_text(ui, q.entry.reason),
            "lang": q.entry.lang,
            "topic": q.entry.topic,
            "waiting_secs": q.waiting_secs,
            "waiting": ui.duration(q.waiting_secs),
        }))
        .collect::<Vec<_>>())
}

fn queue_rows(ui: &Ui, items: &[QueueItem], csrf: &str) -> String {
    if items.is_empty() {
        return format!("<tr><td colspan=\"6\">{}</td></tr>", ui.t("console-queue-empty"));
    }
    let mut s = String::new();
    for q in items {
        let crisis = q.entry.reason == Reason::Crisis;
        let id = esc(&q.entry.id);
        let badge = if crisis {
            format!("<span class=\"badge\">{}</span> ", ui.t("console-crisis-badge"))
        } else {
            String::new()
        };
        s.push_str(&format!(
            "<tr class=\"{}\"><td>{badge}{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"wait\" data-secs=\"{}\">{}</td>\
             <td><form method=\"post\" action=\"/console/c/{id}/claim\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <button type=\"submit\">{}</button></form> <a href=\"/console/c/{id}\">{}<span class=\"sr\"> {}</span></a></td></tr>",
            if crisis { "crisis" } else { "" },
            q.position,
            esc(&reason_text(ui, q.entry.reason)),
            esc(&q.entry.lang),
            esc(q.entry.topic.as_deref().unwrap_or("–")),
            q.waiting_secs,
            esc(&ui.duration(q.waiting_secs)),
            esc(csrf),
            ui.t("console-claim"),
            ui.t("console-view"),
            ui.t_with("console-view-which", &[("position", &q.position.to_string())]),
        ));
    }
    s
}

fn login_page(ctx: &Shared, ui: &Ui, error: Option<&str>, status: StatusCode) -> Response {
    let token = random_token();
    let err = error
        .map(|e| format!("<p class=\"error\" role=\"alert\" id=\"login-error\">{}</p>", esc(e)))
        .unwrap_or_default();
    let command =
        format!("<code>wegwijs supporter add {}</code>", ui.t("console-login-command-name"));
    let body = format!(
        "<main id=\"main\" class=\"login\"><p class=\"lang-switch\">{}</p><h1>{}</h1>{err}\
         <form method=\"post\" action=\"/console/login\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{token}\">\
         <p><label for=\"name\">{}</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required></p>\
         <p><label for=\"password\">{}</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required></p>\
         <p><button type=\"submit\">{}</button></p></form>\
         <p class=\"hint\">{}</p></main>",
        ui.switch("/console"),
        ui.t("console-login-heading"),
        ui.t("console-login-name"),
        ui.t("console-login-password"),
        ui.t("console-login-submit"),
        ui.html("console-login-no-account", &[("command", &command)]),
    );
    let mut res =
        (status, Html(page(ui, &ui.raw("console-login-title"), &body, None))).into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(ctx, LOGIN_COOKIE, &token, 3600));
    res
}

/// `GET /console`: the login form, or the queue.
async fn home(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let ui = Ui::new(&ctx, &headers);
    let Some(s) = session(&ctx, &headers) else {
        return Ok(login_page(&ctx, &ui, None, StatusCode::OK));
    };
    // An open queue page is a supporter who is there (see `presence`).
    ctx.engine.supporter_seen(&s.supporter, &s.team);
    let available = ctx.engine.is_available(&s.supporter);
    let presence_form = format!(
        "<form method=\"post\" action=\"/console/presence\" class=\"presence\">\
         <p id=\"presence-status\">{}</p><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <input type=\"hidden\" name=\"available\" value=\"{}\"><button type=\"submit\">{}</button></form>",
        ui.t(if available { "console-available-on" } else { "console-available-off" }),
        esc(&s.csrf),
        if available { "0" } else { "1" },
        ui.t(if available { "console-set-away" } else { "console-set-available" }),
    );
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
        format!("<p>{}</p>", ui.t("console-mine-none"))
    } else {
        let li: String = mine
            .iter()
            .map(|c| {
                format!(
                    "<li><a href=\"/console/c/{}\">{}</a> ({})</li>",
                    esc(&c.id),
                    ui.t_with("console-conversation-short", &[("id", &c.id[..8.min(c.id.len())])]),
                    esc(c.lang.code())
                )
            })
            .collect();
        format!("<ul>{li}</ul>")
    };
    let col = |id: &str| format!("<th scope=\"col\">{}</th>", ui.t(id));
    let body = format!(
        "{}<main id=\"main\" data-page=\"queue\" data-text=\"{}\"><h1>{}</h1>{presence_form}\
         <div id=\"crisis-alert\" class=\"crisis-alert\" role=\"alert\">{}</div>\
         <p id=\"queue-status\" role=\"status\">{}</p>\
         <table class=\"queue\"><caption class=\"sr\">{}</caption>\
         <thead><tr>{}{}{}{}{}{}</tr></thead><tbody id=\"queue-rows\">{}</tbody></table>\
         <h2>{}</h2>{mine_html}</main>",
        header_bar(&ui, &s, "/console"),
        script_texts(&ui),
        ui.t("console-nav-queue"),
        if crisis { ui.t("console-crisis-alert") } else { String::new() },
        ui.t_with("console-queue-count", &[("count", &items.len().to_string())]),
        ui.t("console-queue-caption"),
        col("console-col-position"),
        col("console-col-reason"),
        col("console-col-language"),
        col("console-col-topic"),
        col("console-col-waiting"),
        col("console-col-action"),
        queue_rows(&ui, &items, &s.csrf),
        ui.t("console-mine"),
    );
    Ok(Html(page(&ui, &ui.raw("console-nav-queue"), &body, Some(&s.csrf))).into_response())
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
    let ui = Ui::new(&ctx, &headers);
    let want = cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    match form.get("csrf") {
        Some(t) if !want.is_empty() && same(t, want) => {}
        _ => {
            let expired = ui.raw("console-login-expired");
            return Ok(login_page(&ctx, &ui, Some(&expired), StatusCode::FORBIDDEN));
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
        let failed = ui.raw_with(
            "console-login-failed",
            &[
                ("attempts", &ctx.config.max_failed_logins.to_string()),
                ("minutes", &(ctx.config.lockout_secs / 60).max(1).to_string()),
            ],
        );
        return Ok(login_page(&ctx, &ui, Some(&failed), StatusCode::UNAUTHORIZED));
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
    if let Err(d) = require_post(&ctx, &headers, &form) {
        return d.respond(&ctx, &headers);
    }
    if let Some(id) = cookie(&headers, SESSION_COOKIE) {
        if let Some(s) = session(&ctx, &headers) {
            ctx.engine.supporter_left(&s.supporter);
        }
        ctx.sessions.remove(id);
    }
    let mut res = Redirect::to("/console").into_response();
    res.headers_mut().append(header::SET_COOKIE, set_cookie(&ctx, SESSION_COOKIE, "", 0));
    res
}

/// `POST /console/presence`: `available=1` or `0`. Residents outside office
/// hours are told someone is there while an available supporter of a fitting
/// team has the console open (the queue page asks every few seconds; a closed
/// browser goes away after the idle time).
async fn presence(
    State(ctx): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let s = match require_post(&ctx, &headers, &form) {
        Ok(s) => s,
        Err(d) => return d.respond(&ctx, &headers),
    };
    let available = form.get("available").map(String::as_str) == Some("1");
    ctx.engine.set_available(&s.supporter, &s.team, available);
    tracing::info!(supporter = %s.supporter, available, "presence");
    Redirect::to("/console").into_response()
}

async fn queue_for(ctx: &Shared, team: &str) -> Result<Vec<QueueItem>, ApiError> {
    let (c, team) = (ctx.clone(), team.to_string());
    Ok(blocking(move || c.engine.queue_for_team(&team)).await??)
}

/// `GET /console/queue`: the queue as JSON, for the live page.
async fn queue_json(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else { return Err(ApiError::Unauthorized) };
    ctx.engine.supporter_seen(&s.supporter, &s.team);
    let items = queue_for(&ctx, &s.team).await?;
    Ok(Json(queue_value(&Ui::new(&ctx, &headers), &items)).into_response())
}

/// `GET /console/events`: `queue` (the whole queue, on every change) and
/// `message` (a conversation has a new message) as server-sent events.
async fn events(State(ctx): State<Shared>, headers: HeaderMap) -> Result<Response, ApiError> {
    let Some(s) = session(&ctx, &headers) else { return Err(ApiError::Unauthorized) };
    let lang = console_lang(&headers);
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
                            SseEvent::default().event("queue").data(
                                queue_value(&Ui { loc: &c.locales, lang }, &items).to_string(),
                            ),
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
fn message_html(ui: &Ui, m: &Value) -> String {
    let from = m["from"].as_str().unwrap_or("");
    let who = match from {
        "resident" => ui.raw("console-from-resident"),
        "bot" => ui.raw("console-from-bot"),
        "supporter" => {
            m["name"].as_str().map_or_else(|| ui.raw("console-from-supporter"), str::to_string)
        }
        _ => ui.raw("console-from-system"),
    };
    let mut s = format!("<li class=\"msg from-{}\"><p class=\"who\">{}</p>", esc(from), esc(&who));
    if from == "resident" {
        if let Some(t) = m["text"].as_str() {
            s.push_str(&format!("<p class=\"text\">{}</p>", esc(t)));
        } else if let Some(i) = m["input"].as_object() {
            let what =
                i.get("label").or_else(|| i.get("value")).and_then(|v| v.as_str()).unwrap_or("");
            let id = if i.get("type").and_then(|v| v.as_str()) == Some("tap") {
                "console-resident-tapped"
            } else {
                "console-resident-chose"
            };
            s.push_str(&format!("<p class=\"text\">{}</p>", ui.t_with(id, &[("what", what)])));
        } else if m["purged"].as_bool() == Some(true) {
            s.push_str(&format!("<p class=\"text\">{}</p>", ui.t("console-text-purged")));
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
            let service = card.get("name").and_then(|v| v.as_str()).unwrap_or("");
            let phone = card.get("contact").and_then(|c| c["phone"].as_str()).unwrap_or("");
            s.push_str(&format!(
                "<p class=\"card\">{}</p>",
                ui.t_with("console-card", &[("service", service), ("phone", phone)])
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
        Err(d) => return Ok(d.respond(&ctx, &headers)),
    };
    let ui = Ui::new(&ctx, &headers);
    let (conv, t) = match load(&ctx, &id, &s.supporter, true).await {
        Ok(loaded) => loaded,
        Err(e) => return Ok(refuse_error(&ui, &headers, e, "/console")),
    };
    let lang = conv.lang.code();
    let log: String =
        t["messages"].as_array().into_iter().flatten().map(|m| message_html(&ui, m)).collect();
    let csrf = esc(&s.csrf);
    let eid = esc(&conv.id);
    let (state_text, actions) = match &conv.mode {
        Mode::Waiting { reason, .. } => (
            ui.raw_with("console-state-waiting", &[("reason", &reason_text(&ui, *reason))]),
            format!(
                "<form method=\"post\" action=\"/console/c/{eid}/claim\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                 <button type=\"submit\" class=\"primary\">{}</button></form>",
                ui.t("console-claim")
            ),
        ),
        Mode::WithSupporter { supporter, .. } if *supporter == s.supporter => {
            // The label is the supporter's; the message is the resident's language.
            let dir = if conv.lang.rtl() { "rtl" } else { "ltr" };
            let canned: String = CANNED
                .iter()
                .map(|(label, key)| {
                    let text = esc(&ctx.locales.text(lang, key, &[]));
                    format!(
                        "<li><form method=\"post\" action=\"/console/c/{eid}/reply\" class=\"canned\">\
                         <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\"><input type=\"hidden\" name=\"text\" value=\"{text}\">\
                         <button type=\"submit\" title=\"{text}\">{}</button> \
                         <q lang=\"{}\" dir=\"{dir}\">{text}</q></form></li>",
                        ui.t(label),
                        esc(lang),
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
                        ui.t(l)
                    )
                })
                .collect();
            (
                ui.raw("console-state-mine"),
                format!(
                    "<form method=\"post\" action=\"/console/c/{eid}/reply\" id=\"reply-form\" data-typing=\"/console/c/{eid}/typing\">\
                     <input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <p><label for=\"reply-text\">{}</label>\
                     <textarea id=\"reply-text\" name=\"text\" rows=\"3\" maxlength=\"2000\" required></textarea></p>\
                     <p><button type=\"submit\" class=\"primary\">{}</button></p></form>\
                     <h2>{} <span class=\"hint\">{}</span></h2><ul class=\"canned-list\">{canned}</ul>\
                     <div class=\"row\"><form method=\"post\" action=\"/console/c/{eid}/handback\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <button type=\"submit\">{}</button></form>\
                     <form method=\"post\" action=\"/console/c/{eid}/close\"><input type=\"hidden\" name=\"csrf\" value=\"{csrf}\">\
                     <fieldset><legend>{}</legend>{outcomes}</fieldset>\
                     <button type=\"submit\">{}</button></form></div>",
                    ui.t("console-reply-label"),
                    ui.t("console-send"),
                    ui.t("console-canned-heading"),
                    ui.t_with("console-canned-hint", &[("lang", conv.lang.native_name())]),
                    ui.t("console-hand-back"),
                    ui.t("console-close-legend"),
                    ui.t("console-close"),
                ),
            )
        }
        Mode::WithSupporter { supporter, .. } => {
            (ui.raw_with("console-state-other", &[("name", supporter)]), String::new())
        }
        Mode::Bot => (ui.raw("console-state-bot"), String::new()),
        Mode::Closed { outcome } => (
            ui.raw_with("console-state-closed", &[("outcome", &outcome_label(&ui, outcome))]),
            String::new(),
        ),
    };
    let here = format!("/console/c/{}", conv.id);
    let body = format!(
        "{}<main id=\"main\" data-page=\"conversation\" data-id=\"{eid}\" data-text=\"{}\"><h1>{}</h1>\
         <p id=\"conv-state\" role=\"status\">{}</p>\
         <h2 id=\"log-title\">{}</h2><ol id=\"log\" class=\"log\" aria-labelledby=\"log-title\" aria-live=\"polite\">{log}</ol>\
         <div id=\"actions\">{actions}</div></main>",
        header_bar(&ui, &s, &here),
        script_texts(&ui),
        ui.t_with("console-conversation-short", &[("id", &conv.id[..8.min(conv.id.len())])]),
        ui.t_with(
            "console-state-line",
            &[
                ("state", &state_text),
                ("lang", lang),
                ("topic", conv.topic.as_deref().unwrap_or("–")),
            ]
        ),
        ui.t("console-log-title"),
    );
    Ok(Html(page(&ui, &ui.raw("console-conversation-title"), &body, Some(&s.csrf))).into_response())
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
    supporter_write(&ctx, &headers, &form, &back, move |engine, who| {
        Ok(engine.supporter_message(&id, &who, &text)?)
    })
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
        Err(d) => return Ok(d.respond(&ctx, &headers)),
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
    supporter_write(&ctx, &headers, &form, &back, move |engine, who| {
        Ok(engine.hand_back(&id, &who)?)
    })
    .await
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
            return Err(ApiError::Invalid(
                "outcome must be resolved, referred or no_contact".into(),
            ));
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
        Err(d) => return Ok(d.respond(ctx, headers)),
    };
    let c = ctx.clone();
    match blocking(move || act(&c.engine, s.supporter)).await.and_then(|r| r) {
        Ok(()) => Ok(done(headers, back)),
        Err(e) => Ok(refuse_error(&Ui::new(ctx, headers), headers, e, back)),
    }
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

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::http::{header, HeaderMap, HeaderValue};

    use super::*;

    /// Every `console-…` id quoted with `q` in `src`.
    fn literal_ids(src: &str, q: char) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let open = format!("{q}console-");
        let mut rest = src;
        while let Some(i) = rest.find(&open) {
            let after = &rest[i + 1..];
            let end = after.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(0);
            if after[end..].starts_with(q) && end > "console-".len() {
                out.insert(after[..end].to_string());
            }
            rest = &after[end..];
        }
        out
    }

    #[test]
    fn console_keys_are_exactly_the_ids_the_code_names() {
        let me = include_str!("console.rs");
        // The list itself does not count as a use.
        let start = me.find("pub const CONSOLE_KEYS").expect("the list");
        let end = start + me[start..].find("];").expect("end of the list");
        let code = [&me[..start], &me[end..], include_str!("stats.rs"), include_str!("html.rs")];
        let used: BTreeSet<String> = code.iter().flat_map(|s| literal_ids(s, '"')).collect();
        let listed: BTreeSet<String> = CONSOLE_KEYS.iter().map(|s| s.to_string()).collect();
        assert_eq!(listed.len(), CONSOLE_KEYS.len(), "an id is listed twice");
        let unlisted: Vec<_> = used.difference(&listed).collect();
        let unused: Vec<_> = listed.difference(&used).collect();
        assert!(unlisted.is_empty(), "used but not in CONSOLE_KEYS: {unlisted:?}");
        assert!(unused.is_empty(), "in CONSOLE_KEYS but not used: {unused:?}");
    }

    #[test]
    fn console_js_gets_exactly_the_texts_it_uses() {
        let js = literal_ids(include_str!("../assets/console.js"), '\'');
        let sent: BTreeSet<String> = SCRIPT_KEYS.iter().map(|s| s.to_string()).collect();
        assert_eq!(js, sent);
    }

    fn headers(pairs: &[(header::HeaderName, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn the_console_language_comes_from_the_cookie_then_accept_language_then_dutch() {
        let al = header::ACCEPT_LANGUAGE;
        assert_eq!(console_lang(&HeaderMap::new()), "nl");
        assert_eq!(console_lang(&headers(&[(al.clone(), "en-GB,en;q=0.9")])), "en");
        assert_eq!(console_lang(&headers(&[(al.clone(), "de-DE, nl;q=0.5, en;q=0.8")])), "en");
        assert_eq!(console_lang(&headers(&[(al.clone(), "tr, de")])), "nl");
        assert_eq!(console_lang(&headers(&[(al.clone(), "en;q=0, nl;q=0.1")])), "nl");
        let both = [(al, "en"), (header::COOKIE, "a=b; wegwijs_console_lang=nl")];
        assert_eq!(console_lang(&headers(&both)), "nl");
        assert_eq!(console_lang(&headers(&[(header::COOKIE, "wegwijs_console_lang=xx")])), "nl");
    }

    #[test]
    fn markup_arguments_stay_markup_and_the_sentence_is_escaped() {
        let loc = Locales::load().unwrap();
        let ui = Ui { loc: &loc, lang: "en" };
        let s =
            ui.html("console-logged-in", &[("name", "<strong>a&amp;b</strong>"), ("team", "t")]);
        assert_eq!(s, "Logged in as <strong>a&amp;b</strong> (team t)");
        assert_eq!(ui.duration(3 * 3600 + 120), "3 h 2 min");
        assert!(!ui.raw_with("console-queue-count", &[("count", "2")]).contains('\u{2068}'));
    }
}
