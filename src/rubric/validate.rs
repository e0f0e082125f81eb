//! Checks a parsed rubric file cannot express in types: unique ids, weights
//! that add up, regexes that compile, problems complete enough to interview
//! with. Each error points at the offending line of the file.

use std::collections::{HashMap, HashSet};

use super::error::RubricError;
use super::model::*;
use super::sources::SourceFile;

/// Offset of the `nth` (0-based) line `key = "value"` in `src`.
pub(crate) fn find_key_value(src: &str, key: &str, value: &str, nth: usize) -> Option<usize> {
    let pat = format!(
        r#"(?m)^[ \t]*{}[ \t]*=[ \t]*["']{}["']"#,
        regex::escape(key),
        regex::escape(value)
    );
    let re = regex::Regex::new(&pat).ok()?;
    let found = re
        .find_iter(src)
        .nth(nth)
        .map(|m| m.start() + (m.as_str().len() - m.as_str().trim_start().len()));
    found
}

/// Offset of the first `key =` at or after `from`.
fn find_key_after(src: &str, key: &str, from: usize) -> Option<usize> {
    let pat = format!(r"(?m)^[ \t]*{}[ \t]*=", regex::escape(key));
    let re = regex::Regex::new(&pat).ok()?;
    let from = from.min(src.len());
    re.find_at(src, from)
        .map(|m| m.start() + (m.as_str().len() - m.as_str().trim_start().len()))
}

/// Offset of a table header such as `[scoring]`.
fn find_header(src: &str, header: &str) -> usize {
    src.find(&format!("[{header}]")).unwrap_or(0)
}

/// Compile a cue regex exactly as the scorer will, so validation and scoring agree.
pub(crate) fn compile_cue(pattern: &str) -> Result<regex::bytes::Regex, regex::Error> {
    // ASCII classes and boundaries keep the lazy DFA on the fast path; cue
    // words are English, and non-ASCII literals still match as written.
    regex::bytes::RegexBuilder::new(pattern)
        .case_insensitive(true)
        .unicode(false)
        .size_limit(1 << 20)
        .build()
}

fn check_patterns(f: &SourceFile, owner: &str, patterns: &[String], errs: &mut Vec<RubricError>) {
    for p in patterns {
        if let Err(e) = compile_cue(p) {
            let off = f.text.find(p.as_str()).unwrap_or(0);
            let detail = e
                .to_string()
                .lines()
                .last()
                .unwrap_or("invalid")
                .trim()
                .to_string();
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("bad regex in {owner}: `{p}` ({detail})"),
            ));
        }
    }
}

fn check_terms(f: &SourceFile, owner: &str, terms: &[String], errs: &mut Vec<RubricError>) {
    for t in terms {
        if t.trim().is_empty() {
            let off = find_key_value(&f.text, "id", owner, 0).unwrap_or(0);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("empty cue term in {owner}"),
            ));
        }
    }
}

fn check_dup_ids<'a>(
    f: &SourceFile,
    what: &str,
    ids: impl Iterator<Item = &'a str>,
    errs: &mut Vec<RubricError>,
) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for id in ids {
        let n = seen.entry(id).or_insert(0);
        *n += 1;
        if *n == 2 {
            let off = find_key_value(&f.text, "id", id, 1).unwrap_or(0);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("duplicate {what} id `{id}`; ids must be unique"),
            ));
        }
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn bad_id(f: &SourceFile, what: &str, id: &str, errs: &mut Vec<RubricError>) {
    if !is_kebab(id) {
        let off = find_key_value(&f.text, "id", id, 0).unwrap_or(0);
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            off,
            format!("{what} id `{id}` must be short kebab-case (a-z, 0-9, '-'), it is typed on the command line"),
        ));
    }
}

