//! The failure-mode planner: which failures to probe, and in which order.
//! Deterministic code over what the candidate actually built (the design
//! model's components); `drills.rs` runs each one.
//!
//! Sources, in priority order: the problem's own `FailureModeSpec`s whose
//! triggers match a named component; the built-in catalogue of generic
//! failures per `ComponentKind` (so user problems without specs still get a
//! real probe); the problem's untriggered specs; and last the seed's three
//! classics (node failure mid-write, duplicate from at-least-once delivery, a
//! 4-hour late record).

use serde::{Deserialize, Serialize};

use crate::rubric::{ComponentKind, Problem};

/// The seed asks for three failure modes per round.
pub const MIN_FAILURES: usize = 3;
/// More are planned so a fast candidate keeps being probed while time remains.
pub const MAX_FAILURES: usize = 7;

/// A component the candidate named, in the order first named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedComponent {
    /// Canonical product name, e.g. "Kafka".
    pub name: String,
    pub kind: ComponentKind,
    /// The pipeline only writes to it: a database the design serves from
    /// ("Flink -> Postgres guardrail store"), not a source whose schema
    /// changes under the pipeline.
    #[serde(default)]
    pub written_only: bool,
    /// A one-off batch job over history ("Spark backfill"): it publishes
    /// no period's numbers for a late record to miss; it can die halfway.
    #[serde(default)]
    pub one_off: bool,
}

/// Where a planned failure came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanSource {
    Problem,
    Catalogue,
    Seed,
}

/// One failure the interviewer will probe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedFailure {
    pub id: String,
    pub title: String,
    /// The probe, already filled with the candidate's component name.
    pub question: String,
    /// The candidate's component this failure is about, if any.
    pub component: Option<String>,
    pub source: PlanSource,
    /// The kind of failure (a framework `failure_scenario` id), when known:
    /// what the candidate may already have covered unasked.
    #[serde(default)]
    pub class: Option<String>,
    /// The candidate had covered it before; the harder variant was asked.
    #[serde(default)]
    pub escalated: bool,
}

/// A failure in the built-in catalogue.
struct CatalogueEntry {
    kind: ComponentKind,
    /// Applies only when the component's canonical name matches (case-insensitive).
    name: Option<&'static str>,
    /// Applies only to a database the pipeline only writes to (or, when
    /// false, only to one it reads from).
    written_only: bool,
    id: &'static str,
    title: &'static str,
    question: &'static str,
}

