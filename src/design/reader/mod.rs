//! Reading one candidate turn into the design model: the diagram, the
//! components, every hop's annotations, numbers with their subjects, keys,
//! guarantees, idempotent writes, choices, failure depth and questions.
//! Only the new turn is read; the model grows, it is never rebuilt. Each
//! job has its own file: boxes and mentions, arrows and their labels,
//! sentences about the flow, and numbers with what they quantify.

use super::diagram;
use super::failures;
use super::questions;
use super::{Asked, Design, Question, TurnReading, TurnSpan};
use crate::read::analysis::Analysis;
use crate::read::matcher::Owner;
use crate::read::quantity::Quantity;
use crate::read::{Evidence, Reader};
use crate::rubric::{ComponentKind, Phase};

mod arrows;
mod boxes;
mod cues;
mod figures;
mod follows;
mod hop_kind;
mod mentions;
pub(super) use mentions::short_names;
mod removed;
mod sentences;
mod shares;

use arrows::add_arrows;
use boxes::{add_boxes, add_mentions};
use figures::read_numbers;
use sentences::read_sentences;

/// The regexes the reader runs sentence by sentence, whose gates the
/// analysis pass finds ([`crate::read::Reader::new`]).
pub(crate) use cues::PATTERNS as SENTENCE_CUES;

pub(super) fn shift(e: &Evidence, off: usize) -> Evidence {
    Evidence {
        start: e.start + off,
        end: e.end + off,
        quote: e.quote.clone(),
    }
}

pub(super) fn span_ev(text: &str, s: usize, e: usize, off: usize) -> Evidence {
    let q = text.get(s..e).unwrap_or("");
    let lead = q.len() - q.trim_start().len();
    let t = q.trim();
    Evidence {
        start: off + s + lead,
        end: off + s + lead + t.len(),
        quote: t.to_string(),
    }
}

pub(super) fn is_sink_kind(k: ComponentKind) -> bool {
    use ComponentKind::*;
    matches!(
        k,
        ObjectStore | Warehouse | ServingStore | FeatureStore | OltpDatabase
    )
}

/// Normalised sentence text, for counting a pasted duplicate once: its
/// words' letters and digits, lower-cased, the words apart by `0xFF`
/// (punctuation is not a difference: "Kafka -> Flink: 200K events/sec."
/// pasted as "kafka → flink, 200k events/sec" is the same sentence),
/// hashed byte by byte as they are read. A round holds a few hundred
/// sentences; FxHash's step is enough and SipHash's flooding resistance
/// buys nothing here.
fn fingerprint(s: &str) -> u64 {
    let mut h = Fingerprint(0);
    let bytes = s.as_bytes();
    // A word ended since the last letter or digit (and one came before).
    let (mut gap, mut any) = (false, false);
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let class = ASCII[usize::from(b)];
        i += 1;
        match class {
            SPACE => gap = any,
            OTHER => {}
            NON_ASCII => {
                // Any other character, decoded whole.
                let Some(c) = s.get(i - 1..).and_then(|t| t.chars().next()) else {
                    break;
                };
                i += c.len_utf8() - 1;
                if c.is_whitespace() {
                    gap = any;
                } else if c.is_alphanumeric() {
                    if std::mem::take(&mut gap) {
                        h.byte(0xFF);
                    }
                    any = true;
                    let mut utf8 = [0u8; 4];
                    for l in c.to_lowercase() {
                        l.encode_utf8(&mut utf8).bytes().for_each(|b| h.byte(b));
                    }
                }
            }
            lower => {
                if std::mem::take(&mut gap) {
                    h.byte(0xFF);
                }
                any = true;
                h.byte(lower);
            }
        }
    }
    h.0
}

/// What [`fingerprint`] makes of a byte: an ASCII alphanumeric is its
/// lower-case self; the other classes are byte values no ASCII
/// alphanumeric has.
const SPACE: u8 = 0;
const OTHER: u8 = 1;
const NON_ASCII: u8 = 0x80;
static ASCII: [u8; 256] = {
    let mut t = [NON_ASCII; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() {
            c.to_ascii_lowercase()
        } else if matches!(c, b' ' | b'\t'..=b'\r') {
            SPACE
        } else {
            OTHER
        };
        b += 1;
    }
    t
};

/// FxHash's step, one byte at a time.
struct Fingerprint(u64);

impl Fingerprint {
    fn byte(&mut self, b: u8) {
        const K: u64 = 0xf135_7aea_2e62_a9c5;
        self.0 = (self.0.rotate_left(26) ^ u64::from(b)).wrapping_mul(K);
    }
}

