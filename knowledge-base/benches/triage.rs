//! Triage latency and index build time (filled in below).
fn main() {}
