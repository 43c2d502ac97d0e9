//! The website chat widget, its JSON API and the supporter console (axum).
//!
//! This is the only crate that knows axum. Handlers stay thin: they turn a
//! request into an engine call (on the blocking pool, since the store flushes
//! to disk), and render the engine's replies (message keys and data) into
//! localized JSON for the widget or escaped HTML for the console.

mod api;
mod assets;
pub mod auth;
mod console;
mod error;
mod html;
mod limit;
mod metrics;
mod middleware;
/// Replies as residents read them: localized text and JSON for the widget.
pub mod render;
mod stats;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;
use engine::Engine;
use locales::Locales;
use pictograms::PictogramSet;

pub use console::{CONSOLE_KEYS, CONSOLE_LANGS};
pub use error::ApiError;

/// Fluent ids the widget and console use besides the engine's (`web-` prefix).
/// Every locale defines each of them; `GET /api/v1/ui/{lang}` serves them.
pub const UI_KEYS: &[&str] = &[
    "web-launcher",
    "web-title",
    "web-subtitle",
    "web-close",
    "web-mode-label",
    "web-mode-pictures",
    "web-mode-text",
    "web-larger-text",
    "web-language",
    "web-input-label",
    "web-send",
    "web-read-aloud",
    "web-you",
    "web-you-chose",
    "web-choices",
    "web-nav",
    "web-log",
    "web-person-joined",
    "web-typing",
    "web-waiting",
    "web-waiting-unstaffed",
    "web-privacy",
    "web-delete",
    "web-about",
    "web-about-text",
    "web-card-call",
    "web-card-hours",
    "web-card-open-now",
    "web-card-closed-now",
    "web-card-when",
    "web-card-steps",
    "web-card-bring",
    "web-card-website",
    "web-card-demo",
    "web-error",
    "web-rate-limited",
    "web-offline",
    "web-new-conversation",
    "web-canned-moment",
    "web-canned-more",
    "web-canned-call",
    "web-canned-service",
    "web-canned-bye",
];

/// Every machine-readable route, as (method, path). The OpenAPI document
/// lists exactly these (a test checks both ways).
pub const API_ROUTES: &[(&str, &str)] = &[
    ("post", "/api/v1/triage"),
    ("post", "/api/v1/conversations"),
    ("get", "/api/v1/conversations/{id}"),
    ("delete", "/api/v1/conversations/{id}"),
    ("post", "/api/v1/conversations/{id}/messages"),
    ("get", "/api/v1/conversations/{id}/events"),
    ("get", "/api/v1/ui/{lang}"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/pictograms/{file}"),
    ("get", "/healthz"),
    ("get", "/metrics"),
];

/// A token bucket: `burst` requests at once, refilled at `per_sec`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub per_sec: f64,
}

/// Settings of the web part.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Origins allowed to embed the widget (Content-Security-Policy frame-ancestors).
    pub frame_ancestors: Vec<String>,
    /// Mark session cookies `Secure` (off only for plain-HTTP development).
    pub secure_cookies: bool,
    /// Other websites whose pages may call the API (CORS), e.g.
    /// `https://www.example.org`. Empty: only pages served by Wegwijs.
    pub cors_origins: Vec<String>,
    /// Messages per conversation.
    pub rate_per_conversation: Rate,
    /// API requests per client address.
    pub rate_per_client: Rate,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_forwarded_for: bool,
    /// Largest request body in bytes.
    pub max_body_bytes: usize,
    /// Seconds a console session lasts.
    pub session_secs: i64,
    /// Failed logins in a row before an account is locked.
    pub max_failed_logins: u32,
    /// Seconds an account stays locked.
    pub lockout_secs: i64,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            frame_ancestors: vec!["'self'".into()],
            secure_cookies: false,
            cors_origins: Vec::new(),
            // People type and tap slowly: 20 at once, then 2 a second.
            rate_per_conversation: Rate { burst: 20, per_sec: 2.0 },
            // One address can be a whole office behind NAT.
            rate_per_client: Rate { burst: 300, per_sec: 50.0 },
            trust_forwarded_for: false,
            max_body_bytes: 64 * 1024,
            session_secs: 8 * 3600,
            max_failed_logins: 5,
            lockout_secs: 15 * 60,
        }
    }
}

/// Everything the handlers share.
#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    pub locales: Arc<Locales>,
    pub pictograms: Arc<PictogramSet>,
    pub config: Arc<WebConfig>,
}

/// The state handlers see: the caller's `AppState` plus what lives only as
/// long as the process (rate limits, console sessions, metrics).
pub(crate) struct Ctx {
    pub app: AppState,
    pub limits: limit::Limits,
    pub sessions: console::Sessions,
    pub metrics: metrics::Metrics,
}

