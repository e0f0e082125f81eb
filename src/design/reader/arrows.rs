//! Arrows and what is written on them: a label, a trailing `: label` or a
//! note on a box gives a hop its payload, format, rate, key and guarantee.

use super::hop_kind::{
    alert_only, at_rest, hop_kind, metadata_only, names_data, queries_only, verdict_only,
};
use super::{shift, Ctx};
use crate::design::diagram::Diagram;
use crate::design::hops::guarantees_in;
use crate::design::keys::keys_in;
use crate::design::numbers::measure_of;
use crate::design::Measure;
use crate::design::{Annotation, Design, Edge, Guarantee, HopKind, KeyFact, Source, TurnReading};
use crate::read::quantity::{Quantity, QuantityKind};
use crate::read::Evidence;
use crate::rubric::ComponentKind;

/// What a label or note says about a hop.
pub(super) struct HopFacts {
    pub format: Option<Annotation>,
    pub rate: Option<Annotation>,
    pub payload: Option<Annotation>,
}

/// Words of a label that say nothing about what flows.
const NOT_PAYLOAD: &[&str] = &[
    "key",
    "keyed",
    "partitions",
    "partitioned",
    "peak",
    "avg",
    "average",
    "the",
    "and",
    "per",
    "approx",
    "about",
    "around",
    "with",
    "via",
    "exactly",
    "once",
    "least",
    "most",
    "acks",
    "all",
    "retention",
    "ttl",
    "days",
    "hours",
    "min",
    "max",
    // How the box is run or what it does, not what the hop carries.
    "sessionise",
    "sessionize",
    "dedupe",
    "dedupes",
    "dedup",
    "deduplicate",
    "stateful",
    "checkpointed",
    "partition",
    "replicas",
    "replication",
    "replicated",
    "brokers",
    "nodes",
    "shards",
    "sharded",
    "compacted",
    "retained",
    // Where or how the box runs: "Postgres (prod)" is the production
    // database, not a hop carrying "prod".
    "prod",
    "production",
    "primary",
    "replica",
    "leader",
    "follower",
    "oltp",
    "olap",
    "legacy",
    "master",
    "managed",
    "hosted",
    "self",
    "prem",
    "premise",
    "premises",
    "serverless",
    "cluster",
    "staging",
    "instance",
    "fleet",
];

/// Words of a rate that are not its noun ("events" in "200K events/s" is).
const NOT_NOUN: &[&str] = &[
    "k", "m", "b", "bn", "thousand", "million", "billion", "s", "sec", "secs", "second", "seconds",
    "min", "mins", "minute", "minutes", "h", "hr", "hour", "hours", "d", "day", "days", "per", "a",
    "an", "week", "month",
];

/// What a batch hop moves, counted: "20M rows" a run is its volume, as
/// "200K events/s" is a stream's ("24 partitions" is not).
const ITEM_NOUNS: &[&str] = &[
    "rows",
    "records",
    "events",
    "messages",
    "files",
    "transactions",
    "changes",
    "documents",
    "docs",
    "updates",
    "orders",
    "objects",
    "lines",
    "series",
    "samples",
    "readings",
    "pings",
    "requests",
    "spans",
    "datapoints",
];

/// True when `q` counts items a hop carries (the noun in the quote or
/// right after it).
fn counts_items(q: &Quantity, label: &str) -> bool {
    if q.kind != QuantityKind::Count {
        return false;
    }
    let after = label.get(q.evidence.end..).unwrap_or("");
    q.evidence
        .quote
        .split_whitespace()
        .chain(after.split_whitespace().take(1))
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphabetic())
                .to_ascii_lowercase()
        })
        .any(|w| ITEM_NOUNS.contains(&w.as_str()))
}

