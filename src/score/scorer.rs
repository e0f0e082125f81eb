//! The deterministic scorer: compiled once from a rubric, then scores any
//! text (a written answer or all candidate turns of a session) with evidence.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::analysis::Analysis;
use super::card::*;
use super::components::{ComponentIndex, ComponentMention};
use super::matcher::{Group, Matchers, Owner};
use super::{steps, verdict};
use crate::rubric::{ConceptId, Problem, Rubric, SignalDetector};

/// What a failure-mode answer covered: the seed's detect, recover, prevent data loss.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct FailureCoverage {
    pub detect: Vec<Evidence>,
    pub recover: Vec<Evidence>,
    pub prevent_loss: Vec<Evidence>,
}

impl FailureCoverage {
    /// All three parts answered.
    pub fn complete(&self) -> bool {
        self.missing().is_empty()
    }

    /// The parts still missing, in the seed's words, for the follow-up question.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.detect.is_empty() {
            out.push("detect");
        }
        if self.recover.is_empty() {
            out.push("recover");
        }
        if self.prevent_loss.is_empty() {
            out.push("prevent data loss");
        }
        out
    }
}

/// The scorer with every matcher built once; cheap to share across threads.
#[derive(Debug, Clone)]
pub struct Scorer {
    rubric: Rubric,
    matchers: Matchers,
    index: ComponentIndex,
}

impl Scorer {
    /// Compile the rubric's cues. The rubric was validated at load, so this cannot fail.
    pub fn new(rubric: &Rubric) -> Scorer {
        let index = ComponentIndex::new(&rubric.components);
        Scorer {
            matchers: Matchers::new(rubric, &index),
            index,
            rubric: rubric.clone(),
        }
    }

