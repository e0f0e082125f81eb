//! The four-step framework: which required elements of each step the text
//! shows, with evidence, scored 0–100 per step.

use std::collections::BTreeSet;

use super::card::{Evidence, SessionFacts, StepCheck, StepScore};
use crate::design::Design;
use crate::read::analysis::Analysis;
use crate::read::matcher::{Group, Owner};
use crate::read::quantity::QuantityKind;
use crate::rubric::{CheckDetector, CheckSpec, ComponentKind, FactTopic, Phase, Rubric};

/// The architecture layers of the seed: source, ingest, storage, transformation, serving, monitoring.
fn layer_of(k: ComponentKind) -> &'static [usize] {
    use ComponentKind::*;
    match k {
        Producer => &[0],
        OltpDatabase => &[0],
        Cdc => &[1],
        Queue => &[1],
        ObjectStore => &[2],
        Warehouse => &[2, 4],
        StreamProcessor | BatchProcessor => &[3],
        ServingStore | FeatureStore => &[4],
        Monitoring => &[5],
        Orchestrator | SchemaRegistry | Other => &[],
    }
}

/// The layers component `i` stands for in this design: by its kind, and
/// by where it sits in the flow. Where data enters (a box of no layer of
/// its own that data arrows leave and none reach: the collector, the apps,
/// the auth gateway) is the source; a database data arrows write into
/// serves what was written (a check-results store, a serving Postgres), it
/// is not the source; a batch or stream job named as the load ("Spark
/// load", "ingestion job") is the ingest layer as well as a transformation.
fn layers_in(design: &Design, i: usize) -> Vec<usize> {
    use ComponentKind::*;
    let Some(c) = design.components.get(i) else {
        return Vec::new();
    };
    let data = |e: &&crate::design::Edge| e.from != e.to && e.needs_annotation();
    let written = design.current_edges().filter(data).any(|e| e.to == i);
    let starts = !written && design.current_edges().filter(data).any(|e| e.from == i);
    let loads = || {
        let name = c.name.to_ascii_lowercase();
        name.split(|ch: char| !ch.is_ascii_alphanumeric())
            .any(|w| matches!(w, "load" | "loader" | "ingest" | "ingestion" | "ingestor"))
    };
    let mut out: Vec<usize> = match c.kind {
        OltpDatabase if written => vec![4],
        StreamProcessor | BatchProcessor if loads() => vec![1, 3],
        k => layer_of(k).to_vec(),
    };
    // Only a box that is no layer of its own: a queue or a job drawn first
    // is not the source the data comes from.
    if starts && (c.vague || layer_of(c.kind).is_empty()) && !out.contains(&0) {
        out.insert(0, 0);
    }
    out
}

/// Whether `an`'s text names at least `min` of the design's boxes in the
/// flow (all of them when there are fewer, and at least two): by catalogue
/// product, else by the product or a distinctive word of a box's name, so
/// "MERGEs it into fact_sales" names "Snowflake fact_sales". A written
/// answer (not `in_round`) named every component of its design somewhere:
/// it walks when it has enough of them.
fn names_boxes(an: &Analysis<'_>, design: &Design, min: usize, in_round: bool) -> bool {
    let in_flow: Vec<&crate::design::Component> = design
        .components
        .iter()
        .enumerate()
        .filter(|&(i, c)| !c.vague && design.current_edges().any(|e| e.from == i || e.to == i))
        .map(|(_, c)| c)
        .collect();
    let need = min.min(in_flow.len()).max(2);
    if !in_round {
        return design.components.iter().filter(|c| !c.vague).count() >= need;
    }
    if an.products().len() >= need {
        return true;
    }
    let said: String = an
        .sentences
        .iter()
        .filter_map(|s| an.text.get(s.start..s.end))
        .collect::<Vec<_>>()
        .join("\n")
        .to_ascii_lowercase();
    let word = |w: &str| {
        let w = w.to_ascii_lowercase();
        w.len() >= 4 && !GENERIC_NAME_WORDS.contains(&w.as_str()) && said.contains(&w)
    };
    let named = in_flow
        .iter()
        .filter(|c| {
            c.product
                .as_deref()
                .is_some_and(|p| p.len() >= 2 && said.contains(&p.to_ascii_lowercase()))
                || c.name
                    .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                    .any(word)
        })
        .count();
    named >= need
}

