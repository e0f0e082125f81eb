//! The rule that turns a scorecard into a level: L4 draws the diagram; L5
//! explains how it survives bad days (failure reasoning plus idempotency);
//! L6 adds operations, on-call and cost. Keyword lists stay at most L4.

use super::card::*;
use super::scorer::FailureCoverage;
use crate::design::Design;
use crate::read::analysis::Analysis;
use crate::rubric::{Level, Problem, Rubric};

/// Signal and concept ids the rule reads; a user rubric without them scores 0 there.
pub const NUMBERS: &str = "specific-numbers";
pub const FAILURE: &str = "failure-reasoning";
pub const IDEMPOTENCY_SAID: &str = "idempotency-explicit";
pub const COST: &str = "cost-aware";
pub const OPERATIONS: &str = "operational-realism";
pub const IDEMPOTENCY: &str = "idempotency";
pub const EXACTLY_ONCE: &str = "exactly-once";

struct Gate {
    level: Level,
    passed: bool,
    /// Why it passed (with a quote) or what is missing.
    pass_text: String,
    fail_text: String,
}

fn quote(ev: &[Evidence]) -> String {
    ev.first()
        .map(|e| {
            let q: String = e.quote.chars().take(90).collect();
            format!(
                " (\"{}{}\")",
                q,
                if e.quote.len() > q.len() { "…" } else { "" }
            )
        })
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn decide(
    r: &Rubric,
    problem: Option<&Problem>,
    an: &Analysis<'_>,
    _design: &Design,
    concepts: &[ConceptScore],
    signals: &[SignalScore],
    steps: &[StepScore],
    coverage: &FailureCoverage,
    facts: Option<&SessionFacts>,
) -> (u8, Verdict) {
    let overall = overall(r, problem, concepts, signals, steps);
    let rule = &r.levels.rule;
    let sig = |id: &str| signals.iter().find(|s| s.id.as_str() == id);
    let sig_s = |id: &str| sig(id).map(|s| s.strength).unwrap_or(0);
    let sig_ev = |id: &str| sig(id).map(|s| s.evidence.clone()).unwrap_or_default();
    let con = |id: &str| concepts.iter().find(|c| c.id.as_str() == id);
    let products = an.products();
    let hit_concepts = concepts.iter().filter(|c| c.strength > 0).count();
    let ratio = an.explained_ratio();
    let stuffed = hit_concepts >= 4 && ratio < rule.stuffed_max_explained_ratio;
    let idem = [IDEMPOTENCY, EXACTLY_ONCE]
        .iter()
        .filter_map(|id| con(id))
        .max_by_key(|c| c.strength);
    let idem_s = idem.map(|c| c.strength).unwrap_or(0);
    let scenarios = an.distinct_scenarios();
    let product_names: Vec<&str> = products.iter().take(4).map(|c| c.name.as_str()).collect();

    let gates = vec![
        Gate {
            level: Level::L4,
            passed: products.len() as u32 >= rule.l4_min_products,
            pass_text: format!("Draws a concrete architecture with real products: {}", product_names.join(", ")),
            fail_text: format!(
                "Name real products for each box (Kafka, Flink, S3, Snowflake...): found {} where {} are expected",
                products.len(),
                rule.l4_min_products
            ),
        },
        Gate {
            level: Level::L4,
            passed: overall >= rule.l4_min_overall,
            pass_text: format!("Covers enough of the framework and concepts (overall {overall})"),
            fail_text: format!("Overall {overall} is below {}: clarify scale/freshness/consumer, then draw 5–7 boxes", rule.l4_min_overall),
        },
        Gate {
            level: Level::L5,
            passed: !stuffed,
            pass_text: "Reasons about choices instead of listing keywords".into(),
            fail_text: format!(
                "Reads as a keyword list: only {:.0}% of sentences explain why or how; say what each piece does and why",
                ratio * 100.0
            ),
        },
        Gate {
            level: Level::L5,
            passed: coverage.complete(),
            pass_text: format!(
                "Explains how it survives bad days: detects{}, recovers{}, prevents loss{}",
                quote(&coverage.detect),
                quote(&coverage.recover),
                quote(&coverage.prevent_loss)
            ),
            fail_text: format!(
                "Failure modes lack {}: for each failure say how it is detected, how it recovers and how data loss is prevented",
                coverage.missing().join(", ")
            ),
        },
        Gate {
            level: Level::L5,
            passed: idem_s >= rule.l5_min_idempotency && sig_s(IDEMPOTENCY_SAID) >= 2,
            pass_text: format!("States idempotency / exactly-once with its mechanism{}", quote(&sig_ev(IDEMPOTENCY_SAID))),
            fail_text: "Say \"idempotent\" out loud and how: MERGE/UPSERT on a natural key, dedupe by event_id, transactional sinks".into(),
        },
        Gate {
            level: Level::L5,
            passed: sig_s(NUMBERS) >= rule.l5_min_numbers,
            pass_text: format!("Uses specific numbers{}", quote(&sig_ev(NUMBERS))),
            fail_text: "Replace \"high throughput\" and \"low latency\" with numbers: events/sec, GB/day, p99 ms, retention days".into(),
        },
        Gate {
            level: Level::L5,
            passed: scenarios as u32 >= rule.l5_min_scenarios || sig_s(FAILURE) >= 3,
            pass_text: format!("Volunteers concrete failure scenarios{}", quote(&sig_ev(FAILURE))),
            fail_text: "Volunteer failures before being asked: \"if this Kafka broker dies...\", duplicates from retries, late records".into(),
        },
        Gate {
            level: Level::L5,
            passed: overall >= rule.l5_min_overall,
            pass_text: format!("Overall {overall} clears the L5 bar"),
            fail_text: format!("Overall {overall} is below the L5 bar of {}", rule.l5_min_overall),
        },
        Gate {
            level: Level::L6,
            passed: sig_s(OPERATIONS) >= rule.l6_min_operations,
            pass_text: format!("Thinks about operating it: on-call, runbooks, RTO/RPO, SLOs{}", quote(&sig_ev(OPERATIONS))),
            fail_text: "Add operations: who is paged at 3am, the runbook, RTO/RPO, and tiered SLAs/SLOs per consumer".into(),
        },
        Gate {
            level: Level::L6,
            passed: sig_s(COST) >= rule.l6_min_cost,
            pass_text: format!("Makes cost-aware choices{}", quote(&sig_ev(COST))),
            fail_text: "Add one or two cost-aware decisions: partition pruning, compaction, storage tiers, auto-suspend, with $ figures".into(),
        },
        Gate {
            level: Level::L6,
            passed: overall >= rule.l6_min_overall,
            pass_text: format!("Overall {overall} clears the L6 bar"),
            fail_text: format!("Overall {overall} is below the L6 bar of {}", rule.l6_min_overall),
        },
    ];

    let mut level = Level::L3;
    for l in [Level::L4, Level::L5, Level::L6] {
        if gates.iter().filter(|g| g.level == l).all(|g| g.passed) {
            level = l;
        } else {
            break;
        }
    }
    let mut reasons = Vec::new();
    if let Some(f) = facts {
        if f.jumped_to_design && level > rule.jumped_to_design_cap {
            level = rule.jumped_to_design_cap;
            reasons.push(format!(
                "Capped at {level}: jumped to the diagram before clarifying scale, freshness and consumer"
            ));
        }
    }
    let next = match level {
        Level::L3 => Some(Level::L4),
        Level::L4 => Some(Level::L5),
        Level::L5 => Some(Level::L6),
        Level::L6 => None,
    };
    let failed_next: Vec<&Gate> = gates
        .iter()
        .filter(|g| Some(g.level) == next && !g.passed)
        .collect();
    let passed_here: Vec<&Gate> = gates
        .iter()
        .rev()
        .filter(|g| g.level <= level && g.passed)
        .collect();
    let keep_pass = if failed_next.is_empty() { 3 } else { 2 };
    reasons.extend(
        passed_here
            .iter()
            .take(keep_pass)
            .map(|g| g.pass_text.clone()),
    );
    if let Some(g) = failed_next.first() {
        reasons.push(format!("Not {}: {}", g.level, g.fail_text));
    }
    reasons.truncate(3);

    let mut improvements: Vec<String> = failed_next.iter().map(|g| g.fail_text.clone()).collect();
    let key: Vec<&str> = problem
        .map(|p| p.key_concepts.iter().map(|k| k.as_str()).collect())
        .unwrap_or_default();
    let mut gaps: Vec<&ConceptScore> = concepts.iter().filter(|c| c.strength < 3).collect();
    let boost = |c: &ConceptScore| {
        if key.contains(&c.id.as_str()) {
            r.levels.scoring.key_concept_boost
        } else {
            1.0
        }
    };
    gaps.sort_by(|a, b| {
        let ga = a.weight * boost(a) * f32::from(4 - a.strength);
        let gb = b.weight * boost(b) * f32::from(4 - b.strength);
        gb.total_cmp(&ga)
    });
    for c in gaps {
        if let Some(full) = r.concept(&c.id) {
            improvements.push(format!("{}: {}", c.name, full.hint));
        }
    }
    improvements.dedup();
    improvements.truncate(3);
    (
        overall,
        Verdict {
            level,
            reasons,
            improvements,
        },
    )
}

/// Overall 0–100: the rubric's shares of concepts, signals and framework.
fn overall(
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
