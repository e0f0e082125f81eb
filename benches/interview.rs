//! Benchmarks for the interview agent (not timed tests):
//! 1. the agent's own time per turn, excluding the backend: session step +
//!    building the model request (token budgeting) + committing the reply,
//!    over a 60-minute transcript; prints p50/p99/max (target: p99 < 2 ms);
//! 2. peak heap of a full round, measured with a counting allocator
//!    (target: < 30 MB), including rubric load and the tokenizer;
//! 3. a criterion measurement of one late-round turn.
//!
//! Run: `cargo bench --bench interview`

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{criterion_group, BatchSize, Criterion};
use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{ChatBackend, HttpBackendSettings, RetryPolicy, Timeouts};
use mockround::interview::clock::Pace;
use mockround::interview::phrasing::Phraser;
use mockround::interview::session::{Input, Session};
use mockround::interview::templates::Templates;
use mockround::rubric::Rubric;
use mockround::score::Scorer;

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const SCRIPT: &str = include_str!("../tests/fixtures/scripts/clickstream_strong.txt");

fn model_backend() -> Arc<dyn ChatBackend> {
    // Never contacted: only requests are built, so the backend is excluded.
    Arc::new(
        OpenAiBackend::new(HttpBackendSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "bench".into(),
            api_key_env: None,
            api_key: None,
            timeouts: Timeouts {
                connect: Duration::from_millis(10),
                request: Duration::from_millis(10),
                idle: Duration::from_millis(10),
            },
            retry: RetryPolicy {
                max_attempts: 1,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(1),
            },
            context_tokens: Some(8192),
            keep_alive: None,
            system_role: mockround::backend::SystemRole::Native,
        })
        .expect("backend"),
    )
}

/// A 60-minute transcript: 100 thinking-aloud turns in the clarify phase
/// (30 s apart), then the strong scripted round. Untimed, so nothing ends early.
fn inputs() -> Vec<Input> {
    let mut v: Vec<Input> = (0..100)
        .map(|i| {
            Input::Answer(format!(
                "Thinking aloud, part {i}: I want to be careful about the requirements here, \
                 because the answers decide the whole architecture, so I'll note my assumptions \
                 about retention, cost and the on-call rotation before I draw anything at all."
            ))
        })
        .collect();
    v.extend(
        SCRIPT
            .split("\n---\n")
            .map(|b| Input::from_journal(b.trim())),
    );
    v
}

struct Agent {
    session: Session,
    phraser: Phraser,
}

fn agent(rubric: &Rubric, templates: &Arc<Templates>) -> Agent {
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let mut session = Session::new(problem, templates.clone(), Pace::Untimed, 1);
    let phraser = Phraser::new(
        model_backend(),
        templates.clone(),
        &session,
        8192,
        None,
        None,
    );
    session.open(0);
    Agent { session, phraser }
}

fn step(a: &mut Agent, scorer: &Scorer, input: Input, now: u64) {
    let text = input.journal_text();
    let turn = a.session.handle(input, now, scorer);
    let req = a.phraser.prepare(&text, &a.session, &turn, now);
    std::hint::black_box(&req);
    a.phraser.commit("Which key, and why that one?");
}

fn per_turn_percentiles(rubric: &Rubric, scorer: &Scorer, templates: &Arc<Templates>) {
    let mut samples: Vec<Duration> = Vec::new();
    let mut slowest: Vec<(Duration, usize)> = Vec::new();
    for _ in 0..20 {
        let mut a = agent(rubric, templates);
        for (i, input) in inputs().into_iter().enumerate() {
            let now = (i as u64 + 1) * 30_000;
            let t = Instant::now();
            step(&mut a, scorer, input, now);
            let d = t.elapsed();
            samples.push(d);
            slowest.push((d, i));
        }
    }
    slowest.sort();
    let tail: Vec<String> = slowest
        .iter()
        .rev()
        .take(8)
        .map(|(d, i)| format!("turn {i}: {d:?}"))
        .collect();
    println!("slowest turns: {}", tail.join(", "));
    samples.sort();
    let pct = |p: f64| samples[((samples.len() as f64 - 1.0) * p) as usize];
    println!(
        "agent time per turn over a 60-minute transcript ({} turns): p50 {:?}, p99 {:?}, max {:?} (target p99 < 2 ms)",
        samples.len(),
        pct(0.50),
        pct(0.99),
        samples[samples.len() - 1]
    );
}

fn peak_memory_of_a_round() {
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    {
        let rubric = Rubric::builtin().expect("rubric");
        let scorer = Scorer::new(&rubric);
        let templates = Arc::new(Templates::builtin());
        let mut a = agent(&rubric, &templates);
        for (i, input) in inputs().into_iter().enumerate() {
            step(&mut a, &scorer, input, (i as u64 + 1) * 30_000);
        }
        let card = scorer.score_session(
            Some(a.session.problem()),
            a.session.design(),
            &a.session.facts(),
        );
        std::hint::black_box(card);
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "peak heap of a full 60-minute round (rubric, tokenizer, session, history, scoring): {:.1} MB (target < 30 MB)",
        peak as f64 / 1_048_576.0
    );
}

fn late_turn(c: &mut Criterion) {
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    let templates = Arc::new(Templates::builtin());
    let mut a = agent(&rubric, &templates);
    let all = inputs();
    let n = all.len();
    for (i, input) in all.into_iter().take(n - 1).enumerate() {
        step(&mut a, &scorer, input, (i as u64 + 1) * 30_000);
    }
    let last = SCRIPT
        .split("\n---\n")
        .last()
        .unwrap_or("")
        .trim()
        .to_string();
    c.bench_function("agent turn at the end of a 60-minute round", |b| {
        b.iter_batched(
            || Agent {
                session: a.session.clone(),
                phraser: a.phraser.clone(),
            },
            |mut ag| {
                step(
                    &mut ag,
                    &scorer,
                    Input::Answer(last.clone()),
                    (n as u64) * 30_000,
                )
            },
            BatchSize::SmallInput,
        )
    });
}

criterion_group!(benches, late_turn);

fn main() {
    peak_memory_of_a_round();
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    let templates = Arc::new(Templates::builtin());
    per_turn_percentiles(&rubric, &scorer, &templates);
    benches();
    Criterion::default().configure_from_args().final_summary();
}
