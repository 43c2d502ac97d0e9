//! Shared helpers: paths to the shipped content, the built binary, and the dev set.

use std::path::PathBuf;
use std::sync::OnceLock;

use knowledge_base::KnowledgeBase;

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

pub fn content_dir() -> PathBuf {
    knowledge_base::content::default_dir()
}

/// The shipped knowledge base, loaded once for all tests.
pub fn kb() -> &'static KnowledgeBase {
    static KB: OnceLock<KnowledgeBase> = OnceLock::new();
    KB.get_or_init(|| KnowledgeBase::load(&content_dir()).expect("shipped content loads"))
}

/// The `wegwijs` binary that `cargo test --workspace` built next to this test.
pub fn wegwijs_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    let dir = exe.parent().and_then(|d| d.parent()).expect("target/<profile>");
    let bin = dir.join(if cfg!(windows) { "wegwijs.exe" } else { "wegwijs" });
    assert!(bin.exists(), "{} is missing: run the tests with `cargo test --workspace`", bin.display());
    bin
}

/// A labelled set shipped with the repository (`tests/data/`): copies of the
/// public development sets, so a fresh clone tests itself with nothing beside it.
pub fn data_file(name: &str) -> PathBuf {
    repo_root().join("tests/data").join(name)
}

/// The Dutch and English development set; `WEGWIJS_DEV_TSV` points at another.
pub fn dev_tsv() -> PathBuf {
    std::env::var("WEGWIJS_DEV_TSV").map(PathBuf::from).unwrap_or_else(|_| data_file("dev.tsv"))
}

/// Copy the shipped content to a temp folder, for tests that break it on purpose.
pub fn content_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&content_dir(), tmp.path());
    tmp
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("read_dir") {
        let e = e.expect("entry");
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}

/// The value of cookie `name` that a response sets, if it sets a non-empty one.
pub fn cookie_from(r: &reqwest::Response, name: &str) -> Option<String> {
    r.headers().get_all(reqwest::header::SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        let (kv, _) = v.split_once(';').unwrap_or((v, ""));
        let (k, val) = kv.split_once('=')?;
        (k == name && !val.is_empty()).then(|| val.to_string())
    })
}

/// The text between the first `start` and the next `end` after it.
pub fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}
