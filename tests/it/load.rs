//! The short load and soak run of CI: whole widget conversations against a real
//! server on loopback for a few seconds. No 5xx may occur, and memory must not
//! run away. The long run is a documented command (README, "Reliability").

use std::process::Command;

use crate::crash::{free_port, start_server};

#[test]
fn short_soak_has_no_server_errors_and_bounded_memory() {
    let data = tempfile::tempdir().unwrap();
    let mut server = start_server(data.path(), free_port());
    let out = Command::new(crate::support::wegwijs_bin())
        .args(["loadtest", "--url", &server.base, "--conversations", "16", "--seconds", "4", "--pid"])
        .arg(server.child.id().to_string())
        .output()
        .unwrap();
    let _ = server.child.kill();
    let _ = server.child.wait();
    let text = String::from_utf8_lossy(&out.stdout);
    eprintln!("{text}");
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("(0 5xx)"), "{text}");
    let messages: u64 = text.split(" messages,").next().and_then(|s| s.rsplit(' ').next()).and_then(|n| n.parse().ok()).unwrap_or(0);
    assert!(messages > 50, "too few messages: {text}");
    // The server's processor time per message is measured from its pid.
    let cpu = text.lines().find_map(|l| l.strip_prefix("processor time per message: server ")).unwrap_or("");
    assert!(cpu.split(" µs").next().is_some_and(|n| n.parse::<u64>().is_ok_and(|n| n > 0)), "{text}");
    // Memory: the last sample stays within a generous bound of the first.
    if let Some(line) = text.lines().find(|l| l.starts_with("server memory:")) {
        let nums: Vec<f64> = line.split(|c: char| !c.is_ascii_digit() && c != '.').filter_map(|s| s.parse().ok()).collect();
        assert!(nums.len() >= 2 && nums[1] < nums[0] * 4.0 + 100.0, "{line}");
    }
}
