//! The rubric as data: concepts, signals, the four-step framework, levels and
//! the problem bank. Parsed once from TOML at the edge (see `loader.rs`);
//! everything downstream works with these types, never with raw strings.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A level verdict. L3 is "below the bar for this round".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    L3,
    L4,
    L5,
    L6,
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Level::L3 => "L3",
            Level::L4 => "L4",
            Level::L5 => "L5",
            Level::L6 => "L6",
        })
    }
}

/// The four steps of the round, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Phase {
    /// Clarify requirements: scale, freshness, consumer (5 min).
    Clarify,
    /// Draw the high-level architecture: 5–7 boxes, real products, annotated arrows (15 min).
    Architecture,
    /// Narrate the data flow: one record end to end (15 min).
    DataFlow,
    /// Go deep on three failure modes: detect, recover, prevent loss (15 min).
    FailureModes,
}

impl Phase {
    /// All phases in interview order.
    pub const ALL: [Phase; 4] = [
        Phase::Clarify,
        Phase::Architecture,
        Phase::DataFlow,
        Phase::FailureModes,
    ];

    /// The seed's time budget, in minutes, at real pace.
    pub fn budget_minutes(self) -> u32 {
        match self {
            Phase::Clarify => 5,
            Phase::Architecture | Phase::DataFlow | Phase::FailureModes => 15,
        }
    }

    /// The phase after this one, if any.
    pub fn next(self) -> Option<Phase> {
        match self {
            Phase::Clarify => Some(Phase::Architecture),
            Phase::Architecture => Some(Phase::DataFlow),
            Phase::DataFlow => Some(Phase::FailureModes),
            Phase::FailureModes => None,
        }
    }

    /// Human title, e.g. "Clarify requirements".
    pub fn title(self) -> &'static str {
        match self {
            Phase::Clarify => "Clarify requirements",
            Phase::Architecture => "High-level architecture",
            Phase::DataFlow => "Narrate the data flow",
            Phase::FailureModes => "Failure modes",
        }
    }

    /// The kebab-case id used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Phase::Clarify => "clarify",
            Phase::Architecture => "architecture",
            Phase::DataFlow => "data-flow",
            Phase::FailureModes => "failure-modes",
        }
    }
}

impl fmt::Display for Phase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.title())
    }
}

macro_rules! id_newtype {
    ($(#[$m:meta])* $name:ident) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as written in rubric files.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                Self(s.to_string())
            }
        }
    };
}

id_newtype!(
    /// A concept id such as `exactly-once` or `idempotency`.
    ConceptId
);
id_newtype!(
    /// A signal id such as `specific-numbers` or `operational-realism`.
    SignalId
);
id_newtype!(
    /// A problem id such as `clickstream` or `payments-reconciliation`.
    ProblemId
);
id_newtype!(
    /// A failure-mode id, unique within a problem, e.g. `flink-taskmanager-crash`.
    FailureModeId
);

/// What a clarifying question can be about; the interviewer reveals a hidden
/// fact only when the candidate asks about its topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FactTopic {
    /// Rows/sec, GB/day, peak QPS.
    Scale,
    /// Real-time, near-real-time, daily batch.
    Freshness,
    /// Dashboard, ML model, downstream service.
    Consumer,
    /// Anything else: budget, cloud, compliance, retention, team.
    Constraint,
}

/// A fact the interviewer knows and reveals only when asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenFact {
    pub topic: FactTopic,
    /// Words in a question that ask for this fact (in addition to the
    /// topic's generic cues), e.g. `["peak", "qps", "events per second"]`.
    #[serde(default)]
    pub asked_by: Vec<String>,
    /// What the interviewer says, e.g. "Peak is 200K events/sec, ...".
    pub answer: String,
}

