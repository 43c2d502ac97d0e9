//! Webhook mode: Telegram posts each update to a route on our own web server
//! instead of us fetching updates with `getUpdates`.
//!
//! The route answers 200 only after the update was handled, the same way the
//! polling loop confirms an update only after handling it: a crash or an error
//! makes Telegram deliver the update again. Handling runs in a task of its
//! own, so a connection Telegram drops cannot cut a handling in half. Updates
//! of one chat are handled one at a time, in the order their requests arrive;
//! different chats run in parallel. Every request must carry the secret token
//! that `setWebhook` registered (compared in constant time); without it
//! nothing is read beyond the headers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::routing::post;
use axum::Router;
use subtle::ConstantTimeEq;
use teloxide::types::Update;

use crate::adapter::Adapter;
use crate::Error;

/// The route's path when the URL has none.
pub const DEFAULT_PATH: &str = "/telegram/webhook";

/// The header Telegram puts the secret token in.
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

/// Largest update body we read. Telegram's updates are a few kilobytes; the
/// largest (a message with many entities) stay far below this.
pub const MAX_BODY: usize = 1024 * 1024;

/// Telegram allows 1-256 characters of `A-Z a-z 0-9 _ -` as a secret token.
const MAX_SECRET: usize = 256;

/// Where Telegram posts updates, and the secret it sends along. Built only
/// through [`Webhook::new`], so the URL and the secret are always valid.
#[derive(Clone)]
pub struct Webhook {
    url: reqwest::Url,
    secret: String,
}

impl std::fmt::Debug for Webhook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret: with it anyone could post updates as Telegram.
        f.debug_struct("Webhook").field("url", &self.url.as_str()).finish_non_exhaustive()
    }
}

impl Webhook {
    /// Check the public URL and the secret. A URL without a path gets
    /// [`DEFAULT_PATH`]. Telegram posts only to https; `allow_http` is for a
    /// self-hosted Bot API server, which may post to plain http. Without a
    /// secret a random one is made (256 bits); `setWebhook` tells it to
    /// Telegram at every start, so it needs to be kept nowhere.
    pub fn new(url: &str, secret: Option<&str>, allow_http: bool) -> Result<Webhook, Error> {
        let bad = |why: &str| Error::Config(format!("WEGWIJS_TELEGRAM_WEBHOOK_URL `{url}` {why}"));
        let mut parsed = reqwest::Url::parse(url.trim()).map_err(|_| bad("is not a URL"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if allow_http => {}
            _ => return Err(bad("must start with https:// (Telegram posts only to https)")),
        }
        if parsed.host_str().is_none_or(str::is_empty) {
            return Err(bad("has no host"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("must not have a query or a fragment"));
        }
        if parsed.path() == "/" || parsed.path().is_empty() {
            parsed.set_path(DEFAULT_PATH);
        }
        let secret = match secret.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => {
                let ok = s.len() <= MAX_SECRET
                    && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
                if !ok {
                    return Err(Error::Config(
                        "WEGWIJS_TELEGRAM_WEBHOOK_SECRET must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule)".into(),
                    ));
                }
                s.to_string()
            }
            None => random_secret(),
        };
        Ok(Webhook { url: parsed, secret })
    }

    /// The public URL Telegram posts to.
    pub fn url(&self) -> &reqwest::Url {
        &self.url
    }

    /// The path of the route on our server.
    pub fn path(&self) -> &str {
        self.url.path()
    }

    pub(crate) fn secret(&self) -> &str {
        &self.secret
    }
}

/// 64 hex digits from the operating system's random source.
fn random_secret() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The route's state: the secret, the adapter (there while the bot runs;
/// before and after, updates get 503 and Telegram delivers them again
/// later), and one lock per chat that has an update in flight.
pub(crate) struct Hook {
    secret: String,
    adapter: Mutex<Option<Arc<Adapter>>>,
    chats: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
}

/// The bot is up while this lives; dropping it (the bot stopped) takes the
/// adapter off the route.
pub(crate) struct Running(Arc<Hook>);

impl Drop for Running {
    fn drop(&mut self) {
        crate::adapter::lock(&self.0.adapter).take();
    }
}

impl Hook {
    pub fn new(webhook: &Webhook) -> Arc<Hook> {
        Arc::new(Hook {
            secret: webhook.secret.clone(),
            adapter: Mutex::default(),
            chats: Mutex::default(),
        })
    }

    pub fn ready(self: &Arc<Hook>, adapter: Arc<Adapter>) -> Running {
        *crate::adapter::lock(&self.adapter) = Some(adapter);
        Running(self.clone())
    }

