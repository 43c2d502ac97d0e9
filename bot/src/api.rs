//! Talking to the Bot API robustly: flood control (429) waits the time
//! Telegram asks for, server and network trouble backs off and tries again,
//! and errors are described without message text or the token.

use std::time::Duration;

use teloxide::requests::{Output, Request};
use teloxide::{ApiError, RequestError};

/// Attempts per request before giving up (getUpdates never gives up).
pub const MAX_ATTEMPTS: u32 = 6;

/// Waits between attempts after server or network trouble: 1, 2, 4, 8, 16,
/// then 30 seconds.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
}

impl Backoff {
    pub fn next_delay(&mut self) -> Duration {
        let secs = 1u64 << self.failures.min(5);
        self.failures = self.failures.saturating_add(1);
        Duration::from_secs(secs.min(30))
    }

    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// Trouble that may pass: the network, a proxy's error page, Telegram's 5xx.
pub fn is_transient(e: &RequestError) -> bool {
    match e {
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => true,
        // teloxide drops the status code; 5xx answers carry these descriptions.
        RequestError::Api(ApiError::Unknown(d)) => {
            let d = d.to_ascii_lowercase();
            [
                "internal server error",
                "bad gateway",
                "service unavailable",
                "gateway timeout",
                "too many requests",
            ]
            .iter()
            .any(|p| d.contains(p))
        }
        _ => false,
    }
}

/// An error for the log: never the response body (it can hold a resident's
/// message) and never the token (teloxide already strips URLs).
pub fn describe(e: &RequestError) -> String {
    match e {
        RequestError::Api(api) => format!("Bot API error: {api}"),
        RequestError::MigrateToChatId(_) => "the group moved to a supergroup".into(),
        RequestError::RetryAfter(s) => format!("flood control: retry after {} s", s.seconds()),
        RequestError::Network(n) => format!("network error: {n}"),
        RequestError::InvalidJson { source, .. } => {
            format!("unreadable answer from the Bot API: {source}")
        }
        RequestError::Io(io) => format!("I/O error: {io}"),
    }
}

/// Send a request, retrying after 429 (as long as Telegram says) and after
/// transient trouble (with backoff), up to [`MAX_ATTEMPTS`] attempts.
pub async fn call<R>(req: &R) -> Result<Output<R>, RequestError>
where
    R: Request<Err = RequestError>,
{
    let mut backoff = Backoff::default();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match req.send_ref().await {
            Ok(v) => return Ok(v),
            Err(RequestError::RetryAfter(s)) if attempt < MAX_ATTEMPTS => {
                tracing::info!(
                    retry_after = s.seconds(),
                    "Telegram flood control; waiting before retrying"
                );
                tokio::time::sleep(s.duration()).await;
            }
            Err(e) if is_transient(&e) && attempt < MAX_ATTEMPTS => {
                let wait = backoff.next_delay();
                tracing::warn!(error = %describe(&e), attempt, wait_secs = wait.as_secs(), "Bot API request failed; retrying");
                tokio::time::sleep(wait).await;
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_thirty_seconds() {
        let mut b = Backoff::default();
        let secs: Vec<u64> = (0..8).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(secs, vec![1, 2, 4, 8, 16, 30, 30, 30]);
        b.reset();
        assert_eq!(b.next_delay().as_secs(), 1);
    }

    #[test]
    fn only_passing_trouble_is_retried() {
        assert!(is_transient(&RequestError::Api(ApiError::Unknown(
            "Internal Server Error".into()
        ))));
        assert!(is_transient(&RequestError::Api(ApiError::Unknown("Bad Gateway".into()))));
        assert!(!is_transient(&RequestError::Api(ApiError::BotBlocked)));
        assert!(!is_transient(&RequestError::Api(ApiError::InvalidToken)));
    }
}