    /// The rubric this scorer was built from.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    pub(crate) fn analyse<'t>(&self, text: &'t str) -> Analysis<'t> {
        Analysis::new(text, &self.matchers, &self.index)
    }

    /// Score a written answer.
    pub fn score(&self, problem: Option<&Problem>, text: &str) -> Scorecard {
        self.score_inner(problem, text, None)
    }

    /// Score a session (all candidate turns joined): the facts adjust the
    /// clarify step, cap credit for hinted concepts and add probed failures.
    pub fn score_session(
        &self,
        problem: Option<&Problem>,
        text: &str,
        facts: &SessionFacts,
    ) -> Scorecard {
        self.score_inner(problem, text, Some(facts))
    }

    fn score_inner(
        &self,
        problem: Option<&Problem>,
        text: &str,
        facts: Option<&SessionFacts>,
    ) -> Scorecard {
        let an = self.analyse(text);
        let mut concepts = self.concept_scores(&an);
        if let Some(f) = facts {
            let cap = self.rubric.levels.rule.hint_cap;
            for c in &mut concepts {
                if f.hints.contains(&c.id) && c.strength > cap {
                    c.strength = cap;
                    c.missing
                        .push(format!("credit capped at {cap} because a hint was used"));
                }
            }
        }
        let signals = self.signal_scores(&an);
        let steps = steps::step_scores(&self.rubric, &an, facts);
        let coverage = self.coverage_of(&an, true);
        let (overall, verdict) = verdict::decide(
            &self.rubric,
            problem,
            &an,
            &concepts,
            &signals,
            &steps,
            &coverage,
            facts,
        );
        Scorecard {
            problem: problem.map(|p| p.id.0.clone()),
            rubric_version: self.rubric.version.clone(),
            concepts,
            signals,
            steps,
            overall,
            verdict,
        }
    }

    /// Detect / recover / prevent-loss evidence in an answer to "and what if this fails?".
    pub fn failure_coverage(&self, text: &str) -> FailureCoverage {
        self.coverage_of(&self.analyse(text), false)
    }

    /// Coverage evidence; `explained_only` demands reasoning, not a keyword list.
    pub(crate) fn coverage_of(&self, an: &Analysis<'_>, explained_only: bool) -> FailureCoverage {
        let pick = |o: Owner| {
            let hits: Vec<_> = an
                .owned(o)
                .filter(|(_, si)| {
                    if explained_only {
                        an.explained(*si)
                    } else {
                        !an.list_like(*si)
                    }
                })
                .collect();
            an.best_evidence(hits.into_iter(), 3)
        };
        FailureCoverage {
            detect: pick(Owner::Detect),
            recover: pick(Owner::Recover),
            prevent_loss: pick(Owner::Prevent),
        }
    }

    /// Products and boxes named in free text or diagrams, canonicalised, one
    /// per canonical name (first mention), negated mentions dropped.
    pub fn components(&self, text: &str) -> Vec<ComponentMention> {
        let an = self.analyse(text);
        let mut seen = BTreeSet::new();
        an.components
            .into_iter()
            .filter(|c| seen.insert(c.name.to_lowercase()))
            .collect()
    }

    /// Per-concept strength 0–4, for live `/score` and hints. Same numbers as
    /// the scorecard's, without components, the diagram or evidence quotes.
    pub fn concept_strengths(&self, text: &str) -> Vec<(ConceptId, u8)> {
        let an = Analysis::cues_only(text, &self.matchers);
        (0..self.rubric.concepts.len())
            .map(|i| {
                let hs: Vec<_> = concept_hits(&an, i as u16).collect();
                (
                    self.rubric.concepts[i].id.clone(),
                    concept_strength(&an, i as u16, &hs),
                )
            })
            .collect()
    }

    pub(crate) fn concept_scores(&self, an: &Analysis<'_>) -> Vec<ConceptScore> {
        self.rubric
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let i = i as u16;
                let hs: Vec<_> = concept_hits(an, i).collect();
                let strength = concept_strength(an, i, &hs);
                let missing = match strength {
                    0 => vec![format!("not mentioned; {}", c.hint)],
                    1 => vec![format!("named but not explained; adequate: {}", c.adequate)],
                    2 | 3 => vec![format!("for full credit: {}", c.strong)],
                    _ => Vec::new(),
                };
                ConceptScore {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    strength,
                    weight: c.weight,
                    evidence: an.best_evidence(hs.into_iter(), 3),
                    missing,
                }
            })
            .collect()
    }

    pub(crate) fn signal_scores(&self, an: &Analysis<'_>) -> Vec<SignalScore> {
        self.rubric
            .signals
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let i = i as u16;
                let (strength, evidence, mut missing) = match s.detector {
                    SignalDetector::Quantities => quantity_signal(an),
                    SignalDetector::FailureReasoning => failure_signal(self, an),
                    SignalDetector::Cues => cue_signal(an, i, s),
                };
                let vague: Vec<String> = an
                    .group(Group::SignalVague(i))
                    .map(|(h, _)| {
                        format!("replace \"{}\" with {}", &an.text[h.start..h.end], s.hint)
                    })
                    .collect();
                missing.extend(vague.into_iter().take(2));
                if strength < 4 && missing.is_empty() {
                    missing.push(if s.strong.is_empty() {
                        s.hint.clone()
                    } else {
                        s.strong.clone()
                    });
                }
                SignalScore {
                    id: s.id.clone(),
                    name: s.name.clone(),
                    strength,
                    evidence,
                    missing,
                }
            })
            .collect()
    }
}

fn concept_hits<'a>(
    an: &'a Analysis<'_>,
    i: u16,
) -> impl Iterator<Item = &'a (super::matcher::Hit, usize)> + 'a {
    an.group(Group::Concept(i))
}

/// 0 absent, 1 named, 2 explained, 3 a mechanism explained, 4 two
/// mechanisms in two explained sentences.
fn concept_strength(an: &Analysis<'_>, i: u16, hs: &[&(super::matcher::Hit, usize)]) -> u8 {
    let explained: BTreeSet<usize> = hs
        .iter()
        .filter(|(_, si)| an.explained(*si))
        .map(|(_, si)| *si)
        .collect();
    let mech: BTreeSet<u32> = hs
        .iter()
        .filter(|(h, si)| h.owner == Owner::ConceptMech(i) && an.explained(*si))
        .map(|(h, _)| h.cue)
        .collect();
    if hs.is_empty() {
        0
    } else if explained.len() >= 2 && mech.len() >= 2 {
        4
    } else if !mech.is_empty() {
        3
    } else if !explained.is_empty() {
        2
    } else {
        1
    }
}

