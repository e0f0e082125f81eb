//! The deterministic scorer: compiled once from a rubric, then scores any
//! text (a written answer or all candidate turns of a session) with evidence.

use std::collections::BTreeSet;
use std::sync::{Arc, OnceLock};

use serde::{Deserialize, Serialize};

use super::card::*;
use super::strength::{concept_hits, concept_strength, distinct, HandWaves};
use super::{steps, verdict};
use crate::design::{Depth, Design, FailureTalk, PartDepth};
use crate::read::analysis::{Analysis, Parts};
use crate::read::dialogue::candidate_words;
use crate::read::matcher::{Group, Owner};
use crate::read::{ComponentMention, Reader};
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
    reader: Reader,
    /// Each rubric problem's reference architecture, read the first time a
    /// verdict quotes it (shared by clones).
    references: Arc<Vec<OnceLock<Parts>>>,
}

impl Scorer {
    /// Compile the rubric's cues. The rubric was validated at load, so this cannot fail.
    pub fn new(rubric: &Rubric) -> Scorer {
        Scorer {
            reader: Reader::new(rubric, &crate::design::SENTENCE_CUES),
            references: Arc::new(rubric.problems.iter().map(|_| OnceLock::new()).collect()),
            rubric: rubric.clone(),
        }
    }

    /// The reading of `p`'s reference architecture, kept once read, when
    /// `p` is this rubric's problem of that id (same reference text).
    fn reference_parts(&self, p: &Problem) -> Option<&Parts> {
        let i =
            self.rubric.problems.iter().position(|q| {
                q.id == p.id && q.reference_architecture == p.reference_architecture
            })?;
        let text = self.rubric.problems[i].reference_architecture.as_str();
        Some(
            self.references
                .get(i)?
                .get_or_init(|| self.reader.analyse(text).into_parts()),
        )
    }

    /// The rubric this scorer was built from.
    pub fn rubric(&self) -> &Rubric {
        &self.rubric
    }

    /// The compiled cues the design model reads turns with.
    pub(crate) fn reader(&self) -> &Reader {
        &self.reader
    }

    /// The design model of a written answer (the candidate's lines of a
    /// typed-up dialogue).
    pub fn read_answer(&self, text: &str) -> Design {
        Design::of_answer(&self.reader, &candidate_words(text))
    }

    /// Score a written answer: only the candidate's lines of a typed-up
    /// dialogue ("Interviewer: … / Me: …") are theirs.
    pub fn score(&self, problem: Option<&Problem>, text: &str) -> Scorecard {
        let design = Design::scoring_facts_of(&self.reader, &candidate_words(text));
        self.score_design(problem, &design, None)
    }

    /// Score a round from its design model: the facts adjust the clarify
    /// step, cap credit for hinted concepts and add probed failures.
    pub fn score_session(
        &self,
        problem: Option<&Problem>,
        design: &Design,
        facts: &SessionFacts,
    ) -> Scorecard {
        self.score_design(problem, design, Some(facts))
    }

    fn score_design(
        &self,
        problem: Option<&Problem>,
        design: &Design,
        facts: Option<&SessionFacts>,
    ) -> Scorecard {
        let an = design.analysis();
        let mut concepts = self.concept_scores(&an);
        if let Some(f) = facts {
            credit_answers(&self.rubric, design.text(), &f.credited, &mut concepts);
            let cap = self.rubric.levels.rule.hint_cap;
            for c in &mut concepts {
                if f.hints.contains(&c.id) && c.strength > cap {
                    c.strength = cap;
                    c.missing
                        .push(format!("credit capped at {cap} because a hint was used"));
                }
            }
        }
        let signals = self.signal_scores(&an, &design.failure_talk(&an));
        let steps = steps::step_scores(&self.rubric, &an, design, facts);
        let coverage = coverage_of(design);
        let reference = std::cell::OnceCell::new();
        let excerpt = |what: &str| -> Option<String> {
            let p = problem?;
            let text = p.reference_architecture.as_str();
            let an = reference.get_or_init(|| match self.reference_parts(p) {
                Some(parts) => Analysis::of_parts(text, parts),
                None => self.reader.analyse(text),
            });
            reference_excerpt(&self.rubric, p, an, what)
        };
        let (overall, verdict) = verdict::decide(
            &self.rubric,
            problem,
            &an,
            design,
            &concepts,
            &signals,
            &steps,
            &coverage,
            facts,
            &excerpt,
        );
        Scorecard {
            brief_missed: problem
                .map(|p| design.brief_missed(&p.brief))
                .unwrap_or_default(),
            problem: problem.map(|p| p.id.0.clone()),
            rubric_version: self.rubric.version.clone(),
            concepts,
            signals,
            steps,
            overall,
            verdict,
        }
    }

    /// Detect / recover / prevent-loss evidence in an answer to "and what if
    /// this fails?", as deep as the design model records it (covered parts only).
    pub fn failure_coverage(&self, text: &str) -> FailureCoverage {
        coverage_of(&Design::scoring_facts_of(&self.reader, text))
    }

