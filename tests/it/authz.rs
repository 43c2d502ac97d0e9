//! Authorization matrix against a real `wegwijs serve` process over HTTP.
//!
//! Actors: resident A, resident B, a supporter with stats rights, a supporter
//! without, and anonymous. Every route of the router (API, assets, console) is
//! tried by each of them: each gets exactly what it may, and a refusal carries
//! none of the data. Also: session cookies rotate at login, logout invalidates
//! them, and console writes need the session's CSRF token.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use reqwest::header::{AUTHORIZATION, COOKIE, LOCATION, SET_COOKIE};
use reqwest::{Client, Method, Response, StatusCode};
use serde_json::{json, Value};

use crate::crash::{free_port, start_server, Server};
use crate::support::{between, cookie_from};

const PASSWORD: &str = "authz-password-123456";
/// A's words: must never reach anyone but A and the supporters.
const SECRET: &str = "geheim-zin-van-bewoner-a";

/// Kills the server when the test ends, pass or fail.
struct Running(Server);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.child.kill();
        let _ = self.0.child.wait();
    }
}

fn add_supporter(data: &std::path::Path, name: &str, stats: bool) {
    let mut cmd = Command::new(crate::support::wegwijs_bin());
    cmd.args(["supporter", "--data"]).arg(data).args(["add", name]);
    if stats {
        cmd.arg("--stats");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("wegwijs supporter add");
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "supporter add {name}: {}", String::from_utf8_lossy(&out.stderr));
}

struct T {
    http: Client,
    base: String,
}

/// A logged-in supporter: the session cookie header and the page's CSRF token.
#[derive(Clone)]
struct Login {
    session: String,
    cookie: String,
    csrf: String,
}

