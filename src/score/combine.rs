//! Combining the judge with the evidence scorer. The rubric scorer's
//! strength is the floor of truth; the judge can move a criterion only with
//! verified quotes, by averaging with the evidence strength, never more than
//! one level above it, and not at all above it when the answer contains
//! text addressed to the grader. Both scores are recorded with the result,
//! and criteria where they disagree are flagged for a human.

use serde::{Deserialize, Serialize};

use crate::score::card::{Evidence, Scorecard};
use crate::score::judge::{CriterionKind, VerifiedItem};

/// Judge and evidence scores at least this far apart are flagged.
pub const DEFAULT_DISAGREE_THRESHOLD: u8 = 2;

/// One criterion, as both graders saw it and as finally scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriterionResult {
    pub kind: CriterionKind,
    pub id: String,
    pub name: String,
    /// The rubric scorer's strength (0–4).
    pub evidence: u8,
    /// The judge's credit after quote verification (None: no judge ran).
    pub judge: Option<u8>,
    /// What the judge claimed before verification.
    pub judge_claimed: Option<u8>,
    /// The combined strength that the final scorecard uses.
    #[serde(rename = "final")]
    pub final_score: u8,
    /// Judge and evidence disagree by the threshold or more.
    pub disagree: bool,
    /// The rubric scorer's evidence spans.
    pub evidence_quotes: Vec<Evidence>,
    /// Quotes the judge gave that were verified in the answer.
    pub judge_quotes: Vec<Evidence>,
    /// Quotes the judge gave that were not in the answer (or not allowed).
    pub dropped_quotes: Vec<String>,
}

/// The result of combining.
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The scorecard with final strengths and overall.
    pub card: Scorecard,
    /// The rubric scorer's overall, before the judge.
    pub evidence_overall: u8,
    pub criteria: Vec<CriterionResult>,
}

/// The final strength for one criterion.
///
/// `credit` is the judge's verified credit (0 when no quote verified). The
/// result is the mean of evidence and credit (halves round up), capped at one level above the evidence, and at the evidence
/// itself when the answer tries to instruct the grader.
pub fn combine_strength(evidence: u8, credit: u8, grader_directed: bool) -> u8 {
    let mean =
        u8::try_from((u16::from(evidence) + u16::from(credit)).div_ceil(2)).unwrap_or(u8::MAX);
    let cap = if grader_directed {
        evidence
    } else {
        evidence.saturating_add(1)
    };
    mean.min(cap).min(crate::score::judge::MAX_SCORE)
}

/// Records the rubric scorer alone as the final result (offline backend,
/// or a judge that failed).
pub fn evidence_only(card: &Scorecard) -> Combined {
    let mut criteria = Vec::new();
    for c in &card.concepts {
        criteria.push(CriterionResult {
            kind: CriterionKind::Concept,
            id: c.id.to_string(),
            name: c.name.clone(),
            evidence: c.strength,
            judge: None,
            judge_claimed: None,
            final_score: c.strength,
            disagree: false,
            evidence_quotes: c.evidence.clone(),
            judge_quotes: vec![],
            dropped_quotes: vec![],
        });
    }
    for s in &card.signals {
        criteria.push(CriterionResult {
            kind: CriterionKind::Signal,
            id: s.id.to_string(),
            name: s.name.clone(),
            evidence: s.strength,
            judge: None,
            judge_claimed: None,
            final_score: s.strength,
            disagree: false,
            evidence_quotes: s.evidence.clone(),
            judge_quotes: vec![],
            dropped_quotes: vec![],
        });
    }
    Combined {
        card: card.clone(),
        evidence_overall: card.overall,
        criteria,
    }
}

/// Combine the rubric scorer's card with the judge's verified items.
/// Criteria the judge did not score keep their evidence strength.
pub fn combine(
    card: &Scorecard,
    judged: &[VerifiedItem],
    grader_directed: bool,
    threshold: u8,
) -> Combined {
    let mut out = evidence_only(card);
    let mut final_card = card.clone();
    for cr in &mut out.criteria {
        let Some(v) = judged.iter().find(|v| v.id == cr.id) else {
            continue;
        };
        let credit = v.credit();
        cr.judge = Some(credit);
        cr.judge_claimed = Some(v.claimed);
        cr.judge_quotes = v.verified.clone();
        cr.dropped_quotes = v.dropped.clone();
        cr.final_score = combine_strength(cr.evidence, credit, grader_directed);
        cr.disagree = cr.evidence.abs_diff(credit) >= threshold;
        match cr.kind {
            CriterionKind::Concept => {
                if let Some(c) = final_card
                    .concepts
                    .iter_mut()
                    .find(|c| c.id.as_str() == cr.id)
                {
                    c.strength = cr.final_score;
                    merge_evidence(&mut c.evidence, &cr.judge_quotes);
                }
            }
            CriterionKind::Signal => {
                if let Some(s) = final_card
                    .signals
                    .iter_mut()
                    .find(|s| s.id.as_str() == cr.id)
                {
                    s.strength = cr.final_score;
                    merge_evidence(&mut s.evidence, &cr.judge_quotes);
                }
            }
        }
    }
    final_card.overall = adjusted_overall(card, &final_card);
    out.card = final_card;
    out
}

fn merge_evidence(into: &mut Vec<Evidence>, more: &[Evidence]) {
    for e in more {
        if !into.contains(e) {
            into.push(e.clone());
        }
    }
    into.sort_by_key(|e| (e.start, e.end));
}

/// The overall moves with the weighted mean change in strength: one level
/// across every concept (weighted as the rubric weights them) and signal
/// moves the overall by 25 points, the width of a level on the 0–100 scale.
pub fn adjusted_overall(before: &Scorecard, after: &Scorecard) -> u8 {
    let mut num = 0.0f64;
    let mut den = 0.0f64;
    for (b, a) in before.concepts.iter().zip(&after.concepts) {
        let w = f64::from(b.weight.max(0.0));
        num += w * (f64::from(a.strength) - f64::from(b.strength));
        den += w;
    }
    // Signals count as much, together, as the concepts do.
    let n = before.signals.len().max(1) as f64;
    let concept_mass = if den > 0.0 { den } else { 1.0 };
    for (b, a) in before.signals.iter().zip(&after.signals) {
        let w = concept_mass / n;
        num += w * (f64::from(a.strength) - f64::from(b.strength));
        den += w;
    }
    if den <= 0.0 {
        return before.overall;
    }
    let delta = 25.0 * num / den;
    (f64::from(before.overall) + delta)
        .round()
        .clamp(0.0, 100.0) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judge_moves_at_most_one_level_above_evidence() {
        assert_eq!(combine_strength(0, 4, false), 1);
        assert_eq!(combine_strength(2, 4, false), 3);
        assert_eq!(combine_strength(4, 4, false), 4);
        assert_eq!(combine_strength(3, 0, false), 2);
        assert_eq!(combine_strength(3, 2, false), 3);
        assert_eq!(combine_strength(2, 3, false), 3);
        assert_eq!(combine_strength(3, 4, false), 4);
    }

    #[test]
    fn grader_directed_answers_can_only_lose() {
        for e in 0..=4 {
            for j in 0..=4 {
                assert!(combine_strength(e, j, true) <= e);
            }
        }
    }
}