/// A broad class of component, used to plan failure-mode probes from what the
/// candidate actually built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// Web/mobile producers, devices, upstream services.
    Producer,
    /// Kafka, Kinesis, Pub/Sub, Event Hubs.
    Queue,
    /// Flink, Spark Structured Streaming, Kafka Streams, Dataflow.
    StreamProcessor,
    /// Spark batch, dbt, EMR, Glue jobs.
    BatchProcessor,
    /// S3, GCS, ADLS; Parquet/Iceberg/Delta/Hudi tables.
    ObjectStore,
    /// Snowflake, BigQuery, Redshift, Synapse.
    Warehouse,
    /// Postgres, MySQL as a source of truth.
    OltpDatabase,
    /// Redis, DynamoDB, Cassandra, Materialize, Druid, Pinot serving stores.
    ServingStore,
    /// Airflow, Dagster, Prefect, Composer.
    Orchestrator,
    /// Debezium, Kafka Connect, DMS.
    Cdc,
    /// Schema registry.
    SchemaRegistry,
    /// Monitoring, alerting, data quality (Great Expectations, Monte Carlo...).
    Monitoring,
    /// Feature store / catalog (Feast).
    FeatureStore,
    /// A box the candidate named but mockround could not place.
    Other,
}

/// A failure mode worth probing for a problem, with what a good answer holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureModeSpec {
    pub id: FailureModeId,
    /// Short title, e.g. "Flink TaskManager crash".
    pub title: String,
    /// The probe, e.g. "A Flink TaskManager crashes mid-checkpoint. What happens?".
    pub question: String,
    /// Component kinds that make this failure relevant; the planner picks it
    /// when the candidate's design contains one of them (empty = always).
    #[serde(default)]
    pub triggers: Vec<ComponentKind>,
    /// What a good "how is it detected" answer contains.
    pub detect: String,
    /// What a good "how does it recover" answer contains.
    pub recover: String,
    /// What a good "how is data loss prevented" answer contains.
    pub prevent: String,
}

/// A problem from the bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Problem {
    pub id: ProblemId,
    pub title: String,
    /// `streaming`, `batch`, `ml`, `cdc`, ...
    #[serde(default)]
    pub category: String,
    /// What the interviewer reads aloud at the start.
    pub statement: String,
    pub hidden_facts: Vec<HiddenFact>,
    /// Products/components a strong answer names, e.g. `["Kafka", "Flink", "S3"]`.
    pub expected_components: Vec<String>,
    /// Numbers a strong answer states, e.g. `["200K events/sec", "24h state TTL"]`.
    #[serde(default)]
    pub expected_numbers: Vec<String>,
    /// Concepts most relevant to this problem (weighted up when scoring it).
    #[serde(default)]
    pub key_concepts: Vec<ConceptId>,
    pub failure_modes: Vec<FailureModeSpec>,
    /// The reference architecture, shown in the debrief (ASCII diagram + notes).
    pub reference_architecture: String,
    /// SLA tiers of the reference answer, e.g. "Tier 1: p95 < 60 sec".
    #[serde(default)]
    pub sla_tiers: Vec<String>,
    /// Requirement changes the interviewer makes mid-round: one `tighten`
    /// at about 40% of the round, one `stretch` (10×) at about 75%.
    #[serde(default)]
    pub curveballs: Vec<Curveball>,
    /// What the statement asks the design to deliver (consumers, duties),
    /// held against the board by the interviewer and the debrief.
    #[serde(default)]
    pub brief: Vec<super::brief::BriefNeed>,
}

/// What kind of requirement change a curveball is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CurveballKind {
    /// A requirement tightened mid-round: freshness 60 s → 5 s, a new ML
    /// consumer, a deletion mandate. Delivered at about 40% of the round.
    Tighten,
    /// A 10× stretch of the scale the candidate designed for. Delivered at
    /// about 75% of the round.
    Stretch,
}

impl CurveballKind {
    /// When it is delivered, as a share of the round, unless the problem says.
    pub fn default_at(self) -> f32 {
        match self {
            CurveballKind::Tighten => 0.4,
            CurveballKind::Stretch => 0.75,
        }
    }

