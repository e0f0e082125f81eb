//! The ladder that turns a scorecard and the design model into a level, as
//! the seed describes the levels:
//!
//! - L3: below the bar — vague boxes or a keyword list, no architecture.
//! - L4: draws the diagram — a plausible pipeline of real products, with
//!   some annotation (what flows, how much) — but stays on the happy path.
//! - L5: explains how it survives bad days — reasons rather than lists,
//!   failures with detection, recovery and loss prevention, idempotent
//!   writes with their mechanism, specific numbers.
//! - L6: adds operations (who is paged, runbooks, recovery targets, SLOs)
//!   and cost (money or resources), with every failure answer complete.
//!
//! Every gate records the facts that decided it, quoting the candidate, and
//! a failed gate says what would have passed it.

use super::card::*;
use super::scorer::FailureCoverage;
use crate::design::Design;
use crate::read::analysis::Analysis;
use crate::read::text::holds_words;
use crate::rubric::{Level, Phase, Problem, Rubric};

/// Failures a round must close in full (detect, recover, no loss) for L6:
/// the seed's deep dive picks three; one is the L5 signal, not staff depth.
const L6_ANSWERED: usize = 2;

/// Signal and concept ids the rule reads; a user rubric without them scores 0 there.
pub const NUMBERS: &str = "specific-numbers";
pub const FAILURE: &str = "failure-reasoning";
pub const IDEMPOTENCY_SAID: &str = "idempotency-explicit";
pub const COST: &str = "cost-aware";
pub const OPERATIONS: &str = "operational-realism";
pub const IDEMPOTENCY: &str = "idempotency";
pub const EXACTLY_ONCE: &str = "exactly-once";

mod advice;
mod operations;
mod overall;
mod quotes;
mod substance;

use overall::overall;
use quotes::{
    balanced_code, cost_said, covered_parts, number_word, operated, priced, quote, quote_one,
    quote_saying, quote_showing, scale_said,
};

struct Gate {
    level: Level,
    id: &'static str,
    passed: bool,
    because: String,
    to_pass: String,
}

/// What the ladder reads, gathered once.
struct Facts<'a> {
    an: &'a Analysis<'a>,
    design: &'a Design,
    signals: &'a [SignalScore],
    concepts: &'a [ConceptScore],
    coverage: &'a FailureCoverage,
    /// A round's facts (none for a written answer).
    session: Option<&'a SessionFacts>,
}