/// The numbers in `cx.text[ev.start..ev.end]` (`ev.quote`), offsets
/// relative to it: the turn's own, not read again.
fn quantities_in(cx: &Ctx<'_>, ev: &Evidence) -> Vec<Quantity> {
    let qs = cx.quantities;
    let lo = qs.partition_point(|q| q.evidence.start < ev.start);
    qs[lo..]
        .iter()
        .take_while(|q| q.evidence.start < ev.end)
        .filter(|q| q.evidence.end <= ev.end)
        .map(|q| Quantity {
            kind: q.kind,
            evidence: Evidence {
                start: q.evidence.start - ev.start,
                end: q.evidence.end - ev.start,
                quote: q.evidence.quote.clone(),
            },
        })
        .collect()
}

pub(super) fn hop_facts(cx: &Ctx<'_>, ev: &Evidence, source: Source) -> HopFacts {
    let t = &ev.quote;
    let ann = |value: String| Annotation {
        value,
        source,
        evidence: shift(ev, cx.off),
        turn: cx.turn,
    };
    let format = cx.reader.index.format_in(t).map(ann);
    let qs = quantities_in(cx, ev);
    // The volume on the hop: a rate, else a size per period ("~20 MB/s"),
    // else a size at rest ("~3 TB"); an item size ("4 KB docs") is not it.
    let measure = |q: &Quantity| {
        let after = t.get(q.evidence.end..).unwrap_or("").to_ascii_lowercase();
        measure_of(q, "", &after)
    };
    let rate_q = qs
        .iter()
        .find(|q| q.kind == QuantityKind::Rate)
        .or_else(|| {
            qs.iter()
                .find(|q| q.kind == QuantityKind::Size && measure(q) == Measure::ByteRate)
        })
        .or_else(|| {
            qs.iter()
                .find(|q| q.kind == QuantityKind::Size && measure(q) == Measure::Volume)
        })
        .or_else(|| qs.iter().find(|q| counts_items(q, t)))
        .or_else(|| qs.iter().find(|q| super::shares::share_of_flow(q, t)));
    let rate = rate_q.map(|q| ann(q.evidence.quote.clone()));
    // What flows: words that are not numbers, formats, keys or guarantees;
    // or the item noun of a rate ("events/sec").
    let payload_words = || {
        // The label without its numbers and its keys ("keyed by user_id"
        // says how the hop is split, not what it carries).
        let mut rest = t.as_bytes().to_vec();
        let spans = qs
            .iter()
            .map(|q| (q.evidence.start, q.evidence.end))
            .chain(keys_in(t).into_iter().map(|(_, s, e)| (s, e)));
        for (s, e) in spans {
            if let Some(r) = rest.get_mut(s..e) {
                r.fill(b' ');
            }
        }
        String::from_utf8_lossy(&rest)
            .split(|c: char| !c.is_alphanumeric() && c != '_')
            .filter(|w| w.len() >= 3 && w.chars().any(char::is_alphabetic))
            .any(|w| !NOT_PAYLOAD.iter().any(|n| w.eq_ignore_ascii_case(n)))
    };
    let rate_has_noun = || {
        rate_q.is_some_and(|q| {
            q.kind == QuantityKind::Rate
                && q.evidence
                    .quote
                    .split(|c: char| !c.is_alphabetic())
                    .any(|w| !w.is_empty() && !NOT_NOUN.iter().any(|n| w.eq_ignore_ascii_case(n)))
        })
    };
    let payload = if format.is_some() || payload_words() || rate_has_noun() {
        Some(ann(unwrapped(t).to_string()))
    } else {
        None
    };
    HopFacts {
        format,
        rate,
        payload,
    }
}

/// A note as said, without the parentheses or brackets around all of it:
/// `S3 lake (Iceberg)` carries "Iceberg", not "(Iceberg)".
fn unwrapped(t: &str) -> &str {
    let t = t.trim();
    [('(', ')'), ('[', ']')]
        .iter()
        .find_map(|&(o, c)| {
            let inner = t.strip_prefix(o)?.strip_suffix(c)?;
            (!inner.contains([o, c])).then(|| inner.trim())
        })
        .unwrap_or(t)
}

