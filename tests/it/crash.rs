//! Crash safety: drive widget conversations over HTTP, kill the server with
//! SIGKILL at random moments, restart it on the same data directory, and check
//! that every message that got a 2xx answer is still there, in order, that
//! conversations continue, and that the queue is intact.
//!
//! WEGWIJS_CRASH_KILLS sets the number of kills (default 4). A second test
//! stops the server with SIGTERM and checks it stops cleanly.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Drop for Server {
    /// A failing test must not leave a server running.
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Start `wegwijs serve` on `data`, and wait until it answers.
pub fn start_server(data: &std::path::Path, port: u16) -> Server {
    start_server_logging(data, port, "warn", Stdio::null())
}

/// The same, with a log level and a place for the log.
pub fn start_server_logging(data: &std::path::Path, port: u16, level: &str, log: Stdio) -> Server {
    let child = Command::new(crate::support::wegwijs_bin())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}"), "--data"])
        .arg(data)
        .env("WEGWIJS_LOG", level)
        .env("WEGWIJS_RATE_PER_CLIENT", "100000/100000")
        .env("WEGWIJS_RATE_PER_CONVERSATION", "100000/100000")
        .env_remove("WEGWIJS_TELEGRAM_TOKEN")
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start wegwijs serve");
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return server;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("server did not start on port {port}");
}

pub struct Conv {
    pub id: String,
    pub token: String,
    /// Texts that got a 2xx, in order.
    pub acked: Vec<String>,
}

pub async fn create(client: &reqwest::Client, base: &str) -> Option<Conv> {
    let r = client.post(format!("{base}/api/v1/conversations")).json(&json!({"lang": "nl"})).send().await.ok()?;
    if r.status().as_u16() != 201 {
        return None;
    }
    let v: Value = r.json().await.ok()?;
    Some(Conv { id: v["id"].as_str()?.into(), token: v["token"].as_str()?.into(), acked: Vec::new() })
}

pub async fn send(client: &reqwest::Client, base: &str, c: &Conv, text: &str) -> bool {
    let r = client
        .post(format!("{base}/api/v1/conversations/{}/messages", c.id))
        .bearer_auth(&c.token)
        .json(&json!({"text": text}))
        .send()
        .await;
    // The body must arrive too: a 2xx whose body was cut is not acknowledged.
    match r {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    }
}

pub async fn resident_texts(client: &reqwest::Client, base: &str, c: &Conv) -> (Vec<String>, String) {
    let v: Value = client
        .get(format!("{base}/api/v1/conversations/{}", c.id))
        .bearer_auth(&c.token)
        .send()
        .await
        .expect("GET conversation")
        .json()
        .await
        .expect("JSON");
    let texts = v["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|m| m["from"] == "resident")
        .filter_map(|m| m["text"].as_str().map(String::from))
        .collect();
    (texts, v["state"]["state"].as_str().unwrap_or_default().to_string())
}

#[test]
fn killed_server_loses_no_acknowledged_message() {
    let kills: usize = std::env::var("WEGWIJS_CRASH_KILLS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _ctx = rt.enter();
    let data = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut convs: Vec<Conv> = Vec::new();
    let mut waiting_id: Option<(String, String)> = None;
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15 ^ std::process::id() as u64;
    let mut rand = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let mut total_acked = 0usize;
    for round in 0..=kills {
        let port = free_port();
        let mut server = start_server(data.path(), port);
        let base = server.base.clone();
        // After each restart: everything acknowledged is there, in order.
        for c in &convs {
            let (texts, _) = rt.block_on(resident_texts(&client, &base, c));
            let mut it = texts.iter();
            for a in &c.acked {
                assert!(it.any(|t| t == a), "round {round}: acknowledged {a:?} missing or out of order in {}", c.id);
            }
        }
        if let Some((id, token)) = &waiting_id {
            let c = Conv { id: id.clone(), token: token.clone(), acked: Vec::new() };
            let (_, state) = rt.block_on(resident_texts(&client, &base, &c));
            assert_eq!(state, "waiting", "round {round}: the queue lost a conversation");
        }
        if round == kills {
            // Conversations continue after the last restart.
            for c in &convs {
                assert!(rt.block_on(send(&client, &base, c, "ik heb schulden")), "conversation {} does not continue", c.id);
            }
            let _ = server.child.kill();
            let _ = server.child.wait();
            break;
        }
        // New conversations each round, one of them waiting for a person.
        for _ in 0..4 {
            if let Some(c) = rt.block_on(create(&client, &base)) {
                convs.push(c);
            }
        }
        if waiting_id.is_none() {
            if let Some(c) = rt.block_on(create(&client, &base)) {
                // A crisis enters the queue at any hour (a plain request waits for office hours).
                assert!(rt.block_on(send(&client, &base, &c, "ik wil niet meer leven")));
                let (_, state) = rt.block_on(resident_texts(&client, &base, &c));
                assert_eq!(state, "waiting");
                waiting_id = Some((c.id, c.token));
            }
        }
        // Send concurrently until the kill, which comes at a random moment.
        let kill_after = Duration::from_millis(300 + rand(1200));
        let started = Instant::now();
        let mut n = 0usize;
        rt.block_on(async {
            let mut tasks = Vec::new();
            for (i, c) in convs.iter().enumerate() {
                let (client, base, id, token) = (client.clone(), base.clone(), c.id.clone(), c.token.clone());
                tasks.push(tokio::spawn(async move {
                    let c = Conv { id, token, acked: Vec::new() };
                    let mut acked = Vec::new();
                    for k in 0.. {
                        let text = format!("r{round} c{i} m{k} ik heb een vraag over mijn huur");
                        if send(&client, &base, &c, &text).await {
                            acked.push(text);
                        } else {
                            break;
                        }
                    }
                    acked
                }));
            }
            tokio::time::sleep(kill_after.saturating_sub(started.elapsed())).await;
            server.child.kill().expect("SIGKILL");
            let _ = server.child.wait();
            for (c, t) in convs.iter_mut().zip(tasks) {
                let acked = t.await.unwrap();
                n += acked.len();
                c.acked.extend(acked);
            }
        });
        total_acked += n;
    }
    eprintln!("crash test: {kills} kills, {} conversations, {total_acked} acknowledged messages, none lost", convs.len());
    assert!(total_acked > 0);
}

#[test]
fn a_stop_signal_finishes_requests_and_leaves_a_clean_store() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _ctx = rt.enter();
    let data = tempfile::tempdir().unwrap();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let mut server = start_server(data.path(), free_port());
    let c = rt.block_on(create(&client, &server.base)).expect("conversation");
    assert!(rt.block_on(send(&client, &server.base, &c, "ik heb schulden")));
    // A live event stream stays open: the stop must not wait for it forever.
    let events = rt.block_on(
        client.get(format!("{}/api/v1/conversations/{}/events?token={}", server.base, c.id, c.token)).send(),
    );
    let events = events.expect("event stream");
    assert!(events.status().is_success(), "event stream opens");
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop within 30 s of SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "a stop signal is a clean exit: {status}");
    drop(events);
    // A clean stop checkpoints the write-ahead log: nothing is left to replay.
    let logs: Vec<String> = std::fs::read_dir(data.path().join("log"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(logs.is_empty(), "log files left after a clean stop: {logs:?}");
    let server = start_server(data.path(), free_port());
    let (texts, _) = rt.block_on(resident_texts(&client, &server.base, &c));
    assert_eq!(texts, ["ik heb schulden"]);
}
