//! Reading one candidate turn into the design model: the diagram, the
//! components, every hop's annotations, numbers with their subjects, keys,
//! guarantees, idempotent writes, choices, failure depth and questions.
//! Only the new turn is read; the model grows, it is never rebuilt.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::diagram::{self, Diagram};
use super::failures;
use super::hops::{guarantees_in, idempotent_in, keys_in};
use super::numbers::{measure_of, value_of};
use super::prose::{choice_in, flow_between, names_tradeoff, written_before};
use super::questions;
use super::{
    Annotation, Choice, Component, Design, Edge, Guarantee, IdempotentWrite, KeyFact, Number,
    Origin, Question, Source, TurnReading, TurnSpan,
};
use crate::read::analysis::Analysis;
use crate::read::matcher::Owner;
use crate::read::quantity::{quantities, QuantityKind};
use crate::read::{Evidence, Reader};
use crate::rubric::{ComponentKind, Phase};

fn shift(e: &Evidence, off: usize) -> Evidence {
    Evidence {
        start: e.start + off,
        end: e.end + off,
        quote: e.quote.clone(),
    }
}

fn span_ev(text: &str, s: usize, e: usize, off: usize) -> Evidence {
    let q = text.get(s..e).unwrap_or("");
    let lead = q.len() - q.trim_start().len();
    let t = q.trim();
    Evidence {
        start: off + s + lead,
        end: off + s + lead + t.len(),
        quote: t.to_string(),
    }
}

fn is_sink_kind(k: ComponentKind) -> bool {
    use ComponentKind::*;
    matches!(
        k,
        ObjectStore | Warehouse | ServingStore | FeatureStore | OltpDatabase
    )
}

/// Normalised sentence text, for counting a pasted duplicate once.
fn fingerprint(s: &str) -> u64 {
    let mut h = DefaultHasher::new();
    for w in s.split_whitespace() {
        w.trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase()
            .hash(&mut h);
    }
    h.finish()
}

struct Ctx<'a> {
    text: &'a str,
    off: usize,
    turn: u32,
    phase: Option<Phase>,
    reader: &'a Reader,
}

