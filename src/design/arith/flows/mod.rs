//! Figures said in different places about the same flow: on one hop,
//! either side of a queue, upstream and downstream of a stage, a store and
//! the rate that fills it, partitions and the rate over them. Where a
//! figure sits comes from the design (the hop it labels, the component it
//! is about); what it is comes from its words.

mod qualifiers;
mod stored;

use super::terms::{Dim, Term};
/// How far a per-second rate (a peak) may sit above a day's volume (an
/// average) before they contradict each other.
const PEAK_TO_AVERAGE: f64 = 8.0;

use super::{apart, figure, speak, Check, Figure, Mismatch, Said, Severity, TOLERANCE};
use crate::design::{Design, Measure, Role};
use crate::read::text::holds_words;
use crate::rubric::ComponentKind;
use qualifiers::{said_as_average, said_as_burst, said_compression, said_of_one, tail};

/// A stage may shrink or grow data by design; only a gap this wide across
/// one, with the figures said over different periods (the usual slip), is
/// worth a question.
const ACROSS_STAGE: f64 = 100.0;

/// How much smaller a compressed volume may be than the raw one: columnar
/// formats with zstd reach 10–20× on repetitive rows.
const COMPRESSION: f64 = 25.0;

/// A record needs at least a byte on the wire.
const MIN_RECORD: f64 = 1.0;

/// One figure with where it sits.
struct Fig<'a> {
    si: usize,
    k: usize,
    term: &'a Term,
    turn: u32,
    hop: Option<usize>,
    subject: Option<usize>,
    /// Said of one partition, node or broker ("a partition can take
    /// 100 MB/s"), not of the flow.
    per_unit: bool,
    /// Said as a peak: a peak rate is not a day's average.
    peak: bool,
    /// Said as an average right where it stands ("~60/s avg, 500/s peak").
    average: bool,
    /// Said as the raw (`Some(true)`) or the compressed (`Some(false)`)
    /// volume: "~86 GB/day raw", "15 GB/day as Parquet".
    compression: Option<bool>,
    /// Said as a fan-out ("one row per request and per target table"):
    /// the stage multiplies the records on purpose.
    fan_out: bool,
    /// The design's reading of it.
    measure: Option<Measure>,
}

/// How two figures sit on the flow.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Rel {
    /// One hop, or either side of a queue, or one component.
    Same,
    /// The first is upstream of the second across a stage.
    Down,
    /// The second is upstream of the first.
    Up,
}

pub(super) fn check(design: &Design, said: &[Said], summed: &[(usize, usize)]) -> Vec<Mismatch> {
    let figs = figures(design, said);
    let mut out = Vec::new();
    same_flow(design, said, &figs, &mut out);
    record_size(design, said, &figs, &mut out);
    stored::retention(design, said, &figs, summed, &mut out);
    stored::per_partition(design, said, &figs, &mut out);
    out
}

fn figures<'a>(design: &Design, said: &'a [Said]) -> Vec<Fig<'a>> {
    let text = design.text();
    let mut out = Vec::new();
    for (si, s) in said.iter().enumerate() {
        if s.hypothetical || s.what_if_turn {
            continue;
        }
        let sentence = text[s.start..s.end].to_ascii_lowercase();
        for (k, t) in s.terms.iter().enumerate() {
            let (start, end) = (s.start + t.start, s.start + t.end);
            let n = super::number_at(design, start, end).map(|i| &design.numbers[i]);
            let hop = n.and_then(|n| {
                n.edge.or_else(|| {
                    design.current_edges().position(|e| {
                        e.rate.as_ref().is_some_and(|a| {
                            a.value == n.evidence.quote
                                && a.evidence.start <= n.evidence.start
                                && n.evidence.end <= a.evidence.end
                        })
                    })
                })
            });
            // A sentence naming both ends of one arrow is about that hop
            // ("Kafka to Flink carries 5 GB/day") even when the arrow's
            // rate was already set from its label.
            let hop = hop.or_else(|| n.and(hop_named(design, &sentence)));
            let near = tail(&text[s.start..start], 40).to_ascii_lowercase();
            let per_unit = t.each.is_some()
                || t.every
                || [
                    "partition",
                    "shard",
                    "broker",
                    "node",
                    "instance",
                    "worker",
                    "per ",
                ]
                .iter()
                .any(|w| near.contains(w))
                || said_of_one(&text[end..s.end]);
            // "0.01% of 1.5M/s is 150/s": the whole a share is taken of,
            // not the flow the sentence sizes.
            if share_of(&near) {
                continue;
            }
            let gap = match k {
                0 => &text[s.start..start],
                _ => &text[s.start + s.terms[k - 1].end..start],
            };
            if super::claims::negated(gap) {
                continue;
            }
            // A figure only said near a component is about it when the
            // sentence names it.
            let subject = n
                .and_then(|n| n.subject)
                .filter(|&c| hop.is_some() || names(design, &sentence, c));
            out.push(Fig {
                si,
                k,
                term: t,
                turn: s.turn,
                hop,
                subject,
                per_unit,
                peak: sentence.contains("peak")
                    || said_as_burst(&text[s.start..start], &text[end..s.end]),
                average: said_as_average(&text[s.start..start], &text[end..s.end]),
                compression: said_compression(&text[s.start..start], &text[end..s.end]),
                fan_out: [
                    "per request",
                    "per target",
                    "per table",
                    "fan-out",
                    "fan out",
                    "fans out",
                    "for each",
                    "one row per",
                    "explode",
                ]
                .iter()
                .any(|w| sentence.contains(w)),
                measure: n.map(|n| n.measure),
            });
        }
    }
    out
}

