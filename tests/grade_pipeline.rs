//! The batch pipeline end to end with a scripted backend: one row per input
//! whatever happens, resume after a kill, bounded concurrency, slowing down
//! under a 429 storm, and reproducible rows.

mod grade_common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Duration;

use grade_common::*;
use mockround::backend::{BackendError, ChatBackend};
use mockround::grade::grader::Grader;
use mockround::grade::input::Inputs;
use mockround::grade::pipeline::{self, NoProgress, PipelineOptions, RowSink, RunStats};
use mockround::grade::results;

fn grader(backend: Arc<dyn ChatBackend>) -> Arc<Grader> {
    let mut g = Grader::new(Arc::new(KeywordScorer), backend);
    g.seed = Some(42);
    Arc::new(g)
}

fn opts(jobs: usize) -> PipelineOptions {
    PipelineOptions {
        jobs,
        throttle_backoff: Duration::from_millis(5),
        throttle_backoff_max: Duration::from_millis(40),
        throttle_attempts: 20,
    }
}

async fn run_to(g: Arc<Grader>, inputs: &[PathBuf], out: &Path, o: PipelineOptions) -> RunStats {
    let mut done = results::load_done(out).expect("load done");
    let mut app = results::open_append(out).expect("open out");
    let mut sinks: Vec<&mut dyn RowSink> = vec![&mut app];
    pipeline::run(
        g,
        Inputs::new(inputs),
        &mut done,
        &mut sinks,
        &mut NoProgress,
        o,
    )
    .await
    .expect("run")
}

fn ok_backend(delay_ms: u64) -> Arc<ScriptedBackend> {
    ScriptedBackend::new(Duration::from_millis(delay_ms), |_, _| {
        Ok(reply_all(
            3,
            &["we get exactly-once because Flink checkpoints"],
        ))
    })
}

#[tokio::test]
async fn mixed_good_and_bad_inputs_each_get_exactly_one_row() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir(d.join("answers")).expect("mkdir");
    std::fs::write(
        d.join("answers/good.md"),
        "problem: clickstream\nWe get exactly-once because of checkpoints.",
    )
    .expect("w");
    std::fs::write(d.join("answers/empty.md"), "  \n").expect("w");
    std::fs::write(d.join("answers/binary.txt"), b"ab\0cd").expect("w");
    std::fs::write(d.join("answers/latin1.txt"), [0x63, 0x61, 0x66, 0xe9]).expect("w");
    std::fs::write(
        d.join("answers/unknown.md"),
        "---\nproblem: nope\n---\nSome answer",
    )
    .expect("w");
    std::fs::write(d.join("answers/ignored.png"), "not an answer").expect("w");
    std::fs::write(
        d.join("batch.jsonl"),
        "{\"id\":\"j1\",\"problem\":\"clickstream\",\"answer\":\"idempotent writes because of keys.\"}\n{oops\n{\"id\":\"j3\",\"answer\":\"\"}\n",
    )
    .expect("w");
    let out = d.join("results.jsonl");
    let inputs = vec![
        d.join("answers"),
        d.join("batch.jsonl"),
        d.join("missing.md"),
    ];
    let stats = run_to(grader(ok_backend(0)), &inputs, &out, opts(4)).await;

    let rows = read_rows(&out);
    // 5 files in answers/ (png ignored), 3 JSONL lines, 1 missing path.
    assert_eq!(rows.len(), 9, "{rows:#?}");
    assert_eq!(stats.written, 9);
    let by_source = |s: &str| {
        rows.iter()
            .find(|r| r["source"].as_str().is_some_and(|x| x.ends_with(s)))
            .unwrap_or_else(|| panic!("no row for {s}"))
            .clone()
    };
    assert_eq!(by_source("good.md")["status"], "graded");
    assert_eq!(by_source("good.md")["judge_status"], "ok");
    assert!(by_source("empty.md")["error"]
        .as_str()
        .expect("msg")
        .contains("empty"));
    assert!(by_source("binary.txt")["error"]
        .as_str()
        .expect("msg")
        .contains("binary"));
    assert!(by_source("latin1.txt")["error"]
        .as_str()
        .expect("msg")
        .contains("UTF-8"));
    let unknown = by_source("unknown.md")["error"]
        .as_str()
        .expect("msg")
        .to_string();
    assert!(
        unknown.contains("`nope`") && unknown.contains("clickstream"),
        "{unknown}"
    );
    assert!(by_source("batch.jsonl:2")["error"]
        .as_str()
        .expect("msg")
        .contains("JSON"));
    assert_eq!(by_source("batch.jsonl:3")["id"], "j3");
    assert!(by_source("missing.md")["error"]
        .as_str()
        .expect("msg")
        .contains("cannot open"));
    assert_eq!(stats.failed, 7);

    // A rerun adds nothing: good rows and bad rows are both already there.
    let again = run_to(grader(ok_backend(0)), &inputs, &out, opts(4)).await;
    assert_eq!(again.written, 0);
    assert_eq!(again.skipped, 9);
    assert_eq!(read_rows(&out).len(), 9);
}