const CATALOGUE: &[CatalogueEntry] = &[
    CatalogueEntry { written_only: false, kind: ComponentKind::Queue, name: Some("kafka"), id: "kafka-broker-dies",
        title: "Kafka broker dies mid-write",
        question: "A Kafka broker dies in the middle of a write. What happens to the records in flight, and how do you know none were lost?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Queue, name: None, id: "queue-node-dies",
        title: "Queue node dies mid-write",
        question: "A {component} node dies in the middle of a write. What happens to the records in flight, and how do you know none were lost?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::StreamProcessor, name: Some("flink"), id: "flink-taskmanager-crash",
        title: "Flink TaskManager crash",
        question: "A Flink TaskManager crashes mid-checkpoint. What happens to the state and to the output it already wrote?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::StreamProcessor, name: None, id: "stream-job-crash",
        title: "Stream job crash",
        question: "The {component} job crashes and restarts. Where does it resume from, and what about output it had already written?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Producer, name: None, id: "producer-retry-duplicates",
        title: "Producer retries send duplicates",
        question: "The producer times out and retries the send, so the same event arrives twice. What happens downstream?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::BatchProcessor, name: None, id: "late-record-after-publish",
        title: "Late record after the aggregate is published",
        question: "A record arrives 4 hours late, after the daily aggregate from {component} has been published. What happens to it?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::ServingStore, name: Some("redis"), id: "redis-hot-key",
        title: "Redis hot key",
        question: "One key in Redis suddenly takes a huge share of the reads: a hot key. What happens, and what do you do about it?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::ServingStore, name: None, id: "serving-store-hot-partition",
        title: "Hot partition in the serving store",
        question: "One key in {component} takes a huge share of the traffic: a hot partition. What happens to latency, and what do you do?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Warehouse, name: None, id: "warehouse-merge-rerun",
        title: "The load job reruns",
        question: "The job that loads {component} fails halfway through its MERGE and the scheduler reruns it. What ends up in the table?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::ObjectStore, name: None, id: "object-store-partial-write",
        title: "Partial write to object storage",
        question: "The writer dies after writing half of the files for a {component} partition. What do readers see, and how do you fix it?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Orchestrator, name: None, id: "dag-task-retried",
        title: "A scheduled task fails and is retried",
        question: "A task in the {component} DAG fails halfway and is retried automatically. What does the retry write, and could it double-count?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Cdc, name: None, id: "cdc-connector-restart",
        title: "The connector restarts and re-reads what it shipped",
        question: "{component} restarts and re-reads part of what it already shipped. What happens to the duplicate and out-of-order records downstream?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::OltpDatabase, name: None, id: "source-schema-change",
        title: "Source schema change",
        question: "Someone renames a column in {component} on a Tuesday afternoon. What breaks downstream, and how do you find out?" },
    CatalogueEntry { written_only: true, kind: ComponentKind::OltpDatabase, name: None, id: "database-sink-failover",
        title: "The database the pipeline writes to fails over",
        question: "The {component} primary fails over while the job is writing to it. What happens to the writes in flight, and how do you know none were lost or doubled?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::SchemaRegistry, name: None, id: "incompatible-schema",
        title: "Incompatible schema pushed",
        question: "A producer tries to ship a schema change that drops a required field. What stops it, and what do consumers see?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::Monitoring, name: None, id: "silent-data-loss",
        title: "Silent data loss",
        question: "Nothing fails, but 5% of events stop arriving after a client release. How would {component} catch it, and how fast?" },
    CatalogueEntry { written_only: false, kind: ComponentKind::FeatureStore, name: None, id: "training-serving-skew",
        title: "Training/serving skew",
        question: "The online features in {component} drift from what the model was trained on. How do you detect that, and recover?" },
];

/// The catalogue entry for a one-off batch job over history, in place of
/// the late record after a published aggregate.
const ONE_OFF_BATCH: CatalogueEntry = CatalogueEntry {
    written_only: false,
    kind: ComponentKind::BatchProcessor,
    name: None,
    id: "backfill-dies-halfway",
    title: "The backfill dies halfway",
    question: "{component} dies halfway through the history it is converting. What has it written by then, and how do you resume without doubling or skipping a day?",
};

/// The seed's three classic failures, used when nothing more specific applies.
const SEED_FAILURES: &[(&str, &str, &str)] = &[
    ("node-failure-mid-write", "Node failure mid-write",
     "A node in your pipeline dies in the middle of a write. How does the design detect it, recover, and make sure nothing is lost?"),
    ("duplicate-at-least-once", "Duplicate event from at-least-once delivery",
     "Delivery is at-least-once, so an event shows up twice. What does your design do with the duplicate?"),
    ("late-record-breaks-aggregate", "4-hour late record breaks an aggregate",
     "A record arrives 4 hours late, after the aggregate it belongs to was computed. What happens?"),
];

/// The question with the candidate's component in it, articles agreeing
/// ("an S3 bucket", not "a S3 bucket").
fn fill(template: &str, component: &str) -> String {
    crate::interview::templates::fill_braces(template, &[("component", component)])
}

