//! The widget API and the supporter console over real HTTP: the router on
//! 127.0.0.1:0 with a real engine, the shipped content and sled in a temp dir.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use engine::{Config, ConversationStore, Engine, KnowledgeSource, Supporter, SystemClock};
use knowledge_base::KnowledgeBase;
use reqwest::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use storage::SledStore;
use web_widget::{AppState, Rate, WebConfig};

use crate::support::{between, cookie_from};

const PASSWORD: &str = "correct horse battery";

/// The shipped knowledge base, shared by every test server.
struct SharedKb(&'static KnowledgeBase);

impl KnowledgeSource for SharedKb {
    fn triage(&self, q: &str, lang: Option<engine::Lang>) -> engine::Triage {
        self.0.triage(q, lang)
    }
    fn service(&self, id: &str) -> Option<&engine::Service> {
        self.0.service(id)
    }
    fn services(&self) -> &[engine::Service] {
        self.0.services()
    }
    fn navigation(&self) -> &engine::model::Navigation {
        self.0.navigation()
    }
    fn municipalities(&self) -> &[engine::model::Municipality] {
        self.0.municipalities()
    }
}

fn pictogram_set() -> Arc<pictograms::PictogramSet> {
    static SET: std::sync::OnceLock<Arc<pictograms::PictogramSet>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        Arc::new(
            pictograms::PictogramSet::load(&pictograms::PictogramSet::default_dir())
                .expect("pictograms load"),
        )
    })
    .clone()
}

struct Server {
    base: String,
    engine: Arc<Engine>,
    store: Arc<SledStore>,
    http: Client,
    _dir: tempfile::TempDir,
}

async fn server_with(config: WebConfig) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SledStore::open(dir.path()).unwrap());
    // Supporters are there around the clock, so handover works whenever the test runs.
    let engine_config = Config { office_hours: vec!["24/7".into()], ..Config::default() };
    let engine = Arc::new(Engine::new(
        Arc::new(SharedKb(crate::support::kb())),
        store.clone(),
        Arc::new(SystemClock),
        engine_config,
    ));
    let state = AppState {
        engine: engine.clone(),
        locales: Arc::new(locales::Locales::load().unwrap()),
        pictograms: pictogram_set(),
        config: Arc::new(config),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = web_widget::router(state).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap();
    Server { base: format!("http://{addr}"), engine, store, http, _dir: dir }
}

