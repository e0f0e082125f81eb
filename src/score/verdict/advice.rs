//! Advice for the candidate: what the reference answer says about a failed
//! gate's ground, and the concept gaps worth the most for this problem.

use super::{Facts, IDEMPOTENCY};
use crate::rubric::{Problem, Rubric};
use crate::score::card::{Advice, ConceptScore};

/// What the reference answer says about a gate's ground.
pub(super) fn gate_excerpt(gate: &str, excerpt: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let concept = match gate {
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

/// Concept gaps worth the most for this problem: key concepts first,
/// weighted by the seed's shares; never one the candidate already explained
/// and never one the problem has no use for.
pub(super) fn concept_advice(
    r: &Rubric,
    problem: Option<&Problem>,
    f: &Facts<'_>,
    excerpt: &dyn Fn(&str) -> Option<String>,
) -> Vec<Advice> {
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
    // A concept the interviewer asked about and the candidate answered is
    // not the next thing to work on.
    let answered = |c: &ConceptScore| f.session.is_some_and(|s| s.answered.contains(&c.id));
    let mut gaps: Vec<&ConceptScore> = f
        .concepts
        .iter()
        .filter(|c| c.strength < 3 && !answered(c))
        .filter(|c| key.is_empty() || key.contains(&c.id.as_str()))
        .collect();
    gaps.sort_by(|a, b| {
        let ga = a.weight * boost(a) * f32::from(4 - a.strength);
        let gb = b.weight * boost(b) * f32::from(4 - b.strength);
        gb.total_cmp(&ga)
    });
    gaps.into_iter()
        .filter_map(|c| {
            let full = r.concept(&c.id)?;
            Some(Advice {
                text: format!("{}: {}", c.name, full.hint),
                l5_says: excerpt(c.id.as_str()),
            })
        })
        .collect()
}
