//! Judge-reply parser and quote verification: any model output gives a
//! reply or a `JudgeError`; every verified quote is a real span of the
//! answer and no credit is given without one.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mockround::grade::rubric_scorer::criteria;
use mockround::rubric::Rubric;
use mockround::score::judge::{parse_reply, verify, Criterion};

fn all() -> &'static Vec<Criterion> {
    static C: OnceLock<Vec<Criterion>> = OnceLock::new();
    C.get_or_init(|| criteria(&Rubric::builtin().expect("builtin rubric")))
}

fuzz_target!(init: { all(); }, |data: (&str, &str)| {
    let (reply, answer) = data;
    if let Ok(r) = parse_reply(reply, all()) {
        for item in verify(answer, &r) {
            for e in &item.verified {
                assert_eq!(answer.get(e.start..e.end), Some(e.quote.as_str()), "quote is not a span");
            }
            if item.verified.is_empty() {
                assert_eq!(item.credit(), 0);
            }
        }
    }
    let _ = mockround::score::judge::grader_directed_spans(answer);
});
