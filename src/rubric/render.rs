//! Plain-text views of the rubric for `mockround rubrics list` and `show`.

use std::fmt::Write;

use super::{Concept, Problem, Rubric, RubricError, Signal};

/// The problem bank grouped by category, then the concepts and the signals,
/// one line each. Ids are padded to the longest id in the whole listing so
/// every column lines up (the id newtypes' `Display` ignores width flags, so
/// pad `&str`s). Category headings are not indented, so they never sit in
/// the id column.
pub fn render_list(r: &Rubric) -> String {
    let w = r
        .problems
        .iter()
        .map(|p| p.id.as_str().len())
        .chain(r.concepts.iter().map(|c| c.id.as_str().len()))
        .chain(r.signals.iter().map(|s| s.id.as_str().len()))
        .max()
        .unwrap_or(0);
    let groups = by_category(&r.problems);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Problems ({} in {} {}):",
        r.problems.len(),
        groups.len(),
        if groups.len() == 1 {
            "category"
        } else {
            "categories"
        }
    );
    for (category, problems) in &groups {
        let _ = writeln!(out, "\n{category} ({}):", problems.len());
        for p in problems {
            let _ = writeln!(out, "  {:<w$}  {}", p.id.as_str(), p.title);
        }
    }
    let _ = writeln!(out, "\nConcepts ({}):", r.concepts.len());
    let levels: Vec<String> = r
        .concepts
        .iter()
        .map(|c| {
            c.levels
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    let lw = levels.iter().map(String::len).max().unwrap_or(0);
    for (c, l) in r.concepts.iter().zip(&levels) {
        let _ = writeln!(
            out,
            "  {:<w$}  {:>3.0}%  {:<lw$}  {}",
            c.id.as_str(),
            c.weight * 100.0,
            l,
            c.name
        );
    }
    let _ = writeln!(out, "\nSignals ({}):", r.signals.len());
    for s in &r.signals {
        let _ = writeln!(out, "  {:<w$}  {}", s.id.as_str(), s.name);
    }
    let _ = writeln!(out, "\nRubric version {}", r.version);
    out
}

/// Problems grouped by category, categories in order of first appearance in
/// the bank (so the seed's streaming, batch and ML prompts lead) and problems
/// in bank order within each; a problem without a category is listed under
/// `other`, last.
fn by_category(problems: &[Problem]) -> Vec<(&str, Vec<&Problem>)> {
    const UNCATEGORISED: &str = "other";
    let mut groups: Vec<(&str, Vec<&Problem>)> = Vec::new();
    for p in problems {
        let category = match p.category.trim() {
            "" => UNCATEGORISED,
            c => c,
        };
        match groups.iter_mut().find(|(c, _)| *c == category) {
            Some((_, members)) => members.push(p),
            None => groups.push((category, vec![p])),
        }
    }
    if let Some(i) = groups.iter().position(|(c, _)| *c == UNCATEGORISED) {
        let other = groups.remove(i);
        groups.push(other);
    }
    groups
}

/// One problem, concept or signal in full.
pub fn render_show(r: &Rubric, id: &str) -> Result<String, RubricError> {
    if let Some(p) = r.problem(id) {
        return Ok(show_problem(p));
    }
    if let Some(c) = r.concepts.iter().find(|c| c.id.as_str() == id) {
        return Ok(show_concept(c));
    }
    if let Some(s) = r.signals.iter().find(|s| s.id.as_str() == id) {
        return Ok(show_signal(s));
    }
    Err(RubricError::UnknownId { id: id.to_string() })
}

fn show_problem(p: &Problem) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})  [{}]\n", p.title, p.id, p.category);
    let _ = writeln!(o, "Statement:\n  {}\n", p.statement.trim());
    let _ = writeln!(o, "Hidden facts (revealed when asked):");
    for h in &p.hidden_facts {
        let _ = writeln!(o, "  - [{:?}] {}", h.topic, h.answer.trim());
    }
    let _ = writeln!(
        o,
        "\nExpected components: {}",
        p.expected_components.join(", ")
    );
    if !p.expected_numbers.is_empty() {
        let _ = writeln!(o, "Expected numbers: {}", p.expected_numbers.join("; "));
    }
    if !p.key_concepts.is_empty() {
        let ks: Vec<&str> = p.key_concepts.iter().map(|k| k.as_str()).collect();
        let _ = writeln!(o, "Key concepts: {}", ks.join(", "));
    }
    let _ = writeln!(o, "\nFailure modes:");
    for (i, m) in p.failure_modes.iter().enumerate() {
        let _ = writeln!(
            o,
            "  {}. {} ({})\n     Q: {}",
            i + 1,
            m.title,
            m.id,
            m.question.trim()
        );
        let _ = writeln!(o, "     detect:  {}", m.detect.trim());
        let _ = writeln!(o, "     recover: {}", m.recover.trim());
        let _ = writeln!(o, "     prevent: {}", m.prevent.trim());
    }
    if !p.curveballs.is_empty() {
        let _ = writeln!(o, "\nCurveballs:");
        for c in &p.curveballs {
            let _ = writeln!(
                o,
                "  [{} at {:.0}% of the round] {}\n     says:   {}\n     expect: {}",
                c.kind.id(),
                c.at() * 100.0,
                c.title,
                c.say.trim(),
                c.expect.trim()
            );
        }
    }
    if !p.sla_tiers.is_empty() {
        let _ = writeln!(o, "\nSLA tiers:");
        for t in &p.sla_tiers {
            let _ = writeln!(o, "  {t}");
        }
    }
    let _ = writeln!(
        o,
        "\nReference architecture:\n{}",
        p.reference_architecture.trim_end()
    );
    o
}

fn show_concept(c: &Concept) -> String {
    let mut o = String::new();
    let levels: Vec<String> = c.levels.iter().map(ToString::to_string).collect();
    let _ = writeln!(o, "{} ({})", c.name, c.id);
    let _ = writeln!(
        o,
        "Share of design rounds: {:.0}%   Levels: {}   Common in: {}\n",
        c.weight * 100.0,
        levels.join(", "),
        c.common_in
    );
    let _ = writeln!(o, "Weak:     {}", c.weak.trim());
    let _ = writeln!(o, "Adequate: {}", c.adequate.trim());
    let _ = writeln!(o, "Strong:   {}", c.strong.trim());
    let _ = writeln!(o, "Hint:     {}\n", c.hint.trim());
    let _ = writeln!(o, "Cue terms:  {}", c.terms.join(", "));
    if !c.mechanisms.is_empty() {
        let _ = writeln!(o, "Mechanisms: {}", c.mechanisms.join(", "));
    }
    for p in &c.patterns {
        let _ = writeln!(o, "Pattern:    {p}");
    }
    o
}

fn show_signal(s: &Signal) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{} ({})\n", s.name, s.id);
    let _ = writeln!(o, "{}\n", s.description.trim());
    let _ = writeln!(o, "Detector: {:?}", s.detector);
    if !s.terms.is_empty() {
        let _ = writeln!(o, "Cue terms: {}", s.terms.join(", "));
    }
    if !s.required_terms.is_empty() {
        let _ = writeln!(o, "Must say one of: {}", s.required_terms.join(", "));
    }
    if !s.vague_terms.is_empty() {
        let _ = writeln!(o, "Hand-waves: {}", s.vague_terms.join(", "));
    }
    let _ = writeln!(o, "Hint: {}", s.hint.trim());
    o
}