/// How much of a turn to read.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Scope {
    /// Everything: what the interviewer, the debrief and the scorer read.
    Full,
    /// Only what the scorer reads (components, hops and their annotations,
    /// keys, idempotent writes, dedupes, failure talk and the text's own
    /// reading): a written answer graded in a batch skips its numbers,
    /// guarantees, choices, schedules, questions and named mechanisms.
    Scoring,
}

pub(super) struct Ctx<'a> {
    pub text: &'a str,
    pub off: usize,
    pub turn: u32,
    pub phase: Option<Phase>,
    pub reader: &'a Reader,
    /// What the question this turn answers was about.
    pub asked: Asked,
    /// Everything, or only what the scorer reads.
    pub full: bool,
    /// Every number in the turn's text (duplicate sentences' too), in
    /// order: a label's or sentence's numbers are read off these.
    pub quantities: &'a [Quantity],
    /// Each sentence's cue gates, from the analysis pass (bit `Cue as u8`
    /// of [`cues::PATTERNS`]).
    pub gates: &'a [u8],
}

pub(super) fn read_turn(
    d: &mut Design,
    reader: &Reader,
    text: &str,
    phase: Option<Phase>,
    asked: Asked,
    scope: Scope,
) -> TurnReading {
    let turn = d.turns.len() as u32 + 1;
    let edges_before = d.edges.len();
    // A stale index (the model is append-only, but be safe) asks nothing.
    let asked = Asked {
        component: asked.component.filter(|&c| c < d.components.len()),
        edge: asked.edge.filter(|&e| e < d.edges.len()),
        key: asked.key,
        what_if: asked.what_if,
    };
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
        what_if: asked.what_if,
    });
    let mut out = TurnReading {
        turn,
        // The turn's reading is the interviewer's; the scorer drops it.
        words: if scope == Scope::Full {
            crate::read::sentences::word_count(text)
        } else {
            0
        },
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
    // Read on without the duplicates' cues and numbers (their labels and
    // notes still read theirs: a pasted diagram line is still a diagram).
    let mut an = an;
    let occurrences = an.take_occurrences();
    let gates = an.take_gates();
    let any_dup = dup.iter().any(|&x| x);
    let mut all_quantities: Vec<Quantity> = Vec::new();
    let an = {
        let mut parts = an.into_parts();
        if any_dup {
            all_quantities = parts.quantities.clone();
            let dup_spans: Vec<(usize, usize)> = parts
                .sentences
                .iter()
                .zip(&dup)
                .filter(|(_, d)| **d)
                .map(|(s, _)| (s.start, s.end))
                .collect();
            parts.retain_hits(|(_, si)| !dup.get(*si).copied().unwrap_or(false));
            parts.quantities.retain(|q| {
                !dup_spans
                    .iter()
                    .any(|&(s, e)| s <= q.evidence.start && q.evidence.start < e)
            });
        }
        Analysis::from_parts(text, parts)
    };
    let cx = Ctx {
        text,
        off,
        turn,
        phase,
        reader,
        asked,
        full: scope == Scope::Full,
        quantities: if any_dup {
            &all_quantities
        } else {
            &an.quantities
        },
        gates: &gates,
    };
    // Formats and volumes come from hop facts below, not the diagram's own.
    let diagram = diagram::parse_shapes(text, &reader.index);
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
    let labels: Vec<sentences::DrawnLabel> = diagram
        .edges
        .iter()
        .flat_map(|e| {
            e.label_span
                .iter()
                .chain(e.label_more.iter())
                .filter_map(|l| {
                    Some(sentences::DrawnLabel {
                        start: l.start,
                        end: l.end,
                        to: *nodes.get(e.to)?,
                    })
                })
        })
        .collect();
    // The components are all known now: each sentence's mentions are read
    // once, for the sentences and their numbers.
    let finder = mentions::Finder::new(d, text, occurrences);
    let mentions = finder.per_sentence(d, &cx, &an, &dup);
    read_sentences(
        d,
        &cx,
        &an,
        &dup,
        (finder.lower(), &mentions),
        (&drawn, &labels),
        &mut out,
    );
    if cx.asked.key {
        answer_key(d, &cx, &mut out);
    }
    if cx.full {
        read_numbers(
            d,
            &cx,
            &an,
            &dup,
            (&finder, &mentions),
            &drawn,
            &diagram,
            &nodes,
            &mut out,
        );
    }
    // A component said to be gone leaves the design; one drawn again is back.
    let mut drawn_now: Vec<usize> = nodes.clone();
    for e in &d.edges[edges_before..] {
        drawn_now.extend([e.from, e.to]);
    }
    removed::update(
        d,
        text,
        &an.sentences,
        &dup,
        turn,
        &drawn_now,
        diagram.edges.len(),
    );
    // Failures, questions, mechanisms.
    let mut talk = failures::read(&an, turn, phase);
    for p in [&mut talk.detect, &mut talk.recover, &mut talk.prevent] {
        if let Some(e) = &p.evidence {
            p.evidence = Some(shift(e, off));
        }
        if let Some(e) = &p.clause {
            p.clause = Some(shift(e, off));
        }
    }
    if !talk.is_empty() {
        d.failures.push(talk.clone());
    }
    out.failure = talk;
    if cx.full && questions::is_question(text) {
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
    // The quote of the sentence last looked at.
    let mut quote: Option<(usize, Evidence)> = None;
    // Concepts and signals already named (kept in naming order in `d`).
    let mut concepts = Seen::of(&d.concepts_named);
    let mut signals = Seen::of(&d.signals_named);
    for (h, si) in an.hits.iter().filter(|_| cx.full) {
        if dup.get(*si).copied().unwrap_or(false) {
            continue;
        }
        match h.owner {
            Owner::ConceptTerm(i) | Owner::ConceptMech(i) if concepts.insert(i) => {
                d.concepts_named.push(i)
            }
            Owner::SignalTerm(i) | Owner::SignalRequired(i) if signals.insert(i) => {
                d.signals_named.push(i)
            }
            _ => {}
        }
        if let Owner::ConceptMech(i) = h.owner {
            if !an.list_like(*si) && !d.mechanisms_said.contains(&i) {
                d.mechanisms_said.push(i);
            }
            if an.explained(*si) && !dup.get(*si).copied().unwrap_or(false) {
                if !out.mechanisms.contains(&i) {
                    out.mechanisms.push(i);
                }
                let ev = match &quote {
                    Some((q, ev)) if q == si => ev,
                    _ => {
                        let sent = &an.sentences[*si];
                        let ev = shift(&an.evidence(*si, sent.start, sent.end), off);
                        &quote.insert((*si, ev)).1
                    }
                };
                if !d
                    .mechanisms
                    .iter()
                    .any(|(_, c, e)| *c == i && e.start == ev.start)
                {
                    d.mechanisms.push((turn, i, ev.clone()));
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

/// A set of small indexes (rubric concepts, signals).
struct Seen(Vec<bool>);

impl Seen {
    fn of(known: &[u16]) -> Seen {
        let mut s = Seen(Vec::new());
        for &i in known {
            s.insert(i);
        }
        s
    }

    /// Add `i`; true when it was not there yet.
    fn insert(&mut self, i: u16) -> bool {
        let i = usize::from(i);
        if self.0.len() <= i {
            self.0.resize(i + 1, false);
        }
        !std::mem::replace(&mut self.0[i], true)
    }
}

/// A terse answer to a key question ("By date.", "customer_id.") keys the
/// component (or hop) the question was about, when the turn said no key in
/// the usual ways.
fn answer_key(d: &mut Design, cx: &Ctx<'_>, out: &mut TurnReading) {
    if out.keys > 0 {
        return;
    }
    let Some((key, s, e)) = crate::design::keys::answered_key(cx.text) else {
        return;
    };
    let ev = span_ev(cx.text, s, e, 0);
    let (subject, edge) = match (cx.asked.component, cx.asked.edge) {
        (Some(c), _) => (Some(c), None),
        (None, e) => (None, e),
    };
    arrows::push_key(d, cx, key, subject, edge, super::Source::Prose, &ev, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fingerprint spelled out: each word's letters and digits,
    /// lower-cased (char by char), the non-empty words joined by `0xFF`,
    /// then hashed.
    fn per_word(s: &str) -> u64 {
        let words: Vec<String> = s
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_alphanumeric())
                    .flat_map(char::to_lowercase)
                    .collect::<String>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let mut h = Fingerprint(0);
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                h.byte(0xFF);
            }
            w.bytes().for_each(|b| h.byte(b));
        }
        h.0
    }

    #[test]
    fn fingerprints_are_the_per_word_hash() {
        for s in [
            "Kafka (MSK) -> Flink: 200K events/sec, keyed by user_id.",
            "  a.b, -x- ... ,, Foo_bar  ",
            "",
            "--",
            "a  b\t\tc\r\nd\u{b}e\u{c}f",
            "--a b- c",
            "Ünïcode — words, “quoted” and ÉCOLE.",
            "a\u{2003}b\u{a0}c",
        ] {
            assert_eq!(fingerprint(s), per_word(s), "{s:?}");
        }
        assert_eq!(
            fingerprint("Kafka -> Flink: 200K events/sec."),
            fingerprint("kafka  →  flink, 200k events/sec"),
            "punctuation and case are not a difference"
        );
        assert_ne!(fingerprint("a b"), fingerprint("ab"));
    }
}
