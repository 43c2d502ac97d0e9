//! The website chat widget, its JSON API and the supporter console (axum).

pub mod auth;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use engine::Engine;
use locales::Locales;
use pictograms::PictogramSet;

/// Settings of the web part.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Origins allowed to embed the widget (Content-Security-Policy frame-ancestors).
    pub frame_ancestors: Vec<String>,
    /// Mark session cookies `Secure` (off only for plain-HTTP development).
    pub secure_cookies: bool,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig { frame_ancestors: vec!["'self'".into()], secure_cookies: false }
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

/// All routes: demo page, widget assets, JSON API, console.
pub fn router(state: AppState) -> Router {
    Router::new().route("/healthz", axum::routing::get(|| async { "ok" })).with_state(state)
}

/// Serve until the process ends.
pub async fn serve(addr: SocketAddr, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!(%addr, "web widget and console at http://{addr}/");
    axum::serve(listener, router(state).into_make_service_with_connect_info::<SocketAddr>()).await
}
