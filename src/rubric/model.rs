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
}
