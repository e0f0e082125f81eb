//! Numbers with what they quantify: the box note or arrow label they were
//! written in, else the component named nearest in their sentence.

use std::sync::LazyLock;

use memchr::memmem;

use super::mentions::{Finder, Mention};
use super::sentences::{asked_hop, edge_between, subject_near};
use super::{shift, Ctx};
use crate::design::diagram::Diagram;
use crate::design::numbers::{measure_of, value_of};
use crate::design::{Design, Measure, Number, TurnReading};
use crate::read::analysis::Analysis;
use crate::read::Evidence;

#[allow(clippy::too_many_arguments)]
pub(super) fn read_numbers(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    dup: &[bool],
    (finder, mentions): (&Finder, &[Vec<Mention>]),
    drawn: &[(usize, usize)],
    dg: &Diagram,
    nodes: &[usize],
    out: &mut TurnReading,
) {
    let first = d.numbers.len();
    // Outside every sentence (a text of blanks): the whole text's names.
    let mut whole: Option<Vec<Mention>> = None;
    for q in an.quantities.iter() {
        let si = crate::read::sentences::sentence_at(&an.sentences, q.evidence.start);
        if si.is_some_and(|i| dup.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let (ss, se) = si
            .and_then(|i| an.sentences.get(i))
            .map_or((0, cx.text.len()), |s| (s.start, s.end));
        let (qs, qe) = (q.evidence.start, q.evidence.end);
        let before_start = qs.saturating_sub(40).max(ss);
        let lower = finder.lower();
        let before = lower.get(before_start..qs).unwrap_or("");
        let after = lower.get(qe..(qe + 30).min(se.max(qe))).unwrap_or("");
        let measure = measure_of(q, before, after);
        let in_span = |e: &Evidence| e.start <= qs && qe <= e.end;
        let note_node = dg
            .nodes
            .iter()
            .position(|n| n.note.as_ref().is_some_and(in_span) || in_span(&n.evidence));
        let note_of = note_node.and_then(|ni| nodes.get(ni).copied());
        let design_edge = |e: &crate::design::diagram::DiagramEdge| {
            let (f, t) = (nodes.get(e.from)?, nodes.get(e.to)?);
            d.edges.iter().position(|x| x.from == *f && x.to == *t)
        };
        let label_edge = dg
            .edges
            .iter()
            .find(|e| {
                e.label_span.as_ref().is_some_and(in_span)
                    || e.label_more.as_ref().is_some_and(in_span)
            })
            .and_then(design_edge);
        // A box note annotates the box's one outgoing hop (or, for a sink,
        // its one incoming hop), as the arrows read it.
        let note_edge = note_node.and_then(|ni| {
            let outs: Vec<_> = dg.edges.iter().filter(|e| e.from == ni).collect();
            let ins: Vec<_> = dg.edges.iter().filter(|e| e.to == ni).collect();
            match (outs.as_slice(), ins.as_slice()) {
                ([one], _) | ([], [one]) => design_edge(one),
                _ => None,
            }
        });
        let in_diagram = drawn.iter().any(|&(ds, de)| ds < se && ss < de);
        let ms: &[Mention] = match si {
            Some(i) => mentions.get(i).map_or(&[], Vec::as_slice),
            None => whole.get_or_insert_with(|| finder.mentions_in(d, cx, ss, se)),
        };
        let subject = note_of.or_else(|| subject_near(ms, qs - ss));
        let denied = denied_before(&lower[ss..qs]);
        // In prose: a sentence naming both ends of a hop is about it; in the
        // answer to a question about a hop, a sentence naming one end or
        // none is about the asked hop.
        // Only what flows is a hop's figure: a window or a TTL said in the
        // same breath is not. Both ends must come before the number ("Iceberg
        // to Trino: ... 50 MB/s") or sit in its clause: "a Kafka partition
        // takes 100 MB/s ... 4 partitions feed Flink" is not the hop's rate.
        let flows = matches!(
            measure,
            Measure::Throughput | Measure::ByteRate | Measure::Volume | Measure::ItemSize
        );
        let rel = qs - ss;
        let clause = clause_of(&cx.text[ss..se], rel);
        let said_of = |e: usize| {
            d.edges.get(e).is_some_and(|x| {
                let placed = |c: usize| {
                    ms.iter().any(|m| {
                        m.comp == Some(c)
                            && (m.end <= rel || (clause.0 <= m.start && m.end <= clause.1))
                    })
                };
                placed(x.from) && placed(x.to)
            })
        };
        // Two hops in one sentence, a semicolon apart ("Flink to ClickHouse
        // is 5K rows a second; S3 to Snowflake is 200 GB an hour"): the hop
        // named in the number's own part comes first.
        let part = lower[ss..qs].rfind(';').map_or(0, |i| i + 1);
        let own = &ms[ms.partition_point(|m| m.start < part)..];
        let prose_edge = (!in_diagram && !denied && flows)
            .then(|| {
                (part > 0)
                    .then(|| edge_between(d, own))
                    .flatten()
                    .or_else(|| edge_between(d, ms))
                    .filter(|&e| said_of(e))
                    .or_else(|| asked_hop(d, cx, ms, lower.get(ss..se).unwrap_or("")))
            })
            .flatten();
        let edge = label_edge
            .or(note_edge)
            .or(prose_edge)
            .filter(|&i| d.edges.get(i).is_some_and(|e| e.carries_figures()));
        d.numbers.push(Number {
            measure,
            value: value_of(q),
            subject,
            edge,
            denied,
            per_unit: per_unit(before, after),
            evidence: shift(&q.evidence, cx.off),
            turn: cx.turn,
        });
        out.numbers.push(d.numbers.len() - 1);
    }
    derive_rates(d, cx, an, first, out);
}

/// What reports on an interval: "scrape every 15s, ~5M series" is a rate.
const EMITTERS: &[&str] = &[
    "series", "devices", "device", "sensors", "sensor", "meters", "meter", "vehicles", "vehicle",
    "cameras", "camera", "cars", "car", "trucks", "truck", "phones", "phone", "targets", "target",
    "trackers", "tracker",
];

/// "Scrape every 15s, ~5M series in all": a count of things that each
/// report on an interval, the interval said first, is a rate said without
/// one (the quantity reader reads "5M series every 15s" as a rate itself).
/// It is read as the throughput it makes (count ÷ interval), quoted from
/// the interval to the count, of the count's subject; not when the sentence
/// already gives a rate.
fn derive_rates(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    first: usize,
    out: &mut TurnReading,
) {
    let sentence = |n: &Number| {
        crate::read::sentences::sentence_at(&an.sentences, n.evidence.start.saturating_sub(cx.off))
    };
    let new = first..d.numbers.len();
    let mut derived = Vec::new();
    for c in &d.numbers[new.clone()] {
        let Some(count) = c.value.filter(|v| *v >= 1.0 && !c.denied) else {
            continue;
        };
        let emits = EMITTERS
            .iter()
            .any(|w| crate::read::text::holds_words(&c.evidence.quote, w));
        if c.measure != Measure::Count || !emits {
            continue;
        }
        let si = sentence(c);
        let mut same = d.numbers[new.clone()].iter().filter(|n| sentence(n) == si);
        if same.clone().any(|n| n.measure == Measure::Throughput) {
            continue;
        }
        // The interval a few words before the count.
        let Some(iv) = same.find(|n| {
            n.measure == Measure::Interval
                && n.value.is_some_and(|v| v >= 1.0)
                && n.evidence.end <= c.evidence.start
                && c.evidence.start - n.evidence.end <= 40
        }) else {
            continue;
        };
        // "every 15s", not "15s".
        let (mut start, end) = (iv.evidence.start, c.evidence.end);
        let head = cx.text.get(..start.saturating_sub(cx.off)).unwrap_or("");
        if let Some(w) = ["every ", "each "].iter().find(|w| head.ends_with(*w)) {
            start -= w.len();
        }
        let Some(said) = cx
            .text
            .get(start.saturating_sub(cx.off)..end.saturating_sub(cx.off))
        else {
            continue;
        };
        derived.push(Number {
            measure: Measure::Throughput,
            value: iv.value.map(|secs| count / secs),
            subject: c.subject,
            edge: None,
            denied: false,
            per_unit: false,
            evidence: Evidence {
                start,
                end,
                quote: said.split_whitespace().collect::<Vec<_>>().join(" "),
            },
            turn: c.turn,
        });
    }
    for n in derived {
        d.numbers.push(n);
        out.numbers.push(d.numbers.len() - 1);
    }
}

/// "partition", searched for with a finder built once.
static PARTITION: LazyLock<memmem::Finder<'static>> =
    LazyLock::new(|| memmem::Finder::new("partition"));

/// A figure said of one partition, broker or node, from the words around
/// it ("… 3 MB/s each", "a partition can take 100 MB/s").
fn per_unit(before: &str, after: &str) -> bool {
    let after = after.trim_start();
    [
        "each",
        "per partition",
        "a partition",
        "per broker",
        "per node",
        "per shard",
        "per consumer",
        "per task",
    ]
    .iter()
    .any(|w| after.starts_with(w))
        // Each phrase before holds "partition": one search rules them all out.
        || PARTITION.find(before.as_bytes()).is_some()
            && [
            "each partition",
            "per partition",
            "a partition can",
            "a single partition",
            "one partition",
        ]
        .iter()
        .any(|w| before.contains(w))
}

/// The clause of a sentence around byte `pos`: between commas, semicolons,
/// colons and dashes.
fn clause_of(st: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(st.len());
    let is_break = |c: char| matches!(c, ',' | ';' | ':' | '—' | '(' | ')');
    let start = st[..pos]
        .char_indices()
        .rev()
        .find(|&(_, c)| is_break(c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let end = st[pos..]
        .char_indices()
        .find(|&(_, c)| is_break(c))
        .map_or(st.len(), |(i, _)| pos + i);
    (start, end)
}

/// True when the clause before a number denies it: "Kafka doesn't see the
/// 45 MB/s", "I wouldn't push 400K/s through the join", "it's not 200K/s".
/// A cap is not a denial: "no more than 5K/s", "not over 10 MB/s".
/// `before` is ASCII-lowercased.
pub(super) fn denied_before(before: &str) -> bool {
    let clause = before
        .rfind([',', ';', ':', '(', '—', '.', '!', '?'])
        .map_or(before, |i| {
            let w = before[i..].chars().next().map_or(1, char::len_utf8);
            &before[i + w..]
        });
    let words = clause
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty());
    // Whether any word negates, and the last two words.
    let (mut negated, mut prev, mut last) = (false, None, None);
    for w in words {
        negated |= matches!(w, "not" | "never" | "no" | "nor" | "neither")
            || w.ends_with("n't")
            || w.ends_with("n’t");
        prev = last;
        last = Some(w);
    }
    if !negated {
        return false;
    }
    let tail = match (prev, last) {
        (Some(p), Some(l)) => format!("{p} {l}"),
        (None, Some(l)) => l.to_string(),
        _ => String::new(),
    };
    let cap = [
        "more than",
        "less than",
        "fewer than",
        "over",
        "above",
        "below",
        "under",
        "beyond",
        "exceed",
        "exceeds",
        "than",
        "past",
    ]
    .iter()
    .any(|c| tail.ends_with(c));
    !cap
}

/// Words that say how often something runs, with the period in seconds.
const SCHEDULES: [(&str, f64); 8] = [
    ("hourly", 3600.0),
    ("every hour", 3600.0),
    ("daily", 86_400.0),
    ("nightly", 86_400.0),
    ("every night", 86_400.0),
    ("once a day", 86_400.0),
    ("every day", 86_400.0),
    ("weekly", 604_800.0),
];

/// The schedule words and "every " (last), each searched for with a
/// finder built once.
static SCHEDULE_WORDS: LazyLock<Vec<memmem::Finder<'static>>> = LazyLock::new(|| {
    SCHEDULES
        .iter()
        .map(|(w, _)| *w)
        .chain(["every "])
        .map(memmem::Finder::new)
        .collect()
});

