//! The scorer over any written answer: a scorecard, never a panic, and every
//! cited quote is a real span of the answer.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mockround::rubric::Rubric;
use mockround::score::Scorer;

fn scorer() -> &'static Scorer {
    static S: OnceLock<Scorer> = OnceLock::new();
    S.get_or_init(|| Scorer::new(&Rubric::builtin().expect("builtin rubric")))
}

// Building the scorer compiles every cue once; under the sanitizer that
// takes seconds, so it happens before the clock starts.
fuzz_target!(init: { scorer(); }, |text: &str| {
    let s = scorer();
    let problem = s.rubric().problems.first();
    let card = s.score(problem, text);
    let _ = serde_json::to_string(&card).expect("scorecard serialises");
    assert!(card.overall <= 100);
    let evidence = card
        .concepts
        .iter()
        .flat_map(|c| &c.evidence)
        .chain(card.signals.iter().flat_map(|s| &s.evidence))
        .chain(card.steps.iter().flat_map(|s| s.checks.iter().flat_map(|c| &c.evidence)));
    for e in evidence {
        assert_eq!(text.get(e.start..e.end), Some(e.quote.as_str()), "quote is not a span");
    }
    let _ = mockround::score::quantities(text);
});
