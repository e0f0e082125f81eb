//! Sentences about the flow: hops described in prose, sinks written to,
//! schedules, keys, guarantees, idempotent writes and stated choices.

use super::arrows::{complete, fill, hop_facts, push_guarantee, push_key};
use super::cues::{Cue, Cues, Says};
use super::figures::{schedule_in, schedule_of};
use super::hop_kind::hop_kind;
use super::mentions::Mention;
use super::{is_sink_kind, shift, span_ev, Ctx};
use crate::design::hops::{guarantees_in, idempotent_in};
use crate::design::keys::keys_in;
use crate::design::prose::{choice_with, flow_between, written_before, Said};
use crate::design::{
    Annotation, Choice, Design, Edge, HopKind, IdempotentWrite, Source, TurnReading,
};
use crate::read::analysis::Analysis;
use crate::rubric::ComponentKind;

/// The component nearest before `pos` in the sentence, else nearest after.
pub(super) fn subject_near(ms: &[Mention], pos: usize) -> Option<usize> {
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

/// The asked hop, when a sentence of the answer names no component but its
/// ends (generic words such as "the queue" aside).
/// `sentence` is the sentence's text, in any case.
pub(super) fn asked_hop(d: &Design, cx: &Ctx<'_>, ms: &[Mention], sentence: &str) -> Option<usize> {
    let i = cx.asked.edge?;
    let e = d.edges.get(i)?;
    let elsewhere = ms
        .iter()
        .filter_map(|m| m.comp)
        .any(|c| c != e.from && c != e.to && d.components.get(c).is_some_and(|x| !x.vague));
    (!elsewhere && !names_another_box(d, e, sentence)).then_some(i)
}

/// True when `sentence` names a drawn box other than the ends of `e` by
/// the first word of its product, which is no product on its own: "Delta
/// partitioned by date" is about the "Delta Lake on S3" box, not the hop
/// from MySQL to Debezium that was asked about.
fn names_another_box(d: &Design, e: &Edge, sentence: &str) -> bool {
    let first_word = |c: usize| {
        d.components
            .get(c)
            .and_then(|x| x.product.as_deref())
            .and_then(|p| p.split_whitespace().next())
    };
    let ends = [first_word(e.from), first_word(e.to)];
    d.components.iter().enumerate().any(|(c, x)| {
        if c == e.from || c == e.to || !x.drawn || x.vague {
            return false;
        }
        let Some(word) = x
            .product
            .as_deref()
            .and_then(|p| p.split_whitespace().next())
        else {
            return false;
        };
        let starts_name = x
            .name
            .get(..word.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(word));
        // "Kafka" names the asked hop's own Kafka too, when two are drawn.
        let an_end = ends.iter().flatten().any(|w| w.eq_ignore_ascii_case(word));
        word.len() >= 4 && starts_name && !an_end && crate::read::text::holds_words(sentence, word)
    })
}

/// The component named in the clause of `pos`, before it.
fn subject_in_clause(st: &str, ms: &[Mention], pos: usize) -> Option<usize> {
    let clause_start = st[..pos.min(st.len())]
        .rfind([',', ';', ':', '(', '.'])
        .map_or(0, |i| i + 1);
    ms.iter()
        .filter(|m| m.start >= clause_start && m.end <= pos && m.comp.is_some())
        .max_by_key(|m| m.end)
        .and_then(|m| m.comp)
}

/// The existing edge between two components mentioned in a sentence.
pub(super) fn edge_between(d: &Design, ms: &[Mention]) -> Option<usize> {
    // Mention pairs are tried first by first, then by second: for the
    // components `x`, `y` the first pair is their first mentions, so the
    // answer is the edge whose ends were mentioned first (then the first
    // edge between them), found in one pass over the edges.
    let mut first: Vec<(usize, usize)> = Vec::with_capacity(ms.len());
    for (pos, c) in ms
        .iter()
        .enumerate()
        .filter_map(|(p, m)| Some((p, m.comp?)))
    {
        if !first.iter().any(|&(x, _)| x == c) {
            first.push((c, pos));
        }
    }
    let at = |c: usize| first.iter().find(|&&(x, _)| x == c).map(|&(_, p)| p);
    let mut best: Option<((usize, usize), usize)> = None;
    for (i, e) in d.edges.iter().enumerate() {
        if e.from == e.to {
            continue;
        }
        let (Some(a), Some(b)) = (at(e.from), at(e.to)) else {
            continue;
        };
        if best.is_none_or(|(key, _)| (a, b) < key) {
            best = Some(((a, b), i));
        }
    }
    best.map(|(_, i)| i)
}

/// Words of a box name that do not tell one box from another.
const SHARED_WORDS: &[&str] = &[
    "table", "tables", "events", "event", "store", "stores", "service", "cluster", "topic",
    "topics", "stream", "streams", "bucket", "buckets", "files", "daily", "hourly", "layer",
    "records", "output", "input", "writer", "database",
];

/// The drawn sinks with the words of their names no other drawn box has
/// (nor their product): "manifest" and "registry" for "Postgres manifest
/// registry" next to "S3 training sets" and "SageMaker training".
fn own_words(d: &Design) -> Vec<(usize, Vec<String>)> {
    let words = |c: &crate::design::Component| -> Vec<String> {
        let product = c
            .product
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase();
        c.name
            .to_ascii_lowercase()
            .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
            .filter(|w| w.len() >= 5 && !SHARED_WORDS.contains(w))
            .filter(|w| !product.split_whitespace().any(|p| p == *w))
            .map(str::to_string)
            .collect()
    };
    let drawn: Vec<(usize, Vec<String>)> = d
        .components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.drawn)
        .map(|(i, c)| (i, words(c)))
        .collect();
    drawn
        .iter()
        .filter(|(i, _)| is_sink_kind(d.components[*i].kind))
        .map(|(i, own)| {
            let unique = own
                .iter()
                .filter(|w| drawn.iter().filter(|(_, o)| o.contains(w)).count() == 1)
                .cloned()
                .collect();
            (*i, unique)
        })
        .filter(|(_, own): &(usize, Vec<String>)| !own.is_empty())
        .collect()
}

