//! Privacy: whole conversations at debug log level leave no message text and no
//! phone number in the logs.

use std::process::Stdio;
use std::time::Duration;

use serde_json::json;

use crate::crash::{create, free_port, send, start_server_logging};

#[test]
fn debug_logs_hold_no_message_text_or_phone_numbers() {
    let data = tempfile::tempdir().unwrap();
    let log_path = data.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let mut server = start_server_logging(&data.path().join("d"), free_port(), "debug", Stdio::from(log));
    let rt = tokio::runtime::Runtime::new().unwrap();
    let _ctx = rt.enter();
    let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
    let base = server.base.clone();
    let secrets = ["zwoegelgeheim", "0612345678", "Lindelaan 99"];
    rt.block_on(async {
        let c = create(&client, &base).await.expect("conversation");
        for text in [
            "ik heb schulden zwoegelgeheim",
            "bel mij op 0612345678",
            "ik woon op de Lindelaan 99 en ik wil niet meer leven",
        ] {
            assert!(send(&client, &base, &c, text).await);
        }
        let r = client.post(format!("{base}/api/v1/triage")).json(&json!({"question": "zwoegelgeheim 0612345678", "lang": "nl"})).send().await;
        assert!(r.is_ok_and(|r| r.status().is_success()));
        let r = client.get(format!("{base}/api/v1/conversations/{}", c.id)).bearer_auth(&c.token).send().await.unwrap();
        assert!(r.status().is_success());
    });
    let _ = server.child.kill();
    let _ = server.child.wait();
    let logs = std::fs::read_to_string(&log_path).unwrap();
    assert!(!logs.trim().is_empty(), "the server logged nothing at debug level: the test would prove nothing");
    for s in secrets {
        assert!(!logs.contains(s), "the log contains {s:?}:\n{logs}");
    }
}
