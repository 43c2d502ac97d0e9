//! `wegwijs loadtest`: whole widget conversations against a running server on
//! loopback, for a bounded time. Prints messages per second, latency
//! percentiles and errors; with `--pid`, also the server's memory over time.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
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
}

fn rss_mb(pid: u32) -> Option<f64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kb: f64 = s.lines().find(|l| l.starts_with("VmRSS:"))?.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

pub async fn run(base: &str, conversations: usize, seconds: u64, pid: Option<u32>) -> Result<Report> {
    if !(base.starts_with("http://127.") || base.starts_with("http://localhost") || base.starts_with("http://[::1]")) {
        bail!("the load test only runs against loopback addresses (127.0.0.0/8, localhost, [::1])");
    }
    let client = reqwest::Client::builder().pool_max_idle_per_host(conversations).timeout(Duration::from_secs(30)).build()?;
    let stop = Arc::new(AtomicBool::new(false));
    let lat = Arc::new(Mutex::new(Vec::<Duration>::with_capacity(1 << 16)));
    let (errors, server_errors) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conversations {
        let (client, base, stop, lat, errors, server_errors) =
            (client.clone(), base.to_string(), stop.clone(), lat.clone(), errors.clone(), server_errors.clone());
        tasks.push(tokio::spawn(async move {
            let mut local = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let Ok(r) = client.post(format!("{base}/api/v1/conversations")).json(&json!({"lang": "nl"})).send().await else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let Ok(v) = r.json::<Value>().await else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                let (Some(id), Some(token)) = (v["id"].as_str(), v["token"].as_str()) else {
                    errors.fetch_add(1, Ordering::Relaxed);
                    continue;
                };
                for (kind, value) in SCRIPT {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let t = Instant::now();
                    let r = client
                        .post(format!("{base}/api/v1/conversations/{id}/messages"))
                        .bearer_auth(token)
                        .json(&json!({ *kind: value }))
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            local.push(t.elapsed());
                        }
                        Ok(r) => {
                            if r.status().is_server_error() {
                                server_errors.fetch_add(1, Ordering::Relaxed);
                            }
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(_) => {
                            errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
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
    let mut lat = std::mem::take(&mut *lat.lock().unwrap_or_else(|e| e.into_inner()));
    lat.sort();
    let pct = |p: usize| lat.get((lat.len() * p / 100).min(lat.len().saturating_sub(1))).copied().unwrap_or_default();
    Ok(Report {
        messages: lat.len() as u64,
        errors: errors.load(Ordering::Relaxed),
        server_errors: server_errors.load(Ordering::Relaxed),
        per_sec: lat.len() as f64 / wall.as_secs_f64(),
        p50: pct(50),
        p99: pct(99),
        rss_mb: rss,
    })
}
