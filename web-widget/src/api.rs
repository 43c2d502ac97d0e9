//! The resident's JSON API: triage, conversations, messages, live updates.
//! Thin handlers: check the input, call the engine on the blocking pool,
//! render the replies. Logs carry ids and outcomes, never message text.

use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Json;
use engine::{EventKind, Input, Mode, UiLang};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use tokio::sync::{broadcast, mpsc};
use tokio_stream::wrappers::ReceiverStream;
use tokio_stream::StreamExt;

use crate::{blocking, render, ApiError, Shared};

/// Longest text a resident may send: the engine's limit, checked here too so the
/// API refuses before touching the store.
pub use engine::MAX_TEXT_CHARS;

/// Longest tap or button id accepted (real ones are short).
const MAX_ID_CHARS: usize = 200;

/// Parse a JSON body, telling malformed JSON (400) from a body of the wrong
/// shape (422) and a body over the limit (413).
pub fn parse_json<T: DeserializeOwned>(body: Result<Bytes, BytesRejection>) -> Result<T, ApiError> {
    let bytes = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::BodyTooLarge
        } else {
            ApiError::MalformedJson(e.body_text())
        }
    })?;
    // Syntax first, then shape: `[1,` is malformed even though it is also the wrong shape.
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    // serde would read `[null, null]` as a struct too; the API takes only objects.
    if !value.is_object() {
        return Err(ApiError::Invalid("the body must be a JSON object".into()));
    }
    serde_json::from_value(value)
        .map_err(|e| ApiError::Invalid(format!("the body does not have the expected fields: {e}")))
}

fn bearer(headers: &HeaderMap) -> Result<String, ApiError> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or(ApiError::Unauthorized)
}

