//! Chaos run of a full scripted interview through the real binary against a
//! raw loopback OpenAI-compatible server that injects faults with a fixed
//! seed on every other request: 429 with and without `Retry-After`,
//! 500/502/503, replies slower than the timeout, streams cut mid-reply,
//! malformed JSON chunks, empty `choices`, and connection refused for the first second. The round must
//! complete, or stop with a clear message and a journal that `--resume`
//! finishes; either way every scripted answer is journaled exactly once.
//! By design a backend fault never stops a round (the interviewer falls
//! back to its templates; `chaos_backend_down.rs` covers a server that stays
//! down), so every round here must finish first time; the stop-and-resume
//! path is exercised by `chaos_disk_full.rs`, where the journal cannot be
//! written.

mod robust_support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mockround::transcript::{read_journal, Record};
use rand::{Rng, SeedableRng};
use robust_support::{read_request, Home};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};

const ANSWERS: &[&str] = robust_support::ROUND_ANSWERS;

#[derive(Default)]
struct Tally {
    faults: AtomicUsize,
    requests: AtomicUsize,
    kinds: Mutex<std::collections::BTreeMap<&'static str, usize>>,
}

fn sse_ok(text: &str) -> String {
    let chunk = |c: &str| {
        format!(
            "data: {}\n\n",
            serde_json::json!({"choices":[{"index":0,"delta":{"content":c}}]})
        )
    };
    let mut body: String = text.split_inclusive(' ').map(chunk).collect();
    body.push_str("data: [DONE]\n\n");
    body
}

fn whole_ok(text: &str) -> String {
    serde_json::json!({"choices":[{"index":0,"message":{"role":"assistant","content":text}}],"usage":{"prompt_tokens":5,"completion_tokens":5}}).to_string()
}