fn quantity_signal(an: &Analysis<'_>) -> (u8, Vec<Evidence>, Vec<String>) {
    let distinct: BTreeSet<String> = an
        .quantities
        .iter()
        .map(|q| q.evidence.quote.to_lowercase())
        .collect();
    let kinds: BTreeSet<_> = an.quantities.iter().map(|q| q.kind).collect();
    let (n, k) = (distinct.len(), kinds.len());
    let strength = match (n, k) {
        (0, _) => 0,
        (1, _) => 1,
        (n, k) if n >= 6 && k >= 3 => 4,
        (n, k) if n >= 4 && k >= 2 => 3,
        _ => 2,
    };
    let evidence = an
        .quantities
        .iter()
        .take(6)
        .map(|q| q.evidence.clone())
        .collect();
    let mut missing = Vec::new();
    if strength < 3 {
        missing.push("state scale, latency and retention as numbers (e.g. 200K events/sec, p99 < 10ms, 7 days)".into());
    }
    (strength, evidence, missing)
}

fn failure_signal(s: &Scorer, an: &Analysis<'_>) -> (u8, Vec<Evidence>, Vec<String>) {
    let scen: Vec<_> = an
        .group(Group::Scenario)
        .filter(|(_, si)| !an.list_like(*si))
        .collect();
    let distinct: BTreeSet<Owner> = scen.iter().map(|(h, _)| h.owner).collect();
    let cov = s.coverage_of(an, true);
    let parts = 3 - cov.missing().len();
    let sc = distinct.len();
    let strength = match (sc, parts) {
        (0, 0) => 0,
        (sc, 3) if sc >= 3 => 4,
        (sc, 3) if sc >= 2 => 3,
        (sc, p) if sc >= 1 && p >= 2 => 2,
        _ => 1,
    };
    let mut missing: Vec<String> = cov
        .missing()
        .iter()
        .map(|m| format!("say how the design would {m} for each failure"))
        .collect();
    if sc < 3 {
        missing.push(format!("volunteer three failure modes (found {sc})"));
    }
    (strength, an.best_evidence(scen.into_iter(), 3), missing)
}

fn cue_signal(
    an: &Analysis<'_>,
    i: u16,
    s: &crate::rubric::Signal,
) -> (u8, Vec<Evidence>, Vec<String>) {
    let hs: Vec<_> = an.group(Group::SignalCue(i)).collect();
    let mut cues: BTreeSet<u32> = hs.iter().map(|(h, _)| h.cue).collect();
    let mut explained: BTreeSet<usize> = hs
        .iter()
        .filter(|(_, si)| an.explained(*si))
        .map(|(_, si)| *si)
        .collect();
    let mut evidence = an.best_evidence(hs.iter().copied(), 3);
    for q in an
        .quantities
        .iter()
        .filter(|q| s.quantity_kinds.contains(&q.kind))
    {
        cues.insert(u32::MAX - q.evidence.start as u32);
        if let Some(si) = super::sentences::sentence_at(&an.sentences, q.evidence.start) {
            explained.insert(si);
            if evidence.len() < 4 {
                evidence.push(an.evidence(si, q.evidence.start, q.evidence.end));
            }
        }
    }
    let (d, e) = (cues.len(), explained.len());
    let mut strength = match (d, e) {
        (0, _) => 0,
        (d, e) if e >= 2 && d >= 3 => 4,
        (d, e) if e >= 1 && d >= 2 => 3,
        (_, e) if e >= 1 => 2,
        _ => 1,
    };
    let mut missing = Vec::new();
    if !s.required_terms.is_empty() && !hs.iter().any(|(h, _)| h.owner == Owner::SignalRequired(i))
    {
        strength = strength.min(1);
        missing.push(format!("say it out loud: {}", s.required_terms.join(" / ")));
    }
    (strength, evidence, missing)
}