impl T {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn create(&self) -> (String, String) {
        let r = self
            .http
            .post(self.url("/api/v1/conversations"))
            .json(&json!({"lang": "nl"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        (v["id"].as_str().unwrap().to_string(), v["token"].as_str().unwrap().to_string())
    }

    /// The login form's CSRF token and pre-login cookie.
    async fn login_form(&self) -> (String, String) {
        let r = self.http.get(self.url("/console")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = cookie_from(&r, "wegwijs_login").expect("login cookie");
        let html = r.text().await.unwrap();
        (between(&html, "name=\"csrf\" value=\"", "\"").expect("csrf field"), cookie)
    }

    /// Log in, optionally holding an old (or planted) session cookie.
    async fn login_holding(&self, name: &str, held: Option<&str>) -> Login {
        let (csrf, login_cookie) = self.login_form().await;
        let cookies = match held {
            Some(s) => format!("wegwijs_login={login_cookie}; wegwijs_session={s}"),
            None => format!("wegwijs_login={login_cookie}"),
        };
        let r = self
            .http
            .post(self.url("/console/login"))
            .header(COOKIE, cookies)
            .form(&[("csrf", csrf.as_str()), ("name", name), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login of {name} succeeds");
        let session = cookie_from(&r, "wegwijs_session").expect("session cookie");
        assert_ne!(session, login_cookie, "the session is not the pre-login cookie");
        let cookie = format!("wegwijs_session={session}");
        let html = self
            .http
            .get(self.url("/console"))
            .header(COOKIE, &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = between(&html, "<meta name=\"csrf-token\" content=\"", "\"").expect("csrf meta");
        Login { session, cookie, csrf }
    }

    async fn login(&self, name: &str) -> Login {
        self.login_holding(name, None).await
    }

    async fn req(
        &self,
        method: Method,
        path: &str,
        auth: &Who<'_>,
        form: Option<&[(&str, &str)]>,
    ) -> Response {
        let mut rb = self.http.request(method, self.url(path));
        match auth {
            Who::Anonymous => {}
            Who::Resident(token) => rb = rb.header(AUTHORIZATION, format!("Bearer {token}")),
            Who::Supporter(l) => rb = rb.header(COOKIE, &l.cookie),
        }
        if let Some(f) = form {
            rb = rb.form(f);
        }
        rb.send().await.unwrap()
    }
}

enum Who<'a> {
    Anonymous,
    Resident(&'a str),
    Supporter(&'a Login),
}

/// Not logged in on a console page: a redirect to the login form, or 401.
fn assert_login_needed(r: &Response, what: &str) {
    match r.status() {
        StatusCode::UNAUTHORIZED => {}
        StatusCode::SEE_OTHER => {
            assert_eq!(
                r.headers().get(LOCATION).and_then(|v| v.to_str().ok()),
                Some("/console"),
                "{what}"
            );
        }
        s => panic!("{what}: expected a redirect to the login or 401, got {s}"),
    }
}

/// Let through: not refused for lack of rights (the action itself may still
/// fail for another reason, e.g. 409 when nobody waits).
fn assert_allowed(r: &Response, what: &str) {
    let s = r.status();
    assert!(
        !matches!(s, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN | StatusCode::NOT_FOUND)
            && !s.is_server_error(),
        "{what}: expected access, got {s}"
    );
    if s == StatusCode::SEE_OTHER {
        let to = r.headers().get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        assert_ne!(to, "/console", "{what}: sent back to the login form");
    }
}

async fn body(r: Response) -> String {
    r.text().await.unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_gives_each_actor_exactly_what_it_may() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("db");
    add_supporter(&data, "anna", true);
    add_supporter(&data, "bert", false);
    let server = Running(start_server(&data, free_port()));
    let t = T {
        http: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        base: server.0.base.clone(),
    };

    let (a, ta) = t.create().await;
    let (b, tb) = t.create().await;
    let anna = t.login("anna").await;
    let bert = t.login("bert").await;

    // A writes something only A and the supporters may read.
    let r = t
        .http
        .post(t.url(&format!("/api/v1/conversations/{a}/messages")))
        .bearer_auth(&ta)
        .json(&json!({"text": SECRET}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);

    // ---- public routes: open to everyone, and never carry A's words.
    for path in [
        "/",
        "/demo.css",
        "/widget.js",
        "/widget.css",
        "/console.js",
        "/console.css",
        "/healthz",
        "/metrics",
        "/api/v1/openapi.json",
        "/api/v1/ui/nl",
        "/pictograms/money.png?size=32",
        "/pictograms/money.svg",
        "/pictograms/money.json",
    ] {
        for who in [Who::Anonymous, Who::Resident(&tb), Who::Supporter(&bert)] {
            let r = t.req(Method::GET, path, &who, None).await;
            assert_eq!(r.status(), StatusCode::OK, "GET {path}");
            let text = String::from_utf8_lossy(&r.bytes().await.unwrap()).to_string();
            assert!(!text.contains(SECRET) && !text.contains(&ta), "GET {path} leaks A's data");
        }
    }
    for who in [Who::Anonymous, Who::Resident(&tb), Who::Supporter(&anna)] {
        let mut rb = t.http.post(t.url("/api/v1/triage")).json(&json!({"question": "huurtoeslag"}));
        match &who {
            Who::Resident(tok) => rb = rb.bearer_auth(tok),
            Who::Supporter(l) => rb = rb.header(COOKIE, &l.cookie),
            Who::Anonymous => {}
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "triage is open to everyone");
        assert!(!body(r).await.contains(SECRET));
    }

    // ---- the resident's own conversation: A only.
    let conv = format!("/api/v1/conversations/{a}");
    let msgs = format!("/api/v1/conversations/{a}/messages");
    let r = t.req(Method::GET, &conv, &Who::Resident(&ta), None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body(r).await.contains(SECRET), "A reads A's own words");
    let r = t.http.get(t.url(&format!("{conv}/events?token={ta}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "A's live stream");
    drop(r);

    // B's token, a made-up token, or a supporter's cookie on A's conversation:
    // the same 404 as for an id that does not exist, or 401 without a token.
    let unknown = "0123456789abcdef0123456789abcdef";
    for (who, expect, label) in [
        (Who::Resident(&tb), StatusCode::NOT_FOUND, "B's token"),
        (Who::Resident("not-a-token"), StatusCode::NOT_FOUND, "a made-up token"),
        (Who::Anonymous, StatusCode::UNAUTHORIZED, "no token"),
        (Who::Supporter(&anna), StatusCode::UNAUTHORIZED, "a console cookie"),
    ] {
        for (m, path, send_body) in [
            (Method::GET, conv.clone(), false),
            (Method::POST, msgs.clone(), true),
            (Method::DELETE, conv.clone(), false),
        ] {
            let mut rb = t.http.request(m.clone(), t.url(&path));
            match &who {
                Who::Resident(tok) => rb = rb.header(AUTHORIZATION, format!("Bearer {tok}")),
                Who::Supporter(l) => rb = rb.header(COOKIE, &l.cookie),
                Who::Anonymous => {}
            }
            if send_body {
                rb = rb.json(&json!({"text": "mag ik meelezen?"}));
            }
            let r = rb.send().await.unwrap();
            assert_eq!(r.status(), expect, "{label}: {m} {path}");
            let text = body(r).await;
            assert!(
                !text.contains(SECRET) && !text.contains(&a),
                "{label}: {m} {path} leaks: {text}"
            );
        }
        // The same answer for an id that does not exist at all.
        if let Who::Resident(tok) = &who {
            let r = t
                .req(
                    Method::GET,
                    &format!("/api/v1/conversations/{unknown}"),
                    &Who::Resident(tok),
                    None,
                )
                .await;
            assert_eq!(r.status(), expect, "{label} on an unknown id");
        }
    }
    for (token, label) in [(tb.as_str(), "B's token"), ("", "no token"), ("x", "a made-up token")] {
        let r = t.http.get(t.url(&format!("{conv}/events?token={token}"))).send().await.unwrap();
        assert!(
            matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::UNAUTHORIZED),
            "{label} on A's event stream: {}",
            r.status()
        );
        assert!(!body(r).await.contains(SECRET));
    }
    // A's token is no key to B's conversation either.
    let r =
        t.req(Method::GET, &format!("/api/v1/conversations/{b}"), &Who::Resident(&ta), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A's words are still A's: nobody above changed or deleted them.
    let r = t.req(Method::GET, &conv, &Who::Resident(&ta), None).await;
    assert!(body(r).await.contains(SECRET));

    // ---- console reads: supporters only; a resident token is no console login.
    let console_gets = [
        "/console/queue".to_string(),
        "/console/events".to_string(),
        format!("/console/c/{a}"),
        format!("/console/c/{a}/messages"),
    ];
    for path in &console_gets {
        for who in [Who::Anonymous, Who::Resident(&ta)] {
            let r = t.req(Method::GET, path, &who, None).await;
            assert_login_needed(&r, &format!("anonymous GET {path}"));
            assert!(!body(r).await.contains(SECRET), "GET {path} leaks to a non-supporter");
        }
        for who in [&anna, &bert] {
            let r = t.req(Method::GET, path, &Who::Supporter(who), None).await;
            assert_eq!(r.status(), StatusCode::OK, "supporter GET {path}");
        }
    }
    let r =
        t.req(Method::GET, &format!("/console/c/{a}/messages"), &Who::Supporter(&bert), None).await;
    assert!(body(r).await.contains(SECRET), "a supporter reads the conversation");
    // `/console` itself is the login form for the anonymous, the queue for supporters.
    let r = t.req(Method::GET, "/console", &Who::Anonymous, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let html = body(r).await;
    assert!(
        html.contains("name=\"password\"") && !html.contains("csrf-token"),
        "the anonymous get the login form"
    );
    let r = t.req(Method::GET, "/console", &Who::Supporter(&bert), None).await;
    assert!(body(r).await.contains("csrf-token"), "a supporter gets the console");

    // ---- figures: the stats role only.
    for path in ["/console/stats", "/console/stats.csv"] {
        let r = t.req(Method::GET, path, &Who::Anonymous, None).await;
        assert_login_needed(&r, &format!("anonymous GET {path}"));
        let r = t.req(Method::GET, path, &Who::Supporter(&bert), None).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "GET {path} without stats rights");
        let r = t.req(Method::GET, path, &Who::Supporter(&anna), None).await;
        assert_eq!(r.status(), StatusCode::OK, "GET {path} with stats rights");
    }

    // ---- console writes: a session and its own CSRF token, every one.
    let writes: Vec<(String, Vec<(&str, &str)>)> = vec![
        (format!("/console/c/{b}/claim"), vec![]),
        (format!("/console/c/{b}/typing"), vec![]),
        (format!("/console/c/{b}/reply"), vec![("text", "hallo")]),
        (format!("/console/c/{b}/handback"), vec![]),
        (format!("/console/c/{b}/close"), vec![]),
        (
            "/console/stats/review".to_string(),
            vec![("conversation", a.as_str()), ("seq", "1"), ("action", "drop")],
        ),
        ("/console/logout".to_string(), vec![]),
    ];
    for (path, fields) in &writes {
        let with = |csrf: Option<&str>| -> Vec<(String, String)> {
            let mut f: Vec<(String, String)> =
                fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            if let Some(c) = csrf {
                f.push(("csrf".into(), c.into()));
            }
            f
        };
        let post = |who: &Login, form: Vec<(String, String)>| {
            t.http.post(t.url(path)).header(COOKIE, who.cookie.clone()).form(&form).send()
        };
        // Anonymous, even with somebody's valid CSRF token: the login first.
        let r = t.http.post(t.url(path)).form(&with(Some(&anna.csrf))).send().await.unwrap();
        assert_login_needed(&r, &format!("anonymous POST {path}"));
        // A resident's bearer token is no console session.
        let r = t
            .http
            .post(t.url(path))
            .bearer_auth(&ta)
            .form(&with(Some(&anna.csrf)))
            .send()
            .await
            .unwrap();
        assert_login_needed(&r, &format!("resident POST {path}"));
        // A session without the token, or with another session's token: 403.
        let r = post(&anna, with(None)).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path} without CSRF token");
        let r = post(&anna, with(Some(&bert.csrf))).await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::FORBIDDEN,
            "POST {path} with another session's CSRF token"
        );
        let r = post(&anna, with(Some(""))).await.unwrap();
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "POST {path} with an empty CSRF token");
    }
    // With the token, the writes go through (or fail for reasons other than rights).
    for (path, fields) in &writes[..5] {
        let mut f: Vec<(&str, &str)> = fields.clone();
        f.push(("csrf", bert.csrf.as_str()));
        let r =
            t.http.post(t.url(path)).header(COOKIE, &bert.cookie).form(&f).send().await.unwrap();
        assert_allowed(&r, &format!("supporter POST {path} with CSRF token"));
    }
    let (path, fields) = &writes[5];
    let mut f: Vec<(&str, &str)> = fields.clone();
    f.push(("csrf", bert.csrf.as_str()));
    let r = t.http.post(t.url(path)).header(COOKIE, &bert.cookie).form(&f).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "review of the figures without stats rights");
    f.pop();
    f.push(("csrf", anna.csrf.as_str()));
    let r = t.http.post(t.url(path)).header(COOKIE, &anna.cookie).form(&f).send().await.unwrap();
    assert_allowed(&r, "review of the figures with stats rights");

    // ---- the resident's right to be forgotten: A only, and then nobody.
    let r = t.req(Method::DELETE, &conv, &Who::Resident(&tb), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = t.req(Method::DELETE, &conv, &Who::Resident(&ta), None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = t.req(Method::GET, &conv, &Who::Resident(&ta), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "deleted is gone, for A too");
    let r =
        t.req(Method::GET, &format!("/console/c/{a}/messages"), &Who::Supporter(&anna), None).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "deleted is gone for supporters");
    assert!(!body(r).await.contains(SECRET));
    // B is untouched.
    let r =
        t.req(Method::GET, &format!("/api/v1/conversations/{b}"), &Who::Resident(&tb), None).await;
    assert_eq!(r.status(), StatusCode::OK);

    // Unknown routes are 404 for everyone, with no data.
    for who in [Who::Anonymous, Who::Supporter(&anna), Who::Resident(&tb)] {
        let r = t.req(Method::GET, "/console/admin", &who, None).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sessions_rotate_at_login_and_die_at_logout() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("db");
    add_supporter(&data, "anna", true);
    let server = Running(start_server(&data, free_port()));
    let t = T {
        http: Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(20))
            .build()
            .unwrap(),
        base: server.0.base.clone(),
    };

    // Login without the login form's token and cookie: refused.
    let r = t
        .http
        .post(t.url("/console/login"))
        .form(&[("name", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "login needs the form's CSRF token");
    assert!(cookie_from(&r, "wegwijs_session").is_none());

    // A planted session id (fixation) is not adopted: login issues a fresh one.
    let planted = "f".repeat(64);
    let first = t.login_holding("anna", Some(&planted)).await;
    assert_ne!(first.session, planted, "a planted session id is not kept");
    let r = t
        .http
        .get(t.url("/console/queue"))
        .header(COOKIE, format!("wegwijs_session={planted}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the planted id grants nothing");

    // Logging in again while logged in: a new session id and a new CSRF token.
    let second = t.login_holding("anna", Some(&first.session)).await;
    assert_ne!(second.session, first.session, "the session id rotates at login");
    assert_ne!(second.csrf, first.csrf, "the CSRF token rotates with the session");
    // One session's CSRF token does not work for the other.
    let r = t
        .http
        .post(t.url("/console/logout"))
        .header(COOKIE, &second.cookie)
        .form(&[("csrf", first.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Logout without the token does nothing.
    let r = t
        .http
        .post(t.url("/console/logout"))
        .header(COOKIE, &second.cookie)
        .form(&[("x", "y")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r =
        t.http.get(t.url("/console/queue")).header(COOKIE, &second.cookie).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "still logged in after a refused logout");

    // Logout with the token: the cookie is cleared and the old value is dead.
    let r = t
        .http
        .post(t.url("/console/logout"))
        .header(COOKIE, &second.cookie)
        .form(&[("csrf", second.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let cleared = r
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.starts_with("wegwijs_session=;") && v.contains("Max-Age=0"));
    assert!(cleared, "logout clears the session cookie");
    for path in ["/console/queue", "/console/events"] {
        let r = t.http.get(t.url(path)).header(COOKIE, &second.cookie).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "the old cookie after logout: {path}");
    }
    for path in
        ["/console/stats", "/console/stats.csv", "/console/c/0123456789abcdef0123456789abcdef"]
    {
        let r = t.http.get(t.url(path)).header(COOKIE, &second.cookie).send().await.unwrap();
        assert_login_needed(&r, &format!("the old cookie after logout: {path}"));
    }
    let r = t.http.get(t.url("/console")).header(COOKIE, &second.cookie).send().await.unwrap();
    assert!(!body(r).await.contains("csrf-token"), "the old cookie gets the login form");
    let r = t
        .http
        .post(t.url("/console/logout"))
        .header(COOKIE, &second.cookie)
        .form(&[("csrf", second.csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_login_needed(&r, "a second logout with the old cookie");
}