/// True when a hop has a payload, format and rate: [`fill`] adds nothing,
/// so what a label or sentence says need not be read for it.
pub(super) fn complete(edge: &Edge) -> bool {
    edge.payload.is_some() && edge.format.is_some() && edge.rate.is_some()
}

pub(super) fn fill(edge: &mut Edge, f: HopFacts, out: &mut TurnReading, i: usize) {
    let before = (
        edge.payload.is_some(),
        edge.format.is_some(),
        edge.rate.is_some(),
    );
    if edge.format.is_none() {
        edge.format = f.format;
    }
    if edge.rate.is_none() {
        edge.rate = f.rate;
    }
    if edge.payload.is_none() {
        edge.payload = f.payload;
    }
    let after = (
        edge.payload.is_some(),
        edge.format.is_some(),
        edge.rate.is_some(),
    );
    if after != before && !out.annotated.contains(&i) {
        out.annotated.push(i);
    }
}

pub(super) fn add_arrows(
    d: &mut Design,
    cx: &Ctx<'_>,
    dg: &Diagram,
    nodes: &[usize],
    out: &mut TurnReading,
) {
    for e in &dg.edges {
        let (Some(&from), Some(&to)) = (nodes.get(e.from), nodes.get(e.to)) else {
            continue;
        };
        if from == to {
            continue;
        }
        let i = match d.edges.iter().position(|x| x.from == from && x.to == to) {
            Some(i) => {
                d.edges[i].drawn = true;
                i
            }
            None => {
                d.edges.push(Edge {
                    from,
                    to,
                    drawn: true,
                    hop: hop_kind(d, from, to),
                    payload: None,
                    format: None,
                    rate: None,
                    evidence: shift(&e.evidence, cx.off),
                    turn: cx.turn,
                });
                out.new_edges.push(d.edges.len() - 1);
                d.edges.len() - 1
            }
        };
        for l in e.label_span.iter().chain(e.label_more.iter()) {
            if !complete(&d.edges[i]) {
                let f = hop_facts(cx, l, Source::Label);
                // A hop that carries only metadata ("manifest with snapshot
                // ids", "lineage"), a check's verdict or alerts, or is
                // labelled control ("control, per-day checks gate
                // publishing"), has no volume worth asking.
                if f.rate.is_none()
                    && f.format.is_none()
                    && (metadata_only(&l.quote)
                        || crate::design::prose::says_control(&l.quote)
                        || verdict_only(&d.components[d.edges[i].from], &l.quote)
                        || alert_only(&d.components[d.edges[i].to], &l.quote))
                {
                    d.edges[i].hop = HopKind::Control;
                }
                // "analysts' SQL", "dashboards" out of a store: the arrow
                // is a read path ("Spark -> S3 : reports" still writes).
                if f.rate.is_none()
                    && f.format.is_none()
                    && d.edges[i].hop == HopKind::Data
                    && at_rest(&d.components[d.edges[i].from])
                    && queries_only(&l.quote)
                {
                    d.edges[i].hop = HopKind::Query;
                }
                fill(&mut d.edges[i], f, out, i);
            }
            for (k, _, _) in keys_in(&l.quote) {
                push_key(d, cx, k, None, Some(i), Source::Label, l, out);
            }
            let guarantees = if cx.full {
                guarantees_in(&l.quote)
            } else {
                Vec::new()
            };
            for (kind, mech, _, _) in guarantees {
                push_guarantee(d, cx, kind, mech, None, Some(i), l, out);
            }
        }
        // The box note of the source annotates the outgoing hop; the
        // target's note is a fallback (the seed's `-> Kafka (200K events/sec)`).
        // A control arrow carries nothing: "Airflow (schedules Spark)" is a
        // note on Airflow, not a payload.
        if !d.edges[i].carries_figures() {
            continue;
        }
        let from_note = dg.nodes.get(e.from).and_then(|n| n.note.clone());
        let to_note = dg.nodes.get(e.to).and_then(|n| n.note.clone());
        if let Some(n) = from_note.as_ref().filter(|_| !complete(&d.edges[i])) {
            let mut f = hop_facts(cx, n, Source::BoxNote);
            // A store's note that says how it is laid out ("S3 landing
            // (raw, partitioned by ingest date)", "(merge on line_id)")
            // describes the store: what leaves it, only through a number
            // or a format. A queue's note is what it passes on ("Kafka (raw
            // clicks)"), and so is a source database's list of tables.
            let source = &d.components[d.edges[i].from];
            if at_rest(source)
                && source.kind != ComponentKind::OltpDatabase
                && f.rate.is_none()
                && f.format.is_none()
                && describes_layout(&n.quote)
            {
                f.payload = None;
            }
            fill(&mut d.edges[i], f, out, i);
        }
        if !d.edges[i].annotated() {
            if let Some(n) = &to_note {
                // The target's note says what arrives only through a number
                // or a format ("-> Kafka (200K events/sec)"); its other words
                // describe the target ("Flink (sessionise, dedupe)").
                let mut f = hop_facts(cx, n, Source::BoxNote);
                if f.rate.is_none() && f.format.is_none() {
                    f.payload = None;
                }
                fill(&mut d.edges[i], f, out, i);
            }
        }
    }
    // Keys and guarantees written in box notes belong to the box.
    for (ni, n) in dg.nodes.iter().enumerate() {
        let (Some(note), Some(&c)) = (&n.note, nodes.get(ni)) else {
            continue;
        };
        for (k, _, _) in keys_in(&note.quote) {
            push_key(d, cx, k, Some(c), None, Source::BoxNote, note, out);
        }
        if !cx.full {
            continue;
        }
        for (kind, mech, _, _) in guarantees_in(&note.quote) {
            push_guarantee(d, cx, kind, mech, Some(c), None, note, out);
        }
    }
}