#[tokio::test]
async fn killed_run_resumes_grading_exactly_the_remaining_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 40);
    let out = dir.path().join("out.jsonl");
    let inputs = vec![input.clone()];

    // "Kill" the first run part-way by dropping it.
    let first = tokio::time::timeout(
        Duration::from_millis(150),
        run_to(grader(ok_backend(20)), &inputs, &out, opts(4)),
    )
    .await;
    assert!(first.is_err(), "the first run must be cut short");
    let partial = read_rows(&out).len();
    assert!(partial > 0 && partial < 40, "partial rows: {partial}");
    // Simulate dying in the middle of writing a row.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&out)
            .expect("open");
        f.write_all(b"{\"id\":\"a0039\",\"key\":\"tor")
            .expect("torn write");
    }

    let backend = ok_backend(1);
    let stats = run_to(grader(backend.clone()), &inputs, &out, opts(4)).await;
    let rows = read_rows(&out);
    assert_eq!(rows.len(), 40, "every input ends with exactly one row");
    let ids: HashSet<&str> = rows.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(ids.len(), 40, "no input graded twice");
    assert_eq!(stats.skipped as usize, partial);
    assert_eq!(backend.calls.load(Ordering::SeqCst), 40 - partial);
}

#[tokio::test]
async fn never_more_requests_in_flight_than_jobs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 24);
    let out = dir.path().join("out.jsonl");
    let backend = ok_backend(25);
    run_to(grader(backend.clone()), &[input], &out, opts(3)).await;
    assert_eq!(backend.max_in_flight.load(Ordering::SeqCst), 3);
    assert_eq!(backend.calls.load(Ordering::SeqCst), 24);
}

#[tokio::test]
async fn a_429_storm_slows_the_run_down_instead_of_failing_inputs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 16);
    let out = dir.path().join("out.jsonl");
    let backend = ScriptedBackend::new(Duration::from_millis(2), |_, n| {
        if n < 12 {
            Err(BackendError::RetriesExhausted {
                attempts: 2,
                last: Box::new(BackendError::Status {
                    status: 429,
                    url: "http://127.0.0.1/v1/chat/completions".into(),
                    body: "rate limited".into(),
                }),
            })
        } else {
            Ok(reply_all(
                3,
                &["we get exactly-once because Flink checkpoints"],
            ))
        }
    });
    let stats = run_to(grader(backend.clone()), &[input], &out, opts(8)).await;
    let rows = read_rows(&out);
    assert_eq!(rows.len(), 16);
    assert!(
        rows.iter().all(|r| r["judge_status"] == "ok"),
        "no input failed"
    );
    assert!(stats.throttled >= 1);
    assert!(
        stats.min_limit < 8,
        "concurrency was cut: {}",
        stats.min_limit
    );
}

#[tokio::test]
async fn same_inputs_at_temperature_zero_with_a_seed_give_the_same_rows() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 6);
    let strip = |mut rows: Vec<serde_json::Value>| {
        for r in &mut rows {
            r["latency_ms"] = serde_json::json!(0);
        }
        rows.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
        rows
    };
    let a = dir.path().join("a.jsonl");
    let b = dir.path().join("b.jsonl");
    let backend = ok_backend(0);
    run_to(
        grader(backend.clone()),
        std::slice::from_ref(&input),
        &a,
        opts(3),
    )
    .await;
    run_to(grader(ok_backend(0)), &[input], &b, opts(2)).await;
    assert_eq!(strip(read_rows(&a)), strip(read_rows(&b)));
    let req = backend.requests.lock().expect("lock")[0].clone();
    assert_eq!(req.temperature, Some(0.0));
    assert_eq!(req.seed, Some(42));
}

#[tokio::test]
async fn offline_backend_rows_are_rubric_scorer_only() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in.jsonl");
    write_jsonl(&input, 3);
    let out = dir.path().join("out.jsonl");
    let g = Arc::new(Grader::new(
        Arc::new(KeywordScorer),
        Arc::new(mockround::backend::offline::OfflineBackend::new()),
    ));
    let stats = run_to(g, &[input], &out, opts(2)).await;
    assert_eq!(stats.failed, 0);
    let rows = read_rows(&out);
    assert!(rows.iter().all(|r| r["judge_status"] == "none"));
    assert_eq!(rows[0]["concepts"][0]["evidence"], 3);
    assert_eq!(rows[0]["concepts"][0]["judge"], serde_json::Value::Null);
}

#[tokio::test]
async fn inputs_are_pulled_lazily_not_loaded_up_front() {
    use mockround::grade::input::Answer;
    use std::sync::atomic::AtomicUsize;

    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    // An endless batch: it can only finish if nothing tries to read it all.
    let inputs = (0..).map(move |i: usize| {
        counter.fetch_add(1, Ordering::SeqCst);
        Ok(Answer {
            id: format!("n{i}"),
            source: "gen".into(),
            problem: None,
            text: format!("answer {i}: exactly-once because checkpoints."),
        })
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.jsonl");
    let mut app = results::open_append(&out).expect("open");
    let mut done = results::DoneSet::default();
    let jobs = 4;
    let run = async {
        let mut sinks: Vec<&mut dyn RowSink> = vec![&mut app];
        pipeline::run(
            grader(ok_backend(20)),
            inputs,
            &mut done,
            &mut sinks,
            &mut NoProgress,
            opts(jobs),
        )
        .await
    };
    let cut = tokio::time::timeout(Duration::from_millis(200), run).await;
    assert!(cut.is_err(), "an endless batch runs until stopped");
    drop(app);
    let written = read_rows(&out).len();
    let pulled = pulled.load(Ordering::SeqCst);
    // Read-ahead is the in-flight answers plus a small queue, never the batch.
    assert!(
        pulled <= written + jobs + 2 * jobs + 2,
        "pulled {pulled} inputs for {written} rows"
    );
}