fn too_long(ctx: &Shared, lang: &str) -> ApiError {
    ApiError::TooLong {
        max: MAX_TEXT_CHARS,
        message: ctx.locales.text(
            lang,
            engine::msg::TOO_LONG,
            &[("max".into(), MAX_TEXT_CHARS.to_string())],
        ),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriageBody {
    question: String,
    #[serde(default)]
    lang: Option<String>,
}

/// `POST /api/v1/triage`: the same object as `wegwijs triage --format jsonl`.
pub async fn triage(
    State(ctx): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Value>, ApiError> {
    let b: TriageBody = parse_json(body)?;
    if b.question.chars().count() > MAX_TEXT_CHARS {
        return Err(too_long(&ctx, b.lang.as_deref().unwrap_or("nl")));
    }
    if b.question.trim().is_empty() {
        return Err(ApiError::Invalid("the question is empty".into()));
    }
    let lang = match b.lang.as_deref() {
        None => None,
        // A hint only: triage reads every language and says which one it saw.
        Some(l) => Some(engine::Lang::parse(l).ok_or_else(|| ApiError::Invalid(format!("unknown language `{l}`")))?),
    };
    let c = ctx.clone();
    let v =
        blocking(move || c.engine.knowledge().triage(&b.question, lang).to_json(&b.question))
            .await?;
    Ok(Json(v))
}


#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    municipality: Option<String>,
}

/// `POST /api/v1/conversations`: 201 with id, token and the greeting.
pub async fn create(
    State(ctx): State<Shared>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let empty = matches!(&body, Ok(b) if b.iter().all(u8::is_ascii_whitespace));
    let b: CreateBody = if empty { CreateBody::default() } else { parse_json(body)? };
    let lang = match b.lang.as_deref() {
        None | Some("") => None,
        Some(l) => Some(
            UiLang::from_code(l).ok_or_else(|| ApiError::Invalid(format!("unknown language `{l}`")))?,
        ),
    };
    if let Some(m) = &b.municipality {
        if !ctx.engine.knowledge().municipalities().iter().any(|x| &x.id == m) {
            return Err(ApiError::Invalid(format!("unknown municipality `{m}`")));
        }
    }
    // Short and bound by the processor; the wait for the disk holds no thread.
    let (conv, token, replies) = ctx.engine.start_async("web", lang, b.municipality).await?;
    ctx.metrics.conversations_started.fetch_add(1, Ordering::Relaxed);
    tracing::debug!(conversation = %conv.id, "conversation started");
    let l = conv.lang.code();
    let body = json!({
        "id": conv.id,
        "token": token,
        "lang": l,
        "dir": if conv.lang.rtl() { "rtl" } else { "ltr" },
        "state": render::state(&conv),
        "replies": render::replies(&replies, l, &ctx.locales, &ctx.pictograms),
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageBody {
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    tap: Option<String>,
    #[serde(default)]
    button: Option<String>,
}

/// `POST /api/v1/conversations/{id}/messages`: one resident input, the replies.
pub async fn message(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let token = bearer(&headers)?;
    let v: Value = parse_json(body)?;
    // `{"text": "hi", "tap": null}` is not "exactly one": a field is there or it is not.
    if v.as_object().is_some_and(|o| o.values().any(Value::is_null)) {
        return Err(ApiError::Invalid("send exactly one of `text`, `tap` or `button`".into()));
    }
    let b: MessageBody = serde_json::from_value(v).map_err(|e| {
        ApiError::Invalid(format!("the body does not have the expected fields: {e}"))
    })?;
    let input = match (b.text, b.tap, b.button) {
        (Some(t), None, None) => Input::Text(t),
        (None, Some(t), None) => Input::Tap(t),
        (None, None, Some(b)) => Input::Button(b),
        _ => return Err(ApiError::Invalid("send exactly one of `text`, `tap` or `button`".into())),
    };
    match &input {
        Input::Text(t) if t.trim().is_empty() => {
            return Err(ApiError::Invalid("the message is empty".into()))
        }
        Input::Tap(t) | Input::Button(t) if t.is_empty() || t.chars().count() > MAX_ID_CHARS => {
            return Err(ApiError::Invalid("unknown tap or button".into()))
        }
        _ => {}
    }
    let mut lang = engine::UiLang::Nl;
    let long = matches!(&input, Input::Text(t) if t.chars().count() > MAX_TEXT_CHARS);
    // Token, rate limit and length are checked on the conversation the step
    // reads. The step runs here: it is short and bound by the processor, and
    // the wait for the disk that follows holds no thread.
    let stepped = ctx
        .engine
        .step_as_resident(&id, &token, input, |conv| {
            lang = conv.lang;
            if let Err(retry_after) = ctx.limits.conversation.take(&id) {
                return Err(ApiError::RateLimited { retry_after });
            }
            if long {
                return Err(too_long(&ctx, conv.lang.code()));
            }
            Ok(())
        })
        .await?;
    // The step may have changed the language, or deleted the conversation.
    let after = stepped.conversation.as_ref();
    let lang = after.map_or(lang, |a| a.lang);
    let state = after.map_or(json!({"state": "deleted"}), render::state);
    let out = MessageOut {
        replies: render::replies(&stepped.replies, lang.code(), &ctx.locales, &ctx.pictograms),
        seq: after.map(|a| a.next_seq.saturating_sub(1)),
        lang: lang.code(),
        dir: if lang.rtl() { "rtl" } else { "ltr" },
        state,
    };
    let response = Json(out).into_response();
    ctx.metrics.messages.fetch_add(1, Ordering::Relaxed);
    Ok(response)
}

/// The answer to a message, serialized straight from the step's replies.
#[derive(Serialize)]
struct MessageOut<'a> {
    replies: Vec<render::ReplyOut<'a>>,
    /// The newest message's number, so a live stream can tell old events from new.
    seq: Option<u64>,
    lang: &'a str,
    dir: &'a str,
    state: Value,
}

/// `GET /api/v1/conversations/{id}`: everything, in order, to resume.
pub async fn show(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let token = bearer(&headers)?;
    let c = ctx.clone();
    let v = blocking(move || -> Result<Value, ApiError> {
        let conv = c.engine.authorize(&id, &token)?;
        let messages = c.engine.transcript(&id)?;
        Ok(render::transcript(&conv, &messages, &c.locales, &c.pictograms))
    })
    .await??;
    Ok(Json(v))
}

/// `DELETE /api/v1/conversations/{id}`: the resident's right to be forgotten.
pub async fn delete(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, ApiError> {
    let token = bearer(&headers)?;
    let c = ctx.clone();
    blocking(move || -> Result<(), ApiError> {
        c.engine.authorize(&id, &token)?;
        c.engine.delete(&id)?;
        tracing::info!(conversation = %id, "conversation deleted by the resident");
        Ok(())
    })
    .await??;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// What the event stream knows about its conversation between events.
struct Watch {
    id: String,
    lang: UiLang,
    waiting: bool,
    last_seq: u64,
    last_position: Option<usize>,
    /// The conversation is gone or the client left: close the stream.
    ended: bool,
}

/// `GET /api/v1/conversations/{id}/events?token=...`: server-sent events.
/// `replies` (a supporter wrote, someone joined), `typing`, `queue` (new
/// place in the queue), `deleted`, and `resync` when events were missed.
/// EventSource cannot send headers, hence the token in the query.
pub async fn events(
    State(ctx): State<Shared>,
    Path(id): Path<String>,
    q: Result<Query<TokenQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    // A malformed query (`?token=a&token=b`) carries no usable token.
    let Ok(Query(q)) = q else { return Err(ApiError::Unauthorized) };
    if q.token.is_empty() {
        return Err(ApiError::Unauthorized);
    }
    // Subscribe before reading, so nothing falls between the read and the stream.
    let mut rx = ctx.engine.subscribe();
    let c = ctx.clone();
    let token = q.token;
    let conv = blocking(move || c.engine.authorize(&id, &token)).await??;
    let mut w = Watch {
        id: conv.id.clone(),
        lang: conv.lang,
        waiting: matches!(conv.mode, Mode::Waiting { .. }),
        last_seq: conv.next_seq.saturating_sub(1),
        last_position: None,
        ended: false,
    };
    let (tx, out) = mpsc::channel::<SseEvent>(64);
    let c = ctx.clone();
    c.metrics.streams.fetch_add(1, Ordering::Relaxed);
    tokio::spawn(async move {
        let _ = tx
            .send(SseEvent::default().event("ready").data(json!({"seq": w.last_seq}).to_string()))
            .await;
        loop {
            let ev = tokio::select! {
                ev = rx.recv() => ev,
                _ = tx.closed() => break,
            };
            let out = match ev {
                Ok(ev) => resident_event(&c, &mut w, ev).await,
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    vec![SseEvent::default().event("resync").data("{}")]
                }
                Err(broadcast::error::RecvError::Closed) => break,
            };
            for e in out {
                if tx.send(e).await.is_err() {
                    w.ended = true;
                    break;
                }
            }
            if w.ended {
                break;
            }
        }
        c.metrics.streams.fetch_sub(1, Ordering::Relaxed);
    });
    let stream = ReceiverStream::new(out).map(Ok::<_, Infallible>);
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

async fn resident_event(ctx: &Shared, w: &mut Watch, ev: engine::Event) -> Vec<SseEvent> {
    let mine = ev.conversation == w.id;
    match ev.kind {
        EventKind::Message { seq } if mine => {
            w.last_seq = seq;
            Vec::new()
        }
        EventKind::Push { replies } if mine => {
            // The language may have changed since the stream opened.
            let (c, id) = (ctx.clone(), w.id.clone());
            if let Ok(Ok(conv)) = blocking(move || c.engine.conversation(&id)).await {
                w.lang = conv.lang;
                w.waiting = matches!(conv.mode, Mode::Waiting { .. });
            }
            let l = w.lang.code();
            let data = json!({"seq": w.last_seq, "replies": render::replies(&replies, l, &ctx.locales, &ctx.pictograms)});
            vec![SseEvent::default().event("replies").data(data.to_string())]
        }
        EventKind::Typing { supporter } if mine => {
            vec![SseEvent::default()
                .event("typing")
                .data(json!({"supporter": supporter}).to_string())]
        }
        EventKind::Deleted if mine => {
            w.ended = true;
            vec![SseEvent::default().event("deleted").data("{}")]
        }
        EventKind::QueueChanged => {
            if mine {
                let (c, id) = (ctx.clone(), w.id.clone());
                if let Ok(Ok(conv)) = blocking(move || c.engine.conversation(&id)).await {
                    w.waiting = matches!(conv.mode, Mode::Waiting { .. });
                }
            }
            if !w.waiting {
                return Vec::new();
            }
            let (c, id) = (ctx.clone(), w.id.clone());
            // The engine's place and wait: the same numbers as its own replies.
            let Ok(Ok(q)) = blocking(move || c.engine.place_of(&id)).await else {
                return Vec::new();
            };
            match q {
                Some((position, minutes)) if w.last_position != Some(position) => {
                    w.last_position = Some(position);
                    let data = json!({"position": position, "expected_minutes": minutes});
                    vec![SseEvent::default().event("queue").data(data.to_string())]
                }
                _ => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

/// `GET /api/v1/ui/{lang}`: the widget's own strings in one language.
/// Placeholders come back as `{name}` for the widget to fill.
pub async fn ui_strings(
    State(ctx): State<Shared>,
    Path(lang): Path<String>,
) -> Result<Response, ApiError> {
    let l = UiLang::from_code(&lang)
        .ok_or_else(|| ApiError::Invalid(format!("unknown language `{lang}`")))?;
    let code = l.code();
    let holders: Vec<(String, String)> = ["name", "choice", "position", "minutes", "max"]
        .iter()
        .map(|k| (k.to_string(), format!("{{{k}}}")))
        .collect();
    let mut strings = serde_json::Map::new();
    for key in crate::UI_KEYS.iter().chain(&[
        engine::msg::BTN_PERSON,
        engine::msg::BTN_BACK,
        engine::msg::BTN_HOME,
        engine::msg::BTN_YES,
        engine::msg::BTN_NO,
        engine::msg::BTN_CALL,
        engine::msg::TOO_LONG,
    ]) {
        strings.insert(key.to_string(), ctx.locales.text(code, key, &holders).into());
    }
    let body = json!({
        "lang": code,
        "dir": if l.rtl() { "rtl" } else { "ltr" },
        "strings": strings,
        "languages": UiLang::ALL.iter().map(|l| json!({"code": l.code(), "name": l.native_name()})).collect::<Vec<_>>(),
        "attribution": ctx.pictograms.attribution(),
        "pictograms": ctx.pictograms.name(),
        "max_text": MAX_TEXT_CHARS,
    });
    Ok(([(header::CACHE_CONTROL, "public, max-age=300")], Json(body)).into_response())
}
