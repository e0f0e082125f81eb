//! The scorecard: what every part of mockround produces and every report
//! reads. Plain data, serialisable, with every point backed by evidence.

use serde::{Deserialize, Serialize};

pub use crate::read::Evidence;
use crate::rubric::{ConceptId, Level, Phase, SignalId};

/// How well one concept was covered, 0 (absent) to 4 (strong, explained).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConceptScore {
    pub id: ConceptId,
    pub name: String,
    /// 0 absent, 1 named only, 2 weak, 3 adequate, 4 strong.
    pub strength: u8,
    /// The seed's share of rounds this concept appears in (0.0–1.0).
    pub weight: f32,
    pub evidence: Vec<Evidence>,
    /// What a stronger answer would add (from the rubric's descriptors).
    pub missing: Vec<String>,
}

/// One of the six things interviewers watch for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignalScore {
    pub id: SignalId,
    pub name: String,
    /// 0–4, as for concepts.
    pub strength: u8,
    pub evidence: Vec<Evidence>,
    pub missing: Vec<String>,
}

/// Coverage of one step of the four-step framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepScore {
    pub phase: Phase,
    /// 0–100 for this step.
    pub score: u8,
    /// Each required element of the step and whether it was met, e.g.
    /// ("asked about scale", true).
    pub checks: Vec<StepCheck>,
}

/// One required element of a framework step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepCheck {
    pub name: String,
    pub met: bool,
    pub evidence: Vec<Evidence>,
}

/// The verdict and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    pub level: Level,
    /// The (up to) three reasons that decided the level, each citing evidence
    /// or naming what was absent.
    pub reasons: Vec<String>,
    /// The (up to) three changes that would lift the score most.
    pub improvements: Vec<String>,
    /// Every gate of the ladder, passed or not: the decisive facts and
    /// quotes, and for a failed gate what would have passed it.
    #[serde(default)]
    pub gates: Vec<GateResult>,
    /// The improvements with, for each, what an L5 answer to this problem
    /// says there (from the problem's reference architecture).
    #[serde(default)]
    pub advice: Vec<Advice>,
}

/// One gate of the verdict ladder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GateResult {
    /// The level the gate guards.
    pub level: Level,
    /// Short id: `diagram`, `failures`, `idempotency`, `operations`...
    pub gate: String,
    pub passed: bool,
    /// Why it passed (the facts, with a quote) or what is missing.
    pub because: String,
    /// For a failed gate: what would have passed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_pass: Option<String>,
}

/// One improvement, with what a strong answer says there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advice {
    pub text: String,
    /// "What an L5 answer says here": an excerpt of the problem's
    /// reference architecture, when one fits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub l5_says: Option<String>,
}

/// A whole scorecard for one answer or one session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scorecard {
    /// What the problem's brief asks for that the answer never covers
    /// ("live per-user session dashboards"), in the brief's order.
    #[serde(default)]
    pub brief_missed: Vec<String>,
    /// Problem scored against, if any.
    pub problem: Option<String>,
    /// Rubric version (hash of the rubric files) for reproducibility.
    pub rubric_version: String,
    pub concepts: Vec<ConceptScore>,
    pub signals: Vec<SignalScore>,
    pub steps: Vec<StepScore>,
    /// 0–100 overall.
    pub overall: u8,
    pub verdict: Verdict,
}

/// What an interview session knows beyond the candidate's text, handed to the
/// scorer so the scorecard records it (a written answer has none of this).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SessionFacts {
    /// Topics the candidate asked about during the clarify phase.
    pub asked: Vec<crate::rubric::FactTopic>,
    /// The candidate drew boxes before asking about scale, freshness and
    /// consumer: the seed's most common L5 rejection signal.
    pub jumped_to_design: bool,
    /// Concepts the candidate asked a `/hint` for; credit for them is capped.
    pub hints: Vec<ConceptId>,
    /// Failure modes the interviewer probed.
    pub failures_probed: usize,
    /// Of those, how many answers covered detect, recover and prevent-loss.
    pub failures_fully_answered: usize,
    /// Concepts the interviewer challenged and the candidate answered with
    /// substance ("a hot card token does what to its partition?"): not
    /// advised as the next thing to work on, whatever words the answer used.
    #[serde(default)]
    pub answered: Vec<ConceptId>,
    /// Of those, the ones answered with what the challenge asked (not a
    /// disputed premise), each with the answer: credited as explained
    /// ("start a second copy of the job from offsets three days back" is
    /// a backfill, whatever words it used).
    #[serde(default)]
    pub credited: Vec<(ConceptId, String)>,
    /// Answers given after the clarify phase.
    #[serde(default)]
    pub answers: usize,
    /// Of those, the ones with nothing to use in them ("it just scales",
    /// "the cloud handles retries", "I'd rather skip that one", a reply to
    /// another question than the one asked), as said.
    #[serde(default)]
    pub evasive: Vec<String>,
    /// Dubious claims the interviewer said back ("replication factor 1",
    /// "Spark is exactly-once") that the candidate made again afterwards,
    /// as said the second time: a wrong claim stood by.
    #[serde(default)]
    pub claims_stood_by: Vec<String>,
}
