//! End-to-end tests against a real local model server: llama.cpp's
//! OpenAI-compatible server with whichever model `scripts/local-model.sh
//! start [MODEL]` serves (`qwen2.5-1.5b`, `qwen2.5-0.5b` or `gemma3-270m`,
//! everything from PyPI).
//!
//! These tests are `#[ignore]`d so a plain `cargo test` reports them as
//! ignored — never as a pass it did not run. Run them with
//!
//! ```sh
//! scripts/local-model.sh start qwen2.5-0.5b
//! cargo test --test e2e_local_model -- --ignored --test-threads=1
//! ```
//!
//! `.ci/run` does exactly that when the server can be started, and prints
//! why it skipped them otherwise. When asked to run and the server is down,
//! they fail with what to do.
//!
//! The server is found where the script puts it (`MOCKROUND_LLAMA_PORT`,
//! default 8080) and the model is the one it lists, so the tests follow
//! whichever model is up. `MOCKROUND_E2E_BASE_URL` and `MOCKROUND_E2E_MODEL`
//! point them elsewhere; `MOCKROUND_E2E_KEEP=DIR` keeps the round's journal
//! and the batch's rows.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

fn base_url() -> String {
    std::env::var("MOCKROUND_E2E_BASE_URL").unwrap_or_else(|_| {
        let port = std::env::var("MOCKROUND_LLAMA_PORT").unwrap_or_else(|_| "8080".into());
        format!("http://127.0.0.1:{port}/v1")
    })
}

/// The server's address and the path of its model list.
fn models_endpoint() -> (String, String) {
    let url = base_url();
    let rest = url.trim_start_matches("http://");
    let (addr, path) = rest.split_once('/').unwrap_or((rest, "v1"));
    (
        addr.to_string(),
        format!("/{}/models", path.trim_end_matches('/')),
    )
}

/// The model the server lists first: `scripts/local-model.sh` serves one,
/// under its name.
fn served_model() -> Option<String> {
    let (addr, path) = models_endpoint();
    let mut s =
        std::net::TcpStream::connect_timeout(&addr.parse().ok()?, Duration::from_secs(2)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").ok()?;
    let mut reply = String::new();
    s.read_to_string(&mut reply).ok()?;
    let body = reply.split_once("\r\n\r\n")?.1;
    let v: serde_json::Value = serde_json::from_str(body).ok()?;
    v["data"][0]["id"].as_str().map(str::to_string)
}

fn model() -> String {
    std::env::var("MOCKROUND_E2E_MODEL")
        .ok()
        .or_else(served_model)
        .expect("the server lists no model: set MOCKROUND_E2E_MODEL")
}

/// Instruction-tuned models are held to more than "the round survives".
fn is_instruct(model: &str) -> bool {
    !model.to_ascii_lowercase().contains("gemma3-270m")
}

/// Fail (not skip) with instructions when the server is not up.
fn require_server() {
    let url = format!("{}/models", base_url());
    let (addr, _) = models_endpoint();
    let up = std::net::TcpStream::connect_timeout(
        &addr
            .parse()
            .expect("MOCKROUND_E2E_BASE_URL must be http://IP:PORT/v1"),
        Duration::from_secs(2),
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
    let started = std::time::Instant::now();
    let out = mockround(dir.path())
        .args(["practice", "--problem", "clickstream", "--answers"])
        .arg(&script)
        .output()
        .expect("run mockround");
    let took = started.elapsed().as_secs_f64();
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
    let kept = records
        .iter()
        .filter(|r| {
            r["type"] == "interviewer" && r["by_model"] == true && r.get("fallback").is_none()
        })
        .count();
    assert!(interviewer >= 10, "{interviewer} interviewer turns");
    assert_eq!(records.last().expect("end")["type"], "end");
    keep(&journal, "round.jsonl");
    let model = model();
    eprintln!(
        "{model}: {interviewer} interviewer turns, {kept} in the model's words, {fallbacks} replaced by the template; {took:.0} s"
    );
    // An instruction-tuned model holds the role: some of its replies pass
    // every check and reach the candidate.
    if is_instruct(&model) {
        assert!(kept > 0, "no reply of {model} was kept:\n{text}");
    }
}

#[test]
#[ignore = "needs a local model server: scripts/local-model.sh start"]
fn batch_of_10_answers_graded_with_the_local_judge_gets_one_row_each() {
    require_server();
    let dir = tempfile::tempdir().expect("tempdir");
    // Ten answers spread over the calibration set (every problem and level),
    // not the first ten by name.
    let answers: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(fixtures().join("answers"))
            .expect("calibration answers")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .collect();
        v.sort();
        let n = v.len();
        (0..10).map(|k| v[k * n / 10].clone()).collect()
    };
    assert_eq!(answers.len(), 10);
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("mkdir");
    for a in &answers {
        std::fs::copy(a, input.join(a.file_name().expect("name"))).expect("copy");
    }
    // A small model on a CPU is slow: give each judge request ten minutes,
    // and cap its reply so a model that never closes its JSON costs 600
    // tokens, not 2,000 (the row then falls back to the rubric scorer).
    // Instruction-tuned models judge the key concepts in the compact form,
    // as a profile for a small local model should.
    let model = model();
    let scope = if is_instruct(&model) {
        "key-concepts"
    } else {
        "all"
    };
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"local\"\n[backends.local]\nkind = \"openai\"\nbase_url = \"{}\"\nmodel = \"{model}\"\njobs = 1\njudge_max_tokens = 600\njudge_scope = \"{scope}\"\n\
             [backends.local.timeouts]\nrequest_secs = 600\nidle_secs = 300\n[backends.local.retry]\nmax_attempts = 2\n",
            base_url(),
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
    assert_eq!(rows.len(), 10, "one row per input:\n{s}");
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
        "{model} ({scope}): judged by the model: {judged}/10 in {:.0} s; tokens reported by the server: prompt {prompt_tokens}, completion {completion_tokens}",
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
    // With the compact schema as its grammar, an instruction-tuned model's
    // judgement parses and counts.
    if is_instruct(&model) {
        assert!(judged > 0, "no answer was judged by {model}:\n{s}");
    }
}
