//! The overall score 0–100: the rubric's weighted shares of concepts (the
//! problem's key concepts boosted), signals and the framework's steps.

use crate::rubric::{Problem, Rubric};
use crate::score::card::{ConceptScore, SignalScore, StepScore};

/// Overall 0–100: the rubric's shares of concepts, signals and framework.
pub(super) fn overall(
    r: &Rubric,
    problem: Option<&Problem>,
    concepts: &[ConceptScore],
    signals: &[SignalScore],
    steps: &[StepScore],
) -> u8 {
    let sc = &r.levels.scoring;
    let key: Vec<&str> = problem
        .map(|p| p.key_concepts.iter().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let boost = |c: &ConceptScore| {
        if key.contains(&c.id.as_str()) {
            sc.key_concept_boost
        } else {
            1.0
        }
    };
    let num: f32 = concepts
        .iter()
        .map(|c| c.weight * boost(c) * f32::from(c.strength) / 4.0)
        .sum();
    let den: f32 = if key.is_empty() {
        let mut w: Vec<f32> = concepts.iter().map(|c| c.weight).collect();
        w.sort_by(|a, b| b.total_cmp(a));
        w.iter().take(6).sum()
    } else {
        concepts
            .iter()
            .filter(|c| key.contains(&c.id.as_str()))
            .map(|c| c.weight * sc.key_concept_boost)
            .sum()
    };
    let cpart = if den > 0.0 { (num / den).min(1.0) } else { 0.0 };
    let spart = if signals.is_empty() {
        0.0
    } else {
        signals
            .iter()
            .map(|s| f32::from(s.strength) / 4.0)
            .sum::<f32>()
            / signals.len() as f32
    };
    let fpart: f32 = steps
        .iter()
        .map(|s| {
            let w = r.step(s.phase).map(|x| x.weight).unwrap_or(0.25);
            w * f32::from(s.score) / 100.0
        })
        .sum();
    let total = sc.concepts * cpart + sc.signals * spart + sc.framework * fpart;
    (total * 100.0).round().clamp(0.0, 100.0) as u8
}
