//! What the rest of the program reads off a session: the phase, the
//! problem, the design model, the results, the clock left, and the summary
//! a model's history is trimmed to. Read-only; the state changes in
//! `session.rs`.

use crate::design::Design;
use crate::interview::clock::Millis;
use crate::interview::curveballs::CurveballResult;
use crate::interview::planner::PlannedFailure;
use crate::rubric::{ConceptId, Phase, Problem};
use crate::score::SessionFacts;

use super::{FailureResult, OpenGap, Pace, Session};

impl Session {
    /// The phase the round is in.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// The round is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }
    /// The problem being asked.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
    /// The concept this round drills, if any.
    pub fn focus(&self) -> Option<&ConceptId> {
        self.focus.as_ref()
    }
    /// How the round is timed.
    pub fn pace(&self) -> Pace {
        self.pace
    }
    /// The design model of everything the candidate said.
    pub fn design(&self) -> &Design {
        &self.design
    }
    /// Everything the candidate said, as scored.
    pub fn transcript(&self) -> &str {
        self.design.text()
    }
    /// The failure plan (empty before the failure phase).
    pub fn plan(&self) -> &[PlannedFailure] {
        &self.plan
    }
    /// How each probed failure went.
    pub fn failure_results(&self) -> &[FailureResult] {
        &self.results
    }
    /// How each curveball went.
    pub fn curveball_results(&self) -> &[CurveballResult] {
        &self.curveballs
    }
    /// Questions pushed and still not answered.
    pub fn gaps_left(&self) -> &[OpenGap] {
        &self.gaps_left
    }
    /// Indexes of the hidden facts revealed so far.
    pub fn revealed(&self) -> &[usize] {
        &self.revealed
    }
    /// Time spent in each phase (the current phase up to `now`).
    pub fn phase_times(&self, now: Millis) -> [(Phase, Millis); 4] {
        let mut out = [(Phase::Clarify, 0); 4];
        for (i, p) in Phase::ALL.iter().enumerate() {
            let mut t = self.phase_used[i];
            if *p == self.phase && !self.finished && self.started {
                t += now.saturating_sub(self.phase_started);
            }
            out[i] = (*p, t);
        }
        out
    }
    /// Milliseconds left in the current phase (negative in overtime), `None` untimed.
    pub fn phase_left(&self, now: Millis) -> Option<i64> {
        let b = self.pace.budget_ms(self.phase)?;
        let used = now.saturating_sub(self.phase_started);
        Some(b as i64 - used as i64)
    }
    /// Milliseconds left in the round, `None` untimed.
    pub fn round_left(&self, now: Millis) -> Option<i64> {
        let b = self.pace.round_budget_ms()?;
        Some(b as i64 - now as i64)
    }
    /// What the scorer needs beyond the text.
    pub fn facts(&self) -> SessionFacts {
        SessionFacts {
            asked: self.asked.clone(),
            jumped_to_design: self.jumped,
            hints: self.hints.clone(),
            failures_probed: self.results.len(),
            failures_fully_answered: self.results.iter().filter(|r| r.complete()).count(),
            answered: self.answered_concepts(),
            credited: self.credited_concepts(),
            answers: self.answers_given,
            evasive: self.evasive.clone(),
            claims_stood_by: self.claims_stood_by.clone(),
        }
    }
    /// The concepts of the challenges answered with what they asked, each
    /// with its first such answer.
    fn credited_concepts(&self) -> Vec<(crate::rubric::ConceptId, String)> {
        concepts_of(&self.credited)
    }
    /// The concepts of the challenges answered with substance, once each.
    fn answered_concepts(&self) -> Vec<crate::rubric::ConceptId> {
        concepts_of(&self.answered)
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    }
    /// A compact restatement of the round so far, used when old turns are
    /// trimmed from the model's context: the rubric state must survive.
    pub fn state_summary(&self) -> String {
        let asked: Vec<&str> = self
            .asked
            .iter()
            .map(|t| crate::design::questions::topic_name(*t))
            .collect();
        let revealed: Vec<&str> = self
            .revealed
            .iter()
            .filter_map(|i| self.problem.hidden_facts.get(*i))
            .map(|f| f.answer.as_str())
            .collect();
        let comps: Vec<&str> = self
            .design
            .components
            .iter()
            .filter(|c| !c.vague)
            .map(|c| c.label())
            .collect();
        let done: Vec<String> = self
            .results
            .iter()
            .map(|r| {
                format!(
                    "{} (detect {}, recover {}, prevent loss {})",
                    r.title,
                    yes(r.detect),
                    yes(r.recover),
                    yes(r.prevent_loss)
                )
            })
            .collect();
        format!(
            "Candidate asked about: {}.\nFacts already given: {}\nComponents named: {}.\nFailure modes probed: {}.{}",
            if asked.is_empty() { "nothing".into() } else { asked.join(", ") },
            if revealed.is_empty() { "none.".into() } else { revealed.join(" ") },
            if comps.is_empty() { "none".into() } else { comps.join(", ") },
            if done.is_empty() { "none".into() } else { done.join("; ") },
            if self.jumped { "\nThe candidate started designing before asking about scale, freshness and consumer." } else { "" },
        )
    }
    /// Hidden facts not yet revealed (the phrasing layer rejects a model
    /// reply that leaks them).
    pub fn unrevealed_facts(&self) -> Vec<&str> {
        self.problem
            .hidden_facts
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.revealed.contains(i))
            .map(|(_, f)| f.answer.as_str())
            .collect()
    }
    /// Short description of the current phase's goals, for the model's notes.
    pub fn goals(&self) -> String {
        match self.phase {
            Phase::Clarify => {
                let missing: Vec<&str> = crate::design::questions::REQUIRED_TOPICS
                    .iter()
                    .filter(|t| !self.asked.contains(t))
                    .map(|t| crate::design::questions::topic_name(*t))
                    .collect();
                if missing.is_empty() {
                    "candidate has asked about scale, freshness and consumer".into()
                } else {
                    format!("candidate has not yet asked about {}", missing.join(", "))
                }
            }
            Phase::Architecture => format!(
                "5-7 boxes with real products and annotated arrows; {} boxes drawn so far",
                self.design.boxes().count()
            ),
            Phase::DataFlow => {
                "one record end to end: partitioning key, consistency guarantee, idempotent writes"
                    .into()
            }
            Phase::FailureModes => format!(
                "failure {} of at least {}: detect, recover, prevent data loss",
                (self.results.len() + 1),
                crate::interview::planner::MIN_FAILURES
            ),
        }
    }
}

fn yes(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The concept each challenge in `answers` (intent, answer) probes, once
/// each, with the first answer to it.
fn concepts_of(answers: &[(String, String)]) -> Vec<(crate::rubric::ConceptId, String)> {
    let mut out: Vec<(crate::rubric::ConceptId, String)> = Vec::new();
    for (intent, text) in answers {
        let family = crate::interview::moves::family(intent);
        if let Some(c) = crate::interview::challenges::concept_of(family) {
            let c = crate::rubric::ConceptId::from(c);
            if !out.iter().any(|(o, _)| *o == c) {
                out.push((c, text.clone()));
            }
        }
    }
    out
}