pub(super) fn read_turn(
    d: &mut Design,
    reader: &Reader,
    text: &str,
    phase: Option<Phase>,
    about: Option<usize>,
) -> TurnReading {
    let turn = d.turns.len() as u32 + 1;
    if !d.text.is_empty() {
        d.text.push_str("\n\n");
    }
    let off = d.text.len();
    d.text.push_str(text);
    d.turns.push(TurnSpan {
        turn,
        phase,
        start: off,
        end: off + text.len(),
    });
    let cx = Ctx {
        text,
        off,
        turn,
        phase,
        reader,
    };
    let mut out = TurnReading {
        turn,
        words: text.split_whitespace().count(),
        ..TurnReading::default()
    };
    let an = reader.analyse(text);
    // A sentence already said (pasted again, here or in an earlier turn)
    // counts once.
    let dup: Vec<bool> = an
        .sentences
        .iter()
        .map(|s| {
            let t = &text[s.start..s.end];
            if s.words < 4 {
                return false;
            }
            let f = fingerprint(t);
            if d.seen.contains(&f) {
                true
            } else {
                d.seen.push(f);
                false
            }
        })
        .collect();
    // Read on without the duplicates' cues and numbers.
    let an = {
        let mut parts = an.into_parts();
        let dup_spans: Vec<(usize, usize)> = parts
            .sentences
            .iter()
            .zip(&dup)
            .filter(|(_, d)| **d)
            .map(|(s, _)| (s.start, s.end))
            .collect();
        parts
            .hits
            .retain(|(_, si)| !dup.get(*si).copied().unwrap_or(false));
        parts.quantities.retain(|q| {
            !dup_spans
                .iter()
                .any(|&(s, e)| s <= q.evidence.start && q.evidence.start < e)
        });
        Analysis::from_parts(text, parts)
    };
    let diagram = diagram::parse_with(text, &reader.index);
    let nodes = add_boxes(d, &cx, &diagram, &mut out);
    add_mentions(d, &cx, &an, &mut out);
    add_arrows(d, &cx, &diagram, &nodes, &mut out);
    let drawn: Vec<(usize, usize)> = diagram
        .edges
        .iter()
        .map(|e| (e.evidence.start, e.evidence.end))
        .chain(
            diagram
                .nodes
                .iter()
                .map(|n| (n.evidence.start, n.evidence.end)),
        )
        .collect();
    read_sentences(d, &cx, &an, &dup, &drawn, about, &mut out);
    read_numbers(d, &cx, &an, &dup, &diagram, &nodes, &mut out);
    // Failures, questions, mechanisms.
    let mut talk = failures::read(&an, turn, phase);
    for p in [&mut talk.detect, &mut talk.recover, &mut talk.prevent] {
        if let Some(e) = &p.evidence {
            p.evidence = Some(shift(e, off));
        }
    }
    if !talk.is_empty() {
        d.failures.push(talk.clone());
    }
    out.failure = talk;
    if questions::is_question(text) {
        let topics = questions::topics_asked(text);
        let q = text
            .split_inclusive(['?', '\n'])
            .find(|l| l.contains('?'))
            .unwrap_or(text);
        let qs = q.as_ptr() as usize - text.as_ptr() as usize;
        d.questions.push(Question {
            topics,
            evidence: span_ev(text, qs, qs + q.len(), off),
            turn,
            phase,
        });
        out.question = Some(d.questions.len() - 1);
    }
    for (h, si) in &an.hits {
        if dup.get(*si).copied().unwrap_or(false) {
            continue;
        }
        match h.owner {
            Owner::ConceptTerm(i) | Owner::ConceptMech(i) if !d.concepts_named.contains(&i) => {
                d.concepts_named.push(i)
            }
            Owner::SignalTerm(i) | Owner::SignalRequired(i) if !d.signals_named.contains(&i) => {
                d.signals_named.push(i)
            }
            _ => {}
        }
        if let Owner::ConceptMech(i) = h.owner {
            if an.explained(*si) && !dup.get(*si).copied().unwrap_or(false) {
                if !out.mechanisms.contains(&i) {
                    out.mechanisms.push(i);
                }
                let sent = &an.sentences[*si];
                let ev = shift(&an.evidence(*si, sent.start, sent.end), off);
                if !d
                    .mechanisms
                    .iter()
                    .any(|(_, c, e)| *c == i && e.start == ev.start)
                {
                    d.mechanisms.push((turn, i, ev));
                }
            }
        }
    }
    let products = out
        .new_components
        .iter()
        .filter(|&&i| !d.components[i].vague)
        .count();
    let only_question = out.question.is_some() && out.words < 60 && diagram.is_empty();
    out.designing = !diagram.is_empty() || (products >= 2 && !only_question);
    let fresh_words: usize = an
        .sentences
        .iter()
        .zip(&dup)
        .filter(|(_, d)| !**d)
        .map(|(s, _)| s.words)
        .sum();
    let explained_long = fresh_words >= 15
        && an
            .sentences
            .iter()
            .zip(&dup)
            .any(|(s, d)| s.explained && !*d);
    out.substance = !out.new_components.is_empty()
        || !out.new_edges.is_empty()
        || !out.annotated.is_empty()
        || !out.numbers.is_empty()
        || out.keys > 0
        || out.guarantee
        || !out.writes.is_empty()
        || !out.choices.is_empty()
        || out.failure.detect.depth.covered()
        || out.failure.recover.depth.covered()
        || out.failure.prevent.depth.covered()
        || !out.mechanisms.is_empty()
        || explained_long;
    // Keep the reading for the scorer.
    let parts = an.into_parts();
    d.parts.append(parts, off);
    out
}

/// Drawn boxes: reuse a box of the same name, or upgrade a component only
/// mentioned so far; returns the component index of every diagram node.
fn add_boxes(d: &mut Design, cx: &Ctx<'_>, dg: &Diagram, out: &mut TurnReading) -> Vec<usize> {
    let mut map = Vec::with_capacity(dg.nodes.len());
    for n in &dg.nodes {
        let same_name = d
            .components
            .iter()
            .position(|c| c.drawn && c.name.eq_ignore_ascii_case(&n.name));
        let mentioned = || {
            d.components.iter().position(|c| {
                !c.drawn
                    && (c.name.eq_ignore_ascii_case(&n.name)
                        || (n.product.is_some() && c.product == n.product))
            })
        };
        let i = match same_name.or_else(mentioned) {
            Some(i) => {
                let c = &mut d.components[i];
                if !c.drawn {
                    c.drawn = true;
                    c.name = n.name.clone();
                    c.vague = box_is_vague(n);
                }
                i
            }
            None => {
                d.components.push(Component {
                    name: n.name.clone(),
                    product: n.product.clone(),
                    kind: n.kind,
                    drawn: true,
                    vague: box_is_vague(n),
                    introduced: Origin {
                        turn: cx.turn,
                        phase: cx.phase,
                        evidence: shift(&n.evidence, cx.off),
                    },
                });
                out.new_components.push(d.components.len() - 1);
                d.components.len() - 1
            }
        };
        map.push(i);
    }
    map
}

