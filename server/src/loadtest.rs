//! `wegwijs loadtest`: whole widget conversations against a running server on
//! loopback, for a bounded time. Prints messages per second, latency
//! percentiles and errors; with `--pid`, also the server's memory over time.
//!
//! The generator shares the machine with the server it measures, so it is
//! kept lean: one HTTP/1.1 connection per conversation, straight on hyper,
//! with the request bodies made once. (On reqwest it took about 75 µs of
//! processor time per message, a fifth of what the server spends.)

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE, HOST};
use hyper::{Method, Request, StatusCode, Uri};
use hyper_util::rt::TokioIo;
use serde_json::{json, Value};

const SCRIPT: &[(&str, &str)] = &[
    ("text", "ik heb schulden en de deurwaarder komt"),
    ("button", "no"),
    ("tap", "money"),
    ("tap", "money.voedselbank"),
    ("button", "yes"),
    ("text", "I need help with my DigiD"),
    ("tap", "home"),
];

pub struct Report {
    pub messages: u64,
    pub errors: u64,
    pub server_errors: u64,
    pub per_sec: f64,
    pub p50: Duration,
    pub p99: Duration,
    pub rss_mb: Vec<f64>,
    /// Processor time per answered message: the server's (with `--pid`) and
    /// the load generator's own.
    pub server_cpu: Option<Duration>,
    pub client_cpu: Option<Duration>,
}

/// Processor time (user and system) a process has used so far, from /proc.
/// Linux counts it in ticks of 10 ms (USER_HZ is 100).
fn cpu_time(pid: &str) -> Option<Duration> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the name in parentheses: state is the first field, utime the 12th.
    let mut f = s.rsplit_once(')')?.1.split_whitespace().skip(11);
    let user: u64 = f.next()?.parse().ok()?;
    let system: u64 = f.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

