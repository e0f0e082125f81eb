//! Chaos run of `mockround grade`: 300 answers through the real binary
//! against a judge server that injects faults at random with a fixed seed —
//! 429 with and without `Retry-After`, 500/502/503, replies slower than the
//! timeout, malformed JSON, empty `choices`, and connection refused for the
//! first seconds. Every input must end with exactly one row, no row is
//! duplicated, and every input the judge graded scores exactly what a
//! fault-free run gives it.

mod robust_support;

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use robust_support::Home;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const ANSWERS: usize = 300;

/// A deterministic judge: the same request always gets the same reply, so a
/// faulty run and a clean run can be compared score for score.
fn judge_reply(req: &Request) -> ResponseTemplate {
    let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
    let mut ids = Vec::new();
    ids_in(&body, &mut ids);
    let user = body["messages"]
        .as_array()
        .and_then(|m| m.last())
        .and_then(|m| m["content"].as_str())
        .unwrap_or_default();
    let quote = user
        .lines()
        .find(|l| l.len() > 20 && !l.starts_with("<<<") && !l.starts_with("Grade the answer"))
        .unwrap_or("")
        .to_string();
    let items: Vec<Value> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({"id": id, "score": (i % 5) as u8, "quotes": [quote], "rationale": "r"}))
        .collect();
    ResponseTemplate::new(200).set_body_json(json!({
        "id": "c", "object": "chat.completion", "model": "judge",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": json!({"criteria": items}).to_string()}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
    }))
}

fn ids_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(t)), Some(Value::Array(e))) = (m.get("type"), m.get("enum"))
            {
                if t == "string" {
                    out.extend(e.iter().filter_map(|x| x.as_str().map(str::to_string)));
                }
            }
            // The compact form fixes each position's id.
            if let Some(Value::String(id)) = m.get("id").and_then(|i| i.get("const")) {
                out.push(id.clone());
            }
            m.values().for_each(|x| ids_in(x, out));
        }
        Value::Array(a) => a.iter().for_each(|x| ids_in(x, out)),
        _ => {}
    }
}

#[derive(Default)]
struct Counts {
    by_kind: Mutex<BTreeMap<&'static str, usize>>,
    requests: AtomicUsize,
}

/// The judge with seeded faults in front of it.
struct Chaos {
    rng: Mutex<rand::rngs::StdRng>,
    counts: Arc<Counts>,
}

impl Respond for Chaos {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        self.counts.requests.fetch_add(1, Ordering::Relaxed);
        let roll = self
            .rng
            .lock()
            .map(|mut r| r.random_range(0..100u32))
            .unwrap_or(99);
        let (kind, reply) = match roll {
            0..=4 => (
                "429 with Retry-After",
                ResponseTemplate::new(429)
                    .insert_header("retry-after", "0")
                    .set_body_string("slow down"),
            ),
            5..=9 => (
                "429 without Retry-After",
                ResponseTemplate::new(429)
                    .set_body_string("{\"error\":{\"message\":\"rate limited\"}}"),
            ),
            10..=13 => ("500", ResponseTemplate::new(500).set_body_string("boom")),
            14..=17 => (
                "502",
                ResponseTemplate::new(502).set_body_string("bad gateway"),
            ),
            18..=21 => (
                "503",
                ResponseTemplate::new(503).set_body_string("unavailable"),
            ),
            22..=24 => (
                "slower than the timeout",
                judge_reply(req).set_delay(Duration::from_millis(1500)),
            ),
            25..=27 => (
                "malformed JSON",
                ResponseTemplate::new(200)
                    .insert_header("content-type", "application/json")
                    .set_body_string("{\"choices\":[{\"message\":"),
            ),
            28..=30 => (
                "empty choices",
                ResponseTemplate::new(200).set_body_json(json!({"choices": []})),
            ),
            _ => ("none", judge_reply(req)),
        };
        if let Ok(mut m) = self.counts.by_kind.lock() {
            *m.entry(kind).or_default() += 1;
        }
        reply
    }
}

struct Clean;
impl Respond for Clean {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        judge_reply(req)
    }
}

fn answers_jsonl() -> String {
    let parts = [
        "We ingest with Kafka at 200K events/sec, 100 partitions keyed by user_id.",
        "Flink checkpoints every minute with EXACTLY_ONCE and dedupes by event_id.",
        "Late events beyond 24 hours go to a dead-letter prefix and a daily job reprocesses them.",
        "The warehouse load is an idempotent MERGE on event_id, so reruns are safe.",
        "We backfill by rerunning the hourly job for a date range; it overwrites partitions.",
        "Schema changes go through a registry in backward compatible mode.",
        "The on-call engineer is paged on consumer lag over 5 minutes.",
        "It should be fast and scalable.",
    ];
    let mut rng = rand::rngs::StdRng::seed_from_u64(300);
    let mut out = String::new();
    for i in 0..ANSWERS {
        let n = rng.random_range(1..=parts.len());
        let text: Vec<&str> = (0..n)
            .map(|_| parts[rng.random_range(0..parts.len())])
            .collect();
        out.push_str(&json!({"id": format!("a{i:03}"), "problem": "clickstream", "answer": format!("Answer {i}. {}", text.join(" "))}).to_string());
        out.push('\n');
    }
    out
}