/// True when the words before a figure (lower case) take a share of it:
/// "0.01% of", "half of the", "a tenth of".
pub(super) fn share_of(before: &str) -> bool {
    let b = before.trim_end();
    let Some(b) = b
        .strip_suffix(" of the")
        .or_else(|| b.strip_suffix(" of"))
        .map(str::trim_end)
    else {
        return false;
    };
    b.ends_with('%')
        || b.split_whitespace().next_back().is_some_and(|w| {
            matches!(
                w,
                "percent" | "cent" | "half" | "third" | "quarter" | "tenth" | "fraction" | "share"
            )
        })
}

/// Does `sentence` (lower case) name component `c`: its name, or its
/// product when no other component is that product ("Kafka" is not one
/// topic of three)?
fn names(design: &Design, sentence: &str, c: usize) -> bool {
    let Some(comp) = design.components.get(c) else {
        return false;
    };
    if sentence.contains(&comp.name.to_ascii_lowercase()) {
        return true;
    }
    comp.product.as_deref().is_some_and(|p| {
        let shared = design
            .components
            .iter()
            .filter(|o| o.product.as_deref() == Some(p))
            .count()
            > 1;
        !shared && sentence.contains(&p.to_ascii_lowercase())
    })
}

/// The one arrow both of whose ends `sentence` (lower case) names.
fn hop_named(design: &Design, sentence: &str) -> Option<usize> {
    let named = |c: usize| names(design, sentence, c);
    let mut hops = (0..design.edges.len())
        .filter(|&i| design.live(&design.edges[i]))
        .filter(|&i| named(design.edges[i].from) && named(design.edges[i].to));
    let first = hops.next();
    first.filter(|_| hops.next().is_none())
}

fn transport(design: &Design, c: usize) -> bool {
    design.role(c) == Role::Transport
        || design
            .components
            .get(c)
            .is_some_and(|c| matches!(c.kind, ComponentKind::Queue | ComponentKind::Cdc))
}

/// Can `to` be reached from `from` along the arrows (or is it `from`)
/// through stages that only carry this flow: each fed by one arrow (no
/// second input joins it) and none a store (what is read out of a store is
/// its history, not its inflow)?
fn stage_path(design: &Design, from: usize, to: usize) -> bool {
    use ComponentKind::*;
    let carries = |c: usize| {
        design.current_edges().filter(|e| e.to == c).count() <= 1
            && !design.components.get(c).is_some_and(|c| {
                matches!(
                    c.kind,
                    ObjectStore | Warehouse | ServingStore | FeatureStore | OltpDatabase
                )
            })
    };
    let mut seen = vec![from];
    let mut next = vec![from];
    while let Some(c) = next.pop() {
        if !carries(c) {
            continue;
        }
        if c == to {
            return true;
        }
        for e in design.current_edges().filter(|e| e.from == c) {
            if !seen.contains(&e.to) {
                seen.push(e.to);
                next.push(e.to);
            }
        }
    }
    false
}