/// A box is vague when it names a generic kind ("queue", "a database")
/// and no product; a box the catalogue does not know ("Collector",
/// "Pricing service") is the candidate's own service, not vague.
fn box_is_vague(n: &diagram::DiagramNode) -> bool {
    n.product.is_none() && n.kind != ComponentKind::Other
}

/// Products and generic boxes named in prose (negated mentions dropped).
fn add_mentions(d: &mut Design, cx: &Ctx<'_>, an: &Analysis<'_>, out: &mut TurnReading) {
    for m in &an.components {
        let known = if m.vague {
            d.components.iter().any(|c| {
                c.name.eq_ignore_ascii_case(&m.evidence.quote)
                    || c.name.eq_ignore_ascii_case(&m.name)
            })
        } else {
            d.components
                .iter()
                .any(|c| c.product.as_deref() == Some(m.name.as_str()))
        };
        if known {
            continue;
        }
        d.components.push(Component {
            name: if m.vague {
                m.evidence.quote.clone()
            } else {
                m.name.clone()
            },
            product: (!m.vague).then(|| m.name.clone()),
            kind: m.kind,
            drawn: false,
            vague: m.vague,
            introduced: Origin {
                turn: cx.turn,
                phase: cx.phase,
                evidence: shift(&m.evidence, cx.off),
            },
        });
        out.new_components.push(d.components.len() - 1);
    }
}

/// What a label or note says about a hop.
struct HopFacts {
    format: Option<Annotation>,
    rate: Option<Annotation>,
    payload: Option<Annotation>,
}

fn hop_facts(cx: &Ctx<'_>, ev: &Evidence, source: Source) -> HopFacts {
    let t = &ev.quote;
    let ann = |value: String| Annotation {
        value,
        source,
        evidence: shift(ev, cx.off),
        turn: cx.turn,
    };
    let format = cx.reader.index.format_in(t).map(ann);
    let qs = quantities(t);
    let rate_q = qs
        .iter()
        .find(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size));
    let rate = rate_q.map(|q| ann(q.evidence.quote.clone()));
    // What flows: words that are not numbers, formats, keys or guarantees;
    // or the item noun of a rate ("events/sec").
    let mut rest = t.to_string();
    for q in &qs {
        rest = rest.replace(&q.evidence.quote, " ");
    }
    let payload_words = rest
        .split(|c: char| !c.is_alphanumeric() && c != '_')
        .filter(|w| w.len() >= 3 && w.chars().any(char::is_alphabetic))
        .filter(|w| {
            let l = w.to_ascii_lowercase();
            !matches!(
                l.as_str(),
                "key"
                    | "keyed"
                    | "partitions"
                    | "partitioned"
                    | "peak"
                    | "avg"
                    | "average"
                    | "the"
                    | "and"
                    | "per"
                    | "approx"
                    | "about"
                    | "around"
                    | "with"
                    | "via"
                    | "exactly"
                    | "once"
                    | "least"
                    | "most"
                    | "acks"
                    | "all"
                    | "retention"
                    | "ttl"
                    | "days"
                    | "hours"
                    | "min"
                    | "max"
            )
        })
        .count();
    let rate_has_noun = rate_q.is_some_and(|q| {
        q.kind == QuantityKind::Rate
            && q.evidence
                .quote
                .split(|c: char| !c.is_alphabetic())
                .any(|w| {
                    !w.is_empty()
                        && !matches!(
                            w.to_ascii_lowercase().as_str(),
                            "k" | "m"
                                | "b"
                                | "bn"
                                | "thousand"
                                | "million"
                                | "billion"
                                | "s"
                                | "sec"
                                | "secs"
                                | "second"
                                | "seconds"
                                | "min"
                                | "mins"
                                | "minute"
                                | "minutes"
                                | "h"
                                | "hr"
                                | "hour"
                                | "hours"
                                | "d"
                                | "day"
                                | "days"
                                | "per"
                                | "a"
                                | "an"
                                | "week"
                                | "month"
                        )
                })
    });
    let payload = if payload_words > 0 || format.is_some() || rate_has_noun {
        Some(ann(t.trim().to_string()))
    } else {
        None
    };
    HopFacts {
        format,
        rate,
        payload,
    }
}