pub(crate) type Shared = Arc<Ctx>;

impl std::ops::Deref for Ctx {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.app
    }
}

/// All routes: demo page, widget assets, JSON API, console.
pub fn router(state: AppState) -> Router {
    router_parts(state).0
}

/// The widget's routes, and the context they share (for `router_with`).
fn router_parts(state: AppState) -> (Router, Shared) {
    let max_body = state.config.max_body_bytes;
    let ctx: Shared = Arc::new(Ctx {
        limits: limit::Limits::new(
            state.config.rate_per_conversation,
            state.config.rate_per_client,
        ),
        sessions: console::Sessions::default(),
        metrics: metrics::Metrics::default(),
        app: state,
    });
    let api = Router::new()
        .route("/api/v1/triage", post(api::triage))
        .route("/api/v1/conversations", post(api::create))
        .route("/api/v1/conversations/{id}", get(api::show).delete(api::delete))
        .route("/api/v1/conversations/{id}/messages", post(api::message))
        .route("/api/v1/conversations/{id}/events", get(api::events))
        .route("/api/v1/ui/{lang}", get(api::ui_strings))
        .route("/api/v1/openapi.json", get(assets::openapi))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), middleware::client_rate_limit))
        .layer(middleware::cors(&ctx.config.cors_origins));
    let router = Router::new()
        .merge(api)
        .route("/", get(assets::demo_page))
        .route("/demo.css", get(assets::demo_css))
        .route("/widget.js", get(assets::widget_js))
        .route("/widget.css", get(assets::widget_css))
        .route("/console.js", get(assets::console_js))
        .route("/console.css", get(assets::console_css))
        .route("/pictograms/{file}", get(assets::pictogram))
        .route("/healthz", get(|| async { "ok" }))
        .route("/metrics", get(metrics::render))
        .merge(console::routes(ctx.clone()))
        .fallback(|| async { ApiError::NoRoute })
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), middleware::security_headers))
        .layer(axum::middleware::from_fn_with_state(ctx.clone(), metrics::track))
        .with_state(ctx.clone());
    (router, ctx)
}

/// All routes plus `extra`, routes another crate owns (the Telegram webhook),
/// on the same port. `extra` is matched first and keeps its own layers: the
/// widget's security headers, CORS, rate and body limits do not apply to it.
/// Its requests are counted in `/metrics` like the widget's.
pub fn router_with(state: AppState, extra: Router) -> Router {
    let (widget, ctx) = router_parts(state);
    extra.layer(axum::middleware::from_fn_with_state(ctx, metrics::track)).fallback_service(widget)
}

/// Serve until a stop signal (Ctrl-C or SIGTERM); requests in flight then get
/// a few seconds to finish.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    serve_app(addr, router(state)).await
}

/// Serve with `extra` routes until a stop signal (see [`router_with`]).
pub async fn serve_with(addr: SocketAddr, state: AppState, extra: Router) -> std::io::Result<()> {
    serve_app(addr, router_with(state, extra)).await
}

/// How long requests in flight may take to finish after a stop signal. Live
/// event streams never finish by themselves; they are cut after this.
const STOP_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

async fn serve_app(addr: SocketAddr, app: Router) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "web widget and console at http://{addr}/");
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        stop_signal().await;
        tracing::info!("stop signal: finishing requests in flight");
        let _ = stop.send(true);
    });
    let mut graceful = stopping.clone();
    let served = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            let _ = graceful.wait_for(|s| *s).await;
        });
    let mut cut = stopping;
    tokio::select! {
        r = served => r,
        _ = async move {
            let _ = cut.wait_for(|s| *s).await;
            tokio::time::sleep(STOP_GRACE).await;
        } => Ok(()),
    }
}

/// Ctrl-C, or SIGTERM (what service managers and `docker stop` send).
async fn stop_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = interrupt => {}
            _ = term => {}
        }
    }
    #[cfg(not(unix))]
    let _ = interrupt.await;
}

/// Run blocking engine work (sled flushes, argon2, renders) off the async runtime.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| ApiError::Internal(format!("blocking task failed: {e}")))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    #[test]
    fn openapi_lists_exactly_the_api_routes() {
        let doc: serde_json::Value =
            serde_json::from_str(crate::assets::OPENAPI_JSON).expect("openapi.json parses");
        assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
        let mut documented = BTreeSet::new();
        for (path, ops) in doc["paths"].as_object().expect("paths") {
            for method in ops.as_object().expect("operations").keys() {
                documented.insert((method.clone(), path.clone()));
            }
        }
        let routed: BTreeSet<(String, String)> =
            crate::API_ROUTES.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
        assert_eq!(documented, routed);
    }
}
