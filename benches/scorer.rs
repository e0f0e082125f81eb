//! Scorer throughput: 1,500-word answers scored per second on one core.
//! The matchers are built once in `Scorer::new`; this measures `score` alone.

use criterion::{criterion_group, Criterion, Throughput};
use mockround::rubric::Rubric;
use mockround::score::Scorer;

/// A realistic 1,500-word answer: the L6 calibration answers (diagram,
/// data flow, failures, operations, cost), repeated up to the length.
fn answer_of_1500_words() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/answers");
    let mut parts = Vec::new();
    for name in [
        "clickstream-l6.md",
        "payments-l6.md",
        "feature-store-l6.md",
        "surge-l6.md",
    ] {
        if let Ok(t) = std::fs::read_to_string(format!("{dir}/{name}")) {
            if let Some((_, body)) = t.split_once("\n+++\n") {
                parts.push(body.to_string());
            }
        }
    }
    let mut out = String::new();
    let mut i = 0;
    while out.split_whitespace().count() < 1500 && !parts.is_empty() {
        out.push_str(&parts[i % parts.len()]);
        out.push('\n');
        i += 1;
    }
    let words: Vec<&str> = out.split_whitespace().collect();
    let cut = words.len().min(1500);
    // Keep line structure: trim to the byte where the 1,500th word ends.
    match words.get(cut - 1) {
        Some(last) => {
            let end = out.find(last).map(|_| {
                let mut n = 0;
                let mut pos = 0;
                for (idx, _) in out.match_indices(char::is_whitespace) {
                    if n >= cut {
                        break;
                    }
                    pos = idx;
                    if !out[..idx].ends_with(char::is_whitespace) {
                        n += 1;
                    }
                }
                pos
            });
            out.truncate(end.unwrap_or(out.len()));
            out
        }
        None => out,
    }
}

fn bench(c: &mut Criterion) {
    let rubric = Rubric::builtin().expect("builtin rubric loads");
    let scorer = Scorer::new(&rubric);
    let problem = rubric.problem("clickstream");
    let text = answer_of_1500_words();
    let words = text.split_whitespace().count();
    let mut g = c.benchmark_group("scorer");
    g.throughput(Throughput::Elements(1));
    g.bench_function(format!("score_{words}_word_answer"), |b| {
        b.iter(|| scorer.score(problem, std::hint::black_box(&text)))
    });
    g.bench_function("concept_strengths_live", |b| {
        b.iter(|| scorer.concept_strengths(std::hint::black_box(&text)))
    });
    g.finish();
    c.bench_function("scorer_new_build_matchers_once", |b| {
        b.iter(|| Scorer::new(&rubric))
    });
}

criterion_group!(benches, bench);

/// `SCORER_ITERS=N` skips criterion and scores the answer N times, so a
/// profiler (`valgrind --tool=callgrind`, `perf stat -e instructions`) counts
/// instructions per answer without criterion's own work in the way.
fn main() {
    if let Some(n) = std::env::var("SCORER_ITERS")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let rubric = Rubric::builtin().expect("builtin rubric loads");
        let scorer = Scorer::new(&rubric);
        let problem = rubric.problem("clickstream");
        let text = answer_of_1500_words();
        let live = std::env::var("SCORER_LIVE").is_ok();
        for _ in 0..n {
            if live {
                std::hint::black_box(scorer.concept_strengths(std::hint::black_box(&text)));
            } else {
                std::hint::black_box(scorer.score(problem, std::hint::black_box(&text)));
            }
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