fn fill(edge: &mut Edge, f: HopFacts, out: &mut TurnReading, i: usize) {
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

fn add_arrows(d: &mut Design, cx: &Ctx<'_>, dg: &Diagram, nodes: &[usize], out: &mut TurnReading) {
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
        if let Some(l) = &e.label_span {
            let f = hop_facts(cx, l, Source::Label);
            fill(&mut d.edges[i], f, out, i);
            for (k, _, _) in keys_in(&l.quote) {
                push_key(d, cx, k, None, Some(i), Source::Label, l, out);
            }
            for (kind, mech, _, _) in guarantees_in(&l.quote) {
                push_guarantee(d, cx, kind, mech, None, Some(i), l, out);
            }
        }
        // The box note of the source annotates the outgoing hop; the
        // target's note is a fallback (the seed's `-> Kafka (200K events/sec)`).
        let from_note = dg.nodes.get(e.from).and_then(|n| n.note.clone());
        let to_note = dg.nodes.get(e.to).and_then(|n| n.note.clone());
        if let Some(n) = &from_note {
            let f = hop_facts(cx, n, Source::BoxNote);
            fill(&mut d.edges[i], f, out, i);
        }
        if !d.edges[i].annotated() {
            if let Some(n) = &to_note {
                let f = hop_facts(cx, n, Source::BoxNote);
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
        for (kind, mech, _, _) in guarantees_in(&note.quote) {
            push_guarantee(d, cx, kind, mech, Some(c), None, note, out);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn push_key(
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
fn push_guarantee(
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

/// A mention in a sentence, resolved to a component of the model.
struct Mention {
    start: usize,
    end: usize,
    comp: Option<usize>,
}

fn mentions_in(d: &Design, cx: &Ctx<'_>, s: usize, e: usize) -> Vec<Mention> {
    let st = &cx.text[s..e];
    cx.reader
        .index
        .spans(st)
        .into_iter()
        .filter_map(|span| cx.reader.index.mention(st, span))
        .map(|m| {
            let comp = if m.vague {
                d.components
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(&m.evidence.quote))
            } else {
                // A drawn box whose name is this mention ("S3 raw" for "S3 raw"),
                // else the first with the product.
                let here = &st[m.evidence.start..];
                d.components
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.drawn && c.product.as_deref() == Some(m.name.as_str()))
                    .find(|(_, c)| {
                        here.get(..c.name.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(&c.name))
                    })
                    .map(|(i, _)| i)
                    .or_else(|| d.find(&m.name))
            };
            Mention {
                start: m.evidence.start,
                end: m.evidence.end,
                comp,
            }
        })
        .collect()
}

/// The component nearest before `pos` in the sentence, else nearest after.
fn subject_near(ms: &[Mention], pos: usize) -> Option<usize> {
    ms.iter()
        .filter(|m| m.end <= pos && m.comp.is_some())
        .max_by_key(|m| m.end)
        .or_else(|| {
            ms.iter()
                .filter(|m| m.start >= pos && m.comp.is_some())
                .min_by_key(|m| m.start)
        })
        .and_then(|m| m.comp)
}

/// The existing edge between two components mentioned in a sentence.
fn edge_between(d: &Design, ms: &[Mention]) -> Option<usize> {
    for a in ms {
        for b in ms {
            if let (Some(x), Some(y)) = (a.comp, b.comp) {
                if x != y {
                    if let Some(i) = d.edges.iter().position(|e| e.from == x && e.to == y) {
                        return Some(i);
                    }
                }
            }
        }
    }
    None
}

fn read_sentences(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    dup: &[bool],
    drawn: &[(usize, usize)],
    about: Option<usize>,
    out: &mut TurnReading,
) {
    let mut last_sink: Option<usize> = None;
    for (si, sent) in an.sentences.iter().enumerate() {
        if dup.get(si).copied().unwrap_or(false) {
            continue;
        }
        let (s, e) = (sent.start, sent.end);
        let st = &cx.text[s..e];
        let ms = mentions_in(d, cx, s, e);
        let ev = |a: usize, b: usize| span_ev(cx.text, s + a, s + b, 0);
        let sentence_ev = ev(0, st.len());
        // A diagram line was read as a diagram: its hops are not prose.
        let in_diagram = drawn.iter().any(|&(ds, de)| ds < e && s < de);
        // Hops described in prose.
        for w in ms.windows(2).filter(|_| !in_diagram) {
            let (a, b) = (&w[0], &w[1]);
            let (Some(x), Some(y)) = (a.comp, b.comp) else {
                continue;
            };
            if x == y {
                continue;
            }
            let Some(forward) = flow_between(&st[a.end..b.start]) else {
                continue;
            };
            let (from, to) = if forward { (x, y) } else { (y, x) };
            if !d.edges.iter().any(|e| e.from == from && e.to == to) {
                d.edges.push(Edge {
                    from,
                    to,
                    drawn: false,
                    payload: None,
                    format: None,
                    rate: None,
                    evidence: shift(&ev(a.start, b.end), cx.off),
                    turn: cx.turn,
                });
                out.new_edges.push(d.edges.len() - 1);
            }
        }
        // Components written to.
        for m in &ms {
            if let Some(c) = m.comp {
                if is_sink_kind(d.components[c].kind) {
                    last_sink = Some(c);
                    if written_before(&st[..m.start]) && !d.written.contains(&c) {
                        d.written.push(c);
                    }
                }
            }
        }
        // How often a batch job or DAG runs ("hourly", "every 15 minutes").
        if let Some(secs) = schedule_in(st, an, s, e) {
            for m in &ms {
                if let Some(c) = m.comp {
                    use ComponentKind::*;
                    let k = d.components[c].kind;
                    if matches!(
                        k,
                        BatchProcessor | Orchestrator | Warehouse | StreamProcessor
                    ) && !d.schedules.iter().any(|(x, _, _)| *x == c)
                    {
                        d.schedules.push((c, secs, shift(&sentence_ev, cx.off)));
                    }
                }
            }
        }
        // A sentence about a hop annotates it ("Flink writes Parquet to S3 at 5 TB/day").
        if let Some(i) = edge_between(d, &ms).filter(|_| !in_diagram) {
            let f = hop_facts(cx, &sentence_ev, Source::Prose);
            if f.rate.is_some() || f.format.is_some() {
                fill(&mut d.edges[i], f, out, i);
            }
        }
        for (k, ks, ke) in keys_in(st) {
            let subject = subject_near(&ms, ks).or(about);
            push_key(
                d,
                cx,
                k,
                subject,
                None,
                Source::Prose,
                &ev(ks, ke.max(ks)),
                out,
            );
        }
        for (kind, mech, gs, _) in guarantees_in(st) {
            let edge = edge_between(d, &ms);
            let subject = if edge.is_some() {
                None
            } else {
                subject_near(&ms, gs).or(about)
            };
            push_guarantee(d, cx, kind, mech, subject, edge, &sentence_ev, out);
        }
        for idem in idempotent_in(st) {
            let (cs, ce) = idem.clause;
            let sink_kind = |c: usize| is_sink_kind(d.components[c].kind);
            // The sink in the same clause: after the cue ("MERGE into
            // Snowflake"), else before it ("S3 through the 2PC sink").
            let sink_after = ms
                .iter()
                .filter(|m| m.start >= idem.start && m.start < ce)
                .filter_map(|m| m.comp)
                .find(|&c| sink_kind(c));
            let sink_before = ms
                .iter()
                .rev()
                .filter(|m| m.end <= idem.start && m.start >= cs)
                .filter_map(|m| m.comp)
                .find(|&c| sink_kind(c));
            let fallback = if idem.write_kind {
                about
                    .filter(|&c| d.components.get(c).is_some_and(|x| is_sink_kind(x.kind)))
                    .or(last_sink)
            } else {
                None
            };
            if !idem.write_kind
                && idem.keyed
                && !d
                    .dedupes
                    .iter()
                    .any(|e| e.start == sentence_ev.start + cx.off)
            {
                d.dedupes.push(shift(&sentence_ev, cx.off));
            }
            let Some(sink) = sink_after.or(sink_before).or(fallback) else {
                continue;
            };
            let better = match d.writes.iter().position(|w| w.sink == sink) {
                None => true,
                Some(p) => idem.keyed && !d.writes[p].keyed,
            };
            if better {
                d.writes.retain(|w| w.sink != sink);
                d.writes.push(IdempotentWrite {
                    sink,
                    mechanism: idem.text,
                    keyed: idem.keyed,
                    evidence: shift(&sentence_ev, cx.off),
                    turn: cx.turn,
                });
                if !out.writes.contains(&sink) {
                    out.writes.push(sink);
                }
            }
        }
        let spans: Vec<(usize, usize)> = ms.iter().map(|m| (m.start, m.end)).collect();
        let choice = choice_in(st, &spans);
        // "The trade-off is that we run brokers ourselves": a downside said
        // right after a choice belongs to it.
        if choice.is_none() && names_tradeoff(st) {
            if let Some(c) = out.choices.last().and_then(|&i| d.choices.get_mut(i)) {
                c.tradeoff = true;
            }
        }
        if let Some((ci, alt, reason, tradeoff)) = choice {
            let component = ms.get(ci).and_then(|m| m.comp);
            let over = alt
                .and_then(|a| ms.get(a))
                .map(|m| st[m.start..m.end].to_string());
            if component.is_some() {
                d.choices.push(Choice {
                    component,
                    over,
                    reason,
                    tradeoff,
                    evidence: shift(&sentence_ev, cx.off),
                    turn: cx.turn,
                });
                out.choices.push(d.choices.len() - 1);
            }
        }
    }
}

fn read_numbers(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    dup: &[bool],
    dg: &Diagram,
    nodes: &[usize],
    out: &mut TurnReading,
) {
    for q in &an.quantities {
        let si = crate::read::sentences::sentence_at(&an.sentences, q.evidence.start);
        if si.is_some_and(|i| dup.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let (ss, se) = si
            .and_then(|i| an.sentences.get(i))
            .map_or((0, cx.text.len()), |s| (s.start, s.end));
        let (qs, qe) = (q.evidence.start, q.evidence.end);
        let before_start = qs.saturating_sub(40).max(ss);
        let before = cx
            .text
            .get(before_start..qs)
            .unwrap_or("")
            .to_ascii_lowercase();
        let after = cx
            .text
            .get(qe..(qe + 30).min(se.max(qe)))
            .unwrap_or("")
            .to_ascii_lowercase();
        let measure = measure_of(q, &before, &after);
        let in_span = |e: &Evidence| e.start <= qs && qe <= e.end;
        let note_of = dg
            .nodes
            .iter()
            .position(|n| n.note.as_ref().is_some_and(in_span) || in_span(&n.evidence))
            .and_then(|ni| nodes.get(ni).copied());
        let edge = dg
            .edges
            .iter()
            .find(|e| e.label_span.as_ref().is_some_and(in_span))
            .and_then(|e| {
                let (f, t) = (nodes.get(e.from)?, nodes.get(e.to)?);
                d.edges.iter().position(|x| x.from == *f && x.to == *t)
            });
        let subject = note_of.or_else(|| {
            let ms = mentions_in(d, cx, ss, se);
            subject_near(&ms, qs - ss)
        });
        d.numbers.push(Number {
            measure,
            value: value_of(q),
            subject,
            edge,
            evidence: shift(&q.evidence, cx.off),
            turn: cx.turn,
        });
        out.numbers.push(d.numbers.len() - 1);
    }
}

/// A schedule said in a sentence: "hourly", "nightly", "every 15 minutes".
fn schedule_in(st: &str, an: &Analysis<'_>, s: usize, e: usize) -> Option<f64> {
    let lower = st.to_ascii_lowercase();
    for (w, secs) in [
        ("hourly", 3600.0),
        ("every hour", 3600.0),
        ("daily", 86_400.0),
        ("nightly", 86_400.0),
        ("every night", 86_400.0),
        ("once a day", 86_400.0),
        ("every day", 86_400.0),
        ("weekly", 604_800.0),
    ] {
        if lower.contains(w) {
            return Some(secs);
        }
    }
    if let Some(i) = lower.find("every ") {
        let at = s + i;
        return an
            .quantities
            .iter()
            .filter(|q| {
                q.evidence.start >= at && q.evidence.start < e && q.evidence.start <= at + 12
            })
            .find_map(value_of);
    }
    None
}
