//! Advice for the candidate: what the reference answer says about a failed
//! gate's ground, and the concept gaps worth the most for this problem.

use super::{Facts, Gate, IDEMPOTENCY};
use crate::rubric::{Problem, Rubric};
use crate::score::card::{Advice, ConceptScore};

/// The (up to) three improvements: what would pass the failed gates of the
/// next level, then the concept gaps worth the most, each with what the
/// reference answer says there.
pub(super) fn improvements(
    r: &Rubric,
    problem: Option<&Problem>,
    f: &Facts<'_>,
    failed_next: &[&Gate],
    excerpt: &dyn Fn(&str) -> Option<String>,
) -> Vec<Advice> {
    // A failed gate's advice, then the concept gaps; a gap a gate already
    // stands for ("cost", "idempotency") is said once, as the gate's, and
    // the overall bar's advice is the concept gaps themselves.
    let gaps = concept_advice(r, problem, f, excerpt);
    let mut advice: Vec<Advice> = failed_next
        .iter()
        .filter(|g| g.id != "overall" || gaps.is_empty())
        .map(|g| {
            let twin = gaps.iter().find(|(id, _)| id.as_str() == g.id);
            Advice {
                text: g.to_pass.clone(),
                l5_says: gate_excerpt(g.id, f, excerpt)
                    .or_else(|| twin.and_then(|(_, a)| a.l5_says.clone())),
            }
        })
        .collect();
    advice.extend(
        gaps.into_iter()
            .filter(|(id, _)| !failed_next.iter().any(|g| g.id == id.as_str()))
            .map(|(_, a)| a),
    );
    let mut seen = Vec::new();
    advice.retain(|a| {
        let fresh = !seen.contains(&a.text);
        seen.push(a.text.clone());
        fresh
    });
    // One excerpt of the reference is shown once, under the first advice
    // it fits.
    let mut shown: Vec<String> = Vec::new();
    for a in &mut advice {
        if let Some(e) = a.l5_says.take() {
            if !shown.contains(&e) {
                shown.push(e.clone());
                a.l5_says = Some(e);
            }
        }
    }
    advice.truncate(3);
    advice
}

/// What the reference answer says about a gate's ground.
/// An answer that already tiers its SLAs is shown how the reference runs
/// on-call (its runbook, paging or recovery targets), or how it handles its
/// first failure, else its SLA tiers.
pub(super) fn gate_excerpt(
    gate: &str,
    f: &Facts<'_>,
    excerpt: &dyn Fn(&str) -> Option<String>,
) -> Option<String> {
    let tiered = f.con("sla-tiers").is_some_and(|c| c.strength >= 2);
    let concept = match gate {
        // Else how the reference detects and recovers a failure: what a
        // runbook step holds.
        "operations" if tiered => {
            return excerpt("on-call")
                .or_else(|| excerpt("failure"))
                .or_else(|| excerpt("operations"))
        }
        "idempotency" => IDEMPOTENCY,
        "failures" | "failures-complete" => "failure",
        "numbers" => "numbers",
        "cost" => "cost",
        "operations" => "operations",
        "diagram" | "annotated" => "diagram",
        _ => return None,
    };
    excerpt(concept)
}

/// Concept gaps worth the most for this problem, each with its concept id:
/// key concepts first, weighted by the seed's shares; never one the
/// candidate already explained and never one the problem has no use for.
pub(super) fn concept_advice(
    r: &Rubric,
    problem: Option<&Problem>,
    f: &Facts<'_>,
    excerpt: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, Advice)> {
    let gaps = concept_gaps(r, problem, f, 3);
    gaps.into_iter()
        .filter_map(|c| {
            let full = r.concept(&c.id)?;
            Some((
                c.id.as_str().to_string(),
                Advice {
                    text: format!("{}: {}", c.name, full.hint),
                    l5_says: excerpt(c.id.as_str()),
                },
            ))
        })
        .collect()
}

/// The concepts below `below` worth the most for this problem, most first:
/// key concepts only (when the problem names them), weighted by the seed's
/// shares; never one the interviewer asked about and the candidate answered.
pub(super) fn concept_gaps<'f>(
    r: &Rubric,
    problem: Option<&Problem>,
    f: &Facts<'f>,
    below: u8,
) -> Vec<&'f ConceptScore> {
    let key: Vec<&str> = problem
        .map(|p| p.key_concepts.iter().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let boost = |c: &ConceptScore| {
        if key.contains(&c.id.as_str()) {
            r.levels.scoring.key_concept_boost
        } else {
            1.0
        }
    };
    let answered = |c: &ConceptScore| f.session.is_some_and(|s| s.answered.contains(&c.id));
    let mut gaps: Vec<&ConceptScore> = f
        .concepts
        .iter()
        .filter(|c| c.strength < below && !answered(c))
        .filter(|c| key.is_empty() || key.contains(&c.id.as_str()))
        .collect();
    gaps.sort_by(|a, b| {
        let ga = a.weight * boost(a) * f32::from(4 - a.strength);
        let gb = b.weight * boost(b) * f32::from(4 - b.strength);
        gb.total_cmp(&ga)
    });
    gaps
}

/// What would pass an overall bar: the problem's concepts not yet explained
/// with a mechanism that are worth the most, by name ("idempotency on
/// writes, hot key / skew handling and backfill …"); `depth` for the L6 bar.
pub(super) fn overall_to_pass(
    r: &Rubric,
    problem: Option<&Problem>,
    f: &Facts<'_>,
    depth: bool,
    plain: &str,
) -> String {
    let names: Vec<String> = concept_gaps(r, problem, f, 3)
        .into_iter()
        .take(3)
        .map(|c| short_name(&c.name))
        .collect();
    if names.is_empty() {
        return plain.to_string();
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let what = if depth {
        "explain the mechanism, with its key or setting, for"
    } else {
        "say how the design handles"
    };
    // Names with "and" of their own ("watermarks and late data") are kept
    // apart by semicolons.
    let list = if names.iter().any(|n| n.contains(" and ")) {
        names.join("; ")
    } else {
        crate::read::text::join_and(&names)
    };
    format!("{plain}: {what} {list}")
}

/// A concept's name as it reads inside a sentence: "CDC patterns", "hot key
/// / skew handling" (no bracketed examples, lower case unless an acronym).
fn short_name(name: &str) -> String {
    let base = name.split(" (").next().unwrap_or(name).trim();
    let mut cs = base.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if !b.is_uppercase() => {
            format!("{}{}", a.to_lowercase(), &base[a.len_utf8()..])
        }
        _ => base.to_string(),
    }
}