pub(crate) fn validate_concepts(f: &SourceFile, concepts: &[Concept], errs: &mut Vec<RubricError>) {
    if concepts.is_empty() {
        errs.push(RubricError::File {
            path: f.display.clone(),
            message: "no [[concept]] tables".into(),
        });
    }
    check_dup_ids(f, "concept", concepts.iter().map(|c| c.id.as_str()), errs);
    for c in concepts {
        bad_id(f, "concept", c.id.as_str(), errs);
        let id_off = find_key_value(&f.text, "id", c.id.as_str(), 0).unwrap_or(0);
        if !(c.weight > 0.0 && c.weight <= 1.0) {
            let off = find_key_after(&f.text, "weight", id_off).unwrap_or(id_off);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!(
                    "concept `{}` has weight {}; weights are the seed's share of rounds, between 0 (exclusive) and 1",
                    c.id, c.weight
                ),
            ));
        }
        if c.terms.is_empty() {
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                id_off,
                format!(
                    "concept `{}` has no cue terms; it could never be detected",
                    c.id
                ),
            ));
        }
        if c.levels.is_empty() {
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                id_off,
                format!("concept `{}` lists no levels it matters at", c.id),
            ));
        }
        check_terms(f, c.id.as_str(), &c.terms, errs);
        check_terms(f, c.id.as_str(), &c.mechanisms, errs);
        check_patterns(f, &format!("concept `{}`", c.id), &c.patterns, errs);
    }
}

pub(crate) fn validate_signals(f: &SourceFile, signals: &[Signal], errs: &mut Vec<RubricError>) {
    check_dup_ids(f, "signal", signals.iter().map(|s| s.id.as_str()), errs);
    for s in signals {
        bad_id(f, "signal", s.id.as_str(), errs);
        if s.detector == SignalDetector::Cues && s.terms.is_empty() && s.patterns.is_empty() {
            let off = find_key_value(&f.text, "id", s.id.as_str(), 0).unwrap_or(0);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!(
                    "signal `{}` uses the cues detector but has no terms or patterns",
                    s.id
                ),
            ));
        }
        check_terms(f, s.id.as_str(), &s.terms, errs);
        check_patterns(f, &format!("signal `{}`", s.id), &s.patterns, errs);
    }
}

fn weights_add_up(sum: f32) -> bool {
    (sum - 1.0).abs() < 0.001
}

pub(crate) fn validate_framework(f: &SourceFile, fw: &Framework, errs: &mut Vec<RubricError>) {
    for phase in Phase::ALL {
        let n = fw.step.iter().filter(|s| s.phase == phase).count();
        if n != 1 {
            errs.push(RubricError::File {
                path: f.display.clone(),
                message: format!(
                    "phase `{}` must have exactly one [[step]] (found {n})",
                    phase.id()
                ),
            });
        }
    }
    let step_sum: f32 = fw.step.iter().map(|s| s.weight).sum();
    if !weights_add_up(step_sum) {
        let off = find_key_after(&f.text, "weight", 0).unwrap_or(0);
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            off,
            format!("step weights add up to {step_sum:.3}, they must add up to 1.0"),
        ));
    }
    for s in &fw.step {
        let step_off = find_key_value(&f.text, "phase", s.phase.id(), 0).unwrap_or(0);
        if s.budget_minutes != s.phase.budget_minutes() {
            let off = find_key_after(&f.text, "budget_minutes", step_off).unwrap_or(step_off);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!(
                    "step `{}` budget is {} min; the framework's budget is {} min",
                    s.phase.id(),
                    s.budget_minutes,
                    s.phase.budget_minutes()
                ),
            ));
        }
        let sum: f32 = s.check.iter().map(|c| c.weight).sum();
        if !weights_add_up(sum) {
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                step_off,
                format!(
                    "check weights of step `{}` add up to {sum:.3}, they must add up to 1.0",
                    s.phase.id()
                ),
            ));
        }
        check_dup_ids(f, "check", s.check.iter().map(|c| c.id.as_str()), errs);
        for c in &s.check {
            if matches!(c.detector, CheckDetector::Cues | CheckDetector::RecordWalk)
                && c.terms.is_empty()
                && c.patterns.is_empty()
            {
                let off = find_key_value(&f.text, "id", &c.id, 0).unwrap_or(step_off);
                errs.push(RubricError::at(
                    &f.display,
                    &f.text,
                    off,
                    format!(
                        "check `{}` uses the cues detector but has no terms or patterns",
                        c.id
                    ),
                ));
            }
            check_patterns(f, &format!("check `{}`", c.id), &c.patterns, errs);
        }
    }
    check_dup_ids(
        f,
        "failure scenario",
        fw.failure_scenario.iter().map(|s| s.id.as_str()),
        errs,
    );
    for s in &fw.failure_scenario {
        check_patterns(
            f,
            &format!("failure scenario `{}`", s.id),
            &s.patterns,
            errs,
        );
    }
    for (name, set) in [
        ("failure_coverage.detect", &fw.failure_coverage.detect),
        ("failure_coverage.recover", &fw.failure_coverage.recover),
        (
            "failure_coverage.prevent_loss",
            &fw.failure_coverage.prevent_loss,
        ),
    ] {
        check_patterns(f, name, &set.patterns, errs);
        check_patterns(f, name, &set.depth_patterns, errs);
        check_terms(f, name, &set.depth_terms, errs);
    }
}

