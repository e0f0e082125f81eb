//! The challenges strong interviewers use, each picked only when the
//! design on the table exposes it: "why X over Y", capacity checks from the
//! candidate's own numbers (rate ÷ partitions, state size × TTL, daily
//! volume × retention), retention against replay, the hot-key risk of the
//! stated key, late data, a hidden constraint of the problem, a claim of
//! exactly-once that a sink cannot honour, a freshness budget a batch hop
//! cannot meet, numbers that contradict what was said, and the deeper
//! probes for a candidate who has covered the basics (backfill, schema
//! change, cost, operations, SLA tiers).

use crate::design::numbers::{human, human_seconds};
use crate::design::{Design, Measure};
use crate::interview::moves::Move;
use crate::read::quantities;
use crate::rubric::{ComponentKind, FactTopic, Phase, Problem, Rubric};

/// Every challenge kind, in the order they are considered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NumberCheck,
    FreshnessBudget,
    PartitionCapacity,
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
    pub const ALL: [Kind; 20] = [
        Kind::NumberCheck,
        Kind::FreshnessBudget,
        Kind::PartitionCapacity,
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
            Kind::NumberCheck => "challenge_number_check",
            Kind::FreshnessBudget => "challenge_freshness_budget",
            Kind::PartitionCapacity => "challenge_partition_capacity",
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
            Kind::NumberCheck | Kind::FreshnessBudget | Kind::PartitionCapacity => {
                &[Architecture, DataFlow]
            }
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
            !c.vague && (c.drawn || d.edges.iter().any(|e| e.from == *i || e.to == *i))
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
    /// The first number in a revealed fact of this topic, in base units.
    fn fact_number(
        &self,
        topic: FactTopic,
        measure: &[crate::read::QuantityKind],
    ) -> Option<(f64, String)> {
        self.revealed
            .iter()
            .filter_map(|i| self.problem.hidden_facts.get(*i))
            .filter(|f| f.topic == topic)
            .flat_map(|f| quantities(&f.answer))
            .find(|q| measure.contains(&q.kind))
            .and_then(|q| crate::design::numbers::value_of(&q).map(|v| (v, q.evidence.quote)))
    }
}

/// A value and the words it was said in.
type Said = Option<(f64, String)>;

