//! Capacity checks from the candidate's own numbers: their sizing against
//! the problem's, rate ÷ partitions, the write rate into a relational
//! database, retention against replay, daily volume × retention, a batch
//! interval against a freshness target. State size is `state.rs`.

use super::*;
use crate::read::quantity::QuantityKind;

pub(super) fn number_check(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::NumberCheck;
    let d = cx.design;
    let (fact, fq) = cx.fact_number(FactTopic::Scale, &[crate::read::QuantityKind::Rate])?;
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
            // Or the hop out of what the source lands in: "tills -> S3
            // landing (JSON, 40M lines/day)" sizes the landing's output.
            (_, Some(e)) => {
                ingest_side(e.from)
                    || ingest_side(e.to)
                    || (d.components.get(e.from).map(|c| c.kind)
                        == Some(ComponentKind::ObjectStore)
                        && d.current_edges().any(|x| {
                            x.to == e.from && d.role(x.from) == crate::design::Role::Source
                        }))
            }
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

pub(super) fn freshness_budget(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::FreshnessBudget.intent()).target(t.to_string());
    let (target, tq) = cx
        .fact_number(
            FactTopic::Freshness,
            &[
                crate::read::QuantityKind::Latency,
                crate::read::QuantityKind::Duration,
            ],
        )
        .or_else(|| {
            // "which gives 5 hours of slack before 06:00" is headroom, not
            // a target.
            let headroom = |n: &crate::design::Number| {
                let text = d.text();
                let from = crate::read::text::floor_char(text, n.evidence.start.saturating_sub(30));
                let to = crate::read::text::ceil_char(text, n.evidence.end.saturating_add(60));
                let near = text.get(from..to).unwrap_or_default().to_ascii_lowercase();
                ["slack", "headroom", "buffer", "margin", "spare"]
                    .iter()
                    .any(|w| crate::read::text::holds_words(&near, w))
            };
            d.numbers_of(Measure::Latency)
                .filter(|n| !headroom(n))
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .min_by(|a, b| a.0.total_cmp(&b.0))
        })?;
    let streaming = cx.first_of(&[ComponentKind::StreamProcessor]).is_some();
    // A batch hop that runs less often than the target allows: a daily
    // load cannot meet 15 minutes; an hourly job can meet 90.
    // A store fed often enough by another path ("Airflow hourly DAG ->
    // cost mart" beside "billing export -> cost mart : daily invoice
    // lines") meets the target by that path.
    let fed_in_time = |c: usize| {
        d.schedules.iter().any(|(x, s, _)| {
            *s <= target && (*x == c || d.current_edges().any(|e| e.from == *x && e.to == c))
        })
    };
    let (c, secs, ev) = d.schedules.iter().find(|(c, secs, _)| {
        *secs >= 900.0
            && *secs > target
            && !fed_in_time(*c)
            && d.components.get(*c).is_some_and(|x| {
                matches!(
                    x.kind,
                    ComponentKind::BatchProcessor
                        | ComponentKind::Orchestrator
                        | ComponentKind::Warehouse
                        | ComponentKind::ObjectStore
                )
            })
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

pub(super) fn partition_capacity(cx: &Ctx<'_>) -> Option<Move> {
    // The count was just asked and explained: checking it again is the
    // same question. A bare count ("10 partitions maybe") explained
    // nothing: its load per partition is still worth checking.
    let explained = |a: &str| {
        sized_per_partition(a)
            || crate::read::quantities(a)
                .iter()
                .any(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size))
    };
    if cx
        .answered
        .iter()
        .any(|(i, a)| i.starts_with("challenge_partition_count") && explained(a))
    {
        return None;
    }
    let kind = Kind::PartitionCapacity;
    let d = cx.design;
    let q = cx
        .in_flow()
        .find(|(_, c)| crate::design::keys::partitioned(c))
        .map(|(i, _)| i)?;
    // The count said last: a candidate who corrected 200 shards to 600
    // is asked about 600, not "how did you arrive at 200".
    let counts: Vec<_> = d
        .numbers_of(Measure::Partitions)
        .filter(|n| n.subject.is_none() || n.subject == Some(q))
        .collect();
    let parts = *counts.last()?;
    // Already sized per partition in their own words ("each shard takes
    // 1 MB/s … so at least 500 shards"): the check is done.
    if counts
        .iter()
        .any(|n| sized_per_partition(sentence_around(d.text(), n.evidence.start)))
    {
        return None;
    }
    // Sized in a sentence of its own, before it was asked ("each partition
    // gets under 1K events a second"): the check is done too.
    let text = d.text();
    let lower = text.to_ascii_lowercase();
    let per_partition_rate = ["per partition", "each partition", "per shard", "each shard"]
        .iter()
        .flat_map(|w| lower.match_indices(w))
        .any(|(at, _)| {
            crate::read::quantities(sentence_around(text, at))
                .iter()
                .any(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size))
        });
    if per_partition_rate {
        return None;
    }
    let p = parts.value.filter(|v| *v >= 1.0)?;
    let (items, bytes) = into(d, q);
    let key = d
        .key_of(q)
        .map(|k| k.key.clone())
        .unwrap_or_else(|| "key".into());
    let name = cx.name(q);
    let (unit, units) = unit_of(d, q);
    // What one partition comfortably takes; a Kinesis shard's write limit
    // is 1 MB/s or 1,000 records/s.
    let (max_bytes, max_items, limit) = if unit == "shard" {
        (
            1e6,
            1_000.0,
            "a Kinesis shard takes 1,000 records or 1 MB a second",
        )
    } else {
        (
            10e6,
            20_000.0,
            "one partition and its one consumer handle maybe 10 MB or 20K events a second",
        )
    };
    // The rate as a number, bytes first, for a per-key split below.
    let raw = bytes
        .as_ref()
        .map(|(b, _)| (*b, true))
        .or(items.as_ref().map(|(n, _)| (*n, false)));
    let (rate_q, per, tight) = match (bytes, items) {
        (Some((b, bq)), _) => {
            let per = b / p;
            (bq, human(per, "B/s"), per > max_bytes)
        }
        (None, Some((n, nq))) => {
            let per = n / p;
            (nq, format!("{} events/s", human(per, "")), per > max_items)
        }
        _ => return None,
    };
    // "sensor_type: temperature / vibration / power" over 40 shards: three
    // keys fill three shards at most, whatever the count.
    let values = d.key_of(q).and_then(|k| {
        crate::interview::key_fit::said_values(&k.evidence.quote, &k.key)
            .filter(|&v| (v as f64) < p)
    });
    if let Some(v) = values {
        let per_key = match raw {
            Some((b, true)) => human(b / v as f64, "B/s"),
            Some((n, false)) => format!("{} events/s", human(n / v as f64, "")),
            None => return None,
        };
        return Some(
            Move::new("challenge_partition_capacity_few_keys")
                .target(name.clone())
                .quote(parts.evidence.quote.clone())
                .var("component", name)
                .var("rate", rate_q)
                .var("partitions", format!("{p:.0}"))
                .var("values", v.to_string())
                .var("per_key", per_key)
                .var("key", key)
                .word("unit", unit)
                .word("units", units)
                .word("limit", limit),
        );
    }
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
            .var("key", key)
            .word("unit", unit)
            .word("units", units)
            .word("limit", limit),
    )
}