/// How `a` and `b` sit on the flow; `across` also looks for a path
/// through stages (a search, so only asked when it can matter).
fn rel(design: &Design, a: &Fig<'_>, b: &Fig<'_>, across: bool) -> Option<Rel> {
    let edge = |h: Option<usize>| h.and_then(|h| design.edges.get(h));
    match (edge(a.hop), edge(b.hop)) {
        (Some(_), Some(_)) if a.hop == b.hop => Some(Rel::Same),
        (Some(x), Some(y)) => {
            if (x.to == y.from && transport(design, x.to))
                || (y.to == x.from && transport(design, y.to))
            {
                Some(Rel::Same)
            } else if across && stage_path(design, x.to, y.from) {
                Some(Rel::Down)
            } else if across && stage_path(design, y.to, x.from) {
                Some(Rel::Up)
            } else {
                None
            }
        }
        (Some(x), None) => b
            .subject
            .filter(|&q| transport(design, q) && (x.from == q || x.to == q))
            .map(|_| Rel::Same),
        (None, Some(y)) => a
            .subject
            .filter(|&q| transport(design, q) && (y.from == q || y.to == q))
            .map(|_| Rel::Same),
        (None, None) => (a.subject.is_some() && a.subject == b.subject).then_some(Rel::Same),
    }
}

/// Words on an arrow out of a queue that say it carries part of what the
/// queue holds ("tier 1 and 2 topics only").
const PART: &[&str] = &[
    "only", "subset", "some of", "part of", "filtered", "selected",
];

/// True when `a` and `b` sit either side of a queue (or one is the queue's
/// own figure) and the smaller is one of several arrows on its side: an
/// arrow out of a queue that others also read, or that says it carries only
/// part ("MirrorMaker 2 mirrors the tier 1 topics only"), may carry less
/// than went in; an arrow in that others also write may carry less than
/// comes out. One arrow in and one out carry the same flow.
fn part_of_a_queue(design: &Design, a: &Fig<'_>, b: &Fig<'_>) -> bool {
    let edge = |f: &Fig<'_>| f.hop.and_then(|h| design.edges.get(h));
    // (queue, the figure in, the figure out); a figure on the queue itself
    // is its whole flow, on both sides.
    let sides = match (edge(a), edge(b)) {
        (Some(x), Some(y)) if x.to == y.from => Some((x.to, Some(a), Some(b))),
        (Some(x), Some(y)) if y.to == x.from => Some((y.to, Some(b), Some(a))),
        (Some(x), None) => b.subject.map(|q| {
            if x.to == q {
                (q, Some(a), None)
            } else {
                (q, None, Some(a))
            }
        }),
        (None, Some(y)) => a.subject.map(|q| {
            if y.to == q {
                (q, Some(b), None)
            } else {
                (q, None, Some(b))
            }
        }),
        _ => None,
    };
    let Some((q, into, out_of)) = sides else {
        return false;
    };
    let ins = design.current_edges().filter(|e| e.to == q).count();
    let outs = design.current_edges().filter(|e| e.from == q).count();
    let (small, big) = if a.term.mid() < b.term.mid() {
        (a, b)
    } else {
        (b, a)
    };
    let is = |side: Option<&Fig<'_>>, f: &Fig<'_>| side.is_some_and(|s| std::ptr::eq(s, f));
    let says_part = |f: &Fig<'_>| {
        edge(f)
            .and_then(|e| e.payload.as_ref())
            .is_some_and(|p| PART.iter().any(|w| holds_words(&p.value, w)))
    };
    let out_small = is(out_of, small) && (is(into, big) || into.is_none());
    let in_small = is(into, small) && (is(out_of, big) || out_of.is_none());
    (out_small && (outs > 1 || says_part(small))) || (in_small && ins > 1)
}

/// Words for the same kind of item.
fn same_item(a: Option<&str>, b: Option<&str>) -> bool {
    const EVENTS: &[&str] = &[
        "event", "ev", "evt", "record", "message", "msg", "row", "item", "change", "update",
    ];
    match (a, b) {
        (Some(a), Some(b)) => a == b || (EVENTS.contains(&a) && EVENTS.contains(&b)),
        _ => true,
    }
}