pub(crate) fn validate_levels(f: &SourceFile, l: &Levels, errs: &mut Vec<RubricError>) {
    for lv in [Level::L3, Level::L4, Level::L5, Level::L6] {
        let n = l.level.iter().filter(|x| x.id == lv).count();
        if n != 1 {
            errs.push(RubricError::File {
                path: f.display.clone(),
                message: format!("level {lv} must have exactly one [[level]] (found {n})"),
            });
        }
    }
    let s = &l.scoring;
    let sum = s.concepts + s.signals + s.framework;
    if !weights_add_up(sum) {
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            find_header(&f.text, "scoring"),
            format!(
                "scoring weights concepts + signals + framework add up to {sum:.3}, they must add up to 1.0"
            ),
        ));
    }
    let r = &l.rule;
    for (name, v) in [
        ("l5_min_numbers", r.l5_min_numbers),
        ("l5_min_idempotency", r.l5_min_idempotency),
        ("l6_min_operations", r.l6_min_operations),
        ("l6_min_cost", r.l6_min_cost),
        ("hint_cap", r.hint_cap),
    ] {
        if v > 4 {
            let off = find_key_after(&f.text, name, 0).unwrap_or(0);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("rule.{name} is {v}; strengths run 0–4"),
            ));
        }
    }
    for (name, v) in [
        ("l4_min_overall", r.l4_min_overall),
        ("l5_min_overall", r.l5_min_overall),
        ("l6_min_overall", r.l6_min_overall),
    ] {
        if v > 100 {
            let off = find_key_after(&f.text, name, 0).unwrap_or(0);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("rule.{name} is {v}; overall scores run 0–100"),
            ));
        }
    }
    if !(r.l4_min_overall <= r.l5_min_overall && r.l5_min_overall <= r.l6_min_overall) {
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            find_header(&f.text, "rule"),
            "rule thresholds must rise with level: l4_min_overall <= l5_min_overall <= l6_min_overall",
        ));
    }
}

pub(crate) fn validate_catalogue(f: &SourceFile, c: &Catalogue, errs: &mut Vec<RubricError>) {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for comp in &c.component {
        for name in std::iter::once(&comp.name).chain(&comp.synonyms) {
            let key = name.to_ascii_lowercase();
            if key.trim().is_empty() {
                errs.push(RubricError::File {
                    path: f.display.clone(),
                    message: format!("component `{}` has an empty name or synonym", comp.name),
                });
                continue;
            }
            if let Some(prev) = seen.insert(key, &comp.name) {
                if prev != comp.name || name != &comp.name {
                    let off = f.text.find(&format!("\"{name}\"")).unwrap_or(0);
                    errs.push(RubricError::at(
                        &f.display,
                        &f.text,
                        off,
                        format!(
                            "component name `{name}` is listed twice (for `{prev}` and `{}`)",
                            comp.name
                        ),
                    ));
                }
            }
        }
    }
}

