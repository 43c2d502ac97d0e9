//! Files Wegwijs serves itself, embedded in the binary: the demo page, the
//! widget's script and style, the console's, the OpenAPI document, and the
//! pictograms (PNG at any allowed size, SVG, or their alt text as JSON).

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::{blocking, ApiError, Shared};

const DEMO_HTML: &str = include_str!("../assets/index.html");
const DEMO_CSS: &str = include_str!("../assets/demo.css");
const WIDGET_JS: &str = include_str!("../assets/widget.js");
const WIDGET_CSS: &str = include_str!("../assets/widget.css");
const CONSOLE_JS: &str = include_str!("../assets/console.js");
const CONSOLE_CSS: &str = include_str!("../assets/console.css");
/// Hand-written; `API_ROUTES` and a test keep it in step with the router.
pub const OPENAPI_JSON: &str = include_str!("../assets/openapi.json");

/// Short enough that a new release reaches browsers the same day.
const CACHE: &str = "public, max-age=600";

pub async fn demo_page() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, CACHE)],
        DEMO_HTML,
    )
        .into_response()
}

pub async fn demo_css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)], DEMO_CSS)
        .into_response()
}

pub async fn widget_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)],
        WIDGET_JS,
    )
        .into_response()
}

pub async fn widget_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)],
        WIDGET_CSS,
    )
        .into_response()
}

pub async fn console_js() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, CACHE)],
        CONSOLE_JS,
    )
        .into_response()
}

pub async fn console_css() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, CACHE)],
        CONSOLE_CSS,
    )
        .into_response()
}

/// The OpenAPI document, with the municipalities this knowledge base knows
/// filled in (`createConversation` refuses any other).
pub async fn openapi(State(ctx): State<Shared>) -> Response {
    let mut doc: serde_json::Value = match serde_json::from_str(OPENAPI_JSON) {
        Ok(d) => d,
        Err(e) => return ApiError::Internal(format!("openapi.json: {e}")).into_response(),
    };
    let mut ids: Vec<serde_json::Value> =
        ctx.engine.knowledge().municipalities().iter().map(|m| m.id.clone().into()).collect();
    let props = &mut doc["components"]["schemas"]["CreateConversation"]["properties"];
    if ids.is_empty() {
        // No municipality is known, so none can be chosen (null still means "none").
        props["municipality"] = json!({"nullable": true, "type": "string", "enum": [null]});
    } else {
        ids.push(serde_json::Value::Null);
        props["municipality"]["enum"] = ids.into();
    }
    ([(header::CONTENT_TYPE, "application/json")], Json(doc)).into_response()
}

#[derive(Deserialize)]
pub struct PictogramQuery {
    #[serde(default)]
    size: Option<u32>,
    #[serde(default)]
    lang: Option<String>,
}

/// `GET /pictograms/{concept}.png?size=N`, `.svg`, or `.json?lang=nl` (alt text).
pub async fn pictogram(
    State(ctx): State<Shared>,
    Path(file): Path<String>,
    q: Result<Query<PictogramQuery>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(q) = q.map_err(|e| ApiError::Invalid(e.body_text()))?;
    let (concept, ext) = file.rsplit_once('.').ok_or(ApiError::NoRoute)?;
    if !ctx.pictograms.contains(concept) {
        return Err(ApiError::NoRoute);
    }
    let immutable = [(header::CACHE_CONTROL, "public, max-age=86400")];
    match ext {
        "png" => {
            let size = q.size.unwrap_or(96);
            if !(pictograms::MIN_SIZE..=pictograms::MAX_SIZE).contains(&size) {
                return Err(ApiError::Invalid(format!(
                    "size must be between {} and {}",
                    pictograms::MIN_SIZE,
                    pictograms::MAX_SIZE
                )));
            }
            let (c, concept) = (ctx.clone(), concept.to_string());
            let png = blocking(move || c.pictograms.render_png(&concept, size))
                .await?
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            Ok(([(header::CONTENT_TYPE, "image/png")], immutable, png.as_ref().clone())
                .into_response())
        }
        "svg" => {
            let svg = ctx
                .pictograms
                .svg(concept)
                .map_err(|e| ApiError::Internal(e.to_string()))?
                .to_vec();
            Ok(([(header::CONTENT_TYPE, "image/svg+xml")], immutable, svg).into_response())
        }
        "json" => {
            let lang = q.lang.unwrap_or_else(|| "nl".into());
            let alt: serde_json::Map<String, serde_json::Value> = locales::LANGS
                .iter()
                .filter_map(|l| ctx.pictograms.alt(concept, l).map(|a| (l.to_string(), a.into())))
                .collect();
            Ok((
                immutable,
                Json(json!({
                    "concept": concept,
                    "alt": ctx.pictograms.alt(concept, &lang),
                    "alts": alt,
                    "set": ctx.pictograms.name(),
                    "licence": ctx.pictograms.licence(),
                    "attribution": ctx.pictograms.attribution(),
                })),
            )
                .into_response())
        }
        _ => Err(ApiError::NoRoute),
    }
}