fn quotes(
    design: &Design,
    said: &[Said],
    figs: &[&Fig<'_>],
) -> (Vec<crate::read::Evidence>, Vec<u32>) {
    let mut q: Vec<_> = figs.iter().map(|f| said[f.si].evidence(design)).collect();
    q.sort_by_key(|e| e.start);
    q.dedup_by_key(|e| e.start);
    let mut t: Vec<u32> = figs.iter().map(|f| f.turn).collect();
    t.sort_unstable();
    t.dedup();
    (q, t)
}

fn fig(design: &Design, said: &[Said], f: &Fig<'_>) -> Figure {
    figure(design, said, f.si, f.k)
}

fn where_(design: &Design, f: &Fig<'_>) -> String {
    let name = |c: usize| design.components.get(c).map(|c| c.label().to_string());
    match f.hop.and_then(|h| design.edges.get(h)) {
        Some(e) => match (name(e.from), name(e.to)) {
            (Some(a), Some(b)) => format!(" ({a} → {b})"),
            _ => String::new(),
        },
        None => f
            .subject
            .and_then(name)
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
    }
}

/// Two rates for one flow; a daily volume against a per-second rate
/// upstream of it.
fn same_flow(design: &Design, said: &[Said], figs: &[Fig<'_>], out: &mut Vec<Mismatch>) {
    let rates: Vec<&Fig<'_>> = figs
        .iter()
        .filter(|f| matches!(f.term.dim, Dim::RATE | Dim::BYTE_RATE) && !f.per_unit)
        .filter(|f| f.hop.is_some() || f.subject.is_some())
        .collect();
    for (i, a) in rates.iter().enumerate() {
        for b in &rates[i + 1..] {
            if a.term.dim != b.term.dim || a.si == b.si {
                continue;
            }
            if a.term.dim == Dim::RATE && !same_item(a.term.noun.as_deref(), b.term.noun.as_deref())
            {
                continue;
            }
            let periods_differ = (a.term.period.unwrap_or(1.0) >= 3600.0)
                != (b.term.period.unwrap_or(1.0) >= 3600.0);
            let can_cross = a.term.dim == Dim::BYTE_RATE && periods_differ;
            let Some(r) = rel(design, a, b, can_cross) else {
                continue;
            };
            // Item counts change across a stage by design (events become
            // sessions); bytes only by orders of magnitude on purpose.
            let (up, down) = match r {
                Rel::Same => (*a, *b),
                Rel::Down => (*a, *b),
                Rel::Up => (*b, *a),
            };
            let (pu, pd) = (
                up.term.period.unwrap_or(1.0),
                down.term.period.unwrap_or(1.0),
            );
            let across = r != Rel::Same;
            if across && !can_cross {
                continue;
            }
            // "1,500 changes/s peak, 20M/day": a peak is not the average.
            if periods_differ && (a.peak || b.peak) {
                continue;
            }
            // "~60/s avg" against "500/s at peak": an average and another
            // figure are two measures of the flow, not two readings of one,
            // unless the average is above the other or far below any peak.
            // The same for "30K/s peak" against a "5K/s" said plainly (the
            // usual rate): a peak above it, up to a daily cycle's, is a
            // second measure. `high` over `low` within a daily cycle.
            let cycle = |high: &Fig, low: &Fig| {
                (1.0 / TOLERANCE..=2.0 * PEAK_TO_AVERAGE)
                    .contains(&(high.term.mid() / low.term.mid()))
            };
            if !periods_differ && a.average != b.average {
                let (avg, other) = if a.average { (a, b) } else { (b, a) };
                if cycle(other, avg) {
                    continue;
                }
            }
            if !periods_differ && a.peak != b.peak {
                let (pk, other) = if a.peak { (a, b) } else { (b, a) };
                if cycle(pk, other) {
                    continue;
                }
            }
            // "~86 GB/day raw" against "600 MB an hour" of Parquet files:
            // the raw volume above the compressed one, by a compression
            // ratio, is two measures of one flow.
            let shrunk = |raw: &Fig, other: &Fig| {
                (raw.compression == Some(true) || other.compression == Some(false))
                    && raw.compression != other.compression
                    && (1.0..=COMPRESSION).contains(&(raw.term.mid() / other.term.mid()))
            };
            if a.term.dim != Dim::RATE && (shrunk(a, b) || shrunk(b, a)) {
                continue;
            }
            // A stage that fans out multiplies records on purpose.
            if a.fan_out || b.fan_out {
                continue;
            }
            // A queue read by several consumers (or written by several
            // producers) carries more than any one of them.
            if r == Rel::Same && part_of_a_queue(design, a, b) {
                continue;
            }
            let (vu, vd) = (up.term.mid(), down.term.mid());
            let off = (vu / vd).max(vd / vu);
            // A per-second figure is usually the peak and a day's volume the
            // average: traffic with a daily cycle peaks several times its
            // mean, so a rate above the day's average is expected up to
            // PEAK_TO_AVERAGE (an average above the peak is not).
            let per_second_higher = {
                let (short, long) = if a.term.period.unwrap_or(1.0) < 3600.0 {
                    (a, b)
                } else {
                    (b, a)
                };
                short.term.mid() >= long.term.mid()
            };
            let tolerance = if across {
                ACROSS_STAGE
            } else if periods_differ && per_second_higher {
                PEAK_TO_AVERAGE
            } else {
                TOLERANCE
            };
            if off < tolerance {
                continue;
            }
            // The figure said over the longer period is the one checked
            // against the other ("5 GB/day" against "200 MB/s").
            let (stated, other) = if across || pd >= pu {
                (down, up)
            } else {
                (up, down)
            };
            let st = fig(design, said, stated);
            let implied = other.term.mid();
            let working = format!(
                "{}{} is about {}; {}{} is {}.",
                fig(design, said, other).said,
                where_(design, other),
                speak(
                    implied,
                    stated.term.dim,
                    stated.term.period,
                    stated.term.noun.as_deref()
                ),
                st.said,
                where_(design, stated),
                apart(st.value, implied)
            );
            let (quotes, turns) = quotes(design, said, &[other, stated]);
            out.push(Mismatch {
                check: if across {
                    Check::AcrossStage
                } else {
                    Check::SameFlow
                },
                severity: if across {
                    Severity::Question
                } else {
                    Severity::Contradiction
                },
                stated: st,
                implied,
                working,
                quotes,
                turns,
            });
        }
    }
}

/// The record size a stated item size gives, for items of `noun`: the
/// stated size closest to `near` (the most charitable).
fn stated_size<'a>(figs: &'a [Fig<'a>], noun: Option<&str>, near: f64) -> Option<&'a Fig<'a>> {
    figs.iter()
        .filter(|f| f.term.dim == Dim::BYTES)
        .filter(|f| {
            f.term
                .each
                .as_deref()
                .is_some_and(|e| !e.is_empty() && same_item(Some(e), noun) && noun.is_some())
        })
        .min_by(|a, b| {
            let d = |f: &Fig<'_>| (f.term.mid() / near).ln().abs();
            d(a).total_cmp(&d(b))
        })
}

/// A rate and a bandwidth on one flow: the record size they imply, against
/// the one stated or against a byte.
fn record_size(design: &Design, said: &[Said], figs: &[Fig<'_>], out: &mut Vec<Mismatch>) {
    let flows = |d: Dim| {
        figs.iter().filter(move |f| {
            f.term.dim == d && !f.per_unit && (f.hop.is_some() || f.subject.is_some())
        })
    };
    for t in flows(Dim::RATE) {
        for b in flows(Dim::BYTE_RATE) {
            if rel(design, t, b, false) != Some(Rel::Same) {
                continue;
            }
            let (items, bytes) = (t.term.mid(), b.term.mid());
            let per = bytes / items;
            let noun = t.term.noun.as_deref();
            let size = stated_size(figs, noun, per);
            let (record, at) = match size {
                Some(s) => (s.term.mid(), format!("at {}", fig(design, said, s).said)),
                None if per * TOLERANCE <= MIN_RECORD => (
                    MIN_RECORD,
                    format!("even at a byte a {}", noun.unwrap_or("record")),
                ),
                None => continue,
            };
            let implied = items * record;
            if (implied / bytes).max(bytes / implied) < TOLERANCE {
                continue;
            }
            // "20K rows a second, 3 to 4 MB/s of Parquet" against 1 KB rows:
            // a compressed bandwidth under the raw rows, by a compression
            // ratio, is the same flow after compression.
            if b.compression == Some(false) && (1.0..=COMPRESSION).contains(&(implied / bytes)) {
                continue;
            }
            let st = fig(design, said, b);
            let working = format!(
                "{} in {} is {} a {}; {at} it is {}, {}.",
                fig(design, said, t).said,
                st.said,
                speak(per, Dim::BYTES, None, None),
                noun.unwrap_or("record"),
                speak(implied, Dim::BYTE_RATE, b.term.period, None),
                apart(implied, bytes)
            );
            let mut involved = vec![t, b];
            involved.extend(size);
            let (quotes, turns) = quotes(design, said, &involved);
            out.push(Mismatch {
                check: Check::RecordSize,
                severity: Severity::Contradiction,
                stated: st,
                implied,
                working,
                quotes,
                turns,
            });
        }
    }
}
