//! Cross-cutting layers: security headers, the per-address rate limit, CORS.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::{ApiError, Shared};

/// The client's address: the socket peer, or the first `X-Forwarded-For`
/// entry when the operator says a trusted proxy sits in front.
pub fn client_ip(
    req_headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_forwarded: bool,
) -> String {
    if trust_forwarded {
        if let Some(ip) = req_headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
        {
            return ip.to_string();
        }
    }
    peer.map(|p| p.ip().to_string()).unwrap_or_else(|| "unknown".into())
}

pub fn peer(req: &Request) -> Option<SocketAddr> {
    req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0)
}

/// 429 once an address has used up its bucket; it refills with time.
pub async fn client_rate_limit(State(ctx): State<Shared>, req: Request, next: Next) -> Response {
    if req.method() == Method::OPTIONS {
        return next.run(req).await;
    }
    let ip = client_ip(req.headers(), peer(&req), ctx.config.trust_forwarded_for);
    if let Err(retry_after) = ctx.limits.client.take(&ip) {
        return ApiError::RateLimited { retry_after }.into_response();
    }
    next.run(req).await
}

/// Content-Security-Policy and friends on every response. No inline script
/// or style anywhere, so the policy can be strict.
pub async fn security_headers(State(ctx): State<Shared>, req: Request, next: Next) -> Response {
    let is_console =
        req.uri().path().starts_with("/console") || req.uri().path().starts_with("/api/");
    let mut res = next.run(req).await;
    let ancestors = if ctx.config.frame_ancestors.is_empty() {
        "'none'".to_string()
    } else {
        ctx.config.frame_ancestors.join(" ")
    };
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         font-src 'self'; media-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
    );
    let h = res.headers_mut();
    let cached = h.contains_key(header::CACHE_CONTROL);
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    };
    set(header::CONTENT_SECURITY_POLICY, &csp);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "no-referrer");
    set(
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if is_console && !cached {
        set(header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Lets the listed websites call the API from their pages.
pub fn cors(origins: &[String]) -> CorsLayer {
    let list: Vec<HeaderValue> = origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o.trim_end_matches('/')).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(list))
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
}
