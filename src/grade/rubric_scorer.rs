//! The rubric scorer behind the pipeline's `EvidenceScorer` seam, and the
//! judge's criteria described from the same rubric, so the judge and the
//! evidence scorer always grade the same concepts and signals.

use crate::grade::grader::EvidenceScorer;
use crate::rubric::{Level, Problem, Rubric};
use crate::score::card::Scorecard;
use crate::score::judge::{Criterion, CriterionKind};
use crate::score::Scorer;

/// The judge's criteria: every concept (with its weak / adequate / strong
/// descriptors) and every signal.
pub fn criteria(rubric: &Rubric) -> Vec<Criterion> {
    let mut out: Vec<Criterion> = rubric
        .concepts
        .iter()
        .map(|c| Criterion {
            kind: CriterionKind::Concept,
            id: c.id.to_string(),
            name: c.name.clone(),
            guide: format!(
                "weak: {} adequate: {} strong: {}",
                c.weak.trim(),
                c.adequate.trim(),
                c.strong.trim()
            ),
        })
        .collect();
    out.extend(rubric.signals.iter().map(|s| Criterion {
        kind: CriterionKind::Signal,
        id: s.id.to_string(),
        name: s.name.clone(),
        guide: s.description.trim().to_string(),
    }));
    out
}

impl EvidenceScorer for Scorer {
    fn rubric_version(&self) -> String {
        self.rubric().version.clone()
    }

    fn problem(&self, id: &str) -> Option<Problem> {
        self.rubric().problem(id).cloned()
    }

    fn problem_ids(&self) -> Vec<String> {
        self.rubric()
            .problem_ids()
            .into_iter()
            .map(str::to_string)
            .collect()
    }

    fn criteria(&self) -> Vec<Criterion> {
        criteria(self.rubric())
    }

    fn score(&self, problem: Option<&Problem>, text: &str) -> Scorecard {
        Scorer::score(self, problem, text)
    }

    fn final_level(&self, evidence_level: Level, final_overall: u8) -> Level {
        let rule = &self.rubric().levels.rule;
        let bar = |l: Level| match l {
            Level::L6 => rule.l6_min_overall,
            Level::L5 => rule.l5_min_overall,
            Level::L4 => rule.l4_min_overall,
            Level::L3 => 0,
        };
        [Level::L6, Level::L5, Level::L4, Level::L3]
            .into_iter()
            .filter(|l| *l <= evidence_level)
            .find(|l| final_overall >= bar(*l))
            .unwrap_or(Level::L3)
    }
}