/// The one drawn sink a clause (lower-cased) names by a word of its own
/// ([`own_words`]): "the manifest insert is keyed by build_id" writes into
/// "Postgres manifest registry".
fn sink_by_own_word(own: &[(usize, Vec<String>)], clause: &str) -> Option<usize> {
    let mut hit = own.iter().filter(|(_, words)| {
        words
            .iter()
            .any(|w| super::mentions::word_find(clause.as_bytes(), w.as_bytes()))
    });
    let first = hit.next()?.0;
    hit.next().is_none().then_some(first)
}

/// The sink a write names by the table drawn on its arrow: "MERGEs them
/// into fact_query_cost on job_id" after "Airflow -> BigQuery cost mart :
/// fact_query_cost". Only an identifier (with `_` or `.`) right after
/// "into", found on the label of arrows into one sink.
fn sink_by_table(d: &Design, clause: &str, sink_kind: impl Fn(usize) -> bool) -> Option<usize> {
    let at = clause.find("into ")?;
    let table = clause[at + 5..]
        .split_whitespace()
        .next()?
        .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'));
    if table.len() < 5 || !table.contains(['_', '.']) {
        return None;
    }
    let mut hit = d
        .edges
        .iter()
        .filter(|e| sink_kind(e.to) && crate::read::text::holds_words(&e.evidence.quote, table));
    let first = hit.next()?.to;
    hit.all(|e| e.to == first).then_some(first)
}

/// A label drawn on an arrow: its span in the turn and the arrow's target.
pub(super) struct DrawnLabel {
    pub start: usize,
    pub end: usize,
    pub to: usize,
}

