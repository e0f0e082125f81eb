//! Calibration: 30+ written answers across 8 problems, each with the level
//! and concepts a human grader gave it (front matter between `+++` lines).
//! The scorer must agree on the level for at least 80% of them and never be
//! more than one level off; keyword lists must stay below reasoned answers.

use std::path::{Path, PathBuf};

use mockround::rubric::{Level, Rubric};
use mockround::score::{Scorecard, Scorer};
use serde::Deserialize;

#[derive(Deserialize)]
struct Expected {
    problem: String,
    level: Level,
    credited: Vec<String>,
    style: String,
}

struct Case {
    name: String,
    expected: Expected,
    body: String,
    card: Scorecard,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/answers")
}

fn cases() -> Vec<Case> {
    let rubric = Rubric::builtin().expect("builtin rubric");
    let scorer = Scorer::new(&rubric);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("answers dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("readable answer");
            let rest = text
                .strip_prefix("+++\n")
                .expect("front matter opens with +++");
            let (front, body) = rest
                .split_once("\n+++\n")
                .expect("front matter closes with +++");
            let expected: Expected = toml::from_str(front).expect("front matter is TOML");
            let problem = rubric.problem(&expected.problem).expect("known problem");
            let card = scorer.score(Some(problem), body);
            Case {
                name: p.file_name().expect("name").to_string_lossy().to_string(),
                expected,
                body: body.to_string(),
                card,
            }
        })
        .collect()
}

fn rank(l: Level) -> i32 {
    match l {
        Level::L3 => 3,
        Level::L4 => 4,
        Level::L5 => 5,
        Level::L6 => 6,
    }
}

#[test]
fn calibration_set_is_large_and_spread() {
    let cs = cases();
    assert!(cs.len() >= 30, "{} answers", cs.len());
    let problems: std::collections::BTreeSet<&str> =
        cs.iter().map(|c| c.expected.problem.as_str()).collect();
    assert!(problems.len() >= 6, "{problems:?}");
    for l in [Level::L3, Level::L4, Level::L5, Level::L6] {
        assert!(
            cs.iter().filter(|c| c.expected.level == l).count() >= 4,
            "few {l}"
        );
    }
}

#[test]
fn verdict_matches_on_at_least_80_percent_and_is_never_off_by_more_than_one() {
    let cs = cases();
    let mut agree = 0;
    let mut misses = Vec::new();
    for c in &cs {
        let got = c.card.verdict.level;
        let off = (rank(got) - rank(c.expected.level)).abs();
        if off != 0 {
            misses.push(format!(
                "{}: expected {} got {got}",
                c.name, c.expected.level
            ));
        }
        assert!(
            off <= 1,
            "{}: expected {} got {got} ({:?})",
            c.name,
            c.expected.level,
            c.card.verdict.reasons
        );
        if off == 0 {
            agree += 1;
        }
    }
    let share = agree as f32 / cs.len() as f32;
    assert!(share >= 0.8, "agreement {share:.2}: {misses:#?}");
}

#[test]
fn credited_concepts_are_detected_and_reasoned_ones_explained() {
    for c in cases() {
        for id in &c.expected.credited {
            let s = c
                .card
                .concepts
                .iter()
                .find(|x| x.id.as_str() == id)
                .unwrap_or_else(|| panic!("{}: unknown concept {id}", c.name))
                .strength;
            assert!(s >= 1, "{}: {id} not detected", c.name);
            if c.expected.level >= Level::L5 {
                assert!(s >= 2, "{}: {id} credited but only named", c.name);
            }
        }
    }
}

#[test]
fn keyword_stuffed_answers_stay_at_most_l3_and_below_reasoned_ones() {
    let cs = cases();
    let stuffed: Vec<&Case> = cs
        .iter()
        .filter(|c| c.expected.style == "keyword-stuffed")
        .collect();
    assert!(stuffed.len() >= 3);
    for s in &stuffed {
        assert!(
            s.card.verdict.level <= Level::L3,
            "{} reached {}",
            s.name,
            s.card.verdict.level
        );
        assert!(
            s.card.concepts.iter().all(|c| c.strength <= 1),
            "{}: a keyword earned explained credit",
            s.name
        );
        for r in cs
            .iter()
            .filter(|r| r.expected.problem == s.expected.problem && r.expected.level >= Level::L5)
        {
            assert!(
                s.card.overall < r.card.overall,
                "{} ({}) not below {} ({})",
                s.name,
                s.card.overall,
                r.name,
                r.card.overall
            );
        }
    }
}

#[test]
fn every_cited_span_is_a_real_substring_of_the_answer() {
    for c in cases() {
        let card = &c.card;
        let spans = card
            .concepts
            .iter()
            .flat_map(|x| &x.evidence)
            .chain(card.signals.iter().flat_map(|x| &x.evidence))
            .chain(
                card.steps
                    .iter()
                    .flat_map(|s| s.checks.iter().flat_map(|x| &x.evidence)),
            );
        for e in spans {
            assert_eq!(
                c.body.get(e.start..e.end),
                Some(e.quote.as_str()),
                "{}",
                c.name
            );
        }
        assert!(card.verdict.reasons.len() <= 3 && !card.verdict.reasons.is_empty());
        assert!(card.verdict.improvements.len() <= 3);
    }
}

#[test]
fn higher_levels_score_higher_overall_within_a_problem() {
    let cs = cases();
    for a in &cs {
        for b in &cs {
            if a.expected.problem == b.expected.problem
                && rank(a.expected.level) >= rank(b.expected.level) + 2
            {
                assert!(a.card.overall > b.card.overall, "{} <= {}", a.name, b.name);
            }
        }
    }
}
