//! Prometheus text metrics: requests by route and status, a latency
//! histogram, conversations started, queue length. Route templates only,
//! never paths with ids, tokens or message text.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::{blocking, ApiError, Shared};

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] =
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

#[derive(Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_micros: AtomicU64,
    pub streams: AtomicI64,
    pub conversations_started: AtomicU64,
    pub messages: AtomicU64,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        *self
            .requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entry((method.into(), route.into(), status))
            .or_default() += 1;
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_micros.fetch_add((secs * 1e6) as u64, Ordering::Relaxed);
    }
}

/// Counts every request under its route template.
pub async fn track(State(ctx): State<Shared>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().as_str().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let res = next.run(req).await;
    // Event streams last minutes: their latency says nothing.
    let secs = if route.ends_with("/events") { 0.0 } else { start.elapsed().as_secs_f64() };
    ctx.metrics.observe(&method, &route, res.status().as_u16(), secs);
    res
}

pub async fn render(State(ctx): State<Shared>) -> Result<Response, ApiError> {
    let engine = ctx.engine.clone();
    let (queue, crisis, channels) = blocking(move || {
        let q = engine.queue()?;
        let crisis = q.iter().filter(|i| i.entry.reason == engine::Reason::Crisis).count();
        let channels = engine.store().counters("channel/")?;
        Ok::<_, engine::Error>((q.len(), crisis, channels))
    })
    .await??;
    let m = &ctx.metrics;
    let mut s = String::new();
    s.push_str(
        "# HELP wegwijs_http_requests_total HTTP requests by method, route template and status.\n",
    );
    s.push_str("# TYPE wegwijs_http_requests_total counter\n");
    for ((method, route, status), n) in m.requests.lock().unwrap_or_else(|e| e.into_inner()).iter()
    {
        let _ = writeln!(s, "wegwijs_http_requests_total{{method=\"{method}\",route=\"{}\",status=\"{status}\"}} {n}", label(route));
    }
    s.push_str("# HELP wegwijs_http_request_duration_seconds Time to answer a request (event streams excluded).\n");
    s.push_str("# TYPE wegwijs_http_request_duration_seconds histogram\n");
    for (i, le) in BUCKETS.iter().enumerate() {
        let _ = writeln!(
            s,
            "wegwijs_http_request_duration_seconds_bucket{{le=\"{le}\"}} {}",
            m.buckets[i].load(Ordering::Relaxed)
        );
    }
    let count = m.count.load(Ordering::Relaxed);
    let _ = writeln!(s, "wegwijs_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
    let _ = writeln!(
        s,
        "wegwijs_http_request_duration_seconds_sum {}",
        m.sum_micros.load(Ordering::Relaxed) as f64 / 1e6
    );
    let _ = writeln!(s, "wegwijs_http_request_duration_seconds_count {count}");
    s.push_str("# HELP wegwijs_conversations_started_total Conversations started, by channel (all time).\n");
    s.push_str("# TYPE wegwijs_conversations_started_total counter\n");
    for (key, n) in channels {
        let channel = key.trim_start_matches("channel/");
        let _ = writeln!(
            s,
            "wegwijs_conversations_started_total{{channel=\"{}\"}} {n}",
            label(channel)
        );
    }
    s.push_str("# HELP wegwijs_web_conversations_started_total Conversations started through this process's widget API.\n");
    s.push_str("# TYPE wegwijs_web_conversations_started_total counter\n");
    let _ = writeln!(
        s,
        "wegwijs_web_conversations_started_total {}",
        m.conversations_started.load(Ordering::Relaxed)
    );
    s.push_str("# HELP wegwijs_web_messages_total Resident messages handled by the widget API.\n");
    s.push_str("# TYPE wegwijs_web_messages_total counter\n");
    let _ = writeln!(s, "wegwijs_web_messages_total {}", m.messages.load(Ordering::Relaxed));
    s.push_str("# HELP wegwijs_queue_length Conversations waiting for a person.\n");
    s.push_str("# TYPE wegwijs_queue_length gauge\n");
    let _ = writeln!(s, "wegwijs_queue_length {queue}");
    s.push_str("# HELP wegwijs_queue_crisis Crisis conversations waiting for a person.\n");
    s.push_str("# TYPE wegwijs_queue_crisis gauge\n");
    let _ = writeln!(s, "wegwijs_queue_crisis {crisis}");
    s.push_str("# HELP wegwijs_event_streams Open live-update streams (widget and console).\n");
    s.push_str("# TYPE wegwijs_event_streams gauge\n");
    let _ = writeln!(s, "wegwijs_event_streams {}", m.streams.load(Ordering::Relaxed));
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], s).into_response())
}

/// A Prometheus label value: backslash, quote and newline escaped.
fn label(v: &str) -> String {
    v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}