/// Row writes a second into one relational primary above which a write
/// path needs saying how it fits: one primary takes on the order of
/// 10–20K single-row writes a second, a few times that batched.
const OLTP_WRITE_CEILING: f64 = 50_000.0;

/// Said with the figure or of the database, the write path is already
/// fitted to it: batched, bulk-loaded, sharded, or reduced on the way.
const WRITES_FITTED: &[&str] = &[
    "batch",
    "bulk",
    "copy",
    "shard",
    "citus",
    "vitess",
    "partitioned across",
    "instances",
    "aggregat",
    "rollup",
    "roll-up",
    "buffer",
];

/// A job that writes into a relational database faster than one primary
/// takes ("Flink -> Postgres : 200K rows/s"): how does it keep up? Only the
/// figure said on the hops into the database or of it counts; an upstream
/// rate may be aggregated away before it gets there.
pub(super) fn sink_capacity(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let text = d.text();
    d.components.iter().enumerate().find_map(|(q, c)| {
        if c.kind != ComponentKind::OltpDatabase || c.vague {
            return None;
        }
        // Written by the pipeline, not by the application that owns it.
        let writer = d.current_edges().find(|e| {
            e.to == q
                && d.components.get(e.from).is_some_and(|w| {
                    matches!(
                        w.kind,
                        ComponentKind::StreamProcessor
                            | ComponentKind::BatchProcessor
                            | ComponentKind::Queue
                            | ComponentKind::Cdc
                    )
                })
        })?;
        let (rate, rq) = said_into(d, q, Measure::Throughput)?;
        if rate <= OLTP_WRITE_CEILING {
            return None;
        }
        let fitted = |s: &str| {
            let l = s.to_ascii_lowercase();
            WRITES_FITTED.iter().any(|w| l.contains(w))
        };
        let said_with = d
            .numbers_of(Measure::Throughput)
            .filter(|n| {
                n.subject == Some(q)
                    || n.edge
                        .is_some_and(|ei| d.edges.get(ei).is_some_and(|e| e.to == q))
            })
            .any(|n| fitted(sentence_around(text, n.evidence.start)));
        if said_with || fitted(&c.name) {
            return None;
        }
        let db = cx.name(q);
        Some(
            Move::new(Kind::SinkCapacity.intent())
                .target(db.clone())
                .quote(rq.clone())
                .var("db", db)
                .var("writer", cx.name(writer.from))
                .var("rate", rq),
        )
    })
}