pub(super) fn read_sentences(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    dup: &[bool],
    (lower, mentions): (&str, &[Vec<Mention>]),
    (drawn, labels): (&[(usize, usize)], &[DrawnLabel]),
    out: &mut TurnReading,
) {
    let about = cx.asked.component;
    // The drawn sinks' own words, worked out when a write first needs them.
    let own = std::cell::OnceCell::new();
    let mut last_sink: Option<usize> = None;
    for (si, sent) in an.sentences.iter().enumerate() {
        if dup.get(si).copied().unwrap_or(false) {
            continue;
        }
        let (s, e) = (sent.start, sent.end);
        let st = &cx.text[s..e];
        let ms: &[Mention] = mentions.get(si).map_or(&[], Vec::as_slice);
        // Which sentence cues it can match, from the analysis pass.
        let cues = Cues::of(st, cx.gates.get(si).copied().unwrap_or(u8::MAX));
        let ev = |a: usize, b: usize| span_ev(cx.text, s + a, s + b, 0);
        // The whole sentence as a quote, made only when something is kept.
        let sentence_quote = std::cell::OnceCell::new();
        let sentence_ev = || sentence_quote.get_or_init(|| ev(0, st.len()));
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
                    hop: hop_kind(d, from, to),
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
        for m in ms {
            if let Some(c) = m.comp {
                if is_sink_kind(d.components[c].kind) && !d.gone(c) {
                    last_sink = Some(c);
                    if cx.full && written_before(&st[..m.start]) && !d.written.contains(&c) {
                        d.written.push(c);
                    }
                }
            }
        }
        // How often a batch job or DAG runs ("hourly", "every 15 minutes").
        let schedule = if cx.full {
            schedule_in(&lower[s..e], an, s, e)
        } else {
            None
        };
        if let Some((secs, at)) = schedule {
            for m in ms
                .iter()
                .filter(|m| schedule_of(&lower[s..e], at, (m.start, m.end)))
            {
                if let Some(c) = m.comp {
                    use ComponentKind::*;
                    let k = d.components[c].kind;
                    if matches!(
                        k,
                        BatchProcessor | Orchestrator | Warehouse | StreamProcessor
                    ) && !d.schedules.iter().any(|(x, _, _)| *x == c)
                    {
                        d.schedules.push((c, secs, shift(sentence_ev(), cx.off)));
                    }
                }
            }
        }
        // A sentence about a hop annotates it ("Flink writes Parquet to S3
        // at 5 TB/day"); in the answer to a question about a hop, a sentence
        // naming one end of it or none is about that hop ("It carries Avro,
        // about 2K/s.").
        // Two hops a semicolon apart ("Flink to ClickHouse is 5K rows a
        // second; S3 to Snowflake is 200 GB an hour") each take their own
        // part's figures.
        let parts = if in_diagram {
            Vec::new()
        } else {
            hop_parts(d, st, ms)
        };
        for &(i, a, b) in parts.iter().filter(|_| parts.len() > 1) {
            if d.edges[i].carries_figures() && !complete(&d.edges[i]) {
                let f = hop_facts(cx, &ev(a, b), Source::Prose);
                if f.rate.is_some() || f.format.is_some() {
                    fill(&mut d.edges[i], f, out, i);
                }
            }
        }
        let hop = edge_between(d, ms)
            .or_else(|| asked_hop(d, cx, ms, st))
            .or_else(|| {
                let is_drawn = |a: usize, b: usize| drawn.iter().any(|&(ds, de)| ds < b && a < de);
                let before = super::follows::before(an, cx.text, mentions, dup, is_drawn, si);
                super::follows::hop(d, before, st, ms)
            })
            .filter(|_| !in_diagram);
        if let Some(i) = hop {
            if parts.len() < 2 && d.edges[i].carries_figures() && !complete(&d.edges[i]) {
                let mut f = hop_facts(cx, sentence_ev(), Source::Prose);
                // "Same lines, one to one": the rate that comes into it.
                if f.rate.is_none() && d.carried_rate(i).is_none() && super::shares::all_of_flow(st)
                {
                    f.rate = d.rate_into_source(i).map(|r| Annotation {
                        value: r.value.clone(),
                        source: Source::Prose,
                        evidence: shift(sentence_ev(), cx.off),
                        turn: cx.turn,
                    });
                }
                if f.rate.is_some() || f.format.is_some() {
                    fill(&mut d.edges[i], f, out, i);
                }
            }
            // "No data goes through Airflow; that arrow is control only."
            if cues.says(Says::Control) && d.edges[i].hop == HopKind::Data {
                d.edges[i].hop = HopKind::Control;
            }
        }
        // Keys: a cue, or a Hive-style path (`ds=2024-03-03/`).
        let keys = if !in_diagram && (cues.may(Cue::Key) || st.contains('=')) {
            keys_in(st)
        } else {
            Vec::new()
        };
        for (k, ks, ke) in keys {
            // The answer to "which key for X?" keys X unless the key's own
            // clause names what it keys ("Kafka partitioned by cluster name").
            let subject = if cx.asked.key && about.is_some() {
                subject_in_clause(st, ms, ks).or(about)
            } else {
                subject_near(ms, ks).or(about)
            };
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
        let guarantees = if cx.full && cues.may(Cue::Guarantee) {
            guarantees_in(st)
        } else {
            Vec::new()
        };
        for (kind, mech, gs, _) in guarantees {
            let edge = edge_between(d, ms);
            let subject = if edge.is_some() {
                None
            } else {
                subject_near(ms, gs).or(about)
            };
            push_guarantee(d, cx, kind, mech, subject, edge, sentence_ev(), out);
        }
        let idempotent = if cues.may(Cue::Idempotent) {
            idempotent_in(st)
        } else {
            Vec::new()
        };
        for idem in idempotent {
            let (cs, ce) = idem.clause;
            let sink_kind = |c: usize| {
                d.components
                    .get(c)
                    .is_some_and(|x| is_sink_kind(x.kind) && x.gone.is_none())
            };
            // The sink in the same clause: after the cue ("MERGE into
            // Snowflake"), else before it ("S3 through the 2PC sink").
            // A store read from ("MERGE … from the Iceberg snapshot range")
            // is the source of the write, not its sink.
            let read_from = |at: usize| {
                let head = lower.get(s..s + at).unwrap_or_default().trim_end();
                let head = head.strip_suffix("the").unwrap_or(head).trim_end();
                head.ends_with(" from") || head == "from"
            };
            let sink_after = ms
                .iter()
                .filter(|m| m.start >= idem.start && m.start < ce && !read_from(m.start))
                .filter_map(|m| m.comp)
                .find(|&c| sink_kind(c));
            let sink_before = ms
                .iter()
                .rev()
                .filter(|m| m.end <= idem.start && m.start >= cs)
                .filter_map(|m| m.comp)
                .find(|&c| sink_kind(c));
            // "dbt's incremental models with merge strategy": the writer is
            // named, not the sink; its write goes where its arrows go, when
            // that is one sink. The writer is named in the clause, else
            // earlier in the sentence ("The dataset builder pins …, sorts
            // and writes Parquet under a path that is the hash of the
            // manifest").
            let writers_sink = || {
                let in_clause = ms
                    .iter()
                    .filter(|m| m.start >= cs && m.start < ce)
                    .filter_map(|m| m.comp)
                    .find(|&c| !sink_kind(c));
                let before = || {
                    ms.iter()
                        .rev()
                        .filter(|m| m.end <= cs)
                        .filter_map(|m| m.comp)
                        .find(|&c| !sink_kind(c))
                };
                let writer = in_clause.or_else(before)?;
                let mut out = d
                    .current_edges()
                    .filter(|e| e.from == writer && sink_kind(e.to))
                    .map(|e| e.to);
                let first = out.next()?;
                out.all(|o| o == first).then_some(first)
            };
            // "Results go into Postgres keyed by (…), so a rerun upserts
            // the same rows": the sink this sentence writes to, though the
            // question was about another store.
            let written_here = || {
                ms.iter()
                    .rev()
                    .filter(|m| m.end <= idem.start && written_before(&st[..m.start]))
                    .filter_map(|m| m.comp)
                    .find(|&c| sink_kind(c))
            };
            let fallback = if idem.write_kind {
                written_here()
                    .or_else(|| {
                        about.filter(|&c| d.components.get(c).is_some_and(|x| is_sink_kind(x.kind)))
                    })
                    .or_else(writers_sink)
                    .or(last_sink)
            } else {
                None
            };
            if !idem.write_kind
                && idem.keyed
                && !d
                    .dedupes
                    .iter()
                    .any(|e| e.start == sentence_ev().start + cx.off)
            {
                d.dedupes.push(shift(sentence_ev(), cx.off));
            }
            // A write said on an arrow's label is the arrow's target's
            // ("│ upserts by session_id" under Flink, over ClickHouse).
            let at = s + idem.start;
            let label = labels
                .iter()
                .find(|l| l.start <= at && at < l.end && sink_kind(l.to));
            let Some(sink) = label
                .map(|l| l.to)
                .or(sink_after)
                .or(sink_before)
                .or_else(|| {
                    let own = own.get_or_init(|| own_words(d));
                    sink_by_own_word(
                        own,
                        &not_read_from(lower.get(s + cs..s + ce).unwrap_or_default()),
                    )
                })
                .or_else(|| {
                    sink_by_table(
                        d,
                        &not_read_from(lower.get(s + cs..s + ce).unwrap_or_default()),
                        sink_kind,
                    )
                })
                .or(fallback)
            else {
                continue;
            };
            let better = match d.writes.iter().position(|w| w.sink == sink) {
                None => true,
                Some(p) => idem.keyed && !d.writes[p].keyed,
            };
            if better {
                d.writes.retain(|w| w.sink != sink);
                let evidence = label.map_or_else(
                    || sentence_ev().clone(),
                    |l| span_ev(cx.text, l.start, l.end, 0),
                );
                d.writes.push(IdempotentWrite {
                    sink,
                    mechanism: idem.text,
                    keyed: idem.keyed,
                    evidence: shift(&evidence, cx.off),
                    turn: cx.turn,
                });
                if !out.writes.contains(&sink) {
                    out.writes.push(sink);
                }
            }
        }
        if !cx.full {
            continue;
        }
        let spans: Vec<(usize, usize)> = ms.iter().map(|m| (m.start, m.end)).collect();
        let said = Said {
            // "Snowflake because it's what everyone uses" gives none.
            reason: &|| cues.says(Says::Reason) && !sent.hollow_reason,
            tradeoff: &|| cues.says(Says::Tradeoff),
            may_choose: cues.may(Cue::Choose),
        };
        let choice = choice_with(st, &spans, &said);
        // "The trade-off is that we run brokers ourselves": a downside said
        // right after a choice belongs to it.
        if choice.is_none() && cues.says(Says::Tradeoff) {
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
                    evidence: shift(sentence_ev(), cx.off),
                    turn: cx.turn,
                });
                out.choices.push(d.choices.len() - 1);
            }
        }
    }
}