fn config(home: &Home, base: &str) -> String {
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"judge\"\n[backends.judge]\nkind = \"openai\"\nbase_url = \"{base}/v1\"\nmodel = \"judge\"\njobs = 8\n\
             [backends.judge.timeouts]\nconnect_secs = 0.2\nrequest_secs = 0.5\nidle_secs = 0.5\n\
             [backends.judge.retry]\nmax_attempts = 15\nbase_delay_ms = 20\nmax_delay_secs = 1.0\n"
        ),
    )
    .expect("config");
    cfg.to_string_lossy().into_owned()
}

fn rows(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .expect("results")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("row JSON"))
        .collect()
}

async fn grade(home: Home, cfg: String) -> (Home, robust_support::Run, Vec<Value>) {
    let input = home.path().join("answers.jsonl");
    std::fs::write(&input, answers_jsonl()).expect("answers");
    let out = home.path().join("results.jsonl");
    let (i, o) = (
        input.to_string_lossy().into_owned(),
        out.to_string_lossy().into_owned(),
    );
    let (home, run) = tokio::task::spawn_blocking(move || {
        let r = home.run(
            &["--config", &cfg, "grade", &i, "--out", &o],
            &[],
            None,
            Duration::from_secs(90),
        );
        (home, r)
    })
    .await
    .expect("join");
    let rows = rows(&out);
    (home, run, rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_of_300_survives_seeded_faults_with_one_row_each_and_clean_scores() {
    // Fault-free reference.
    let clean = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .respond_with(Clean)
        .mount(&clean)
        .await;
    let home = Home::new();
    let cfg = config(&home, &clean.uri());
    let (_h, run, reference) = grade(home, cfg).await;
    run.assert_no_panic("clean batch");
    assert_eq!(reference.len(), ANSWERS, "{}", run.all());
    let reference: BTreeMap<String, Value> = reference
        .into_iter()
        .map(|r| (r["id"].as_str().unwrap_or_default().to_string(), r))
        .collect();
    if let Some(bad) = reference.values().find(|r| r["judge_status"] != "ok") {
        panic!("clean run had failures: {bad}");
    }

    // The chaos server's port refuses connections for the first 1.5 s.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("port")
        .local_addr()
        .expect("addr")
        .port();
    let counts = Arc::new(Counts::default());
    let home = Home::new();
    let cfg = config(&home, &format!("http://127.0.0.1:{port}"));
    let c2 = counts.clone();
    let server_task = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let listener = TcpListener::bind(("127.0.0.1", port)).expect("rebind the port");
        let server = MockServer::builder().listener(listener).start().await;
        Mock::given(method("POST"))
            .and(path("/v1/chat/completions"))
            .respond_with(Chaos {
                rng: Mutex::new(rand::rngs::StdRng::seed_from_u64(0xFA17)),
                counts: c2,
            })
            .mount(&server)
            .await;
        server
    });
    let (_home, run, rows) = grade(home, cfg).await;
    let _server = server_task.await.expect("server");
    run.assert_no_panic("chaos batch");

    // Exactly one row per input, none duplicated.
    assert_eq!(rows.len(), ANSWERS, "{}", run.stderr);
    let mut ids: Vec<&str> = rows
        .iter()
        .map(|r| r["id"].as_str().unwrap_or_default())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), ANSWERS, "duplicated rows");

    // Graded rows score what the clean run gave them.
    let mut graded = 0;
    for r in &rows {
        let id = r["id"].as_str().unwrap_or_default();
        if let Some(note) = r["judge_note"].as_str() {
            // The server is on this machine: a request that timed out is not
            // sent again as is. The row was judged once more on the key
            // concepts only (a smaller, different judgement) or fell back to
            // the rubric scorer, and says so.
            assert!(note.contains("timed out"), "{id}: {note}");
            assert_eq!(
                r["evidence_overall"], reference[id]["evidence_overall"],
                "{id}"
            );
            continue;
        }
        if r["judge_status"] == "ok" {
            graded += 1;
            assert_eq!(
                r["overall"], reference[id]["overall"],
                "{id} scored differently under faults"
            );
            assert_eq!(r["concepts"], reference[id]["concepts"], "{id}");
        } else {
            // Only replies that are not the wire format (malformed JSON,
            // empty choices) are not retried; they say so in the row.
            let e = r["error"].as_str().unwrap_or_default();
            assert!(
                e.contains("cannot read"),
                "{id}: a retryable fault failed the row: {e}"
            );
            assert!(
                r["error"].is_string(),
                "{id}: failed row without a reason: {r}"
            );
            assert_eq!(
                r["evidence_overall"], reference[id]["evidence_overall"],
                "{id}"
            );
        }
    }
    let faults: usize = counts
        .by_kind
        .lock()
        .map(|m| {
            m.iter()
                .filter(|(k, _)| **k != "none")
                .map(|(_, v)| *v)
                .sum()
        })
        .unwrap_or(0);
    let by_kind = counts
        .by_kind
        .lock()
        .map(|m| format!("{m:?}"))
        .unwrap_or_default();
    eprintln!(
        "chaos batch: {ANSWERS} inputs, {graded} judged, {} rows with a clear judge error, {} requests, {faults} faults injected {by_kind} plus 1.5 s of connection refused",
        ANSWERS - graded,
        counts.requests.load(Ordering::Relaxed)
    );
    assert!(faults >= 50, "too few faults injected: {faults}");
    assert!(
        graded >= ANSWERS * 9 / 10,
        "only {graded} of {ANSWERS} survived the faults"
    );
}