/// The sentence of `text` around byte `at` (a number's own quote may be
/// just "600 shards").
pub(super) fn sentence_around(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let Some(head) = text.get(..at) else {
        return "";
    };
    // A full stop inside a number ("1.5 MB/s") ends nothing.
    let ends = |i: usize, b: u8| match b {
        b'\n' | b'?' | b'!' => true,
        b'.' => !text.as_bytes().get(i + 1).is_some_and(u8::is_ascii_digit),
        _ => false,
    };
    let start = head
        .bytes()
        .enumerate()
        .rev()
        .find(|&(i, b)| ends(i, b))
        .map_or(0, |(i, _)| i + 1);
    let end = text.as_bytes()[at..]
        .iter()
        .enumerate()
        .find(|&(i, &b)| ends(at + i, b))
        .map_or(text.len(), |(i, _)| at + i);
    text.get(start..end).unwrap_or("")
}

/// A partition count said with its sizing: a per-partition limit or rate,
/// or the headroom it leaves.
fn sized_per_partition(quote: &str) -> bool {
    let l = quote.to_ascii_lowercase();
    [
        "per shard",
        "per partition",
        "each shard",
        "each partition",
        "a shard takes",
        "a partition takes",
        "headroom",
    ]
    .iter()
    .any(|w| l.contains(w))
}

pub(super) fn partition_count(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::PartitionCount.intent()).target(t.to_string());
    if d.numbers_of(Measure::Partitions).next().is_some() {
        return None;
    }
    // Already sized in their words, count unnamed: "300 MB/s, at 10 MB/s
    // per partition that's 30, I'd take 64 for headroom".
    let text = d.text();
    if text
        .split(['.', '\n', ';'])
        .any(|s| sized_per_partition(s) && s.bytes().any(|b| b.is_ascii_digit()))
    {
        return None;
    }
    // The busiest queue: its partition count is the one that matters (not
    // the 10 KB/s topic of restaurant rows beside the 20K/s orders).
    let (q, rq) = cx
        .in_flow()
        .filter(|(_, c)| crate::design::keys::partitioned(c))
        .filter_map(|(i, _)| {
            let (items, bytes) = into(d, i);
            // Compare in bytes, an item taken as a kilobyte.
            let weight = bytes
                .as_ref()
                .map(|b| b.0)
                .or(items.as_ref().map(|x| x.0 * 1000.0))?;
            let quote = bytes.or(items)?.1;
            Some((i, quote, weight))
        })
        .max_by(|a, b| a.2.total_cmp(&b.2))
        // A trickle (5K requests a day, 10 KB/s) fits one partition many
        // times over: how it was sized is not a question worth the time.
        .filter(|&(_, _, weight)| weight >= MIN_SIZED_RATE)
        .map(|(i, q, _)| (i, q))?;
    let name = cx.name(q);
    let (unit, units) = unit_of(d, q);
    Some(
        m(&name)
            .quote(rq.clone())
            .var("component", name)
            .var("rate", rq)
            .word("unit", unit)
            .word("units", units),
    )
}

/// What a queue splits into, as its users say it: Kinesis has shards,
/// Kafka, Event Hubs and Pulsar partitions.
fn unit_of(d: &Design, q: usize) -> (&'static str, &'static str) {
    let kinesis = d.components.get(q).is_some_and(|c| {
        let named = |s: &str| s.to_ascii_lowercase().contains("kinesis");
        named(c.label()) || c.product.as_deref().is_some_and(named)
    });
    if kinesis {
        ("shard", "shards")
    } else {
        ("partition", "partitions")
    }
}

