//! The challenges strong interviewers use, each picked only when the
//! design on the table exposes it: "why X over Y", capacity checks from the
//! candidate's own numbers (rate ÷ partitions, state size × TTL, daily
//! volume × retention), retention against replay, the hot-key risk of the
//! stated key, late data, a hidden constraint of the problem, a claim of
//! exactly-once that a sink cannot honour, a freshness budget a batch hop
//! cannot meet, numbers that contradict what was said, a job that queries
//! the production database itself, and the deeper
//! probes for a candidate who has covered the basics (backfill, schema
//! change, cost, operations, SLA tiers).

use crate::design::numbers::{human, human_seconds};
use crate::design::{Design, Measure};
use crate::interview::moves::Move;
use crate::read::quantities;
use crate::rubric::{ComponentKind, FactTopic, Phase, Problem, Rubric};

mod capacity;
mod choices;
mod concepts;
mod deeper;
mod flow_in;
mod source;
mod state;
mod stream;

use flow_in::{into, said_into};

pub(crate) use concepts::concept_of;

/// Every challenge kind, in the order they are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NumbersDisagree,
    NumberCheck,
    FreshnessBudget,
    ProductionRead,
    PartitionCapacity,
    SinkCapacity,
    PartitionCount,
    WhyChoice,
    StateSize,
    HotKey,
    LateData,
    HiddenConstraint,
    ExactlyOnceClaim,
    ReplayWindow,
    StorageGrowth,
    Tradeoff,
    SlaTiers,
    Backfill,
    SchemaChange,
    Cost,
    Operations,
    DataQuality,
    RegionOutage,
}

impl Kind {
    /// All kinds.
    pub const ALL: [Kind; 23] = [
        Kind::NumbersDisagree,
        Kind::NumberCheck,
        Kind::FreshnessBudget,
        Kind::ProductionRead,
        Kind::PartitionCapacity,
        Kind::SinkCapacity,
        Kind::PartitionCount,
        Kind::WhyChoice,
        Kind::StateSize,
        Kind::HotKey,
        Kind::LateData,
        Kind::HiddenConstraint,
        Kind::ExactlyOnceClaim,
        Kind::ReplayWindow,
        Kind::StorageGrowth,
        Kind::Tradeoff,
        Kind::SlaTiers,
        Kind::Backfill,
        Kind::SchemaChange,
        Kind::Cost,
        Kind::Operations,
        Kind::DataQuality,
        Kind::RegionOutage,
    ];

    /// The template intent.
    pub fn intent(self) -> &'static str {
        match self {
            Kind::NumbersDisagree => "challenge_numbers_disagree",
            Kind::NumberCheck => "challenge_number_check",
            Kind::FreshnessBudget => "challenge_freshness_budget",
            Kind::ProductionRead => "challenge_production_read",
            Kind::PartitionCapacity => "challenge_partition_capacity",
            Kind::SinkCapacity => "challenge_sink_capacity",
            Kind::PartitionCount => "challenge_partition_count",
            Kind::WhyChoice => "challenge_why",
            Kind::StateSize => "challenge_state_size",
            Kind::HotKey => "challenge_hot_key",
            Kind::LateData => "challenge_late_data",
            Kind::HiddenConstraint => "challenge_hidden_constraint",
            Kind::ExactlyOnceClaim => "challenge_exactly_once_claim",
            Kind::ReplayWindow => "challenge_replay_window",
            Kind::StorageGrowth => "challenge_storage_growth",
            Kind::Tradeoff => "challenge_tradeoff",
            Kind::SlaTiers => "challenge_sla_tiers",
            Kind::Backfill => "challenge_backfill",
            Kind::SchemaChange => "challenge_schema_change",
            Kind::Cost => "challenge_cost",
            Kind::Operations => "challenge_operations",
            Kind::DataQuality => "challenge_data_quality",
            Kind::RegionOutage => "challenge_region_outage",
        }
    }

    /// The phases in which it is asked.
    pub fn phases(self) -> &'static [Phase] {
        use Phase::*;
        match self {
            Kind::NumbersDisagree => &[Architecture, DataFlow],
            Kind::NumberCheck
            | Kind::FreshnessBudget
            | Kind::ProductionRead
            | Kind::PartitionCapacity
            | Kind::SinkCapacity => &[Architecture, DataFlow],
            Kind::PartitionCount | Kind::WhyChoice => &[Architecture, DataFlow],
            Kind::StateSize
            | Kind::HotKey
            | Kind::LateData
            | Kind::HiddenConstraint
            | Kind::ExactlyOnceClaim
            | Kind::ReplayWindow => &[DataFlow, FailureModes],
            Kind::StorageGrowth | Kind::Tradeoff | Kind::SlaTiers => &[DataFlow, FailureModes],
            Kind::Backfill
            | Kind::SchemaChange
            | Kind::Cost
            | Kind::Operations
            | Kind::DataQuality
            | Kind::RegionOutage => &[FailureModes],
        }
    }
}

