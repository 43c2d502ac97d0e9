//! One HTTP error type: a status and a stable code for every failure.
//!
//! The body is `{"error": {"code": "...", "message": "..."}}`. Codes are part
//! of the API; messages are for people and may change. Causes of 5xx are
//! logged and never shown. An unknown conversation and a wrong token give the
//! same answer, so nobody can probe which ids exist.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("{0}")]
    Invalid(String),
    #[error("send the conversation token as `Authorization: Bearer <token>`")]
    Unauthorized,
    #[error("no such conversation, or the token does not belong to it")]
    NotFound,
    #[error("no such page")]
    NoRoute,
    #[error("{message}")]
    TooLong { max: usize, message: String },
    #[error("the request body is too large")]
    BodyTooLarge,
    #[error("too many requests; try again in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    #[error("{1}")]
    Conflict(&'static str, String),
    #[error("{1}")]
    Forbidden(&'static str, String),
    #[error("something went wrong on our side")]
    Internal(String),
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::Invalid(_) | ApiError::TooLong { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::NotFound | ApiError::NoRoute => StatusCode::NOT_FOUND,
            ApiError::BodyTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Conflict(..) => StatusCode::CONFLICT,
            ApiError::Forbidden(..) => StatusCode::FORBIDDEN,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code clients can branch on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::Invalid(_) => "invalid_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::NotFound => "not_found",
            ApiError::NoRoute => "no_route",
            ApiError::TooLong { .. } => "text_too_long",
            ApiError::BodyTooLarge => "body_too_large",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Conflict(code, _) | ApiError::Forbidden(code, _) => code,
            ApiError::Internal(_) => "internal",
        }
    }
}

impl From<engine::Error> for ApiError {
    fn from(e: engine::Error) -> Self {
        use engine::Error as E;
        match e {
            E::NotFound => ApiError::NotFound,
            E::TooLong { max } => ApiError::TooLong {
                max,
                message: format!("the message is too long: at most {max} characters"),
            },
            E::Empty => ApiError::Invalid("the message is empty".into()),
            E::AlreadyClaimed => ApiError::Conflict("already_claimed", e.to_string()),
            E::NotWaiting => ApiError::Conflict("not_waiting", e.to_string()),
            E::NotHolder => ApiError::Conflict("not_holder", e.to_string()),
            E::Store(s) => ApiError::Internal(s.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            ApiError::Internal(cause) => {
                tracing::error!(cause = %cause, "internal error");
                "something went wrong on our side".to_string()
            }
            other => other.to_string(),
        };
        let mut body = serde_json::json!({"error": {"code": self.code(), "message": message}});
        if let ApiError::TooLong { max, .. } = &self {
            body["error"]["max"] = (*max).into();
        }
        let mut res = (status, axum::Json(body)).into_response();
        if let ApiError::RateLimited { retry_after } = self {
            if let Ok(v) = HeaderValue::from_str(&retry_after.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}