/// A schedule said in a sentence: "hourly", "nightly", "every 15 minutes",
/// with where its words start in the sentence. `lower` is the sentence
/// `text[s..e]`, ASCII-lowercased.
pub(super) fn schedule_in(
    lower: &str,
    an: &Analysis<'_>,
    s: usize,
    e: usize,
) -> Option<(f64, usize)> {
    // The first word of the list the sentence contains wins; else the
    // first "every ".
    let hay = lower.as_bytes();
    let words = &*SCHEDULE_WORDS;
    let first = (0..SCHEDULES.len()).find_map(|k| {
        let at = words.get(k).and_then(|f| f.find(hay))?;
        Some((SCHEDULES.get(k)?.1, at))
    });
    if first.is_some() {
        return first;
    }
    let i = words.get(SCHEDULES.len()).and_then(|f| f.find(hay))?;
    let at = s + i;
    an.quantities
        .iter()
        .filter(|q| q.evidence.start >= at && q.evidence.start < e && q.evidence.start <= at + 12)
        .find_map(value_of)
        .map(|secs| (secs, i))
}

/// Whether a schedule said at `at` in sentence `lower` is said of the
/// component mentioned at `m_start..m_end`: the two share a clause ("a
/// nightly Spark job", "Airflow runs it hourly"), or the mention comes
/// before it with no new subject in between ("Spark, running hourly,
/// ..."). "... from Airflow metadata, and the platform team
/// reviews the orphans weekly" is the team's schedule, not Airflow's.
pub(super) fn schedule_of(lower: &str, at: usize, (m_start, m_end): (usize, usize)) -> bool {
    let (lo, hi) = if m_end <= at {
        (m_end, at)
    } else if at < m_start {
        (at, m_start)
    } else {
        return true;
    };
    let between = lower.get(lo..hi).unwrap_or_default();
    let new_subject = [
        ", and ",
        "; ",
        ", but ",
        ", while ",
        ", so ",
        " and the ",
        " while the ",
    ]
    .iter()
    .any(|w| between.contains(w));
    !new_subject && (m_end <= at || !between.contains([',', ';', ':', '(']))
}