/// Words of a box note that say how a store is laid out or written, not
/// what it holds.
const LAYOUT: &[&str] = &[
    "partitioned",
    "partition",
    "partitions",
    "clustered",
    "bucketed",
    "sorted",
    "raw",
    "immutable",
    "append-only",
    "compacted",
    "retention",
    "merge",
    "upsert",
    "versioned",
    // How it is written: "S3 raw (Kafka Connect S3 sink)".
    "sink",
    "connector",
];

/// True when a store's note says how it is laid out ("raw, partitioned by
/// ingest date"), not what it holds ("raw events", "rows by sale_date").
fn describes_layout(note: &str) -> bool {
    let l = note.to_ascii_lowercase();
    LAYOUT.iter().any(|w| crate::read::text::holds_words(&l, w)) && !names_data(note)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn push_key(
    d: &mut Design,
    cx: &Ctx<'_>,
    key: String,
    subject: Option<usize>,
    edge: Option<usize>,
    source: Source,
    ev: &Evidence,
    out: &mut TurnReading,
) {
    if d.keys
        .iter()
        .any(|k| k.key.eq_ignore_ascii_case(&key) && k.subject == subject && k.edge == edge)
    {
        return;
    }
    d.keys.push(KeyFact {
        key,
        subject,
        edge,
        source,
        evidence: shift(ev, cx.off),
        turn: cx.turn,
    });
    out.keys += 1;
}

#[allow(clippy::too_many_arguments)]
pub(super) fn push_guarantee(
    d: &mut Design,
    cx: &Ctx<'_>,
    kind: String,
    mechanism: Option<String>,
    subject: Option<usize>,
    edge: Option<usize>,
    ev: &Evidence,
    out: &mut TurnReading,
) {
    out.guarantee = true;
    out.guarantee_mechanism |= mechanism.is_some();
    d.guarantees.push(Guarantee {
        kind,
        mechanism,
        subject,
        edge,
        evidence: shift(ev, cx.off),
        turn: cx.turn,
    });
}
