//! Judge-reply parser and quote verification: any model output gives a
//! reply or a `JudgeError`; every verified quote is a real span of the
//! answer and no credit is given without one. Quotes cut from the answer
//! itself (at any character boundaries) are verified too, since a parsed
//! reply rarely quotes the answer by chance.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mockround::grade::rubric_scorer::criteria;
use mockround::rubric::Rubric;
use mockround::score::judge::{parse_reply, verify, Criterion, JudgeItem, JudgeReply};

fn all() -> &'static Vec<Criterion> {
    static C: OnceLock<Vec<Criterion>> = OnceLock::new();
    C.get_or_init(|| criteria(&Rubric::builtin().expect("builtin rubric")))
}

fn check(answer: &str, reply: &JudgeReply) {
    for item in verify(answer, reply) {
        for e in &item.verified {
            assert_eq!(
                answer.get(e.start..e.end),
                Some(e.quote.as_str()),
                "quote is not a span"
            );
        }
        if item.verified.is_empty() {
            assert_eq!(item.credit(), 0);
        }
    }
}

fuzz_target!(init: { all(); }, |data: (&str, &str, Vec<(u16, u16)>)| {
    let (reply, answer, cuts) = data;
    if let Ok(r) = parse_reply(reply, all()) {
        check(answer, &r);
    }
    let bounds: Vec<usize> = answer.char_indices().map(|(i, _)| i).chain([answer.len()]).collect();
    let quotes: Vec<String> = cuts
        .iter()
        .take(4)
        .map(|&(a, b)| {
            let a = bounds[usize::from(a) % bounds.len()];
            let b = bounds[usize::from(b) % bounds.len()];
            answer[a.min(b)..a.max(b)].to_string()
        })
        .collect();
    let items = all()
        .iter()
        .take(3)
        .map(|c| {
            let item = JudgeItem { id: c.id.clone(), score: 3, quotes: quotes.clone(), rationale: String::new() };
            (c.id.clone(), item)
        })
        .collect();
    check(answer, &JudgeReply { items });
    let _ = mockround::score::judge::grader_directed_spans(answer);
});