/// What a challenge can read.
pub struct Ctx<'a> {
    pub design: &'a Design,
    pub problem: &'a Problem,
    pub rubric: &'a Rubric,
    /// Hidden facts revealed so far (indexes into the problem's).
    pub revealed: &'a [usize],
    /// Every move asked so far, as `intent|target` keys.
    pub asked: &'a [String],
    /// Challenges answered with substance: the intent and the answer.
    pub answered: &'a [(String, String)],
    /// The freshness target a tighten curveball moved to, in its own words
    /// ("60 seconds"): later challenges use it, not the old one.
    pub tightened: Option<String>,
    /// The first turn answering a 10x stretch: figures from before it and
    /// from it on are two designs, not a contradiction.
    pub stretched_since: Option<u32>,
    /// What each curveball delivered so far said: a requirement it moved
    /// ("effectively zero, not 0.1%") is not told again at its old value.
    pub changed: Vec<&'a str>,
}

impl Ctx<'_> {
    fn concept(&self, id: &str) -> Option<usize> {
        self.rubric
            .concepts
            .iter()
            .position(|c| c.id.as_str() == id)
    }
    fn explained(&self, id: &str) -> bool {
        self.concept(id)
            .is_some_and(|i| self.design.concept_explained(i))
    }
    /// The concept's mechanism was said in a sentence, explained or not:
    /// a "what happens when" challenge it answers is not asked.
    fn mechanism_said(&self, id: &str) -> bool {
        self.concept(id)
            .is_some_and(|i| self.design.concept_mechanism_said(i))
    }
    fn named(&self, id: &str) -> bool {
        self.concept(id)
            .is_some_and(|i| self.design.concept_named(i))
    }
    fn signal(&self, id: &str) -> bool {
        self.rubric
            .signals
            .iter()
            .position(|s| s.id.as_str() == id)
            .is_some_and(|i| self.design.signal_named(i))
    }
    fn scenario(&self, id: &str) -> bool {
        let Some(i) = self
            .rubric
            .framework
            .failure_scenario
            .iter()
            .position(|s| s.id == id)
        else {
            return false;
        };
        self.design
            .failures
            .iter()
            .any(|f| f.scenarios.contains(&(i as u16)))
    }
    /// Components in the flow (drawn, or on a hop), in order.
    fn in_flow(&self) -> impl Iterator<Item = (usize, &crate::design::Component)> + '_ {
        let d = self.design;
        d.components.iter().enumerate().filter(move |(i, c)| {
            !c.vague
                && c.gone.is_none()
                && (c.drawn || d.current_edges().any(|e| e.from == *i || e.to == *i))
        })
    }
    fn first_of(&self, kinds: &[ComponentKind]) -> Option<usize> {
        self.in_flow()
            .find(|(_, c)| kinds.contains(&c.kind))
            .map(|(i, _)| i)
    }
    fn name(&self, i: usize) -> String {
        self.design
            .components
            .get(i)
            .map(|c| c.label().to_string())
            .unwrap_or_default()
    }
    /// True when the candidate said any of `words` (lower case) anywhere.
    fn said(&self, words: &[&str]) -> bool {
        let t = self.design.text().to_ascii_lowercase();
        words.iter().any(|w| t.contains(w))
    }
    /// Like [`Ctx::said`], but a mention the candidate negates ("there are
    /// no windows in this pipeline", "we don't aggregate") does not count.
    fn affirmed(&self, words: &[&str]) -> bool {
        let t = self.design.text().to_ascii_lowercase();
        words.iter().any(|w| {
            t.match_indices(w).any(|(at, _)| {
                let start = t[..at]
                    .rfind(['.', '!', '?', '\n', ';'])
                    .map_or(0, |i| i + 1);
                let from = start.max(at.saturating_sub(24));
                let from = (from..=at).find(|i| t.is_char_boundary(*i)).unwrap_or(at);
                let before = format!(" {}", &t[from..at]);
                // "Nothing in this design publishes a daily aggregate": a
                // sentence whose subject is negated says it of nothing.
                let sentence = t[start..at].trim_start();
                let none_does = ["nothing ", "none of ", "there is no ", "there are no "]
                    .iter()
                    .any(|n| sentence.starts_with(n));
                // "Consumers move group by group": the idiom, not SQL.
                let idiom = w.strip_suffix(" by").is_some_and(|x| {
                    let x = x.rsplit(' ').next().unwrap_or(x);
                    t[at + w.len()..].starts_with(&format!(" {x}"))
                });
                !none_does
                    && !idiom
                    && ![" no ", " not ", "n't ", " without ", " never ", " nor "]
                        .iter()
                        .any(|n| before.contains(n))
            })
        })
    }
    /// True when the problem itself fixes this product ("the warehouse is
    /// BigQuery"): asking why it was chosen is not a question about the
    /// candidate's design.
    fn given_by_problem(&self, product: &str) -> bool {
        let p = product.to_ascii_lowercase();
        std::iter::once(self.problem.statement.as_str())
            .chain(self.problem.hidden_facts.iter().map(|f| f.answer.as_str()))
            .any(|t| {
                let t = t.to_ascii_lowercase();
                t.match_indices(&p).any(|(i, _)| {
                    let before = t[..i].chars().next_back();
                    let after = t[i + p.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
            })
    }
    /// True when the design aggregates over windows (or the candidate said
    /// so): only then can data arrive "after its window closed".
    fn windowed(&self) -> bool {
        self.design.numbers_of(Measure::Window).next().is_some()
            || self.affirmed(&[
                // A window the data is grouped by, not a maintenance or
                // reindex window ("during the reindex window").
                "windowed",
                "windows of",
                "window of",
                "minute window",
                "second window",
                "hour window",
                "day window",
                "window closes",
                "window closed",
                "window function",
                "tumbling",
                "sliding",
                "hopping",
                "session window",
                "sessioniz",
                "sessions",
                "aggregat",
                "hourly count",
                "counts per",
                "rollup",
                "roll up",
                "roll-up",
            ])
    }
    /// The freshness the design must meet now: the tightened one after a
    /// curveball, else the problem's, else the candidate's own target.
    fn freshness(&self) -> Option<String> {
        self.tightened.clone().or_else(|| {
            self.fact_number(
                FactTopic::Freshness,
                &[
                    crate::read::QuantityKind::Latency,
                    crate::read::QuantityKind::Duration,
                ],
            )
            .map(|(_, q)| q)
        })
    }
    /// The first number in a revealed fact of this topic, in base units.
    fn fact_number(
        &self,
        topic: FactTopic,
        measure: &[crate::read::QuantityKind],
    ) -> Option<(f64, String)> {
        let facts = || {
            self.revealed
                .iter()
                .filter_map(|i| self.problem.hidden_facts.get(*i))
                .filter(move |f| f.topic == topic)
        };
        let figure = facts()
            .flat_map(|f| {
                quantities(&f.answer).into_iter().filter(|q| {
                    !crate::interview::units::response_time(
                        &f.answer,
                        q.evidence.start,
                        q.evidence.end,
                    )
                })
            })
            .find(|q| measure.contains(&q.kind))
            .and_then(|q| crate::design::numbers::value_of(&q).map(|v| (v, q.evidence.quote)));
        let timed = measure.iter().any(|k| {
            matches!(
                k,
                crate::read::QuantityKind::Latency | crate::read::QuantityKind::Duration
            )
        });
        // "within an hour", "in a minute": a duration said without a digit.
        figure.or_else(|| {
            timed
                .then(|| facts().find_map(|f| crate::interview::units::spelled_duration(&f.answer)))
                .flatten()
        })
    }
}

/// Ready-made moves for the challenges that apply in `phase`, best first:
/// numbers that do not add up come first; in the architecture phase, the
/// choice of each box; in the data flow, what the record meets on its way.
pub fn candidates(cx: &Ctx<'_>, phase: Phase) -> Vec<Move> {
    let mut kinds: Vec<Kind> = Kind::ALL
        .iter()
        .copied()
        .filter(|k| k.phases().contains(&phase))
        .collect();
    if phase == Phase::DataFlow {
        // What the problem hides comes right after numbers that do not add
        // up; the choice question belongs to the drawing and comes last.
        kinds.retain(|k| !matches!(k, Kind::WhyChoice | Kind::HiddenConstraint));
        let at = kinds
            .iter()
            .position(|k| *k == Kind::NumberCheck)
            .map_or(0, |i| i + 1);
        kinds.insert(at, Kind::HiddenConstraint);
        kinds.push(Kind::WhyChoice);
    }
    kinds.into_iter().filter_map(|k| build(k, cx)).collect()
}

/// The move for one challenge kind, if the design exposes it.
pub fn build(kind: Kind, cx: &Ctx<'_>) -> Option<Move> {
    match kind {
        Kind::NumbersDisagree => capacity::numbers_disagree(cx),
        Kind::NumberCheck => capacity::number_check(cx),
        Kind::FreshnessBudget => capacity::freshness_budget(cx),
        Kind::ProductionRead => source::production_read(cx),
        Kind::PartitionCapacity => capacity::partition_capacity(cx),
        Kind::SinkCapacity => capacity::sink_capacity(cx),
        Kind::PartitionCount => capacity::partition_count(cx),
        Kind::StateSize => state::state_size(cx),
        Kind::ReplayWindow => capacity::replay_window(cx),
        Kind::StorageGrowth => capacity::storage_growth(cx),
        Kind::WhyChoice => choices::why_choice(cx),
        Kind::Tradeoff => choices::tradeoff(cx),
        Kind::HotKey => stream::hot_key(cx),
        Kind::LateData => stream::late_data(cx),
        Kind::HiddenConstraint => stream::hidden_constraint(cx),
        Kind::ExactlyOnceClaim => stream::exactly_once_claim(cx),
        Kind::SlaTiers => deeper::sla_tiers(cx),
        Kind::Backfill => deeper::backfill(cx),
        Kind::SchemaChange => deeper::schema_change(cx),
        Kind::Cost => deeper::cost(cx),
        Kind::DataQuality => deeper::data_quality(cx),
        Kind::RegionOutage => deeper::region_outage(cx),
        Kind::Operations => deeper::operations(cx),
    }
}

/// Key names whose values can be hot.
const SKEWABLE: &[&str] = &[
    "user",
    "customer",
    "account",
    "merchant",
    "driver",
    "rider",
    "device",
    "tenant",
    "advertiser",
    "campaign",
    "cell",
    "geohash",
    "h3",
    "region",
    "city",
    "store",
    "sku",
    "item",
    "product",
    "partner",
    "host",
    "service",
    "sensor",
    "site",
    "shop",
    "seller",
    "card",
    "country",
];

/// How to name a component's product in a question: the catalogue's
/// spelling of the name the candidate wrote when that is another name of
/// the product ("MSK", "Redpanda" for Kafka), else the product ("Kafka"
/// for "Apache Kafka", "kafka topic" or a box named for its role).
fn spoken_product(r: &Rubric, written: &str, product: &str) -> String {
    let Some(spec) = r
        .components
        .component
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(product))
    else {
        return product.to_string();
    };
    let lower = product.to_ascii_lowercase();
    spec.synonyms
        .iter()
        .find(|s| s.eq_ignore_ascii_case(written.trim()))
        .filter(|s| !s.to_ascii_lowercase().contains(&lower))
        .cloned()
        .unwrap_or_else(|| spec.name.clone())
}

/// An alternative product for a choice question, from the catalogue.
fn alternative(r: &Rubric, product: &str) -> Option<String> {
    r.components
        .component
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(product))
        .and_then(|c| c.alternatives.first().cloned())
}