impl Facts<'_> {
    fn sig(&self, id: &str) -> Option<&SignalScore> {
        self.signals.iter().find(|s| s.id.as_str() == id)
    }
    fn sig_s(&self, id: &str) -> u8 {
        self.sig(id).map_or(0, |s| s.strength)
    }
    fn sig_ev(&self, id: &str) -> Vec<Evidence> {
        self.sig(id).map(|s| s.evidence.clone()).unwrap_or_default()
    }
    fn con(&self, id: &str) -> Option<&ConceptScore> {
        self.concepts.iter().find(|c| c.id.as_str() == id)
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn decide(
    r: &Rubric,
    problem: Option<&Problem>,
    an: &Analysis<'_>,
    design: &Design,
    concepts: &[ConceptScore],
    signals: &[SignalScore],
    steps: &[StepScore],
    coverage: &FailureCoverage,
    facts: Option<&SessionFacts>,
    excerpt: &dyn Fn(&str) -> Option<String>,
) -> (u8, Verdict) {
    let overall = overall(r, problem, concepts, signals, steps);
    let f = Facts {
        an,
        design,
        signals,
        concepts,
        coverage,
        session: facts,
    };
    let gates = gates(r, problem, &f, overall);
    let rule = &r.levels.rule;
    let mut level = Level::L3;
    for l in [Level::L4, Level::L5, Level::L6] {
        if gates.iter().filter(|g| g.level == l).all(|g| g.passed) {
            level = l;
        } else {
            break;
        }
    }
    let mut reasons = Vec::new();
    if let Some(fs) = facts {
        if fs.jumped_to_design && level > rule.jumped_to_design_cap {
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
    // The reasons: the strongest gates passed at this level (with their
    // quotes), then the gate that kept it from the next one.
    // The overall-score gates say least: they come after the facts, and a
    // round without shrugs is said only when nothing else is.
    let mut passed_here: Vec<&Gate> = gates
        .iter()
        .rev()
        .filter(|g| g.level <= level && g.passed)
        .collect();
    passed_here.sort_by_key(|g| (g.id == "overall", g.id == "substance"));
    let keep_pass = if failed_next.is_empty() { 3 } else { 2 };
    reasons.extend(
        passed_here
            .iter()
            .take(keep_pass)
            .map(|g| g.because.clone()),
    );
    if let Some(g) = failed_next.first() {
        reasons.push(format!("Not {}: {}", g.level, g.because));
    }
    reasons.truncate(3);

    let advice = advice::improvements(r, problem, &f, &failed_next, excerpt);
    let results = gates
        .into_iter()
        .map(|g| GateResult {
            level: g.level,
            gate: g.id.to_string(),
            passed: g.passed,
            because: g.because,
            to_pass: (!g.passed).then_some(g.to_pass),
        })
        .collect();
    (
        overall,
        Verdict {
            level,
            reasons,
            improvements: advice.iter().map(|a| a.text.clone()).collect(),
            gates: results,
            advice,
        },
    )
}

fn gates(r: &Rubric, problem: Option<&Problem>, f: &Facts<'_>, overall: u8) -> Vec<Gate> {
    let rule = &r.levels.rule;
    let d = f.design;
    // The cost reasoning said below the cost bar, read once for the gate's
    // reason and for what would pass it.
    let said_cost = cost_said(f);
    // What the operations gate lacks, read only when it fails.
    let ops_gap = if f.sig_s(OPERATIONS) < rule.l6_min_operations {
        operations::operations_gap(f)
    } else {
        Default::default()
    };
    let in_flow: Vec<&str> = d
        .components
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !c.vague
                && c.gone.is_none()
                && (c.drawn || d.current_edges().any(|e| e.from == *i || e.to == *i))
        })
        .map(|(_, c)| c.label())
        .collect();
    let arrows = d.arrows().count();
    let boxes = d.boxes().filter(|(_, b)| !b.vague).count();
    let hops = d.current_edges().count();
    let annotated = d.current_edges().filter(|e| e.annotated()).count();
    let with_rate = d.current_edges().filter(|e| e.rate.is_some()).count();
    let with_payload = d
        .current_edges()
        .filter(|e| e.payload.is_some() || e.format.is_some())
        .count();
    // Sentences that say what a component does: not lists of names, not
    // the diagram's own lines.
    let in_diagram = |a: usize, b: usize| {
        d.arrows()
            .any(|(_, e)| e.evidence.start < b && a < e.evidence.end)
    };
    // Where real products are named, in order, for a search per sentence.
    let mut product_at: Vec<usize> =
        f.an.components
            .iter()
            .filter(|c| !c.vague)
            .map(|c| c.evidence.start)
            .collect();
    product_at.sort_unstable();
    let names_product = |a: usize, b: usize| {
        let k = product_at.partition_point(|&p| p < a);
        product_at.get(k).is_some_and(|&p| p < b)
    };
    let product_sentences: Vec<usize> =
        f.an.sentences
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                s.words >= 6
                    && !f.an.list_like(*i)
                    && !in_diagram(s.start, s.end)
                    && names_product(s.start, s.end)
            })
            .map(|(i, _)| i)
            .collect();
    let described_pieces = product_sentences.len();
    let products_in_sentences = {
        // Sentences do not overlap and come in order: the only one that can
        // hold a position is the last to start at or before it.
        let in_product_sentence = |pos: usize| {
            let k = product_sentences.partition_point(|&i| f.an.sentences[i].start <= pos);
            k > 0 && pos < f.an.sentences[product_sentences[k - 1]].end
        };
        let mut names: Vec<&str> =
            f.an.components
                .iter()
                .filter(|c| !c.vague)
                .filter(|c| in_product_sentence(c.evidence.start))
                .map(|c| c.name.as_str())
                .collect();
        names.sort_unstable();
        names.dedup();
        names
    };
    let drawn = arrows >= 2 && boxes as u32 >= rule.l4_min_products;
    // A write-up may walk the flow in prose: hops named with verbs, or
    // enough products discussed in reasoned sentences.
    let words: usize = f.an.sentences.iter().map(|s| s.words).sum();
    let explained = f.an.sentences.iter().filter(|s| s.explained).count();
    let described = (hops >= 3 && in_flow.len() >= 3)
        || (products_in_sentences.len() >= 4
            && (hops >= 2
                || !d.keys.is_empty()
                || (words >= 120 && f.an.explained_ratio() >= 0.35)))
        // A reasoned write-up that names its products without a diagram
        // (prose, a table of stages, a list of changes) is still a design.
        || (products_in_sentences.len() >= 2 && explained >= 4 && words >= 100);
    let numbers = f.sig_s(NUMBERS);
    // Hops walked through in sentences: saying what each piece does.
    let prose_hops = d.current_edges().filter(|e| !e.drawn).count();
    let hit_concepts = f.concepts.iter().filter(|c| c.strength > 0).count();
    let ratio = f.an.explained_ratio();
    let stuffed = hit_concepts >= 4 && ratio < rule.stuffed_max_explained_ratio;
    let cov = f.coverage;
    let parts = 3 - cov.missing().len();
    // Distinct kinds of failure, or failures discussed one by one (a
    // write-up's failure section often names several of one kind).
    let scenarios =
        f.an.distinct_scenarios()
            .max(f.an.failure_discussions().min(4))
            .max(crate::design::failure_items(f.an.text).min(4));
    let idem = [IDEMPOTENCY, EXACTLY_ONCE]
        .iter()
        .filter_map(|id| f.con(id))
        .map(|c| c.strength)
        .max()
        .unwrap_or(0);
    // In a round: failures answered in full, drilled or volunteered.
    let answered = f.session.map(|fs| {
        fs.failures_fully_answered
            + d.failures
                .iter()
                .filter(|t| t.phase != Some(Phase::FailureModes) && t.complete())
                .count()
    });
    // A failure the round drilled and the candidate closed in full is a
    // concrete scenario, whatever words it was asked in ("a notebook
    // scans 200 TB all weekend" names no framework scenario).
    let scenarios = scenarios.max(answered.unwrap_or(0).min(4));
    // "Make everything idempotent" claims a write safe; a key or a
    // mechanism shows it.
    let write = d.writes.iter().find(|w| w.keyed).or(d
        .writes
        .iter()
        .find(|w| crate::design::shows_mechanism(&w.mechanism, &w.evidence.quote)));
    let shown = |names: &[&str]| names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    let arrow_quote = d
        .current_edges()
        .find(|e| e.annotated())
        .or_else(|| {
            d.current_edges()
                .find(|e| e.payload.is_some() || e.rate.is_some())
        })
        .map(|e| {
            // An annotation given in a later answer ("maybe a few GB") is
            // what annotates the arrow: quote it, not the bare arrow.
            match e.rate.as_ref().or(e.payload.as_ref()) {
                Some(a) if a.turn != e.turn => quote_one(&a.evidence.quote),
                _ => quote_one(&e.evidence.quote),
            }
        })
        .unwrap_or_default();

    let mut gates = vec![
        Gate {
            level: Level::L4,
            id: "diagram",
            passed: drawn || described,
            because: if drawn {
                format!("Draws the architecture: {boxes} boxes and {arrows} arrows of real products ({})", shown(&in_flow))
            } else if described {
                // Walked in prose: the products named where the flow was
                // described, when no hop joins them.
                let named = if in_flow.is_empty() { &products_in_sentences } else { &in_flow };
                format!("Describes the flow hop by hop through real products ({})", shown(named))
            } else {
                format!(
                    "No architecture: {} in the flow and {hops} hop{} between them",
                    if in_flow.is_empty() { "no real products".to_string() } else { format!("only {}", shown(&in_flow)) },
                    if hops == 1 { "" } else { "s" }
                )
            },
            to_pass: "Draw the pipeline as boxes and arrows of real products, source to consumer (`Kafka -> Flink -> S3`), not a list of names".into(),
        },
        Gate {
            level: Level::L4,
            id: "annotated",
            passed: annotated >= 1
                || with_rate >= 1
                || with_payload >= 2
                || numbers >= 1
                || !d.keys.is_empty()
                || described_pieces >= 2
                || prose_hops >= 2
                || explained >= 2,
            because: if annotated >= 1 || with_rate >= 1 || with_payload >= 2 {
                format!(
                    "Annotates the hops with what flows or how much ({} of {hops}){arrow_quote}",
                    with_payload.max(with_rate)
                )
            } else if let Some(q) = scale_said(f.an, &f.sig_ev(NUMBERS)).filter(|_| numbers >= 1) {
                format!("States the scale it is built for{q}")
            } else if numbers >= 1 {
                format!("States specific numbers{}", quote(&f.sig_ev(NUMBERS)))
            } else if let Some(k) = d.keys.first() {
                format!("Says what the data is keyed by{}", quote_one(&k.evidence.quote))
            } else if described_pieces >= 2 || prose_hops >= 2 || explained >= 2 {
                "Says what each piece does, though not what flows or how much".into()
            } else if with_payload == 1 {
                format!("Only one hop says what flows{arrow_quote}, and none how much")
            } else {
                "Nothing says what flows or how much: no format, rate or volume on any hop".into()
            },
            to_pass: "Annotate the arrows with the format and a rough volume (`Kafka -> Flink : avro, 200K events/sec`)".into(),
        },
        Gate {
            level: Level::L4,
            id: "overall",
            passed: overall >= rule.l4_min_overall,
            because: format!("Overall {overall} against the L4 bar of {}", rule.l4_min_overall),
            to_pass: "Explain what each component does and how data moves, with the key concepts the problem needs".into(),
        },
        Gate {
            level: Level::L5,
            id: "reasons",
            passed: !stuffed,
            because: if stuffed {
                format!("Reads as a keyword list: only {:.0}% of sentences explain why or how", ratio * 100.0)
            } else {
                "Reasons about choices instead of listing keywords".into()
            },
            to_pass: "Say what each piece does and why, in sentences, instead of listing concepts".into(),
        },
        Gate {
            level: Level::L5,
            id: "failures",
            passed: (scenarios as u32 >= rule.l5_min_scenarios || f.sig_s(FAILURE) >= 3) && parts >= 2,
            because: if parts >= 2 && scenarios >= 2 {
                format!(
                    "Explains how it survives bad days: {scenarios} failure scenarios, {}",
                    covered_parts(cov)
                )
            } else if parts < 2 {
                format!("Failures lack {}: a bare \"we'd monitor\" or \"we rerun it\" is not an answer", cov.missing().join(" and "))
            } else if scenarios == 0 {
                "No concrete failure scenario; the round goes deep on at least two".to_string()
            } else {
                "Only one concrete failure scenario; the round goes deep on at least two".to_string()
            },
            to_pass: "For at least two failures (a node dies mid-write, a duplicate from retries, a record 4 hours late), say the alert that detects it, where recovery restarts from, and what guarantees no loss or double count".into(),
        },
        Gate {
            // A problem that does not turn on duplicates (its key concepts
            // name neither idempotency nor exactly-once: logs, telemetry)
            // asks it of a staff answer, not of every solid one.
            level: if problem.is_none_or(|p| {
                p.key_concepts
                    .iter()
                    .any(|k| k.as_str() == IDEMPOTENCY || k.as_str() == EXACTLY_ONCE)
            }) {
                Level::L5
            } else {
                Level::L6
            },
            id: "idempotency",
            passed: write.is_some() || !d.dedupes.is_empty() || idem >= rule.l5_min_idempotency,
            because: match write {
                Some(w) => {
                    let comp = d.components.get(w.sink);
                    let sink = comp.map_or("the sink", |c| c.label());
                    // "upserts them into ClickHouse …" names its sink
                    // already, by its label or its product ("MERGE into the
                    // Iceberg table" for the box "Iceberg on S3").
                    let product = comp.and_then(|c| c.product.as_deref()).unwrap_or_default();
                    // A mechanism that says where it writes ("MERGE INTO
                    // results …") is not given a second target.
                    // A vague box ("storage") says nothing a reader can use.
                    let into = if comp.is_none_or(|c| c.vague)
                        || holds_words(&w.mechanism, sink)
                        || holds_words(&w.mechanism, product)
                        || holds_words(&w.mechanism, "into")
                    {
                        String::new()
                    } else {
                        format!(" into {sink}")
                    };
                    format!(
                        "Makes the writes safe to retry: {}{into}{}",
                        balanced_code(&w.mechanism),
                        quote_showing(&w.evidence.quote, &w.mechanism)
                    )
                }
                None if !d.dedupes.is_empty() => format!(
                    "Dedupes by a key, so retries are harmless{}",
                    quote_one(&d.dedupes[0].quote)
                ),
                None if idem >= rule.l5_min_idempotency && f.sig_s(IDEMPOTENCY_SAID) >= 2 => format!("States idempotency with its mechanism{}", quote(&f.sig_ev(IDEMPOTENCY_SAID))),
                None if idem >= rule.l5_min_idempotency => "Explains the mechanism but never says \"idempotent\" out loud".into(),
                None => "No write is shown safe to retry: no MERGE/UPSERT key, dedupe key or transactional sink".into(),
            },
            to_pass: "Say \"idempotent\" out loud with the mechanism for each write: MERGE/UPSERT on a natural key, dedupe by event_id, a transactional sink".into(),
        },
        Gate {
            level: Level::L5,
            id: "numbers",
            // One number will do when the failures and the writes are
            // fully reasoned; otherwise the scale must be stated.
            passed: numbers >= rule.l5_min_numbers
                || (numbers >= 1
                    && parts == 3
                    && (write.is_some() || !d.dedupes.is_empty() || idem >= rule.l5_min_idempotency)),
            because: if numbers >= rule.l5_min_numbers {
                // The scale it is built for ("50K/s") before a window
                // length said on the way ("clicks in the last 5 minutes").
                let q = scale_said(f.an, &f.sig_ev(NUMBERS))
                    .unwrap_or_else(|| quote(&f.sig_ev(NUMBERS)));
                format!("Uses specific numbers{q}")
            } else if numbers >= 1
                && parts == 3
                && (write.is_some() || !d.dedupes.is_empty() || idem >= rule.l5_min_idempotency)
            {
                // Passed on the failure reasoning, not on the numbers.
                format!(
                    "Gives few numbers{}, but says how each failure is detected and recovered without loss, and the writes are safe to retry",
                    quote(&f.sig_ev(NUMBERS))
                )
            } else {
                "Too few specific numbers: rates, volumes, latencies and retention are left vague".into()
            },
            to_pass: "State the numbers the design is built for: events/sec at peak, GB/day, p99 latency, retention days, partitions".into(),
        },
        Gate {
            level: Level::L5,
            id: "overall",
            passed: overall >= rule.l5_min_overall,
            because: format!("Overall {overall} against the L5 bar of {}", rule.l5_min_overall),
            to_pass: advice::overall_to_pass(
                r,
                problem,
                f,
                false,
                "Cover more of the problem's key concepts with their mechanisms",
            ),
        },
        Gate {
            level: Level::L6,
            id: "operations",
            passed: f.sig_s(OPERATIONS) >= rule.l6_min_operations,
            because: if f.sig_s(OPERATIONS) >= rule.l6_min_operations {
                format!(
                    "Designs for operating it: paging, runbooks, recovery targets{}",
                    quote_saying(&f.sig_ev(OPERATIONS), &[], operated)
                )
            } else {
                ops_gap.0.clone()
            },
            to_pass: ops_gap.1.clone(),
        },
        Gate {
            level: Level::L6,
            id: "cost",
            passed: f.sig_s(COST) >= rule.l6_min_cost,
            because: if f.sig_s(COST) >= rule.l6_min_cost {
                // A quote with a price in it when one was said ("1% is
                // $30K a year, so checks read the new partition only"):
                // the signal's evidence first, then the cost concept's.
                let concept = f.con("cost").map(|c| c.evidence.clone()).unwrap_or_default();
                format!(
                    "Makes cost-aware choices{}",
                    quote_saying(&f.sig_ev(COST), &concept, priced)
                )
            } else {
                match &said_cost {
                    // A price without a decision that cuts it.
                    Some((said, true)) => format!("One priced point{said}; an L6 answer backs one or two decisions that cut the bill with figures"),
                    // Cost reasoning without a price: the debrief credits
                    // the reasoning elsewhere, so say what it lacks.
                    Some((said, false)) => format!("Cost comes up{said}, but without a price"),
                    None => "No cost-aware decision with money or resources behind it".into(),
                }
            },
            to_pass: match &said_cost {
                Some((_, true)) => "Back another cost decision with a figure: what partition pruning, a storage class, compaction, auto-suspend or spot nodes save a month".into(),
                Some((_, false)) => "Price that cost decision (dollars a month, $/TB scanned, the instance type) and add a second one".into(),
                None => "Add one or two cost decisions with a figure: $/TB scanned and partition pruning, S3 storage classes, warehouse auto-suspend, spot nodes".into(),
            },
        },
        Gate {
            level: Level::L6,
            id: "failures-complete",
            passed: parts == 3 && answered.is_none_or(|n| n >= L6_ANSWERED),
            because: match answered {
                _ if parts < 3 => format!("Failure answers lack {}", cov.missing().join(" and ")),
                Some(n) if n < L6_ANSWERED => format!(
                    "{} answered in full (detects, recovers, loses nothing); an L6 round closes at least {}",
                    match n {
                        0 => "No failure".to_string(),
                        1 => "Only one failure".to_string(),
                        n => format!("Only {n} failures"),
                    },
                    number_word(L6_ANSWERED)
                ),
                _ => format!("Every failure part is covered: {}", covered_parts(cov)),
            },
            to_pass: format!("Close at least {} failures with all three: how it is detected, how it recovers, and what prevents loss", number_word(L6_ANSWERED)),
        },
        Gate {
            level: Level::L6,
            id: "overall",
            passed: overall >= rule.l6_min_overall,
            because: format!("Overall {overall} against the L6 bar of {}", rule.l6_min_overall),
            to_pass: advice::overall_to_pass(
                r,
                problem,
                f,
                true,
                "Cover the problem's key concepts in depth",
            ),
        },
    ];
    // A round's answers only: a written answer has none to shrug in.
    for g in f.session.map(substance::gates).unwrap_or_default() {
        // The L5 one before the idempotency gate, the L4 one last of its
        // level.
        let at = if g.level == Level::L4 {
            gates.iter().position(|x| x.level > Level::L4)
        } else {
            gates.iter().position(|x| x.id == "idempotency")
        }
        .unwrap_or(gates.len());
        gates.insert(at, g);
    }
    gates
}

#[cfg(test)]
mod tests;