async fn server() -> Server {
    server_with(WebConfig::default()).await
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn create(&self) -> (String, String, Value) {
        let r = self
            .http
            .post(self.url("/api/v1/conversations"))
            .json(&json!({"lang": "nl"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        let v: Value = r.json().await.unwrap();
        (v["id"].as_str().unwrap().to_string(), v["token"].as_str().unwrap().to_string(), v)
    }

    async fn send(&self, id: &str, token: &str, body: Value) -> (StatusCode, Value) {
        let r = self
            .http
            .post(self.url(&format!("/api/v1/conversations/{id}/messages")))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = r.status();
        (status, r.json().await.unwrap_or(Value::Null))
    }

    async fn get_conversation(&self, id: &str, token: &str) -> (StatusCode, String) {
        let r = self
            .http
            .get(self.url(&format!("/api/v1/conversations/{id}")))
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .send()
            .await
            .unwrap();
        (r.status(), r.text().await.unwrap())
    }

    fn add_supporter(&self, name: &str, stats: bool) {
        let hash = web_widget::auth::hash_password(PASSWORD).unwrap();
        self.store
            .put_supporter(&Supporter {
                name: name.into(),
                password_hash: hash,
                team: "professionals".into(),
                stats,
                failed_logins: 0,
                locked_until: 0,
            })
            .unwrap();
    }

    /// The login form's CSRF token and cookie.
    async fn login_form(&self) -> (String, String) {
        let r = self.http.get(self.url("/console")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let cookie = cookie_from(&r, "wegwijs_login").expect("login cookie");
        let html = r.text().await.unwrap();
        (between(&html, "name=\"csrf\" value=\"", "\"").expect("csrf field"), cookie)
    }

    async fn try_login(
        &self,
        name: &str,
        password: &str,
        extra_cookie: Option<&str>,
    ) -> reqwest::Response {
        let (csrf, cookie) = self.login_form().await;
        let cookies = match extra_cookie {
            Some(c) => format!("wegwijs_login={cookie}; {c}"),
            None => format!("wegwijs_login={cookie}"),
        };
        self.http
            .post(self.url("/console/login"))
            .header("cookie", cookies)
            .form(&[("csrf", csrf.as_str()), ("name", name), ("password", password)])
            .send()
            .await
            .unwrap()
    }

    /// Log in; returns the session cookie header and the page's CSRF token.
    async fn login(&self, name: &str) -> (String, String) {
        let r = self.try_login(name, PASSWORD, None).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "login succeeds");
        let session = cookie_from(&r, "wegwijs_session").expect("session cookie");
        let cookie = format!("wegwijs_session={session}");
        let html = self
            .http
            .get(self.url("/console"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = between(&html, "<meta name=\"csrf-token\" content=\"", "\"").expect("csrf meta");
        (cookie, csrf)
    }

    async fn console_post(
        &self,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.http.post(self.url(path)).header("cookie", cookie).form(form).send().await.unwrap()
    }

    /// A console page's HTML with extra request headers.
    async fn console_page(&self, path: &str, headers: &[(&str, &str)]) -> String {
        let mut rb = self.http.get(self.url(path));
        for (k, v) in headers {
            rb = rb.header(*k, *v);
        }
        let r = rb.send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "GET {path}");
        r.text().await.unwrap()
    }
}

fn set_cookie_line(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_default()
        .to_string()
}

fn replies(v: &Value) -> &Vec<Value> {
    v["replies"].as_array().expect("replies array")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_gets_a_service_card_and_resumes_in_order() {
    let s = server().await;
    let (id, token, created) = s.create().await;
    assert_eq!(id.len(), 32);
    assert!(token.len() >= 32);
    let greeting = replies(&created);
    assert!(greeting.iter().all(|r| !r["text"].as_str().unwrap().is_empty()));
    assert!(
        greeting
            .iter()
            .any(|r| r["kind"] == "menu" && !r["choices"].as_array().unwrap().is_empty()),
        "{created}"
    );

    let (status, v) = s
        .send(
            &id,
            &token,
            json!({"text": "Ik heb schulden en kan mijn rekeningen niet meer betalen"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let card = replies(&v)
        .iter()
        .find(|r| r["kind"] == "service_card")
        .unwrap_or_else(|| panic!("a service card in {v}"));
    assert!(card["service"].is_string());
    assert!(card["card"]["contact"]["phone"].is_string());
    assert!(card["text"].as_str().unwrap().contains(card["card"]["name"].as_str().unwrap()));
    let feedback = replies(&v).iter().find(|r| r["kind"] == "feedback").expect("feedback question");
    assert!(feedback["buttons"].as_array().unwrap().iter().any(|b| b["id"] == "yes"));

    let (status, v) = s.send(&id, &token, json!({"button": "yes"})).await;
    assert_eq!(status, StatusCode::OK);
    let (status, v2) = s.send(&id, &token, json!({"tap": "money"})).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let menu = &replies(&v2)[0];
    assert_eq!(menu["kind"], "menu");
    assert_eq!(menu["choices"][0]["number"], 1);

    let (status, body) = s.get_conversation(&id, &token).await;
    assert_eq!(status, StatusCode::OK);
    let t: Value = serde_json::from_str(&body).unwrap();
    let msgs = t["messages"].as_array().unwrap();
    let seqs: Vec<u64> = msgs.iter().map(|m| m["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (0..seqs.len() as u64).collect::<Vec<_>>(), "in order, nothing missing");
    assert_eq!(msgs.len(), 7);
    assert_eq!(msgs[1]["from"], "resident");
    assert_eq!(msgs[1]["text"], "Ik heb schulden en kan mijn rekeningen niet meer betalen");
    assert_eq!(msgs[2]["replies"][0]["kind"], "service_card");
    assert_eq!(msgs[5]["input"]["type"], "tap");
    assert_eq!(msgs[5]["input"]["label"], "Geld", "a tap keeps the label it had on screen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_and_an_unknown_id_look_the_same_and_leak_nothing() {
    let s = server().await;
    let (id_a, token_a, _) = s.create().await;
    let (id_b, token_b, _) = s.create().await;
    s.send(&id_a, &token_a, json!({"text": "geheim: mijn buurman slaat mij"})).await;

    let (st1, body1) = s.get_conversation(&id_a, &token_b).await;
    let (st2, body2) = s.get_conversation("0123456789abcdef0123456789abcdef", &token_b).await;
    assert_eq!(st1, StatusCode::NOT_FOUND);
    assert_eq!(st2, StatusCode::NOT_FOUND);
    assert_eq!(body1, body2, "no difference between a wrong token and an unknown id");
    assert!(!body1.contains("geheim") && !body1.contains(&id_a));
    let (st, v) = s.send(&id_a, &token_b, json!({"text": "hallo"})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert_eq!(v["error"]["code"], "not_found");
    let r = s
        .http
        .delete(s.url(&format!("/api/v1/conversations/{id_a}")))
        .header(AUTHORIZATION, format!("Bearer {token_b}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = s
        .http
        .get(s.url(&format!("/api/v1/conversations/{id_a}/events?token={token_b}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = s.http.get(s.url(&format!("/api/v1/conversations/{id_a}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The owner can delete; afterwards the conversation is gone for them too.
    let r = s
        .http
        .delete(s.url(&format!("/api/v1/conversations/{id_b}")))
        .header(AUTHORIZATION, format!("Bearer {token_b}"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(s.get_conversation(&id_b, &token_b).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_gets_clear_errors() {
    let s = server().await;
    let (id, token, _) = s.create().await;
    let url = s.url(&format!("/api/v1/conversations/{id}/messages"));
    let raw = |body: &'static str| {
        s.http
            .post(&url)
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    let r = raw("{\"text\": ").await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "malformed_json");
    let r = raw("{\"text\": \"a\", \"tap\": \"money\"}").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json::<Value>().await.unwrap()["error"]["code"], "invalid_request");
    let r = raw("{\"colour\": \"blue\"}").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (st, v) = s.send(&id, &token, json!({"text": "a".repeat(2001)})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["error"]["code"], "text_too_long");
    assert_eq!(v["error"]["max"], 2000);
    assert!(v["error"]["message"].as_str().unwrap().contains("2000"), "{v}");
    let (st, _) = s.send(&id, &token, json!({"text": "é".repeat(2000)})).await;
    assert_eq!(st, StatusCode::OK, "2000 characters (not bytes) are allowed");

    // The server answers 413 without reading the rest and closes the
    // connection: use a client of its own, so no other request reuses it.
    let big = format!("{{\"text\": \"{}\"}}", "x".repeat(200_000));
    let once = Client::builder().pool_max_idle_per_host(0).build().unwrap();
    let r = once
        .post(&url)
        .header(AUTHORIZATION, format!("Bearer {token}"))
        .header(CONTENT_TYPE, "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let r = s
        .http
        .post(s.url("/api/v1/conversations"))
        .header(CONTENT_TYPE, "application/json")
        .body("[1,")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = s
        .http
        .post(s.url("/api/v1/triage"))
        .json(&json!({"question": "ik kan mijn huur niet betalen"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let t: Value = r.json().await.unwrap();
    assert!(
        t["action"].is_string() && t["confidence"].is_number() && t["alternatives"].is_array(),
        "{t}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_answer_429_and_recover() {
    let config = WebConfig {
        // Slow refills: a busy test machine must not refill a bucket between two requests.
        rate_per_conversation: Rate { burst: 3, per_sec: 0.5 },
        rate_per_client: Rate { burst: 12, per_sec: 0.5 },
        ..WebConfig::default()
    };
    let s = server_with(config).await;
    let (id, token, _) = s.create().await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(s.send(&id, &token, json!({"tap": "home"})).await.0);
    }
    assert_eq!(statuses[..3], [StatusCode::OK; 3]);
    assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        s.send(&id, &token, json!({"tap": "home"})).await.0,
        StatusCode::OK,
        "the conversation recovers"
    );

    // Per client address: the bucket holds 12; so far 6 requests were made (5 messages and the create).
    let mut last = StatusCode::OK;
    let mut retry_after = None;
    for _ in 0..12 {
        let r = s.http.get(s.url("/api/v1/ui/nl")).send().await.unwrap();
        last = r.status();
        if last == StatusCode::TOO_MANY_REQUESTS {
            retry_after = r.headers().get("retry-after").cloned();
            break;
        }
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry_after.is_some());
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(
        s.http.get(s.url("/api/v1/ui/nl")).send().await.unwrap().status(),
        StatusCode::OK,
        "the address recovers"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_openapi_document_lists_every_route_and_only_real_ones() {
    let s = server().await;
    let doc: Value =
        s.http.get(s.url("/api/v1/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (method, path) in web_widget::API_ROUTES {
        assert!(
            paths.get(*path).and_then(|p| p.get(*method)).is_some(),
            "{method} {path} is not documented"
        );
    }
    let mut count = 0;
    for (path, ops) in paths {
        for method in ops.as_object().unwrap().keys() {
            count += 1;
            let url = s.url(
                &path.replace("{id}", "0123").replace("{lang}", "nl").replace("{file}", "home.svg"),
            );
            let m = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = s
                .http
                .request(m, &url)
                .header(CONTENT_TYPE, "application/json")
                .body("{}")
                .send()
                .await
                .unwrap();
            assert_ne!(r.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
            let body: Value = r.json().await.unwrap_or(Value::Null);
            assert_ne!(
                body["error"]["code"], "no_route",
                "{method} {path} is documented but not served"
            );
        }
    }
    assert_eq!(count, web_widget::API_ROUTES.len());
    let r = s.http.get(s.url("/api/v1/nothing-here")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("no_route"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_have_a_strict_csp_and_metrics_hold_no_message_text() {
    let s = server().await;
    let r = s.http.get(s.url("/")).send().await.unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(
        csp.contains("script-src 'self'")
            && csp.contains("frame-ancestors 'self'")
            && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    let html = r.text().await.unwrap();
    assert_eq!(html.matches("<script").count(), 1, "one script tag embeds the widget");
    assert!(html.contains("<script src=\"/widget.js\" defer></script>"));

    let (id, token, _) = s.create().await;
    s.send(&id, &token, json!({"text": "mijn geheime vraag over huurschuld"})).await;
    s.send(&id, &token, json!({"button": "person"})).await;
    let m = s.http.get(s.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(m.contains("wegwijs_http_requests_total{method=\"POST\",route=\"/api/v1/conversations/{id}/messages\",status=\"200\"} 2"), "{m}");
    assert!(m.contains("wegwijs_http_request_duration_seconds_bucket{le=\"+Inf\"}"));
    assert!(m.contains("wegwijs_queue_length 1"), "{m}");
    assert!(m.contains("wegwijs_conversations_started_total{channel=\"web\"} 1"), "{m}");
    assert!(!m.contains("geheime") && !m.contains(&id) && !m.contains(&token));

    let r = s.http.get(s.url("/pictograms/home.png?size=64")).send().await.unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(&r.bytes().await.unwrap()[1..4], b"PNG");
    assert_eq!(
        s.http.get(s.url("/pictograms/home.png?size=5000")).send().await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let alt: Value = s
        .http
        .get(s.url("/pictograms/home.json?lang=nl"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(alt["alt"], "Begin");
    assert!(alt["attribution"].as_str().unwrap().contains("OpenMoji"));
    assert_eq!(
        s.http.get(s.url("/pictograms/nope.svg")).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn console_login_needs_csrf_rotates_the_session_and_locks_after_five_failures() {
    let s = server().await;
    s.add_supporter("anna", false);
    s.add_supporter("bram", false);

    // No CSRF token: refused before the password is even looked at.
    let (_, cookie) = s.login_form().await;
    let r = s
        .http
        .post(s.url("/console/login"))
        .header("cookie", format!("wegwijs_login={cookie}"))
        .form(&[("name", "anna"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(cookie_from(&r, "wegwijs_session").is_none());

    // A good login: a new session id (not the planted one), HttpOnly, SameSite=Strict.
    let r = s.try_login("anna", PASSWORD, Some("wegwijs_session=planted")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let line = set_cookie_line(&r, "wegwijs_session");
    assert!(line.contains("HttpOnly") && line.contains("SameSite=Strict"), "{line}");
    let session = cookie_from(&r, "wegwijs_session").unwrap();
    assert_ne!(session, "planted");
    let cookie = format!("wegwijs_session={session}");
    let html = s.console_page("/console", &[("cookie", &cookie)]).await;
    assert!(html.contains("Wachtrij") && html.contains("anna"));
    let csrf = between(&html, "<meta name=\"csrf-token\" content=\"", "\"").unwrap();

    // Every POST needs the session's CSRF token.
    let (id, token, _) = s.create().await;
    s.send(&id, &token, json!({"button": "person"})).await;
    let r = s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", "0000")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Five wrong passwords lock the account; then even the right one fails.
    for _ in 0..5 {
        let r = s.try_login("bram", "wrong password!", None).await;
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert!(cookie_from(&r, "wegwijs_session").is_none());
    }
    let r = s.try_login("bram", PASSWORD, None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "locked");
    let bram = s.store.supporter("bram").unwrap().unwrap();
    assert!(bram.locked_until > s.engine.now());
    // An unknown name gets the same answer as a wrong password.
    let r = s.try_login("nobody", PASSWORD, None).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Without a session the console redirects to the login form, and JSON says 401.
    let r = s.http.get(s.url(&format!("/console/c/{id}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        s.http.get(s.url("/console/queue")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_and_script_are_escaped_in_the_console_and_the_figures() {
    let s = server().await;
    s.add_supporter("cas", true);
    let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let (id, token, _) = s.create().await;
    s.send(&id, &token, json!({"text": evil})).await;
    s.send(&id, &token, json!({"button": "person"})).await;
    let (cookie, csrf) = s.login("cas").await;

    let page = s.console_page(&format!("/console/c/{id}"), &[("cookie", &cookie)]).await;
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"),
        "escaped in the page"
    );
    assert!(!page.contains("<script>alert") && !page.contains("<img src=x"));
    let json: Value = s
        .http
        .get(s.url(&format!("/console/c/{id}/messages")))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        json.to_string().contains("\\u003cscript") || json.to_string().contains("<script>alert(1)"),
        "JSON keeps the text as data"
    );

    // A supporter's own message with markup is escaped too.
    s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    let r = s
        .console_post(
            &cookie,
            &format!("/console/c/{id}/reply"),
            &[("csrf", &csrf), ("text", "<b>vet</b> & \"quotes\"")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = s.console_page(&format!("/console/c/{id}"), &[("cookie", &cookie)]).await;
    assert!(page.contains("&lt;b&gt;vet&lt;/b&gt; &amp; &quot;quotes&quot;"));

    let stats = s.http.get(s.url("/console/stats")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(stats.status(), StatusCode::OK);
    let stats = stats.text().await.unwrap();
    assert!(stats.contains("<svg") && !stats.contains("<script>alert"));
    let csv =
        s.http.get(s.url("/console/stats.csv")).header("cookie", &cookie).send().await.unwrap();
    assert!(csv.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("metric,week,key,value\n") && csv.contains("escalated,,,1"), "{csv}");
    assert!(!csv.contains("<script>"));

    // Without the stats role: no figures.
    s.add_supporter("dirk", false);
    let (cookie, _) = s.login("dirk").await;
    assert_eq!(
        s.http
            .get(s.url("/console/stats"))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
}

/// Read server-sent events until one named `name` arrives; returns its data.
async fn next_event(r: &mut reqwest::Response, buf: &mut String, name: &str) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let event = block.lines().find_map(|l| l.strip_prefix("event: ")).unwrap_or("");
            let data: String = block.lines().filter_map(|l| l.strip_prefix("data: ")).collect();
            if event == name {
                return serde_json::from_str(&data).unwrap();
            }
        }
        let chunk = tokio::time::timeout_at(deadline, r.chunk())
            .await
            .unwrap_or_else(|_| panic!("no `{name}` event in time"))
            .unwrap();
        buf.push_str(&String::from_utf8_lossy(&chunk.expect("stream open")));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_supporter_claims_replies_and_hands_back_while_the_resident_sees_it_live() {
    let s = server().await;
    s.add_supporter("eva", false);
    let (id, token, _) = s.create().await;
    let (st, v) = s.send(&id, &token, json!({"button": "person"})).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(replies(&v)[0]["handover"]["state"], "queued", "{v}");

    let mut events = s
        .http
        .get(s.url(&format!("/api/v1/conversations/{id}/events?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(events.status(), StatusCode::OK);
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let mut buf = String::new();
    next_event(&mut events, &mut buf, "ready").await;

    let (cookie, csrf) = s.login("eva").await;
    let queue: Value = s
        .http
        .get(s.url("/console/queue"))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue[0]["id"], id.as_str());
    assert_eq!(queue[0]["reason"], "asked_for_person");

    let r = s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let joined = next_event(&mut events, &mut buf, "replies").await;
    assert_eq!(joined["replies"][0]["handover"]["state"], "joined");
    assert_eq!(joined["replies"][0]["handover"]["supporter"], "eva");

    let r = s
        .http
        .post(s.url(&format!("/console/c/{id}/typing")))
        .header("cookie", &cookie)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(next_event(&mut events, &mut buf, "typing").await["supporter"], "eva");

    let r = s
        .http
        .post(s.url(&format!("/console/c/{id}/reply")))
        .header("cookie", &cookie)
        .header("accept", "application/json")
        .form(&[("csrf", csrf.as_str()), ("text", "Hoi, ik ben Eva. Waar kan ik je mee helpen?")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let msg = next_event(&mut events, &mut buf, "replies").await;
    assert_eq!(msg["replies"][0]["kind"], "supporter");
    assert_eq!(msg["replies"][0]["message"], "Hoi, ik ben Eva. Waar kan ik je mee helpen?");
    assert_eq!(msg["replies"][0]["supporter"], "eva");
    assert!(msg["seq"].as_u64().unwrap() > joined["seq"].as_u64().unwrap());

    // The resident answers; the bot stays silent while a person holds the conversation.
    let (st, v) =
        s.send(&id, &token, json!({"text": "Ik snap de brief van de gemeente niet"})).await;
    assert_eq!(st, StatusCode::OK);
    assert!(replies(&v).is_empty());

    let r = s.console_post(&cookie, &format!("/console/c/{id}/handback"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let back = next_event(&mut events, &mut buf, "replies").await;
    assert_eq!(back["replies"][0]["handover"]["state"], "left");
    assert_eq!(back["replies"][1]["kind"], "menu");
    let (_, v) = s.send(&id, &token, json!({"tap": "money"})).await;
    assert_eq!(replies(&v)[0]["kind"], "menu", "the bot answers again");

    // Claim again and close with an outcome.
    s.send(&id, &token, json!({"button": "person"})).await;
    s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    let r = s
        .console_post(
            &cookie,
            &format!("/console/c/{id}/close"),
            &[("csrf", &csrf), ("outcome", "bogus")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = s
        .console_post(
            &cookie,
            &format!("/console/c/{id}/close"),
            &[("csrf", &csrf), ("outcome", "referred")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, body) = s.get_conversation(&id, &token).await;
    let t: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(t["state"]["state"], "closed");
    let texts: Vec<&Value> = t["messages"].as_array().unwrap().iter().collect();
    assert!(texts.iter().any(|m| m["from"] == "supporter"
        && m["replies"][0]["message"] == "Hoi, ik ben Eva. Waar kan ik je mee helpen?"));
    assert_eq!(s.store.counters("outcome/").unwrap(), vec![("outcome/referred".to_string(), 1)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ui_strings_exist_in_every_language_and_arabic_is_right_to_left() {
    let s = server().await;
    for lang in locales::LANGS {
        let v: Value = s
            .http
            .get(s.url(&format!("/api/v1/ui/{lang}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        for key in web_widget::UI_KEYS {
            let text = v["strings"][key].as_str().unwrap_or_else(|| panic!("{lang} lacks {key}"));
            assert!(!text.is_empty() && text != *key, "{lang} {key}");
        }
        assert_eq!(v["dir"], if lang == "ar" { "rtl" } else { "ltr" });
        assert!(
            v["strings"]["web-typing"].as_str().unwrap().contains("{name}"),
            "placeholders are left for the widget"
        );
    }
    let nl: Value = s.http.get(s.url("/api/v1/ui/nl")).send().await.unwrap().json().await.unwrap();
    let en: Value = s.http.get(s.url("/api/v1/ui/en")).send().await.unwrap().json().await.unwrap();
    assert_ne!(nl["strings"]["web-launcher"], en["strings"]["web-launcher"]);
    assert_eq!(
        s.http.get(s.url("/api/v1/ui/xx")).send().await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_question_the_bot_did_not_understand_is_kept_only_once_anonymised() {
    let s = server().await;
    s.add_supporter("fleur", true);
    let (id, token, _) = s.create().await;
    let question = "<i>Jan</i> flurp blorf quux";
    let (_, v) = s.send(&id, &token, json!({"text": question})).await;
    assert_eq!(replies(&v)[0]["key"], "not-understood", "{v}");
    let (cookie, csrf) = s.login("fleur").await;

    let page = s.console_page("/console/stats", &[("cookie", &cookie)]).await;
    assert!(
        page.contains("&lt;i&gt;Jan&lt;/i&gt; flurp blorf quux"),
        "offered for review, escaped"
    );
    let seq = between(&page, "name=\"seq\" value=\"", "\"").unwrap();
    let form = |action: &'static str, anonymised: bool| {
        let mut f = vec![
            ("csrf", csrf.clone()),
            ("conversation", id.clone()),
            ("seq", seq.clone()),
            ("action", action.to_string()),
        ];
        f.push(("text", "[naam] flurp blorf quux".to_string()));
        if anonymised {
            f.push(("anonymised", "yes".to_string()));
        }
        f
    };
    let r = s
        .http
        .post(s.url("/console/stats/review"))
        .header("cookie", &cookie)
        .form(&form("keep", false))
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "not kept before it is marked anonymised"
    );
    assert!(s.store.counters("unknown-question/").unwrap().is_empty());
    let r = s
        .http
        .post(s.url("/console/stats/review"))
        .header("cookie", &cookie)
        .form(&form("keep", true))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let page = s.console_page("/console/stats", &[("cookie", &cookie)]).await;
    assert!(page.contains("[naam] flurp blorf quux"));
    assert!(!page.contains("Jan"), "the original is no longer offered");
    let csv = s.console_page("/console/stats.csv", &[("cookie", &cookie)]).await;
    assert!(csv.contains("not_understood_question,,[naam] flurp blorf quux,1"), "{csv}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_console_speaks_dutch_by_default_and_english_on_request() {
    let s = server().await;
    s.add_supporter("gijs", true);

    // The login page: Dutch by default, English from Accept-Language.
    let nl = s.console_page("/console", &[]).await;
    assert!(nl.contains("<html lang=\"nl\">") && nl.contains("Inloggen voor hulpverleners"));
    assert!(
        nl.contains("href=\"/console/language?to=en&amp;back=/console\""),
        "a switch to English"
    );
    let en = s.console_page("/console", &[("accept-language", "en-GB,en;q=0.9,nl;q=0.8")]).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("Log in for supporters"), "{en}");
    assert!(!en.contains("Inloggen") && !en.contains("Wachtwoord"), "no Dutch left: {en}");
    assert!(en.contains("?to=nl&amp;back=/console\" hreflang=\"nl\" lang=\"nl\">Nederlands</a>"));
    let other = s.console_page("/console", &[("accept-language", "de-DE, fr")]).await;
    assert!(other.contains("<html lang=\"nl\">"), "other languages get Dutch");

    // A resident writes markup, then asks for a person.
    let evil = "<script>alert(1)</script>";
    let (id, token, _) = s.create().await;
    s.send(&id, &token, json!({"text": evil})).await;
    s.send(&id, &token, json!({"button": "person"})).await;
    let (cookie, csrf) = s.login("gijs").await;

    // The queue: Dutch by default, English from Accept-Language.
    let nl = s.console_page("/console", &[("cookie", &cookie)]).await;
    assert!(nl.contains("<html lang=\"nl\">") && nl.contains("<h1>Wachtrij</h1>"));
    assert!(nl.contains("Vroeg om een mens") && nl.contains("Oppakken"));
    let en = s.console_page("/console", &[("cookie", &cookie), ("accept-language", "en")]).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("<h1>Queue</h1>"), "{en}");
    assert!(en.contains("Asked for a person") && en.contains(">Take</button>"));
    assert!(en.contains("1 waiting") && en.contains("Log out"));
    for dutch in ["Wachtrij", "Oppakken", "Uitloggen", "Ingelogd", "wachtend"] {
        assert!(!en.contains(dutch), "{dutch} in the English queue");
    }
    // The texts for live updates come along, as data.
    assert!(
        en.contains("data-text=\"{")
            && en.contains("&quot;console-queue-empty&quot;:&quot;Nobody is waiting.&quot;")
    );

    // The switch stores the choice in a cookie, which beats Accept-Language.
    let r = s.http.get(s.url("/console/language?to=en&back=/console/stats")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/console/stats");
    let line = set_cookie_line(&r, "wegwijs_console_lang");
    assert!(
        line.starts_with("wegwijs_console_lang=en;") && line.contains("Path=/console"),
        "{line}"
    );
    let both = format!("{cookie}; wegwijs_console_lang=en");
    let en = s.console_page("/console", &[("cookie", &both), ("accept-language", "nl")]).await;
    assert!(en.contains("<html lang=\"en\">") && en.contains("<h1>Queue</h1>"));
    let queue = s.console_page("/console/queue", &[("cookie", &both)]).await;
    let queue: Value = serde_json::from_str(&queue).unwrap();
    assert_eq!(queue[0]["reason_text"], "Asked for a person");
    // The way back goes to a console page of this site only.
    for bad in ["//evil.example/console", "https://evil.example", "/console/../x", "/consolex%0d"] {
        let r = s
            .http
            .get(s.url("/console/language"))
            .query(&[("to", "nl"), ("back", bad)])
            .send()
            .await
            .unwrap();
        let to = r.headers()["location"].to_str().unwrap().to_string();
        assert!(
            to == "/console" || (to.starts_with("/console") && !to.contains("..")),
            "{bad} -> {to}"
        );
        assert!(!to.contains("evil") && !to.contains('%'), "{bad} -> {to}");
    }

    // The conversation in English: still escaped; canned labels in English,
    // the canned message itself in the resident's language (Dutch).
    s.console_post(&both, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    let page = s.console_page(&format!("/console/c/{id}"), &[("cookie", &both)]).await;
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains(evil));
    assert!(page.contains("<html lang=\"en\">") && page.contains(">Resident</p>"));
    assert!(page.contains(">One moment</button>") && page.contains("Quick replies"));
    assert!(page.contains("<q lang=\"nl\" dir=\"ltr\">Ik kijk even voor je. Wacht een moment.</q>"));
    assert!(page.contains("Your message (short sentences, simple words)"));
    assert!(!page.contains('\u{2068}') && !page.contains('\u{2069}'), "no direction marks");
    let page = s.console_page(&format!("/console/c/{id}"), &[("cookie", &cookie)]).await;
    assert!(page.contains(">Even kijken</button>") && page.contains(">Bewoner</p>"));

    // A refused form says why in the supporter's language, with the same status.
    let r = s.console_post(&both, &format!("/console/c/{id}/claim"), &[("csrf", "0000")]).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let text = r.text().await.unwrap();
    assert!(text.contains("<html lang=\"en\">") && text.contains("The form has expired"), "{text}");
    let r = s.console_post(&cookie, &format!("/console/c/{id}/claim"), &[("csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "already mine");
    assert!(r.text().await.unwrap().contains("<html lang=\"nl\">"));

    // The figures in English; the CSV keeps its machine-readable columns.
    let stats = s.console_page("/console/stats", &[("cookie", &both)]).await;
    assert!(stats.contains("<h1>Figures</h1>") && stats.contains("Why passed to a person"));
    assert!(stats.contains("Asked for a person") && !stats.contains("Cijfers"));
    let csv = s.console_page("/console/stats.csv", &[("cookie", &both)]).await;
    assert!(
        csv.starts_with("metric,week,key,value\n")
            && csv.contains("escalation_reason,,asked_for_person,1")
    );
    assert!(!csv.contains('\u{2068}'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_listed_websites_may_call_the_api_from_their_pages() {
    let s = server_with(WebConfig {
        cors_origins: vec!["https://www.example.org".into()],
        ..WebConfig::default()
    })
    .await;
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.url("/api/v1/conversations"))
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let r = preflight("https://www.example.org").await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "https://www.example.org");
    let r = preflight("https://evil.example").await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}