    /// Products and boxes named in free text or diagrams, canonicalised, one
    /// per canonical name (first mention), negated mentions dropped.
    pub fn components(&self, text: &str) -> Vec<ComponentMention> {
        let an = self.reader.analyse(text);
        let mut seen = BTreeSet::new();
        an.components
            .into_owned()
            .into_iter()
            .filter(|c| seen.insert(c.name.to_lowercase()))
            .collect()
    }

    /// Per-concept strength 0–4, for live `/score` and hints. Same numbers as
    /// the scorecard's, without components, the diagram or evidence quotes.
    pub fn concept_strengths(&self, text: &str) -> Vec<(ConceptId, u8)> {
        let an = Analysis::cues_only(text, &self.reader.matchers);
        let waved = HandWaves::new(&an);
        (0..self.rubric.concepts.len())
            .map(|i| {
                let hs: Vec<_> = concept_hits(&an, i as u16).collect();
                (
                    self.rubric.concepts[i].id.clone(),
                    concept_strength(&an, i as u16, &hs, &waved),
                )
            })
            .collect()
    }

    pub(crate) fn concept_scores(&self, an: &Analysis<'_>) -> Vec<ConceptScore> {
        let waved = HandWaves::new(an);
        self.rubric
            .concepts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let i = i as u16;
                let hs: Vec<_> = concept_hits(an, i).collect();
                let strength = concept_strength(an, i, &hs, &waved);
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

    /// The signals, with `talk` what the whole text says about failures.
    pub(crate) fn signal_scores(&self, an: &Analysis<'_>, talk: &FailureTalk) -> Vec<SignalScore> {
        self.rubric
            .signals
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let i = i as u16;
                let (strength, evidence, mut missing) = match s.detector {
                    SignalDetector::Quantities => quantity_signal(an),
                    SignalDetector::FailureReasoning => failure_signal(an, talk),
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

/// The concepts of challenges answered with what they asked, credited as
/// explained (strength 2) when the cues read less, with the answer's first
/// sentence as the evidence. `text` is the design's text, which holds
/// each answer as said.
fn credit_answers(
    rubric: &Rubric,
    text: &str,
    credited: &[(ConceptId, String)],
    concepts: &mut [ConceptScore],
) {
    for (id, said) in credited {
        let Some(c) = concepts.iter_mut().find(|c| c.id == *id) else {
            continue;
        };
        let Some(at) = text.rfind(said.as_str()).filter(|_| c.strength < 2) else {
            continue;
        };
        let sentence = said
            .char_indices()
            .find(|&(i, ch)| {
                matches!(ch, '.' | '!' | '?' | '\n')
                    && said[i + 1..].starts_with(|n: char| n.is_whitespace())
            })
            .map_or(said.as_str(), |(i, _)| &said[..=i])
            .trim_end();
        c.strength = 2;
        c.evidence.insert(
            0,
            Evidence {
                start: at,
                end: at + sentence.len(),
                quote: sentence.to_string(),
            },
        );
        c.missing = rubric
            .concept(id)
            .map(|r| vec![format!("for full credit: {}", r.strong)])
            .unwrap_or_default();
    }
}

fn quantity_signal(an: &Analysis<'_>) -> (u8, Vec<Evidence>, Vec<String>) {
    let n = distinct(
        an.quantities
            .iter()
            .map(|q| q.evidence.quote.to_lowercase())
            .collect(),
    );
    let k = distinct(an.quantities.iter().map(|q| q.kind).collect());
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

fn failure_signal(an: &Analysis<'_>, talk: &FailureTalk) -> (u8, Vec<Evidence>, Vec<String>) {
    let scen: Vec<_> = an
        .group(Group::Scenario)
        .filter(|(_, si)| !an.list_like(*si))
        .collect();
    let sc = distinct(scen.iter().map(|(h, _)| h.owner).collect());
    let cov = coverage_from(talk);
    let parts = 3 - cov.missing().len();
    // Full marks need one part said in depth (a threshold, who is paged, a
    // second mechanism), not three bare "alerts, restart, replicas".
    let deep = [&talk.detect, &talk.recover, &talk.prevent]
        .iter()
        .any(|p| p.depth == crate::design::Depth::Deep);
    let strength = match (sc, parts) {
        (0, 0) => 0,
        (sc, 3) if sc >= 3 && deep => 4,
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
    let mut cues: Vec<u32> = hs.iter().map(|(h, _)| h.cue).collect();
    // A signal is about content (paging, prices), not reasoning: a plain
    // sentence of some length that is not a keyword list counts too.
    let mut explained: Vec<usize> = hs
        .iter()
        .filter(|(_, si)| {
            an.explained(*si)
                || (!an.list_like(*si) && an.sentences.get(*si).is_some_and(|s| s.words >= 8))
        })
        .map(|(_, si)| *si)
        .collect();
    let mut evidence = an.best_evidence(hs.iter().copied(), 3);
    for q in an
        .quantities
        .iter()
        .filter(|q| s.quantity_kinds.contains(&q.kind))
    {
        cues.push(u32::MAX - q.evidence.start as u32);
        if let Some(si) = crate::read::sentences::sentence_at(&an.sentences, q.evidence.start) {
            explained.push(si);
            if evidence.len() < 4 {
                // Once per quote: two prices in one sentence, or a sentence
                // the cues already quote, are one piece of evidence.
                let ev = an.evidence(si, q.evidence.start, q.evidence.end);
                if !evidence
                    .iter()
                    .any(|e| e.start == ev.start && e.end == ev.end)
                {
                    evidence.push(ev);
                }
            }
        }
    }
    let (d, e) = (distinct(cues), distinct(explained));
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

/// Failure coverage as the design model records it: each part's evidence
/// where it reached "covered" (a bare word does not count).
fn coverage_of(design: &Design) -> FailureCoverage {
    let mut cov = FailureCoverage::default();
    let put = |slot: &mut Vec<Evidence>, p: &PartDepth| {
        if p.depth >= Depth::Covered {
            if let Some(e) = p.quote() {
                if slot.len() < 3 && !slot.iter().any(|x| x.start == e.start) {
                    slot.push(e.clone());
                }
            }
        }
    };
    // In a round, what was said in the failure phase is quoted first:
    // "drops events before exposure" narrated in the data flow is no
    // detection, whatever the word matched.
    let failure_phase = |f: &&FailureTalk| f.phase == Some(crate::rubric::Phase::FailureModes);
    let ordered = design
        .failures
        .iter()
        .filter(failure_phase)
        .chain(design.failures.iter().filter(|f| !failure_phase(f)));
    for f in ordered {
        put(&mut cov.detect, &f.detect);
        put(&mut cov.recover, &f.recover);
        put(&mut cov.prevent_loss, &f.prevent);
    }
    cov
}

/// The same from what one text says about failures.
fn coverage_from(talk: &FailureTalk) -> FailureCoverage {
    let mut cov = FailureCoverage::default();
    for (slot, p) in [
        (&mut cov.detect, &talk.detect),
        (&mut cov.recover, &talk.recover),
        (&mut cov.prevent_loss, &talk.prevent),
    ] {
        if p.depth >= Depth::Covered {
            slot.extend(p.quote().cloned());
        }
    }
    cov
}

/// What the problem's reference answer says about a concept (or about
/// failures, numbers, cost, operations, the diagram): one line of it.
fn reference_excerpt(r: &Rubric, p: &Problem, an: &Analysis<'_>, what: &str) -> Option<String> {
    let text = p.reference_architecture.as_str();
    let line_at = |pos: usize| -> Option<String> {
        let start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text.get(start..end)?.trim();
        (!line.is_empty()).then(|| line.chars().take(220).collect())
    };
    let lines = || text.lines().map(str::trim).filter(|l| !l.is_empty());
    match what {
        "failure" => lines()
            .find(|l| l.starts_with("1.") || l.to_ascii_lowercase().starts_with("failure"))
            .map(|l| {
                // The first failure the reference covers, not the heading.
                let heading = l.to_ascii_lowercase().starts_with("failure");
                if heading {
                    lines()
                        .skip_while(|x| !x.to_ascii_lowercase().starts_with("failure"))
                        .nth(1)
                        .unwrap_or(l)
                        .to_string()
                } else {
                    l.to_string()
                }
            }),
        "numbers" | "diagram" => lines()
            .find(|l| l.contains("->") && l.bytes().any(|b| b.is_ascii_digit()))
            .map(str::to_string),
        "operations" => p.sla_tiers.first().cloned().or_else(|| {
            lines()
                .find(|l| l.to_ascii_lowercase().contains("tier"))
                .map(str::to_string)
        }),
        // How the reference runs on-call: a runbook, a page, a recovery
        // target.
        "on-call" => lines()
            .find(|l| {
                l.to_ascii_lowercase()
                    .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                    .any(|w| {
                        ["runbook", "rto", "rpo", "on-call", "pagerduty", "pages"].contains(&w)
                    })
            })
            .map(str::to_string),
        "cost" => lines()
            .find(|l| {
                let lo = l.to_ascii_lowercase();
                l.contains('$')
                    || lo.contains("cost")
                    || lo.contains("glacier")
                    || lo.contains("compaction")
            })
            .map(str::to_string),
        id => {
            let i = r.concepts.iter().position(|c| c.id.as_str() == id)? as u16;
            let hits: Vec<_> = an.group(Group::Concept(i)).collect();
            let best = hits
                .iter()
                .find(|(h, _)| h.owner == Owner::ConceptMech(i))
                .or(hits.first())?;
            // A line of the diagram is quoted as drawn; prose by its
            // sentence (or the clause around the cue), not by where the
            // reference's lines happen to wrap.
            let line = line_at(best.0.start)?;
            if line.contains("->") {
                return Some(line);
            }
            let q = an.evidence(best.1, best.0.start, best.0.end).quote;
            Some(q.split_whitespace().collect::<Vec<_>>().join(" "))
        }
    }
}

#[cfg(test)]
mod tests;