fn rss_mb(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// What a request gave: a status and the body, or no answer at all.
type Answer = Result<(StatusCode, Bytes)>;

/// One conversation's connection to the server.
struct Conn {
    send: SendRequest<Full<Bytes>>,
    host: HeaderValue,
}

impl Conn {
    async fn open(authority: &str) -> Result<Conn> {
        let stream = tokio::net::TcpStream::connect(authority).await?;
        stream.set_nodelay(true)?;
        let (send, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
        tokio::spawn(conn);
        Ok(Conn { send, host: HeaderValue::from_str(authority)? })
    }

    async fn post(&mut self, path: &str, auth: Option<&HeaderValue>, body: Bytes) -> Answer {
        let mut req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(HOST, &self.host)
            .header(CONTENT_TYPE, "application/json");
        if let Some(a) = auth {
            req = req.header(AUTHORIZATION, a);
        }
        let req = req.body(Full::new(body))?;
        let exchange = async {
            self.send.ready().await?;
            let r = self.send.send_request(req).await?;
            let status = r.status();
            let body = r.into_body().collect().await?.to_bytes();
            Ok::<_, hyper::Error>((status, body))
        };
        Ok(tokio::time::timeout(Duration::from_secs(30), exchange).await.context("no answer in 30 s")??)
    }
}

/// Counts of requests that failed.
#[derive(Default)]
struct Failures {
    errors: AtomicU64,
    server_errors: AtomicU64,
}

impl Failures {
    /// Counts a failed answer; true when the connection should be made anew.
    fn count(&self, answer: &Answer) -> bool {
        match answer {
            Ok((status, _)) if status.is_success() => false,
            Ok((status, _)) => {
                if status.is_server_error() {
                    self.server_errors.fetch_add(1, Ordering::Relaxed);
                }
                self.errors.fetch_add(1, Ordering::Relaxed);
                false
            }
            Err(_) => {
                self.errors.fetch_add(1, Ordering::Relaxed);
                true
            }
        }
    }
}

/// Runs whole conversations on one connection until `stop`, and returns the
/// latency of every message that was answered.
async fn converse(authority: String, stop: Arc<AtomicBool>, failures: Arc<Failures>) -> Vec<Duration> {
    let start_body = Bytes::from(json!({"lang": "nl"}).to_string());
    let script: Vec<Bytes> =
        SCRIPT.iter().map(|(kind, value)| Bytes::from(json!({ *kind: value }).to_string())).collect();
    let mut local = Vec::new();
    let mut conn: Option<Conn> = None;
    while !stop.load(Ordering::Relaxed) {
        let c = match conn.as_mut() {
            Some(c) => c,
            None => match Conn::open(&authority).await {
                Ok(c) => conn.insert(c),
                Err(_) => {
                    failures.errors.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let answer = c.post("/api/v1/conversations", None, start_body.clone()).await;
        if failures.count(&answer) {
            conn = None;
            continue;
        }
        let created: Option<Value> = answer.ok().and_then(|(_, b)| serde_json::from_slice(&b).ok());
        let ids = created.as_ref().and_then(|v| Some((v["id"].as_str()?, v["token"].as_str()?)));
        let Some((id, token)) = ids else {
            failures.errors.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        let (Ok(auth), path) =
            (HeaderValue::from_str(&format!("Bearer {token}")), format!("/api/v1/conversations/{id}/messages"))
        else {
            failures.errors.fetch_add(1, Ordering::Relaxed);
            continue;
        };
        for body in &script {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let t = Instant::now();
            let answer = c.post(&path, Some(&auth), body.clone()).await;
            if matches!(&answer, Ok((status, _)) if status.is_success()) {
                local.push(t.elapsed());
            }
            if failures.count(&answer) {
                conn = None;
                break;
            }
        }
    }
    local
}

pub async fn run(base: &str, conversations: usize, seconds: u64, pid: Option<u32>) -> Result<Report> {
    if !(base.starts_with("http://127.") || base.starts_with("http://localhost") || base.starts_with("http://[::1]")) {
        bail!("the load test only runs against loopback addresses (127.0.0.0/8, localhost, [::1])");
    }
    let uri: Uri = base.parse().with_context(|| format!("`{base}` is not a URL"))?;
    let authority = uri.authority().context("the URL has no host")?.to_string();
    if !uri.path().trim_end_matches('/').is_empty() {
        bail!("give the server's root URL, without a path (for example http://127.0.0.1:8080)");
    }
    let stop = Arc::new(AtomicBool::new(false));
    let failures = Arc::new(Failures::default());
    let lat = Arc::new(Mutex::new(Vec::<Duration>::with_capacity(1 << 16)));
    let server_pid = pid.map(|p| p.to_string());
    let cpu0 = (server_pid.as_deref().and_then(cpu_time), cpu_time("self"));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conversations {
        let (authority, stop, failures, lat) = (authority.clone(), stop.clone(), failures.clone(), lat.clone());
        tasks.push(tokio::spawn(async move {
            let local = converse(authority, stop, failures).await;
            lat.lock().unwrap_or_else(|e| e.into_inner()).extend(local);
        }));
    }
    let mut rss = Vec::new();
    let step = Duration::from_secs((seconds / 10).max(1));
    while start.elapsed() < Duration::from_secs(seconds) {
        tokio::time::sleep(step.min(Duration::from_secs(seconds).saturating_sub(start.elapsed()))).await;
        if let Some(m) = pid.and_then(rss_mb) {
            rss.push(m);
            eprintln!("  t={:>4}s rss {m:.0} MB", start.elapsed().as_secs());
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        let _ = t.await;
    }
    let wall = start.elapsed();
    let cpu1 = (server_pid.as_deref().and_then(cpu_time), cpu_time("self"));
    let mut lat = std::mem::take(&mut *lat.lock().unwrap_or_else(|e| e.into_inner()));
    let messages = lat.len() as u32;
    let per_message = |a: Option<Duration>, b: Option<Duration>| match (a, b) {
        (Some(a), Some(b)) if messages > 0 => Some(b.saturating_sub(a) / messages),
        _ => None,
    };
    let (server_cpu, client_cpu) = (per_message(cpu0.0, cpu1.0), per_message(cpu0.1, cpu1.1));
    lat.sort();
    let pct = |p: usize| lat.get((lat.len() * p / 100).min(lat.len().saturating_sub(1))).copied().unwrap_or_default();
    Ok(Report {
        messages: lat.len() as u64,
        errors: failures.errors.load(Ordering::Relaxed),
        server_errors: failures.server_errors.load(Ordering::Relaxed),
        per_sec: lat.len() as f64 / wall.as_secs_f64(),
        p50: pct(50),
        p99: pct(99),
        rss_mb: rss,
        server_cpu,
        client_cpu,
    })
}