/// Plan the failure modes to probe from what the candidate built. Always
/// returns at least `MIN_FAILURES` and at most `MAX_FAILURES`, no duplicates,
/// same output for the same input.
pub fn plan_failures(problem: Option<&Problem>, built: &[NamedComponent]) -> Vec<PlannedFailure> {
    let mut out: Vec<PlannedFailure> = Vec::new();
    let mut covered_kinds: Vec<ComponentKind> = Vec::new();
    let push = |out: &mut Vec<PlannedFailure>, f: PlannedFailure| {
        if out.len() < MAX_FAILURES && !out.iter().any(|o| o.id == f.id) {
            out.push(f);
        }
    };

    // 1. The problem's own failures, triggered by a component the candidate
    //    named: round-robin over components (in the order named) so one box
    //    does not take every slot, most specific spec (fewest triggers) first.
    if let Some(p) = problem {
        let per_component: Vec<(&NamedComponent, Vec<&crate::rubric::FailureModeSpec>)> = built
            .iter()
            .map(|c| {
                let mut specs: Vec<_> = p
                    .failure_modes
                    .iter()
                    .filter(|s| s.triggers.contains(&c.kind))
                    .collect();
                specs.sort_by_key(|s| s.triggers.len());
                (c, specs)
            })
            .collect();
        let rounds = per_component
            .iter()
            .map(|(_, s)| s.len())
            .max()
            .unwrap_or(0);
        for _ in 0..rounds {
            for (c, specs) in &per_component {
                let next = specs
                    .iter()
                    .find(|s| !out.iter().any(|o| o.id == s.id.as_str()));
                if let Some(spec) = next {
                    covered_kinds.push(c.kind);
                    push(
                        &mut out,
                        PlannedFailure {
                            id: spec.id.as_str().to_string(),
                            title: spec.title.clone(),
                            question: fill(&spec.question, &c.name),
                            component: Some(c.name.clone()),
                            source: PlanSource::Problem,
                            class: None,
                            escalated: false,
                        },
                    );
                }
            }
        }
    }

    // 2. The catalogue, for kinds no problem spec covered.
    for c in built {
        if covered_kinds.contains(&c.kind) {
            continue;
        }
        let lower = c.name.to_ascii_lowercase();
        let written_only = c.written_only && c.kind == ComponentKind::OltpDatabase;
        let entry = if c.one_off && c.kind == ComponentKind::BatchProcessor {
            Some(&ONE_OFF_BATCH)
        } else {
            CATALOGUE
                .iter()
                .filter(|e| e.kind == c.kind && e.written_only == written_only)
                .find(|e| e.name.is_none_or(|n| lower.contains(n)))
        };
        if let Some(e) = entry {
            covered_kinds.push(c.kind);
            push(
                &mut out,
                PlannedFailure {
                    id: e.id.to_string(),
                    title: e.title.to_string(),
                    question: fill(e.question, &c.name),
                    component: Some(c.name.clone()),
                    source: PlanSource::Catalogue,
                    class: None,
                    escalated: false,
                },
            );
        }
    }

    // 3. The problem's untriggered specs (always relevant).
    if let Some(p) = problem {
        for spec in p.failure_modes.iter().filter(|s| s.triggers.is_empty()) {
            push(
                &mut out,
                PlannedFailure {
                    id: spec.id.as_str().to_string(),
                    title: spec.title.clone(),
                    question: fill(&spec.question, "that component"),
                    component: None,
                    source: PlanSource::Problem,
                    class: None,
                    escalated: false,
                },
            );
        }
    }

    // 4. The seed's classics, only to reach the minimum.
    for (id, title, question) in SEED_FAILURES {
        if out.len() >= MIN_FAILURES {
            break;
        }
        push(
            &mut out,
            PlannedFailure {
                id: (*id).to_string(),
                title: (*title).to_string(),
                question: (*question).to_string(),
                component: None,
                source: PlanSource::Seed,
                class: None,
                escalated: false,
            },
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_built_still_gets_the_seed_three() {
        let plan = plan_failures(None, &[]);
        assert_eq!(plan.len(), MIN_FAILURES);
        assert!(plan.iter().all(|p| p.source == PlanSource::Seed));
    }
}