/// Bytes a second (an item taken as a kilobyte) below which a queue's
/// partition count needs no sizing: a tenth of what one partition takes
/// (300 CDC changes a second fit one partition many times over; its key is
/// what matters there).
const MIN_SIZED_RATE: f64 = 1_000_000.0;

pub(super) fn replay_window(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::ReplayWindow.intent()).target(t.to_string());
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

/// A month's storage bill (at $0.023/GB) below which how a store grows is
/// not asked: about 4 TB kept.
const MATERIAL_STORAGE_DOLLARS: f64 = 100.0;

pub(super) fn storage_growth(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    let m = |t: &str| Move::new(Kind::StorageGrowth.intent()).target(t.to_string());
    // Tiering already said (lifecycle to Glacier, an archive tier): the
    // question is answered.
    if cx.affirmed(&[
        "glacier",
        "lifecycle",
        "tiered",
        "cold storage",
        "archive tier",
        "infrequent access",
    ]) {
        return None;
    }
    let store = cx.first_of(&[ComponentKind::ObjectStore])?;
    // What lands in the store: the rate on the arrows into it.
    let (bps, bq) = into(d, store).1?;
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
    // A bill nobody would notice is not worth the round's time: 280 GB is
    // about $6 a month, and "do you tier it?" about it tests nothing.
    if dollars < MATERIAL_STORAGE_DOLLARS {
        return None;
    }
    let name = cx.name(store);
    // A rate already said per day is not converted to itself.
    let per_day = {
        let l = bq.to_ascii_lowercase();
        ["/day", "/d", "a day", "per day", "daily"]
            .iter()
            .any(|w| l.contains(w))
    };
    let mv = m(&name);
    let mv = if per_day {
        Move {
            intent: format!("{}_daily", Kind::StorageGrowth.intent()),
            ..mv
        }
    } else {
        mv
    };
    Some(
        mv.quote(r.evidence.quote.clone())
            .var("component", name)
            .var("daily", format!("{} a day", human(daily, "B")))
            .var("rate", bq)
            .var("retention", r.evidence.quote.clone())
            .var("total", human(total, "B"))
            .var("cost", format!("${}", human(dollars, "").replace(' ', ""))),
    )
}

/// Two of the candidate's own figures that cannot both be true (or a stage
/// that loses orders of magnitude without saying where they went): said
/// back with their figures and the arithmetic, the oldest unasked first.
pub(super) fn numbers_disagree(cx: &Ctx<'_>) -> Option<Move> {
    let kind = Kind::NumbersDisagree;
    crate::design::arith::mismatches(cx.design)
        .into_iter()
        .filter(|m| cx.stretched_since.is_none_or(|t| !m.rescaled_since(t)))
        .map(|m| {
            let intent = match m.severity {
                crate::design::arith::Severity::Contradiction => kind.intent().to_string(),
                crate::design::arith::Severity::Question => format!("{}_plain", kind.intent()),
            };
            let quote = m
                .quotes
                .last()
                .map_or_else(|| m.stated.said.clone(), |q| q.quote.clone());
            Move::new(&intent)
                .target(m.stated.said.clone())
                .quote(quote)
                .var("working", m.working.trim_end_matches('.').to_string())
                .var("said", m.stated.said)
        })
        .find(|mv| !cx.asked.contains(&mv.key()))
}

/// A duration said as an adjective ("1-hour", "24h") as one says it after
/// "kept for": "an hour", "24 hours".
pub(super) fn spoken_duration(q: &str) -> String {
    let t = q.trim().replace('-', " ");
    let digits: String = t.chars().take_while(|c| c.is_ascii_digit()).collect();
    let unit = t[digits.len()..].trim().to_ascii_lowercase();
    let unit = match unit.as_str() {
        "h" | "hr" | "hrs" | "hour" | "hours" => "hour",
        "d" | "day" | "days" => "day",
        "m" | "min" | "mins" | "minute" | "minutes" => "minute",
        "s" | "sec" | "secs" | "second" | "seconds" => "second",
        "w" | "wk" | "week" | "weeks" => "week",
        _ => return q.to_string(),
    };
    match digits.parse::<u64>() {
        Ok(1) => format!("a{} {unit}", if unit == "hour" { "n" } else { "" }),
        Ok(n) => format!("{n} {unit}s"),
        Err(_) => q.to_string(),
    }
}

#[cfg(test)]
mod tests;