/// A clause without what it reads from: "merge … from the iceberg
/// snapshot range" keeps "merge … snapshot range", so the store read is
/// not taken for the one written.
fn not_read_from(clause: &str) -> std::borrow::Cow<'_, str> {
    if !clause.contains("from") {
        return std::borrow::Cow::Borrowed(clause);
    }
    let mut out = Vec::new();
    let mut words = clause.split_whitespace().peekable();
    while let Some(w) = words.next() {
        if w == "from" {
            if words.peek() == Some(&"the") {
                words.next();
            }
            words.next();
            continue;
        }
        out.push(w);
    }
    std::borrow::Cow::Owned(out.join(" "))
}

/// The parts of a sentence between semicolons that each name a hop: the
/// hop and the part's span in the sentence.
fn hop_parts(d: &Design, st: &str, ms: &[Mention]) -> Vec<(usize, usize, usize)> {
    if !st.contains(';') {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut a = 0;
    for b in st.match_indices(';').map(|(i, _)| i).chain([st.len()]) {
        let lo = ms.partition_point(|m| m.start < a);
        let hi = ms.partition_point(|m| m.start < b);
        if let Some(i) = ms.get(lo..hi).and_then(|part| edge_between(d, part)) {
            out.push((i, a, b));
        }
        a = b + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of mentions in order, the first edge between them.
    fn pairwise(d: &Design, ms: &[Mention]) -> Option<usize> {
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

    #[test]
    fn the_edge_between_mentions_is_the_first_pair_s() {
        let mut d = Design::new();
        for (from, to) in [(1, 2), (3, 1), (2, 3), (1, 2), (4, 4), (2, 1), (0, 3)] {
            d.edges.push(Edge {
                from,
                to,
                drawn: false,
                hop: HopKind::Data,
                payload: None,
                format: None,
                rate: None,
                evidence: crate::read::Evidence {
                    start: 0,
                    end: 0,
                    quote: String::new(),
                },
                turn: 1,
            });
        }
        let m = |comp: Option<usize>| Mention {
            start: 0,
            end: 0,
            comp,
        };
        let lists: Vec<Vec<Option<usize>>> = vec![
            vec![],
            vec![Some(1)],
            vec![Some(2), Some(1)],
            vec![Some(3), None, Some(2), Some(1)],
            vec![Some(4), Some(4), Some(0)],
            vec![Some(0), Some(2), Some(3), Some(1), Some(2)],
            vec![None, Some(1), Some(1), Some(3)],
            vec![Some(5), Some(6)],
        ];
        for l in lists {
            let ms: Vec<Mention> = l.iter().map(|&c| m(c)).collect();
            assert_eq!(edge_between(&d, &ms), pairwise(&d, &ms), "{l:?}");
        }
    }
}