    pub fn router(self: &Arc<Hook>, path: &str) -> Router {
        Router::new().route(path, post(receive)).with_state(self.clone())
    }

    fn authentic(&self, given: Option<&[u8]>) -> bool {
        given.is_some_and(|g| bool::from(g.ct_eq(self.secret.as_bytes())))
    }

    /// Handle an update after the updates of its chat that came before it.
    async fn handle_in_order(&self, adapter: &Adapter, update: Update) {
        let Some(chat) = crate::order_key(&update) else {
            return adapter.handle(update).await;
        };
        // tokio's mutex is fair: waiters get it in the order they asked.
        let lock = crate::adapter::lock(&self.chats).entry(chat).or_default().clone();
        {
            let _turn = lock.lock().await;
            adapter.handle(update).await;
        }
        // The last one out removes the chat's lock, so the map stays small.
        // Clones are made only under the map's lock, so the count is exact.
        let mut chats = crate::adapter::lock(&self.chats);
        if Arc::strong_count(&lock) == 2 {
            chats.remove(&chat);
        }
    }
}

async fn receive(State(hook): State<Arc<Hook>>, req: Request) -> StatusCode {
    let given = req.headers().get(SECRET_HEADER).map(|v| v.as_bytes());
    if !hook.authentic(given) {
        tracing::info!("a webhook request without the right secret token; refused");
        return StatusCode::UNAUTHORIZED;
    }
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return StatusCode::PAYLOAD_TOO_LARGE;
    }
    let Ok(body) = axum::body::to_bytes(req.into_body(), MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            // Only where it failed: the body may hold a resident's message.
            tracing::warn!(
                line = e.line(),
                column = e.column(),
                "a webhook body that is not an update"
            );
            return StatusCode::BAD_REQUEST;
        }
    };
    let Some(adapter) = crate::adapter::lock(&hook.adapter).clone() else {
        return StatusCode::SERVICE_UNAVAILABLE;
    };
    let task = tokio::spawn(async move { hook.handle_in_order(&adapter, update).await });
    match task.await {
        Ok(()) => StatusCode::OK,
        Err(e) => {
            tracing::error!(error = %e, "a Telegram update handler panicked");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_and_secret_are_checked() {
        let w = Webhook::new("https://wegwijs.example.org", Some("abc_DEF-123"), false).unwrap();
        assert_eq!(w.url().as_str(), "https://wegwijs.example.org/telegram/webhook");
        assert_eq!(w.path(), DEFAULT_PATH);
        let w = Webhook::new("https://example.org/tg/hook", Some("s"), false).unwrap();
        assert_eq!(w.path(), "/tg/hook");
        assert!(!format!("{w:?}").contains("\"s\""));

        for bad_url in [
            "wegwijs.example.org",
            "http://example.org/hook",
            "ftp://example.org",
            "https://example.org/h?x=1",
        ] {
            assert!(Webhook::new(bad_url, Some("s"), false).is_err(), "{bad_url}");
        }
        assert!(Webhook::new("http://127.0.0.1:9/hook", Some("s"), true).is_ok());
        let long = "a".repeat(257);
        for bad_secret in ["with space", "ümlaut", "semi;colon", long.as_str()] {
            let e = Webhook::new("https://example.org/", Some(bad_secret), false).unwrap_err();
            assert!(e.to_string().contains("WEGWIJS_TELEGRAM_WEBHOOK_SECRET"), "{e}");
            assert!(!e.to_string().contains(bad_secret), "the secret is not in the message");
        }
        assert!(Webhook::new("https://example.org/", Some(&"a".repeat(256)), false).is_ok());
    }

    #[test]
    fn a_missing_secret_is_made_up_and_fits_telegram() {
        let a = Webhook::new("https://example.org/", None, false).unwrap();
        let b = Webhook::new("https://example.org/", Some("  "), false).unwrap();
        assert_eq!(a.secret().len(), 64);
        assert!(a.secret().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a.secret(), b.secret());
    }

    #[test]
    fn only_the_exact_secret_is_authentic() {
        let hook =
            Hook::new(&Webhook::new("https://example.org/", Some("right-secret"), false).unwrap());
        assert!(hook.authentic(Some(b"right-secret")));
        for wrong in [&b""[..], b"right-secre", b"right-secret ", b"RIGHT-SECRET"] {
            assert!(!hook.authentic(Some(wrong)));
        }
        assert!(!hook.authentic(None));
    }
}