    /// The kebab-case id used in files and reports.
    pub fn id(self) -> &'static str {
        match self {
            CurveballKind::Tighten => "tighten",
            CurveballKind::Stretch => "stretch",
        }
    }
}

/// A requirement change strong interviewers make to see whether the
/// candidate adapts the design or defends the old one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Curveball {
    pub kind: CurveballKind,
    /// Share of the round (0.1–0.95) at which it is delivered; default
    /// 0.4 for `tighten` and 0.75 for `stretch`.
    #[serde(default)]
    pub at: Option<f32>,
    /// Short title for the debrief, e.g. "Dashboards must be 5 seconds fresh".
    pub title: String,
    /// What the interviewer says: the change and a question.
    pub say: String,
    /// Words that show the design changed in response (any one of them in a
    /// reasoned answer counts): "micro-batch", "checkpoint interval", "salt".
    pub adapted_by: Vec<String>,
    /// What an L5 answer changes, shown in the debrief.
    pub expect: String,
}

impl Curveball {
    /// When it is delivered, as a share of the round.
    pub fn at(&self) -> f32 {
        self.at.unwrap_or_else(|| self.kind.default_at())
    }
}

// ---------------------------------------------------------------------------
// Added by the rubric issue: concepts, signals, framework, levels, catalogue.
// Every struct denies unknown keys so a typo in a rubric file is an error with
// a position instead of a silently ignored cue.
// ---------------------------------------------------------------------------

/// One of the seed's 14 concepts, with the cues that detect it in free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Concept {
    pub id: ConceptId,
    pub name: String,
    /// The seed's share of design rounds this concept appears in (0.0–1.0).
    pub weight: f32,
    /// Levels at which interviewers expect it.
    pub levels: Vec<Level>,
    /// Where the seed says it is common, e.g. "Every L4+ loop".
    #[serde(default)]
    pub common_in: String,
    /// What a weak mention looks like (named, not explained).
    pub weak: String,
    /// What an adequate mention looks like.
    pub adequate: String,
    /// What a strong mention looks like.
    pub strong: String,
    /// A nudge for `/hint`, phrased as a question.
    pub hint: String,
    /// Words and phrases that name the concept (case-insensitive, word-bounded).
    pub terms: Vec<String>,
    /// Words that show the mechanism (how it is achieved); they lift strength.
    #[serde(default)]
    pub mechanisms: Vec<String>,
    /// Regexes (case-insensitive) that show the mechanism, e.g. `merge\s+.*\bon\b`.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Sentences that must be credited for the concept: `rubrics validate`
    /// checks every cue against them.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences that must earn nothing for it ("CPC = cost / clicks" is not
    /// a cost trade-off).
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

/// How a signal is detected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum SignalDetector {
    /// Cue words and patterns, credited more when explained.
    #[default]
    Cues,
    /// The specific-numbers detector (rates, sizes, latencies, durations, money, counts).
    Quantities,
    /// Failure scenarios plus detect / recover / prevent-loss reasoning.
    FailureReasoning,
}

/// The kind of a specific number found in text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuantityKind {
    /// `200K events/sec`, `5k rps`.
    Rate,
    /// `2 TB/day`, `500 GB`.
    Size,
    /// `p99 < 10ms`, `sub-50ms`.
    Latency,
    /// `24h`, `30-min gap`, `7 days`.
    Duration,
    /// `$0.023/GB/month`, `$5/TB`.
    Money,
    /// `100 partitions`, `3 replicas`.
    Count,
    /// `99.9%`.
    Percent,
}

