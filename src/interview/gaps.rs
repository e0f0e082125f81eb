//! The first gap the design shows in the architecture and data-flow
//! phases: a diagram at all, vague boxes, unannotated arrows, too few or
//! too many boxes, a board of control arrows only; then the partition key,
//! the delivery guarantee and whether every write is safe to retry.

use crate::design::{FlowScope, HopKind, Role, TurnReading};
use crate::interview::moves::Move;
use crate::interview::payload;
use crate::interview::phases::join_and;
use crate::interview::session::{Check, Session};
use crate::interview::units;
use crate::rubric::{ComponentKind, Phase};
use writes::{absorbed_downstream, copies_objects, deletes_only, exactly_once_into, rebuilds};

mod writes;

/// Arrows asked about one by one before asking for the rest at once.
const MAX_EDGE_PROBES: usize = 3;

/// Below this many records a second into a topic one partition holds it
/// all, and which key it is keyed by changes nothing.
const TRICKLE_PER_SEC: f64 = 10.0;
/// The same in bytes a second (10 KB/s).
const TRICKLE_BYTES_PER_SEC: f64 = 10_000.0;

/// A catalogue format name as people write it: "JSON", "CSV", "Avro".
fn format_shown(name: &str) -> String {
    const UPPER: &[&str] = &["json", "jsonl", "ndjson", "csv", "orc", "sql", "cdc"];
    name.split(' ')
        .enumerate()
        .map(|(k, w)| {
            if UPPER.contains(&w) {
                w.to_ascii_uppercase()
            } else if k > 0 {
                w.to_string()
            } else {
                crate::interview::templates::capitalised(w)
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl Session {
    pub(crate) fn architecture_gap(&self) -> Option<(Move, Check)> {
        let d = &self.design;
        // 1. A diagram at all: products listed in prose are not an architecture.
        if !d.has_diagram() {
            let named: Vec<&str> = d
                .components
                .iter()
                .filter(|c| !c.vague)
                .map(|c| c.label())
                .collect();
            let mv = if named.is_empty() {
                Move::new("ask_diagram_empty").target("diagram")
            } else {
                Move::new("ask_diagram")
                    .target("diagram")
                    .var("named", join_and(&named))
            };
            return (!self.asked_before(&mv)).then_some((mv, Check::Diagram));
        }
        // 2. Vague boxes.
        for (i, c) in d.boxes() {
            if c.vague && c.kind != ComponentKind::Producer {
                let mv = Move::new("vague_box")
                    .target(c.name.clone())
                    .quote(c.introduced.evidence.quote.clone())
                    .var("name", c.name.clone());
                if !self.asked_before(&mv) {
                    return Some((mv, Check::Product(i)));
                }
            }
        }
        // 3. Arrows without what flows and how much.
        // Arrows asked about (a push on the same arrow is the same question).
        let mut asked: Vec<&str> = self
            .history
            .iter()
            .filter(|k| k.starts_with("annotate_edge|"))
            .map(String::as_str)
            .collect();
        asked.sort_unstable();
        asked.dedup();
        let asked_edges = asked.len();
        // Two arrows the candidate could not size, even pushed: a third
        // such question grinds. The numbers stay open; the round moves on
        // to what else the board lacks.
        let sizes_left_open = self
            .gaps_left
            .iter()
            .filter(|g| g.intent.starts_with("annotate_edge"))
            .count();
        // A query path is asked only of a board with no data arrow at all
        // (warehouse-only: the queries are what flows there).
        let queries_only = d.data_arrows().next().is_none();
        for (i, e) in d.arrows().filter(|_| sizes_left_open < 2) {
            let query = e.hop == HopKind::Query;
            if d.edge_annotated(i) || !(e.needs_annotation() || (query && queries_only)) {
                continue;
            }
            let (from, to) = (d.components[e.from].label(), d.components[e.to].label());
            let target = arrow_target(d, e);
            let carried = d.carried_payload(i);
            // What flows, said short enough to repeat back: the payload as
            // labelled, else its format when the payload is a whole
            // sentence of prose ("An event leaves the SDK as JSON, …").
            // A label that says how the arrow writes ("MERGE DELETE by
            // user_id", "Snowpipe, hourly MERGE") is not what it carries.
            let short = carried.and_then(|p| {
                let ends = [
                    d.components[e.from].name.as_str(),
                    d.components[e.to].name.as_str(),
                ];
                if payload::sayable(p, ends) {
                    Some(p)
                } else {
                    d.carried_format(i)
                        .filter(|f| payload::sayable_format(f, ends))
                }
            });
            let intent = match (carried.is_some(), e.rate.is_some()) {
                (true, false) if short.is_some() => "annotate_edge_rate",
                (true, false) => "annotate_edge_rate_plain",
                (false, true) => "annotate_edge_payload",
                _ => "annotate_edge",
            };
            let mut mv = Move::new(intent)
                .target(target)
                .quote(e.evidence.quote.clone())
                .var("from", from.to_string())
                .var("to", to.to_string())
                .var(
                    "units",
                    if query {
                        units::QUERY_UNITS
                    } else {
                        units::arrow_units(
                            &self.problem,
                            [e.from, e.to].iter().any(|&c| {
                                matches!(
                                    d.components[c].kind,
                                    ComponentKind::Queue | ComponentKind::StreamProcessor
                                )
                            }),
                            &e.evidence.quote,
                        )
                    }
                    .to_string(),
                );
            if let Some(p) = short {
                let said = p.value.trim_end_matches(['.', ',', ';']);
                let is_format = d.carried_format(i).is_some_and(|f| std::ptr::eq(f, p));
                let said = if is_format {
                    format_shown(said)
                } else {
                    payload::without_latency(said)
                };
                mv = mv.var("payload", said);
            }
            if let Some(r) = &e.rate {
                mv = mv.var("rate", r.value.clone());
            }
            if self
                .history
                .iter()
                .any(|k| k.ends_with(&format!("|{}", mv.target.as_deref().unwrap_or(""))))
            {
                continue;
            }
            // Out of a queue the flow is the one that went in: its volume,
            // asked on an arrow into the queue and left open, is not asked
            // again one hop later.
            if e.rate.is_none() && d.components[e.from].kind == ComponentKind::Queue {
                let left_open = d.current_edges().filter(|x| x.to == e.from).any(|x| {
                    let into = arrow_target(d, x);
                    self.gaps_left.iter().any(|g| {
                        g.intent.starts_with("annotate_edge") && g.target.as_deref() == Some(&into)
                    })
                });
                if left_open {
                    continue;
                }
            }
            if asked_edges >= MAX_EDGE_PROBES {
                let rest = Move::new("annotate_rest").target("arrows");
                return (!self.asked_before(&rest)).then_some((rest, Check::Substance));
            }
            return Some((mv, Check::Annotated(i)));
        }
        // 4. Enough boxes to cover source, storage, transformation, serving.
        let boxes: Vec<(usize, &crate::design::Component)> = d.boxes().collect();
        let n = boxes.len();
        if n < 4 {
            let missing = self.missing_layers_with(&self.named_on_the_board_so_far());
            let mv = Move::new("too_few_boxes")
                .target("boxes")
                .var("count", n.to_string())
                .word(
                    "missing",
                    join_and(&missing.iter().map(String::as_str).collect::<Vec<_>>()),
                );
            if !self.asked_before(&mv) && !missing.is_empty() {
                return Some((mv, Check::Boxes(n)));
            }
        } else if d.systems_drawn() > 9 {
            let mv = Move::new("too_many_boxes")
                .target("boxes")
                .var("count", n.to_string());
            if !self.asked_before(&mv) {
                return Some((mv, Check::Collapse));
            }
        }
        // 5. A board whose every arrow is control ("great expectations ->
        // airflow -> slack") shows who triggers whom, not where the data goes.
        // Not after a gap this phase already left open: a candidate who
        // could not fill the board is not asked the same thing again.
        let left_open = self
            .gaps_left
            .iter()
            .any(|g| g.phase == Phase::Architecture);
        if !left_open && d.arrows().next().is_some() && d.arrows().all(|(_, e)| e.control()) {
            let arrows: Vec<String> = d
                .arrows()
                .take(3)
                .map(|(_, e)| {
                    format!(
                        "{} to {}",
                        d.components[e.from].label(),
                        d.components[e.to].label()
                    )
                })
                .collect();
            let mv = Move::new("no_data_arrows").target("data path").var(
                "arrows",
                join_and(&arrows.iter().map(String::as_str).collect::<Vec<_>>()),
            );
            if !self.asked_before(&mv) {
                return Some((mv, Check::DataPath));
            }
        }
        None
    }

    /// Components the candidate named while the architecture is on the
    /// table, in this turn or an earlier one of the phase ("the data is in
    /// Snowflake", then "Spark loads it"), drawn or not; or named while
    /// designing before it ("spark job deletes rows in s3 and snowflake"
    /// drawn in the clarify phase).
    pub(crate) fn named_on_the_board(&self, reading: &TurnReading) -> Vec<usize> {
        let mut named = self.named_on_the_board_so_far();
        named.extend(reading.new_components.iter().copied());
        named
    }

    /// [`Self::named_on_the_board`] before this turn's reading.
    fn named_on_the_board_so_far(&self) -> Vec<usize> {
        let d = &self.design;
        (0..d.components.len())
            .filter(|&i| {
                matches!(
                    d.components[i].introduced.phase,
                    Some(Phase::Architecture | Phase::Clarify)
                )
            })
            .collect()
    }

    /// Layers neither a drawn box nor one of the `named` components (a
    /// turn's new ones: "the data is in Snowflake") stands for.
    pub(crate) fn missing_layers_with(&self, named: &[usize]) -> Vec<String> {
        use ComponentKind::*;
        let d = &self.design;
        let kinds: Vec<ComponentKind> = d
            .boxes()
            .map(|(_, c)| c.kind)
            .chain(
                named
                    .iter()
                    .filter_map(|&i| d.components.get(i))
                    .filter(|c| !c.vague)
                    .map(|c| c.kind),
            )
            .collect();
        let has = |ks: &[ComponentKind]| kinds.iter().any(|k| ks.contains(k));
        let mut out = Vec::new();
        // Data has to come from somewhere: a producer, a queue, a database,
        // files, or at least an arrow into the job ("Airflow -> Spark ->
        // Snowflake" reads nothing).
        let fed = d.current_edges().any(|e| {
            !e.control()
                && d.components
                    .get(e.to)
                    .is_some_and(|c| matches!(c.kind, StreamProcessor | BatchProcessor))
        });
        // A store nothing writes into is where the data is read from ("the
        // data is in Snowflake"); one the job writes into is its output.
        let read_from = d
            .boxes()
            .map(|(i, _)| i)
            .chain(named.iter().copied())
            .filter(|&i| {
                d.components.get(i).is_some_and(|c| {
                    !c.vague
                        && matches!(
                            c.kind,
                            Producer | Queue | OltpDatabase | Cdc | ObjectStore | Warehouse
                        )
                })
            })
            .any(|i| !d.current_edges().any(|e| e.to == i && !e.control()));
        if !fed && !read_from {
            out.push("where the data comes from".to_string());
        }
        if !has(&[ObjectStore, Warehouse]) {
            out.push("where the data lands".to_string());
        }
        if !has(&[StreamProcessor, BatchProcessor]) {
            out.push("what transforms it".to_string());
        }
        // A query engine over the lake (Trino, Athena, Presto) serves the
        // analysts and dashboards that query it.
        let query_engine = d
            .boxes()
            .map(|(i, _)| i)
            .chain(named.iter().copied())
            .filter_map(|i| d.components.get(i))
            .any(|c| c.product.as_deref() == Some("Trino"));
        if !has(&[ServingStore, Warehouse, FeatureStore]) && !query_engine {
            out.push("what serves the consumer".to_string());
        }
        out
    }

    /// The main path through the design, as the candidate named it.
    pub(crate) fn path(&self) -> String {
        let d = &self.design;
        let path = self.path_indices();
        let names: Vec<&str> = path.iter().map(|&i| d.components[i].label()).collect();
        if names.len() < 2 {
            // Nothing drawn to follow: the pipeline as a whole.
            return "the pipeline from source to consumer".to_string();
        }
        names.join(" → ")
    }

    /// The main path's components, source first, along arrows that carry
    /// data. An orchestrator in the middle ("S3 -> Airflow -> Snowflake")
    /// is stepped over: the record goes from S3 to Snowflake. A trigger or
    /// an alert to Slack alone is no path a record takes. Of several
    /// sources, the one whose path runs furthest: a restore from Glacier
    /// into a staging area drawn first is not the pipeline.
    fn path_indices(&self) -> Vec<usize> {
        let d = &self.design;
        if !d.current_edges().any(|e| !e.control()) {
            return Vec::new();
        }
        let mut best: Vec<usize> = Vec::new();
        for start in (0..d.components.len())
            .filter(|&i| d.role(i) == Role::Source && d.current_edges().any(|e| e.from == i))
        {
            let path = self.path_from(start);
            if path.len() > best.len() {
                best = path;
            }
        }
        if best.is_empty() {
            if let Some(e) = d.current_edges().find(|e| !e.control()) {
                best = self.path_from(e.from);
            }
        }
        best
    }

    /// The path a record takes from component `start` ([`Self::path_indices`]).
    fn path_from(&self, start: usize) -> Vec<usize> {
        let d = &self.design;
        let data = || d.current_edges().filter(|e| !e.control());
        let mut path: Vec<usize> = Vec::new();
        let mut at = Some(start);
        while let Some(i) = at {
            if path.contains(&i) || path.len() > 6 {
                break;
            }
            path.push(i);
            at = data().find(|e| e.from == i).map(|e| e.to).or_else(|| {
                // Through the orchestrator to what it moves the data into.
                d.current_edges()
                    .filter(|e| e.from == i && e.control())
                    .flat_map(|c| d.current_edges().filter(move |e| e.from == c.to))
                    .map(|e| e.to)
                    .find(|&t| t != i && !path.contains(&t))
            });
        }
        path
    }

    pub(crate) fn data_flow_gap(&self) -> Option<(Move, Check)> {
        let d = &self.design;
        let in_flow = |i: usize| {
            !d.gone(i)
                && (d.components[i].drawn || d.current_edges().any(|e| e.from == i || e.to == i))
        };
        // 1. The partition key. A topic the candidate sized at a trickle
        // ("~5K/day") fits in one partition: its key changes nothing, so
        // the question goes to where the data is laid out.
        if d.keys.is_empty() {
            let trickle = |i: usize| {
                let f = d.rate_into(i);
                f.scope == Some(FlowScope::Exact)
                    && f.items.as_ref().is_some_and(|x| x.value < TRICKLE_PER_SEC)
                    && f.bytes
                        .as_ref()
                        .is_none_or(|x| x.value < TRICKLE_BYTES_PER_SEC)
            };
            let target = (0..d.components.len())
                .find(|&i| {
                    in_flow(i) && crate::design::keys::partitioned(&d.components[i]) && !trickle(i)
                })
                .or_else(|| {
                    // Where the data is written and laid out: an archive
                    // the flow only reads from ("S3 Glacier -> S3 raw") is
                    // keyed by whoever wrote it, not by this design; a lake
                    // an orchestrator deletes from is laid out by it.
                    let written = |i: usize| d.current_edges().any(|e| e.to == i);
                    (0..d.components.len()).find(|&i| {
                        in_flow(i)
                            && written(i)
                            && matches!(
                                d.components[i].kind,
                                ComponentKind::StreamProcessor
                                    | ComponentKind::ObjectStore
                                    | ComponentKind::Warehouse
                            )
                    })
                });
            if let Some(i) = target {
                let name = d.components[i].label().to_string();
                let mv = Move::new("ask_key")
                    .target(name.clone())
                    .var("component", name)
                    .var(
                        "examples",
                        crate::interview::key_fit::key_examples(&self.problem),
                    );
                if !self.asked_before(&mv) {
                    return Some((mv, Check::Key));
                }
            }
        }
        // 2. The delivery guarantee and what gives it (not asked when
        // every write was already explained as safe to repeat: that is
        // the mechanism, whatever they call the guarantee).
        let sinks = d.sinks();
        let on_path: Vec<usize> = self
            .path_indices()
            .into_iter()
            .filter(|i| sinks.contains(i))
            .collect();
        // A write on the path made safe to repeat on a named key ("MERGEs
        // into sales_fact on line_id, so a rerun is a no-op") is the
        // mechanism too: what is left is each other write, asked by name
        // below, not the whole path's guarantee again.
        let all_writes_safe = !on_path.is_empty()
            && (on_path.iter().all(|&s| d.write_for(s).is_some())
                || on_path
                    .iter()
                    .any(|&s| d.write_for(s).is_some_and(|w| w.keyed)));
        let writer_at = (0..d.components.len()).find(|&i| {
            in_flow(i)
                && matches!(
                    d.components[i].kind,
                    ComponentKind::StreamProcessor | ComponentKind::BatchProcessor
                )
        });
        // "prometheus -> grafana": no job writes and nothing is written
        // to, so there is no hop to ask a delivery guarantee of (not "the
        // job" into "the sink").
        let nothing_written = writer_at.is_none() && d.sinks().is_empty();
        if d.explained_guarantee().is_none() && !all_writes_safe && !nothing_written {
            let path = self.path();
            let writer = writer_at
                .map(|i| d.components[i].label().to_string())
                .unwrap_or_else(|| "the job".into());
            // What that job writes to, not a source it only reads.
            let sinks = d.sinks();
            let sink = writer_at
                .and_then(|w| {
                    d.current_edges()
                        .filter(|e| e.from == w)
                        .map(|e| e.to)
                        .find(|t| sinks.contains(t))
                })
                .or_else(|| {
                    sinks.iter().copied().find(|&s| {
                        writer_at
                            .is_none_or(|w| !d.current_edges().any(|e| e.from == s && e.to == w))
                    })
                })
                .map(|i| d.components[i].label().to_string())
                .unwrap_or_else(|| "the sink".into());
            let claim = d.guarantees.first().map(|g| g.evidence.quote.clone());
            let intent = if claim.is_some() {
                "ask_guarantee_mechanism"
            } else {
                "ask_guarantee"
            };
            let mut mv = Move::new(intent)
                .target(if path.is_empty() {
                    "path".to_string()
                } else {
                    path.clone()
                })
                .var("path", path)
                .var("writer", writer)
                .var("sink", sink);
            if let Some(c) = claim {
                mv = mv.quote(c.clone()).word("claim", c);
            }
            if !self.asked_before(&mv) {
                return Some((mv, Check::Guarantee));
            }
        }
        // 3. Every write the design makes: safe to retry?
        for s in d.sinks() {
            if d.write_for(s).is_some() {
                continue;
            }
            if absorbed_downstream(d, s) {
                continue;
            }
            // Arrows that only delete by key ("DELETE WHERE user_id IN
            // (...)"): a retried delete removes nothing twice.
            let mut into = d.current_edges().filter(|e| e.to == s).peekable();
            if into.peek().is_some() && into.all(|e| deletes_only(&e.evidence.quote)) {
                continue;
            }
            // Arrows that rebuild what they write ("rebuild of affected
            // sale_dates", "INSERT OVERWRITE"): a rerun writes the same
            // result again, nothing is added twice.
            let mut into = d.current_edges().filter(|e| e.to == s).peekable();
            if into.peek().is_some() && into.all(|e| rebuilds(&e.evidence.quote)) {
                continue;
            }
            // A bucket replicated from another ("S3 lake -> S3 us-west-2 : S3
            // replication") is a copy of objects already written: a retried
            // copy writes the same object again.
            let mut into = d.current_edges().filter(|e| e.to == s).peekable();
            if into.peek().is_some() && into.all(|e| copies_objects(d, e.from, s)) {
                continue;
            }
            let name = d.components[s].label().to_string();
            let writer = d
                .current_edges()
                .find(|e| e.to == s)
                .map(|e| d.components[e.from].label().to_string());
            // A claim of the whole pipeline is said back once (`ask`
            // records it), not for every store.
            let claim = exactly_once_into(d, s)
                .filter(|(c, whole)| !whole || !self.history.contains(&format!("quoted|{c}")))
                .map(|(c, _)| c);
            let mv = match (writer, claim) {
                // "exactly-once via the connector's commit": the question
                // starts from what they said and asks what makes it hold.
                (Some(w), Some(c)) => Move::new("ask_idempotent_write_claimed")
                    .target(name.clone())
                    .var("sink", name)
                    .var("writer", w)
                    .quote(c.clone())
                    .word("claim", c),
                (Some(w), None) => Move::new("ask_idempotent_write")
                    .target(name.clone())
                    .var("sink", name)
                    .var("writer", w),
                (None, _) => Move::new("ask_idempotent_write_plain")
                    .target(name.clone())
                    .var("sink", name),
            };
            if !self.asked_before(&mv) {
                return Some((mv, Check::Write(s)));
            }
        }
        None
    }
}

/// How an arrow is named as a move's target: "Kafka → Flink".
fn arrow_target(d: &crate::design::Design, e: &crate::design::Edge) -> String {
    format!(
        "{} → {}",
        d.components[e.from].label(),
        d.components[e.to].label()
    )
}