/// Words of a box's name that say what it is, not which one: a narration
/// saying "the job" has not named "Spark hourly job".
const GENERIC_NAME_WORDS: &[&str] = &[
    "job",
    "jobs",
    "hourly",
    "daily",
    "nightly",
    "batch",
    "stream",
    "streaming",
    "service",
    "services",
    "table",
    "tables",
    "data",
    "sink",
    "source",
    "store",
    "landing",
    "layer",
    "topic",
    "topics",
    "cluster",
    "queue",
    "database",
    "warehouse",
    "lake",
    "bucket",
    "pipeline",
    "events",
    "raw",
    "staging",
    "api",
    "app",
    "apps",
    "worker",
    "workers",
];

fn topic_of(check_id: &str) -> Option<FactTopic> {
    match check_id {
        "scale" => Some(FactTopic::Scale),
        "freshness" => Some(FactTopic::Freshness),
        "consumer" => Some(FactTopic::Consumer),
        _ => None,
    }
}

/// Each step's score. In a round (`facts` given) a step is scored on what
/// was said in its own phase: later volunteering earns the failure-reasoning
/// signal, it never rewrites an earlier step. The diagram counts wherever
/// it was drawn. A written answer is read whole for every step.
pub(crate) fn step_scores(
    r: &Rubric,
    an: &Analysis<'_>,
    design: &Design,
    facts: Option<&SessionFacts>,
) -> Vec<StepScore> {
    let mut order: Vec<usize> = (0..r.framework.step.len()).collect();
    order.sort_by_key(|&i| r.framework.step[i].phase);
    order
        .into_iter()
        .map(|si| {
            let step = &r.framework.step[si];
            let own;
            let an: &Analysis<'_> = if facts.is_some() {
                own = design.analysis_of(Some(step.phase));
                &own
            } else {
                an
            };
            // The distinct scenarios named (sorted and deduplicated: only
            // how many counts).
            let mut scenarios: Vec<Owner> = an
                .group(Group::Scenario)
                .filter(|(_, si)| !an.list_like(*si))
                .map(|(h, _)| h.owner)
                .collect();
            scenarios.sort_unstable();
            scenarios.dedup();
            let mut checks: Vec<StepCheck> = step
                .check
                .iter()
                .enumerate()
                .map(|(ci, c)| check(an, design, step.phase, si, ci, c, scenarios.len(), facts))
                .collect();
            let mut score: f32 = step
                .check
                .iter()
                .zip(&checks)
                .filter(|(_, k)| k.met)
                .map(|(c, _)| c.weight)
                .sum();
            if step.phase == Phase::Clarify {
                if let Some(f) = facts {
                    checks.push(StepCheck {
                        name: "clarified scale, freshness and consumer before drawing boxes".into(),
                        met: !f.jumped_to_design,
                        evidence: Vec::new(),
                    });
                    if f.jumped_to_design {
                        score *= 0.5;
                    }
                }
            }
            StepScore {
                phase: step.phase,
                score: (score * 100.0).round().clamp(0.0, 100.0) as u8,
                checks,
            }
        })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn check(
    an: &Analysis<'_>,
    design: &Design,
    phase: Phase,
    si: usize,
    ci: usize,
    c: &CheckSpec,
    scenarios: usize,
    facts: Option<&SessionFacts>,
) -> StepCheck {
    let cue_hits = || {
        let o = Owner::Check(si as u8, ci as u8);
        an.best_evidence(an.owned(o).filter(|(_, s)| !an.list_like(*s)), 2)
    };
    let min = c.min.unwrap_or(1) as usize;
    let (met, evidence): (bool, Vec<Evidence>) = match c.detector {
        CheckDetector::Cues => {
            let ev = cue_hits();
            (!ev.is_empty(), ev)
        }
        CheckDetector::RecordWalk => {
            // The narration names `min` of the design's boxes (fewer when
            // the design has fewer): in a round, in the data flow phase
            // itself, so "An event goes to Kafka, then it's processed"
            // walks nowhere. A written answer's walk may be its arrows.
            let ev = cue_hits();
            let walked = !ev.is_empty() && names_boxes(an, design, min, facts.is_some());
            (walked, if walked { ev } else { Vec::new() })
        }
        CheckDetector::CuesOrScale => {
            let mut ev = cue_hits();
            ev.extend(
                an.quantities
                    .iter()
                    .filter(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size))
                    .take(2)
                    .map(|q| q.evidence.clone()),
            );
            (!ev.is_empty(), ev)
        }
        CheckDetector::BoxCount => {
            // Boxes are what was drawn; products listed in prose are not
            // boxes. Topics drawn a box each are one Kafka, as the
            // interviewer counts them.
            let max = c.max.unwrap_or(7) as usize;
            let boxes: Vec<&Evidence> = design
                .boxes()
                .map(|(_, b)| &b.introduced.evidence)
                .collect();
            (
                (min..=max).contains(&design.systems_drawn()),
                boxes.into_iter().take(3).cloned().collect(),
            )
        }
        CheckDetector::RealProducts => {
            let p = an.products();
            (
                p.len() >= min,
                p.iter().take(4).map(|c| c.evidence.clone()).collect(),
            )
        }
        CheckDetector::AnnotatedArrows => {
            // Read as the interviewer reads the board: a data arrow says
            // what flows and how much (out of a queue, what went into it
            // counts); a control arrow (an orchestrator's trigger, a
            // metadata commit said to move no data) needs neither.
            let arrows = design.arrows().count();
            let data: Vec<(usize, bool)> = design.data_arrows().collect();
            let annotated: Vec<Evidence> = data
                .iter()
                .filter(|(_, said)| *said)
                .map(|&(i, _)| design.edges[i].evidence.clone())
                .collect();
            let ok = arrows >= min.max(2)
                && !annotated.is_empty()
                && annotated.len() * 3 >= data.len() * 2;
            (ok, annotated.into_iter().take(3).collect())
        }
        CheckDetector::Layers => {
            let mut layers = BTreeSet::new();
            let mut ev = Vec::new();
            // Components in the flow: drawn, or on a hop described in prose.
            let in_flow = |i: usize| {
                !design.gone(i)
                    && (design.components[i].drawn
                        || design.current_edges().any(|e| e.from == i || e.to == i))
            };
            for (i, c) in design.components.iter().enumerate() {
                if !(in_flow(i) || c.kind == ComponentKind::Monitoring) {
                    continue;
                }
                let mut of = layers_in(design, i);
                // A generic box stands for no layer ("a database", "a
                // streaming system"), except where data enters: the source
                // is "the apps" or "web/mobile" by nature.
                if c.vague {
                    of.retain(|&l| l == 0);
                }
                for l in of {
                    if layers.insert(l) && ev.len() < 6 {
                        ev.push(c.introduced.evidence.clone());
                    }
                }
            }
            (layers.len() >= min, ev)
        }
        CheckDetector::FailureScenarios => {
            // Drills answered count for the failure step, never for an
            // earlier step's "names a failure at a component".
            let answered = facts
                .filter(|_| phase == Phase::FailureModes)
                .map_or(0, |f| f.failures_fully_answered);
            let ev = an.best_evidence(
                an.group(Group::Scenario).filter(|(_, s)| !an.list_like(*s)),
                3,
            );
            (scenarios.max(answered) >= min, ev)
        }
        CheckDetector::Detect | CheckDetector::Recover | CheckDetector::PreventLoss => {
            // As deep as the design model records it: a bare "monitoring"
            // or "we rerun it" is named, not covered. In a round, only the
            // failure phase's answers count for this step.
            let ev: Vec<Evidence> = design
                .failures
                .iter()
                .filter(|t| facts.is_none() || t.phase == Some(Phase::FailureModes))
                .filter_map(|t| {
                    let p = match c.detector {
                        CheckDetector::Detect => &t.detect,
                        CheckDetector::Recover => &t.recover,
                        _ => &t.prevent,
                    };
                    p.depth.covered().then(|| p.evidence.clone()).flatten()
                })
                .take(2)
                .collect();
            (!ev.is_empty(), ev)
        }
    };
    let asked = facts
        .zip(topic_of(&c.id))
        .is_some_and(|(f, t)| f.asked.contains(&t));
    StepCheck {
        name: c.name.clone(),
        met: met || asked,
        evidence,
    }
}