/// One of the six things interviewers watch for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    pub id: SignalId,
    pub name: String,
    pub description: String,
    pub hint: String,
    #[serde(default)]
    pub detector: SignalDetector,
    /// Cue words (case-insensitive, word-bounded).
    #[serde(default)]
    pub terms: Vec<String>,
    /// Cue regexes (case-insensitive).
    #[serde(default)]
    pub patterns: Vec<String>,
    /// At least one of these must appear or strength is capped at 1
    /// (idempotency must be said out loud).
    #[serde(default)]
    pub required_terms: Vec<String>,
    /// Hand-waves that show the signal is missing ("high throughput").
    #[serde(default)]
    pub vague_terms: Vec<String>,
    /// Quantities of these kinds count as cue hits (money for cost).
    #[serde(default)]
    pub quantity_kinds: Vec<QuantityKind>,
    /// What a weak showing looks like.
    #[serde(default)]
    pub weak: String,
    /// What a strong showing looks like.
    #[serde(default)]
    pub strong: String,
    /// Sentences that must be credited for the signal (checked by `rubrics validate`).
    #[serde(default)]
    pub examples: Vec<String>,
    /// Sentences that must earn nothing for it.
    #[serde(default)]
    pub counter_examples: Vec<String>,
}

/// How a framework check is decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum CheckDetector {
    /// Any cue term or pattern (not negated).
    #[default]
    Cues,
    /// Cues, or a rate / size quantity (stating the scale counts as asking).
    CuesOrScale,
    /// Cues in a narration that names at least `min` components: a record
    /// walked through the system, not one sentence with "an event" in it.
    RecordWalk,
    /// Between `min` and `max` boxes (diagram nodes, or distinct components).
    BoxCount,
    /// At least `min` real product names.
    RealProducts,
    /// Diagram arrows annotated with format and volume.
    AnnotatedArrows,
    /// At least `min` of the layers source, ingest, storage, transform, serving, monitoring.
    Layers,
    /// At least `min` distinct failure scenarios.
    FailureScenarios,
    /// Detection reasoning (monitoring, lag alerts, DLQ).
    Detect,
    /// Recovery reasoning (retry, checkpoint replay, backfill).
    Recover,
    /// Loss prevention reasoning (idempotent writes, audit, source-of-truth).
    PreventLoss,
}

/// One required element of a framework step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub id: String,
    pub name: String,
    /// Share of the step's score; a step's weights add up to 1.0.
    pub weight: f32,
    #[serde(default)]
    pub detector: CheckDetector,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub max: Option<u32>,
    /// What to do when the check is not met.
    pub hint: String,
}

/// One step of the four-step framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepSpec {
    pub phase: Phase,
    /// Must equal the seed's budget for the phase (5/15/15/15).
    pub budget_minutes: u32,
    /// What the step is for, in the seed's words.
    pub goal: String,
    /// What the step must contain.
    pub must_contain: Vec<String>,
    /// Share of the framework score; the four add up to 1.0.
    pub weight: f32,
    pub check: Vec<CheckSpec>,
}

/// A named kind of failure ("node crash mid-write", "duplicate events").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureScenario {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
}

/// Cues for one part of a failure answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct CueSet {
    /// Words that name the part ("monitoring", "we rerun it").
    #[serde(default)]
    pub terms: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Words that give it depth: a concrete signal for detect ("consumer
    /// lag", "pages on-call"), where recovery restarts from and why that is
    /// safe ("last checkpoint", "committed offsets"), the guarantee that
    /// prevents loss ("acks=all", "MERGE on txn_id"). A part named without
    /// one of these is recorded as named, not covered.
    #[serde(default)]
    pub depth_terms: Vec<String>,
    #[serde(default)]
    pub depth_patterns: Vec<String>,
}

/// The three parts of a good failure-mode answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FailureCoverageSpec {
    pub detect: CueSet,
    pub recover: CueSet,
    pub prevent_loss: CueSet,
}