/// The candidate's ingest rate: items a second and bytes a second.
fn ingest(d: &Design) -> (Said, Said) {
    let best = |m: Measure| {
        d.numbers_of(m)
            .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let items = best(Measure::Throughput);
    let mut bytes = best(Measure::ByteRate);
    if bytes.is_none() {
        if let (Some((n, q)), Some((size, sq))) = (&items, best(Measure::ItemSize)) {
            bytes = Some((n * size, format!("{q} at {sq}")));
        }
    }
    (items, bytes)
}

/// The rate going through component `q`: said on a hop into or out of it,
/// or of it; else a rate said of nothing in particular.
fn through(d: &Design, q: usize) -> (Said, Said) {
    let touches = |n: &&crate::design::Number| {
        n.subject == Some(q)
            || n.edge
                .and_then(|e| d.edges.get(e))
                .is_some_and(|e| e.to == q || e.from == q)
    };
    let loose = |n: &&crate::design::Number| n.subject.is_none() && n.edge.is_none();
    let best = |m: Measure| {
        let pick = |f: &dyn Fn(&&crate::design::Number) -> bool| {
            d.numbers_of(m)
                .filter(|n| f(n))
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .max_by(|a, b| a.0.total_cmp(&b.0))
        };
        pick(&touches).or_else(|| pick(&loose))
    };
    let items = best(Measure::Throughput);
    let mut bytes = best(Measure::ByteRate);
    if bytes.is_none() {
        let size = d
            .numbers_of(Measure::ItemSize)
            .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
            .next();
        if let (Some((n, q)), Some((size, sq))) = (&items, size) {
            bytes = Some((n * size, format!("{q} at {sq}")));
        }
    }
    (items, bytes)
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
    let d = cx.design;
    let m = |t: &str| Move::new(kind.intent()).target(t.to_string());
    match kind {
        Kind::NumberCheck => {
            let (fact, fq) =
                cx.fact_number(FactTopic::Scale, &[crate::read::QuantityKind::Rate])?;
            // Their ingest rate: said of the source or the queue, on a hop
            // out of a source or into a queue, or of nothing in particular.
            // A sink's write rate is not their sizing of the problem.
            let ingest_side = |i: usize| {
                matches!(
                    d.components.get(i).map(|c| c.kind),
                    Some(ComponentKind::Queue | ComponentKind::Producer | ComponentKind::Cdc)
                ) || d.role(i) == crate::design::Role::Source
            };
            let (theirs, tq) = d
                .numbers_of(Measure::Throughput)
                .filter(|n| match (n.subject, n.edge.and_then(|e| d.edges.get(e))) {
                    (_, Some(e)) => ingest_side(e.from) || ingest_side(e.to),
                    (Some(c), None) => ingest_side(c),
                    (None, None) => true,
                })
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .max_by(|a, b| a.0.total_cmp(&b.0))?;
            (theirs * 3.0 < fact).then(|| {
                Move::new(kind.intent())
                    .target(tq.clone())
                    .quote(tq.clone())
                    .var("theirs", tq)
                    .var("fact", fq)
            })
        }
        Kind::FreshnessBudget => {
            let (target, tq) = cx
                .fact_number(
                    FactTopic::Freshness,
                    &[
                        crate::read::QuantityKind::Latency,
                        crate::read::QuantityKind::Duration,
                    ],
                )
                .or_else(|| {
                    d.numbers_of(Measure::Latency)
                        .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                        .min_by(|a, b| a.0.total_cmp(&b.0))
                })?;
            if target > 600.0 {
                return None;
            }
            let streaming = cx.first_of(&[ComponentKind::StreamProcessor]).is_some();
            let (c, secs, ev) = d.schedules.iter().find(|(c, secs, _)| {
                *secs >= 900.0
                    && d.components
                        .get(*c)
                        .is_some_and(|x| x.kind == ComponentKind::BatchProcessor)
            })?;
            if streaming {
                return None;
            }
            let name = cx.name(*c);
            Some(
                m(&name)
                    .quote(ev.quote.clone())
                    .var("freshness", tq)
                    .var("component", name)
                    .var("interval", human_seconds(*secs)),
            )
        }
        Kind::PartitionCapacity => {
            let q = cx.first_of(&[ComponentKind::Queue])?;
            let parts = d
                .numbers_of(Measure::Partitions)
                .find(|n| n.subject.is_none() || n.subject == Some(q))?;
            let p = parts.value.filter(|v| *v >= 1.0)?;
            let (items, bytes) = through(d, q);
            let key = d
                .key_of(q)
                .map(|k| k.key.clone())
                .unwrap_or_else(|| "key".into());
            let name = cx.name(q);
            let (rate_q, per, tight) = match (bytes, items) {
                (Some((b, bq)), _) => {
                    let per = b / p;
                    (bq, human(per, "B/s"), per > 10e6)
                }
                (None, Some((n, nq))) => {
                    let per = n / p;
                    (nq, format!("{} events/s", human(per, "")), per > 20_000.0)
                }
                _ => return None,
            };
            let intent = if tight {
                "challenge_partition_capacity_tight"
            } else {
                kind.intent()
            };
            Some(
                Move::new(intent)
                    .target(name.clone())
                    .quote(parts.evidence.quote.clone())
                    .var("component", name)
                    .var("rate", rate_q)
                    .var("partitions", format!("{p:.0}"))
                    .var("per_partition", per)
                    .var("key", key),
            )
        }
        Kind::PartitionCount => {
            let q = cx.first_of(&[ComponentKind::Queue])?;
            if d.numbers_of(Measure::Partitions).next().is_some() {
                return None;
            }
            let (items, bytes) = through(d, q);
            let (_, rq) = bytes.or(items)?;
            let name = cx.name(q);
            Some(
                m(&name)
                    .quote(rq.clone())
                    .var("component", name)
                    .var("rate", rq),
            )
        }
        Kind::WhyChoice => {
            let (i, c) = cx.in_flow().find(|(i, c)| {
                matches!(
                    c.kind,
                    ComponentKind::StreamProcessor
                        | ComponentKind::ServingStore
                        | ComponentKind::Warehouse
                        | ComponentKind::Queue
                        | ComponentKind::FeatureStore
                ) && !d.choices.iter().any(|ch| ch.component == Some(*i))
                    && c.product
                        .as_deref()
                        .and_then(|p| alternative(cx.rubric, p))
                        .is_some()
            })?;
            let product = c.product.clone()?;
            let alt = alternative(cx.rubric, &product)?;
            let given = cx
                .fact_number(
                    FactTopic::Freshness,
                    &[
                        crate::read::QuantityKind::Latency,
                        crate::read::QuantityKind::Duration,
                    ],
                )
                .map(|(_, q)| q)
                .or_else(|| {
                    d.numbers_of(Measure::Throughput)
                        .next()
                        .map(|n| n.evidence.quote.clone())
                });
            let mv = m(&cx.name(i))
                .quote(c.introduced.evidence.quote.clone())
                .var("component", product)
                .var("alternative", alt);
            Some(match given {
                Some(g) => mv.var("given", g),
                None => Move {
                    intent: "challenge_why_plain".into(),
                    ..mv
                },
            })
        }
        Kind::StateSize => {
            let ttl = d.numbers_of(Measure::Ttl).next()?;
            let secs = ttl.value?;
            let (items, _) = ingest(d);
            let (rate, rq) = items?;
            let keys = rate * secs;
            let bytes = keys * 64.0;
            let sp = cx.first_of(&[ComponentKind::StreamProcessor]);
            let name = sp
                .map(|i| cx.name(i))
                .unwrap_or_else(|| "the stream job".into());
            Some(
                m(&name)
                    .quote(ttl.evidence.quote.clone())
                    .var("component", name)
                    .var("ttl", human_seconds(secs))
                    .var("rate", rq)
                    .var("keys", human(keys, ""))
                    .var("state", human(bytes, "B")),
            )
        }
        Kind::HotKey => {
            // The capacity check already asked about a hot key.
            let asked = cx
                .asked
                .iter()
                .any(|k| k.starts_with("challenge_partition_capacity"));
            if asked || cx.scenario("hot-key") || cx.explained("hot-keys") {
                return None;
            }
            // Only a key whose values can be skewed: a user, a merchant, a
            // cell. A unique id (txn_id, event_id) spreads evenly.
            let k = d.keys.iter().find(|k| {
                let l = k.key.to_ascii_lowercase();
                SKEWABLE.iter().any(|w| l.contains(w))
            })?;
            let owner = k
                .subject
                .or_else(|| k.edge.and_then(|e| d.edges.get(e).map(|e| e.to)))
                .map(|i| cx.name(i))
                .unwrap_or_else(|| "that topic".into());
            let noun = k
                .key
                .trim_end_matches("_id")
                .trim_end_matches(" id")
                .replace('_', " ");
            Some(
                m(&owner)
                    .quote(k.evidence.quote.clone())
                    .var("key", k.key.clone())
                    .var("component", owner)
                    .word("noun", noun),
            )
        }
        Kind::LateData => {
            // A watermark shorter than the lateness the problem has.
            let lateness = late_in_facts(cx.problem);
            let window = d
                .numbers_of(Measure::Window)
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .filter(|(v, _)| *v < 3600.0)
                .min_by(|a, b| a.0.total_cmp(&b.0));
            if let (Some(late), Some((secs, wq))) = (lateness, window) {
                if !cx.scenario("late-data") {
                    let sp = cx
                        .first_of(&[ComponentKind::StreamProcessor])
                        .map(|i| cx.name(i))
                        .unwrap_or_else(|| "the stream job".into());
                    return Some(
                        Move::new("challenge_late_vs_watermark")
                            .target(sp.clone())
                            .quote(wq)
                            .var("window", human_seconds(secs))
                            .var("component", sp)
                            .word("late", late),
                    );
                }
            }
            if cx.scenario("late-data") || cx.explained("watermarks") {
                return None;
            }
            let sp = cx.first_of(&[ComponentKind::StreamProcessor]);
            let bp = cx.first_of(&[ComponentKind::BatchProcessor]);
            let (i, intent) = match (sp, bp) {
                (Some(i), _) => (i, "challenge_late_data"),
                (None, Some(i)) => (i, "challenge_late_data_batch"),
                _ => return None,
            };
            let name = cx.name(i);
            Some(
                Move::new(intent)
                    .target(name.clone())
                    .var("component", name),
            )
        }
        Kind::HiddenConstraint => {
            let (fi, f) = cx
                .problem
                .hidden_facts
                .iter()
                .enumerate()
                .find(|(i, f)| f.topic == FactTopic::Constraint && !cx.revealed.contains(i))?;
            let risky: Vec<&str> = f
                .answer
                .split_inclusive(". ")
                .filter(|s| RISK.iter().any(|w| s.to_ascii_lowercase().contains(w)))
                .collect();
            if risky.is_empty() {
                return None;
            }
            let said = risky.concat().trim().to_string();
            Some(
                Move::new(kind.intent())
                    .target(format!("fact-{fi}"))
                    .var("fact", said),
            )
        }
        Kind::ExactlyOnceClaim => {
            let g = d.guarantees.iter().find(|g| g.kind == "exactly-once")?;
            let sink = d.sinks().into_iter().find(|&s| {
                d.components[s].kind == ComponentKind::ServingStore && d.write_for(s).is_none()
            })?;
            let sp = cx
                .first_of(&[ComponentKind::StreamProcessor])
                .map(|i| cx.name(i))
                .unwrap_or_else(|| "the stream job".into());
            let name = cx.name(sink);
            Some(
                m(&name)
                    .quote(g.evidence.quote.clone())
                    .var("sink", name)
                    .var("component", sp),
            )
        }
        Kind::ReplayWindow => {
            let q = cx.first_of(&[ComponentKind::Queue])?;
            let r = d
                .numbers_of(Measure::Retention)
                .find(|n| n.subject == Some(q))?;
            let secs = r.value?;
            if secs > 3.0 * 86_400.0 {
                return None;
            }
            let proc_name = cx
                .first_of(&[
                    ComponentKind::StreamProcessor,
                    ComponentKind::BatchProcessor,
                ])
                .map(|i| cx.name(i))
                .unwrap_or_else(|| "the processing job".into());
            let name = cx.name(q);
            Some(
                m(&name)
                    .quote(r.evidence.quote.clone())
                    .var("component", name)
                    .var("retention", r.evidence.quote.clone())
                    .var("later", human_seconds(secs + 2.0 * 86_400.0))
                    .var("processor", proc_name),
            )
        }
        Kind::StorageGrowth => {
            let store = cx.first_of(&[ComponentKind::ObjectStore])?;
            // What lands in the store: the rate on the arrow into it, else
            // the ingest rate.
            let into = d
                .numbers_of(Measure::ByteRate)
                .filter(|n| {
                    n.edge
                        .and_then(|e| d.edges.get(e))
                        .is_some_and(|e| e.to == store)
                })
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .next();
            let (bps, bq) = into.or_else(|| ingest(d).1)?;
            // Its own retention only: another component's is not its.
            let r = d
                .numbers_of(Measure::Retention)
                .find(|n| n.subject == Some(store) || (n.subject.is_none() && n.edge.is_none()))?;
            let days = r.value? / 86_400.0;
            if days < 1.0 {
                return None;
            }
            let daily = bps * 86_400.0;
            let total = daily * days;
            let dollars = total / 1e9 * 0.023;
            let name = cx.name(store);
            Some(
                m(&name)
                    .quote(r.evidence.quote.clone())
                    .var("component", name)
                    .var("daily", format!("{} a day", human(daily, "B")))
                    .var("rate", bq)
                    .var("retention", r.evidence.quote.clone())
                    .var("total", human(total, "B"))
                    .var("cost", format!("${}", human(dollars, "").replace(' ', ""))),
            )
        }
        Kind::Tradeoff => {
            let c = d
                .choices
                .iter()
                .find(|c| c.reason && !c.tradeoff && c.component.is_some())?;
            let i = c.component?;
            let name = cx.name(i);
            let mv = m(&name)
                .quote(c.evidence.quote.clone())
                .var("component", name);
            Some(match &c.over {
                Some(o) => mv.var("alternative", o.clone()),
                None => Move {
                    intent: "challenge_tradeoff_plain".into(),
                    ..mv
                },
            })
        }
        Kind::SlaTiers => {
            if cx.explained("sla-tiers") || cx.named("sla-tiers") {
                return None;
            }
            let consumers = cx
                .in_flow()
                .filter(|(i, _)| d.role(*i) == crate::design::Role::Sink)
                .count();
            (consumers >= 2).then(|| Move::new(kind.intent()).target("sla-tiers"))
        }
        Kind::Backfill => {
            if cx.explained("backfill") {
                return None;
            }
            let p = cx
                .first_of(&[
                    ComponentKind::StreamProcessor,
                    ComponentKind::BatchProcessor,
                ])
                .map(|i| cx.name(i))?;
            Some(m(&p).var("component", p))
        }
        Kind::SchemaChange => {
            if cx.explained("schema-evolution") || cx.scenario("schema-break") {
                return None;
            }
            let src = cx
                .first_of(&[
                    ComponentKind::Producer,
                    ComponentKind::OltpDatabase,
                    ComponentKind::Queue,
                ])
                .map(|i| cx.name(i))?;
            Some(m(&src).var("component", src))
        }
        Kind::Cost => {
            if d.numbers_of(Measure::Cost).next().is_some() || cx.explained("cost") {
                return None;
            }
            Some(Move::new(kind.intent()).target("cost"))
        }
        Kind::DataQuality => {
            if cx.explained("data-quality") {
                return None;
            }
            let sink = d
                .sinks()
                .into_iter()
                .find(|&i| {
                    matches!(
                        d.components[i].kind,
                        ComponentKind::Warehouse | ComponentKind::ServingStore
                    )
                })
                .or_else(|| d.sinks().into_iter().next())?;
            let name = cx.name(sink);
            Some(m(&name).var("sink", name))
        }
        Kind::RegionOutage => {
            let q = cx
                .first_of(&[
                    ComponentKind::Queue,
                    ComponentKind::StreamProcessor,
                    ComponentKind::Warehouse,
                ])
                .map(|i| cx.name(i))?;
            Some(m(&q).var("component", q))
        }
        Kind::Operations => {
            if cx.signal("operational-realism") {
                return None;
            }
            let alert = d
                .failures
                .iter()
                .filter_map(|f| f.detect.evidence.as_ref())
                .next()
                .map(|_| "the alert you described")
                .unwrap_or("the main pipeline alert");
            Some(
                Move::new(kind.intent())
                    .target("operations")
                    .word("alert", alert),
            )
        }
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

/// How late data can be, as the problem's facts say ("hours late").
fn late_in_facts(p: &Problem) -> Option<String> {
    p.hidden_facts.iter().find_map(|f| {
        let l = f.answer.to_ascii_lowercase();
        [
            "hours late",
            "days late",
            "weeks late",
            "days later",
            "weeks after",
            "hours later",
            "arrive late",
        ]
        .iter()
        .find(|w| l.contains(*w))
        .map(|w| w.to_string())
    })
}

/// Words that make a hidden constraint matter to the design.
const RISK: &[&str] = &[
    "late",
    "duplicate",
    "delete",
    "deletion",
    "gdpr",
    "pii",
    "cap",
    "budget",
    "skew",
    "%",
    "retention",
    "regulat",
    "audit",
    "drift",
    "offline",
    "out of order",
    "retry",
    "retries",
    "replay",
    "restate",
    "resend",
    "bot",
    "migration",
    "mask",
    "tokenis",
    "must",
    "may not",
    "arrive",
    "weeks after",
    "days after",
    "hours after",
];

/// An alternative product for a choice question, from the catalogue.
fn alternative(r: &Rubric, product: &str) -> Option<String> {
    r.components
        .component
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(product))
        .and_then(|c| c.alternatives.first().cloned())
}
