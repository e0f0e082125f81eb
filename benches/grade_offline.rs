//! Offline grading cost per answer: the rubric scorer on a ~1,500-word
//! answer, and the judge-side work (quote verification + combination) that
//! runs on top of it when a model is configured. Answers per second on one
//! core is 1 / the `score_1500_words` time.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use mockround::rubric::Rubric;
use mockround::score::judge::{self, JudgeItem, JudgeReply};
use mockround::score::{combine, Scorer};

const SENTENCES: [&str; 8] = [
    "Clarify first: peak is 200K events/sec, dashboards need data within a minute.",
    "Producers write JSON to Kafka with 64 partitions keyed by user_id and a 7 day retention.",
    "Flink consumes with event-time windows and a 10 minute watermark; late events go to a side output.",
    "We get exactly-once because Flink checkpoints every 30 seconds and the Iceberg sink commits on checkpoint.",
    "Writes are idempotent: a MERGE on event_id makes replays safe after a crash.",
    "Backfill reads raw Parquet from S3 and reprocesses a day at a time.",
    "A hot key from a viral page is salted into 16 sub-keys and re-aggregated downstream.",
    "If a TaskManager dies, Flink restarts from the last checkpoint and Kafka offsets rewind.",
];

fn answer(words: usize) -> String {
    let mut s = String::new();
    let mut i = 0;
    while s.split_whitespace().count() < words {
        s.push_str(SENTENCES[i % SENTENCES.len()]);
        s.push(' ');
        i += 1;
    }
    s
}

fn bench(c: &mut Criterion) {
    let Ok(rubric) = Rubric::builtin() else {
        eprintln!("the built-in rubric did not load; nothing to benchmark");
        return;
    };
    let scorer = Scorer::new(&rubric);
    let problem = rubric.problem("clickstream").cloned();
    let text = answer(1500);
    c.bench_function("score_1500_words", |b| {
        b.iter(|| scorer.score(black_box(problem.as_ref()), black_box(&text)))
    });

    let card = scorer.score(problem.as_ref(), &text);
    let reply = JudgeReply {
        items: rubric
            .concepts
            .iter()
            .map(|c| {
                (
                    c.id.to_string(),
                    JudgeItem {
                        id: c.id.to_string(),
                        score: 3,
                        quotes: vec![SENTENCES[3].to_string(), "not in the answer at all".into()],
                        rationale: String::new(),
                    },
                )
            })
            .collect(),
    };
    c.bench_function("verify_and_combine_1500_words", |b| {
        b.iter(|| {
            let v = judge::verify(black_box(&text), black_box(&reply));
            combine::combine(&card, &v, false, combine::DEFAULT_DISAGREE_THRESHOLD)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