async fn respond(mut s: TcpStream, fault: u32, tally: Arc<Tally>) {
    let Some(req) = read_request(&mut s).await else {
        return;
    };
    tally.requests.fetch_add(1, Ordering::Relaxed);
    let streaming = req.contains("\"stream\":true");
    let text = "Thanks. Tell me more about how the data flows, with formats and volumes.";
    let status = |code: u16, extra: &str, body: &str| {
        format!("HTTP/1.1 {code} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{extra}\r\n{body}", body.len())
    };
    let (kind, out): (&'static str, Option<String>) = match fault {
        0..=5 => (
            "429 with Retry-After",
            Some(status(429, "retry-after: 0\r\n", "{}")),
        ),
        6..=10 => (
            "429 without Retry-After",
            Some(status(429, "", "{\"error\":{\"message\":\"slow down\"}}")),
        ),
        11..=13 => ("500", Some(status(500, "", "boom"))),
        14..=16 => ("502", Some(status(502, "", "bad gateway"))),
        17..=19 => ("503", Some(status(503, "", "unavailable"))),
        20..=23 => ("slower than the timeout", {
            tokio::time::sleep(Duration::from_millis(1200)).await;
            None
        }),
        24..=28 if streaming => ("stream cut mid-reply", {
            let body = sse_ok(text);
            let cut = &body[..body.len() / 2];
            Some(format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n{cut}"))
        }),
        29..=31 => (
            "malformed JSON",
            Some(if streaming {
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: {\"choices\":[{\"delta\":\n\n".to_string()
            } else {
                status(200, "", "{\"choices\":[{\"message\":")
            }),
        ),
        32..=34 => (
            "empty choices",
            Some(if streaming {
                "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\ndata: {\"choices\":[]}\n\ndata: [DONE]\n\n".to_string()
            } else {
                status(200, "", "{\"choices\":[]}")
            }),
        ),
        _ => (
            "none",
            Some(if streaming {
                format!("HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n{}", sse_ok(text))
            } else {
                status(200, "", &whole_ok(text))
            }),
        ),
    };
    if kind != "none" {
        tally.faults.fetch_add(1, Ordering::Relaxed);
    }
    if let Ok(mut k) = tally.kinds.lock() {
        *k.entry(kind).or_default() += 1;
    }
    if let Some(out) = out {
        let _ = s.write_all(out.as_bytes()).await;
        let _ = s.flush().await;
    }
}

/// Serves with seeded faults (none when `clean`) on `port` after `delay`.
fn serve(
    port: u16,
    delay: Duration,
    seed: u64,
    clean: bool,
    tally: Arc<Tally>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        tokio::time::sleep(delay).await;
        let Ok(listener) = TcpListener::bind(("127.0.0.1", port)).await else {
            return;
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
        // Every other request is a fault whose kind the seed picks, so the
        // count of faults does not hang on how many requests a round makes
        // (which varies with timing: the first second is refused).
        let mut served = 0u32;
        while let Ok((s, _)) = listener.accept().await {
            let fault = if clean || served % 2 == 1 {
                99
            } else {
                rng.random_range(0..35u32)
            };
            served += 1;
            tokio::spawn(respond(s, fault, tally.clone()));
        }
    })
}

fn config(home: &Home, port: u16) -> String {
    let cfg = home.path().join("config.toml");
    std::fs::write(
        &cfg,
        format!(
            "default = \"m\"\n[backends.m]\nkind = \"openai\"\nbase_url = \"http://127.0.0.1:{port}/v1\"\nmodel = \"m\"\ninterviewer = \"phrase\"\n\
             [backends.m.timeouts]\nconnect_secs = 0.2\nrequest_secs = 0.8\nidle_secs = 0.5\n\
             [backends.m.retry]\nmax_attempts = 10\nbase_delay_ms = 20\nmax_delay_secs = 0.5\n"
        ),
    )
    .expect("config");
    cfg.to_string_lossy().into_owned()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

fn candidates(records: &[Record]) -> Vec<String> {
    records
        .iter()
        .filter_map(|r| match r {
            Record::Candidate { text, .. } if text != "/quit" => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scripted_round_survives_seeded_faults_or_resumes_to_the_end() {
    let tally = Arc::new(Tally::default());
    let mut first_time = 0;
    const SEEDS: [u64; 5] = [0x1E7, 11, 12, 13, 14];
    for seed in SEEDS {
        first_time += usize::from(one_round(seed, tally.clone()).await);
    }
    let kinds = tally
        .kinds
        .lock()
        .map(|k| format!("{k:?}"))
        .unwrap_or_default();
    eprintln!(
        "chaos interview: {} rounds, {} requests, {} faults injected {kinds} plus 1 s of connection refused per round; completed without resume: {first_time}",
        SEEDS.len(),
        tally.requests.load(Ordering::Relaxed),
        tally.faults.load(Ordering::Relaxed)
    );
    assert!(
        tally.faults.load(Ordering::Relaxed) >= 15,
        "too few faults injected"
    );
    assert_eq!(
        first_time,
        SEEDS.len(),
        "a backend fault stopped a round; the interviewer should have used its templates"
    );
}

/// One round against the faulty server; true when it finished without a resume.
async fn one_round(seed: u64, tally: Arc<Tally>) -> bool {
    let port = free_port();
    let server = serve(
        port,
        Duration::from_millis(1000),
        seed,
        false,
        tally.clone(),
    );
    let home = Home::new();
    let cfg = config(&home, port);
    let (home, run) = robust_support::scripted_round(home, cfg, ANSWERS).await;
    run.assert_no_panic("chaos round");
    let journal = robust_support::journal_of(&home);
    let read = read_journal(&journal).expect("journal readable");
    let completed_first_time = run.code == Some(0);
    if !completed_first_time {
        // Stopped: the message is clear and the journal resumes to the end.
        assert!(run.stderr.contains("error:"), "{}", run.all());
        assert!(read.end().is_none());
        let done = candidates(&read.records);
        assert!(ANSWERS.starts_with(&done.iter().map(String::as_str).collect::<Vec<_>>()));
        let clean_port = free_port();
        let _clean = serve(
            clean_port,
            Duration::ZERO,
            0,
            true,
            Arc::new(Tally::default()),
        );
        let cfg = config(&home, clean_port);
        let rest = home.path().join("rest.txt");
        std::fs::write(&rest, ANSWERS[done.len()..].join("\n---\n")).expect("rest");
        let id = journal
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .expect("id");
        let rp = rest.to_string_lossy().into_owned();
        let (_h, again) = tokio::task::spawn_blocking(move || {
            let r = home.run(
                &[
                    "--config",
                    &cfg,
                    "practice",
                    "--resume",
                    &id,
                    "--answers",
                    &rp,
                ],
                &[],
                None,
                Duration::from_secs(60),
            );
            (home, r)
        })
        .await
        .expect("join");
        again.assert_no_panic("resume after chaos");
        assert_eq!(again.code, Some(0), "{}", again.all());
    }
    let read = read_journal(&journal).expect("journal readable");
    assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    assert_eq!(
        candidates(&read.records),
        ANSWERS,
        "answers lost or duplicated"
    );
    assert!(read.end().is_some(), "the round did not finish");
    server.abort();
    completed_first_time
}