/// Words that shape how cues are read: negation and explanation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Language {
    /// A cue preceded by one of these in the same clause does not count.
    pub negators: Vec<String>,
    /// A cue followed by one of these in the same clause does not count.
    pub post_negators: Vec<String>,
    /// Words that end a negation's reach ("with", "via", "so").
    pub scope_breakers: Vec<String>,
    /// Words that turn a mention into reasoning ("because", "so that").
    pub explanation_markers: Vec<String>,
    /// Phrases whose words are not the cue they contain: "clock skew" is
    /// not data skew, "training-serving skew" is not a hot key. A cue hit
    /// inside one earns nothing.
    #[serde(default)]
    pub not_cues: Vec<String>,
    /// "Because" clauses that give no reason: "because it's what everyone
    /// uses", "because I know it". A cue hit that reaches into one (the
    /// "Snowflake … because" of a choice) earns nothing.
    #[serde(default)]
    pub not_reasons: Vec<String>,
}

/// The four-step framework plus the failure vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub step: Vec<StepSpec>,
    pub failure_scenario: Vec<FailureScenario>,
    pub failure_coverage: FailureCoverageSpec,
    pub language: Language,
}

/// A level descriptor in the seed's terms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelSpec {
    pub id: Level,
    pub title: String,
    pub descriptor: String,
    /// The gates, in words, that the verdict rule checks.
    pub requires: Vec<String>,
}

/// The numbers of the rule that turns a scorecard into a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerdictRule {
    /// L4: at least this many real products named.
    pub l4_min_products: u32,
    /// L4: overall score at least this.
    pub l4_min_overall: u8,
    /// L5: overall score at least this.
    pub l5_min_overall: u8,
    /// L5: specific-numbers strength at least this.
    pub l5_min_numbers: u8,
    /// L5: best of idempotency / exactly-once concept strength at least this.
    pub l5_min_idempotency: u8,
    /// L5: at least this many distinct failure scenarios.
    pub l5_min_scenarios: u32,
    /// L6: overall score at least this.
    pub l6_min_overall: u8,
    /// L6: operational-realism strength at least this.
    pub l6_min_operations: u8,
    /// L6: cost-aware strength at least this.
    pub l6_min_cost: u8,
    /// An answer whose share of explained sentences is below this while it
    /// names many concepts is a keyword list and stays at most L4.
    pub stuffed_max_explained_ratio: f32,
    /// Jumping to the diagram before clarifying caps the verdict here.
    pub jumped_to_design_cap: Level,
    /// Concepts the candidate asked a hint for are capped at this strength.
    pub hint_cap: u8,
}

/// How the overall 0–100 is composed; the three shares add up to 1.0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringWeights {
    pub concepts: f32,
    pub signals: f32,
    pub framework: f32,
    /// Multiplier on a problem's key concepts.
    pub key_concept_boost: f32,
}

/// Level descriptors, the verdict rule and the score composition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Levels {
    pub level: Vec<LevelSpec>,
    pub rule: VerdictRule,
    pub scoring: ScoringWeights,
}

/// A product in the component catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ComponentSpec {
    /// Canonical name, e.g. "Kafka".
    pub name: String,
    pub kind: ComponentKind,
    /// Other spellings and managed offerings, e.g. ["MSK", "Confluent"].
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Match the name and synonyms case-sensitively ("Materialize" the
    /// product, not "materialize" the verb).
    #[serde(default)]
    pub exact_case: bool,
    /// Products a candidate could have picked instead, best first: the
    /// interviewer asks "why Flink rather than Spark Structured Streaming?".
    #[serde(default)]
    pub alternatives: Vec<String>,
}

/// A vague box ("a streaming system") and the kind it stands for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenericSpec {
    pub term: String,
    pub kind: ComponentKind,
}

/// Products, vague boxes and data formats, so diagrams and free text map to
/// component kinds the interview can probe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    pub component: Vec<ComponentSpec>,
    #[serde(default)]
    pub generic: Vec<GenericSpec>,
    /// Data formats that annotate an arrow ("avro", "parquet", "json").
    #[serde(default)]
    pub formats: Vec<String>,
}
