//! What goes into a component, as the candidate said it: the figures on
//! the hops into it, what a transport upstream carries, and the record
//! size said of that flow. The capacity, state and stream challenges size
//! their questions from it.

use crate::design::{Design, Measure};
use crate::rubric::ComponentKind;

/// A value and the words it was said in.
pub(super) type Said = Option<(f64, String)>;

/// The figure said going into component `q`: the sum over the hops into
/// it (the largest where a hop has several), else the largest said of `q`
/// itself. Nothing carried from upstream, nothing said of no component.
pub(super) fn said_into(d: &Design, q: usize, m: Measure) -> Said {
    let largest = |f: &dyn Fn(&crate::design::Number) -> bool| -> Said {
        d.numbers_of(m)
            .filter(|n| !n.per_unit && f(n))
            .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let mut total = 0.0;
    let mut quotes: Vec<String> = Vec::new();
    for (ei, _) in d.live_edges().filter(|(_, e)| e.to == q) {
        if let Some((v, qt)) = largest(&|n| n.edge == Some(ei)) {
            total += v;
            quotes.push(qt);
        }
    }
    if !quotes.is_empty() {
        return Some((total, quotes.join(" + ")));
    }
    largest(&|n| n.subject == Some(q) && n.edge.is_none())
}

/// The rate going into component `q`: what is said on the hops into it or
/// of it ([`said_into`]); else what a transport upstream carries; a figure
/// said of nothing in particular only when no hop or component has one.
/// Another hop's rate (the reads out of a warehouse, the pings that bypass
/// the job) is not this component's.
pub(super) fn into(d: &Design, q: usize) -> (Said, Said) {
    let loose = |m: Measure| -> Said {
        let all: Vec<(f64, String)> = d
            .numbers_of(m)
            .filter(|n| n.subject.is_none() && n.edge.is_none() && !n.per_unit)
            .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
            .collect();
        let attributed = d
            .numbers_of(m)
            .any(|n| n.subject.is_some() || n.edge.is_some());
        if attributed {
            return None;
        }
        all.into_iter().max_by(|a, b| a.0.total_cmp(&b.0))
    };
    // A transport passes its rate on: with no figure on Kafka -> Flink,
    // what goes into Kafka goes into Flink.
    let upstream = |m: Measure| -> Said {
        let mut at = q;
        for _ in 0..4 {
            let from = d.current_edges().find(|e| e.to == at).map(|e| e.from)?;
            let passes = d.components.get(from).is_some_and(|c| {
                matches!(
                    c.kind,
                    ComponentKind::Queue | ComponentKind::Cdc | ComponentKind::Producer
                )
            });
            if !passes {
                return None;
            }
            let hop = d
                .live_edges()
                .find(|(_, e)| e.to == from)
                .and_then(|(ei, _)| {
                    d.numbers_of(m)
                        .filter(|n| n.edge == Some(ei) && !n.per_unit)
                        .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                        .max_by(|a, b| a.0.total_cmp(&b.0))
                });
            let own = d
                .numbers_of(m)
                .filter(|n| n.subject == Some(from) && n.edge.is_none())
                .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(x) = hop.or(own) {
                return Some(x);
            }
            at = from;
        }
        None
    };
    let pick = |m: Measure| {
        said_into(d, q, m)
            .or_else(|| upstream(m))
            .or_else(|| loose(m))
    };
    let items = pick(Measure::Throughput);
    let mut bytes = pick(Measure::ByteRate);
    if bytes.is_none() {
        // A record of more than a megabyte is a table or a batch read as a
        // record size ("the table is about 10 MB"), not an event. A size
        // said of another flow ("150 floats x 4 bytes" of the nightly
        // load into Redis) is not this one's record.
        let feeding = feeders(d, q);
        let size = d
            .numbers_of(Measure::ItemSize)
            .filter(|n| match (n.edge, n.subject) {
                (Some(ei), _) => d.edges.get(ei).is_some_and(|e| feeding.contains(&e.to)),
                (None, Some(c)) => feeding.contains(&c),
                (None, None) => true,
            })
            .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())))
            .find(|(v, _)| *v <= 1_000_000.0);
        if let (Some((n, q)), Some((size, sq))) = (&items, size) {
            bytes = Some((n * size, format!("{q} at {sq}")));
        }
    }
    (items, bytes)
}

/// Component `q` and what feeds it, a few hops up: where a record going
/// into `q` may have had its size said.
fn feeders(d: &Design, q: usize) -> Vec<usize> {
    let mut out = vec![q];
    let mut at = 0;
    while at < out.len() && out.len() < 8 {
        let to = out[at];
        for e in d.current_edges().filter(|e| e.to == to) {
            if !out.contains(&e.from) {
                out.push(e.from);
            }
        }
        at += 1;
    }
    out
}