pub(crate) fn validate_problem(
    f: &SourceFile,
    p: &Problem,
    concept_ids: &HashSet<String>,
    errs: &mut Vec<RubricError>,
) {
    bad_id(f, "problem", p.id.as_str(), errs);
    let id_off = find_key_value(&f.text, "id", p.id.as_str(), 0).unwrap_or(0);
    if p.statement.trim().is_empty() {
        let off = find_key_after(&f.text, "statement", 0).unwrap_or(id_off);
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            off,
            "problem statement is empty",
        ));
    }
    for topic in [FactTopic::Scale, FactTopic::Freshness, FactTopic::Consumer] {
        if !p.hidden_facts.iter().any(|h| h.topic == topic) {
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                id_off,
                format!(
                    "problem `{}` has no hidden fact with topic = \"{}\"; the clarify step asks about scale, freshness and consumer",
                    p.id,
                    topic_name(topic)
                ),
            ));
        }
    }
    for k in &p.key_concepts {
        if !concept_ids.is_empty() && !concept_ids.contains(k.as_str()) {
            let off = f.text.find(&format!("\"{k}\"")).unwrap_or(id_off);
            errs.push(RubricError::at(
                &f.display,
                &f.text,
                off,
                format!("key concept `{k}` is not a concept id; see `mockround rubrics list`"),
            ));
        }
    }
    if p.failure_modes.len() < 3 {
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            id_off,
            format!(
                "problem `{}` has {} failure modes; the framework goes deep on three, so list at least 3",
                p.id,
                p.failure_modes.len()
            ),
        ));
    }
    check_dup_ids(
        f,
        "failure mode",
        p.failure_modes.iter().map(|m| m.id.as_str()),
        errs,
    );
    if p.expected_components.is_empty() {
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            id_off,
            format!("problem `{}` lists no expected components", p.id),
        ));
    }
    if p.reference_architecture.trim().is_empty() {
        errs.push(RubricError::at(
            &f.display,
            &f.text,
            id_off,
            format!("problem `{}` has an empty reference architecture", p.id),
        ));
    }
    validate_curveballs(f, p, errs);
    super::brief::validate_brief(f, p, errs);
}

fn validate_curveballs(f: &SourceFile, p: &Problem, errs: &mut Vec<RubricError>) {
    let mut seen: Vec<CurveballKind> = Vec::new();
    for (n, c) in p.curveballs.iter().enumerate() {
        let off = nth_header(&f.text, "[[curveballs]]", n).unwrap_or(0);
        let mut err = |msg: String| errs.push(RubricError::at(&f.display, &f.text, off, msg));
        if seen.contains(&c.kind) {
            err(format!(
                "problem `{}` has two curveballs with kind = \"{}\"; the round delivers one of each",
                p.id,
                c.kind.id()
            ));
        }
        seen.push(c.kind);
        if c.say.trim().is_empty() || !c.say.contains('?') {
            err(format!(
                "curveball `{}`: `say` must state the change and end with a question for the candidate",
                c.title
            ));
        }
        if c.title.trim().is_empty() || c.expect.trim().is_empty() {
            err(format!(
                "curveball `{}`: `title` and `expect` (what an L5 answer changes) must not be empty",
                c.title
            ));
        }
        if let Some(at) = c.at {
            if !(0.1..=0.95).contains(&at) || at.is_nan() {
                err(format!(
                    "curveball `{}`: at = {at} is outside 0.1–0.95 (a share of the round)",
                    c.title
                ));
            }
        }
        if c.adapted_by.is_empty() {
            err(format!(
                "curveball `{}`: list at least one `adapted_by` word that shows the design changed",
                c.title
            ));
        }
    }
    for c in &p.curveballs {
        check_terms(f, &format!("curveball `{}`", c.title), &c.adapted_by, errs);
    }
}

/// Byte offset of the `n`th occurrence of a table header.
fn nth_header(src: &str, header: &str, n: usize) -> Option<usize> {
    src.match_indices(header).nth(n).map(|(i, _)| i)
}

fn topic_name(t: FactTopic) -> &'static str {
    match t {
        FactTopic::Scale => "scale",
        FactTopic::Freshness => "freshness",
        FactTopic::Consumer => "consumer",
        FactTopic::Constraint => "constraint",
    }
}
