//! Numbers that do not add up: two of the candidate's own figures that
//! contradict each other, found with the arithmetic an interviewer does on
//! the board, and said back with the candidate's figures first.
//!
//! Three kinds of evidence are read. The candidate's own sums in one
//! sentence ("2M events/s at 1 KB is 200 MB/s"). Figures for the same flow
//! said in different places: two rates on one hop or either side of a
//! queue, a rate and a bandwidth that imply an impossible record size, a
//! daily volume far from a per-second rate upstream of it. And figures that
//! must fit together: storage against a retention, a per-partition figure
//! against the rate over the partitions. Rounding is tolerated: nothing
//! under [`TOLERANCE`] apart is reported, in either direction.

mod claims;
mod flows;
mod terms;

use serde::{Deserialize, Serialize};

use super::numbers::{human, human_seconds};
use super::Design;
use crate::read::Evidence;
use terms::{Dim, Term};

/// How far apart two figures may be before they are reported: estimates
/// rounded to a convenient number are often 2–2.5× out, and that is fine.
pub const TOLERANCE: f64 = 3.0;

/// The unit a figure is in (values are in base units).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Items a second.
    PerSecond,
    /// Bytes a second.
    BytesPerSecond,
    Bytes,
    Seconds,
    /// A plain count.
    Count,
}

impl Unit {
    fn of(d: Dim) -> Unit {
        match d {
            Dim::RATE => Unit::PerSecond,
            Dim::BYTE_RATE => Unit::BytesPerSecond,
            Dim::BYTES => Unit::Bytes,
            Dim::SECS => Unit::Seconds,
            _ => Unit::Count,
        }
    }
}

/// Which arithmetic found the mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// A sum the candidate did in one sentence.
    OwnSum,
    /// Two rates for the same flow: one hop, or either side of a queue.
    SameFlow,
    /// A rate and a bandwidth on one flow imply a record size that is
    /// impossible or far from the one they stated.
    RecordSize,
    /// A volume downstream of a processing stage, orders of magnitude from
    /// the rate into it, said per day against per second (or the reverse).
    AcrossStage,
    /// Storage said for a retention, against the rate that fills it.
    Retention,
    /// A per-partition figure against the rate over the partitions.
    PerPartition,
}

/// How sure the arithmetic is that something is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// A stage may legitimately aggregate: ask where the data went.
    Question,
    /// Both figures cannot be true.
    Contradiction,
}

/// One of the candidate's figures, where they said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// In base units (items/s, bytes/s, bytes, seconds, a count).
    pub value: f64,
    pub unit: Unit,
    /// The figure as they said it ("200 MB/s", "4,000 a second").
    pub said: String,
    /// Its span in [`Design::text`].
    pub evidence: Evidence,
    /// The design's reading of it, when the reader has one (index into
    /// [`Design::numbers`]).
    pub number: Option<usize>,
    turn: u32,
}

/// Two of the candidate's own figures that contradict each other, with
/// the interviewer's arithmetic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mismatch {
    pub check: Check,
    pub severity: Severity,
    /// The figure that does not fit the others.
    pub stated: Figure,
    /// What the candidate's other figures give for it, in `stated.unit`.
    pub implied: f64,
    /// What the interviewer says: the candidate's figures first, then the
    /// result and how far off it is ("2M events/s × 1 KB is about 2 GB/s,
    /// not 200 MB/s: 10× more.").
    pub working: String,
    /// The sentences the figures were said in, oldest first.
    pub quotes: Vec<Evidence>,
    /// Every turn that said one of the figures, the stated one repeated
    /// included, oldest first: a check is timely when the newest is now.
    pub turns: Vec<u32>,
}

impl Mismatch {
    /// True when this compares figures said on both sides of turn `since`
    /// (a 10x stretch answered there): "5K/s" before and "50K/s" after it
    /// are the old design and the stretched one, and so are "20K changes/s"
    /// drawn before and "200 MB/s" said after. Figures of the stretched
    /// design alone still have to add up.
    pub fn rescaled_since(&self, since: u32) -> bool {
        self.check != Check::OwnSum
            && self.turns.iter().any(|&t| t < since)
            && self.turns.iter().any(|&t| t >= since)
    }

    /// How many times apart the figures are (at least [`TOLERANCE`]).
    pub fn off_by(&self) -> f64 {
        let r = self.implied / self.stated.value;
        r.max(1.0 / r)
    }

    /// True when the candidate's figure is smaller than their other
    /// figures imply (under-sized), false when larger.
    pub fn under(&self) -> bool {
        self.implied > self.stated.value
    }
}

/// Every mismatch in the design, contradictions first, then the furthest
/// off first.
pub fn mismatches(design: &Design) -> Vec<Mismatch> {
    let said = sentences(design);
    let mut found = Vec::new();
    let mut summed: Vec<(usize, usize)> = Vec::new();
    for (si, s) in said.iter().enumerate() {
        if s.diagram {
            continue;
        }
        let text = &design.text()[s.start..s.end];
        for sum in claims::sums(text, &s.terms) {
            summed.extend(sum.lhs.iter().map(|(t, _)| (si, *t)));
            summed.push((si, sum.rhs));
            if sum.off >= TOLERANCE {
                found.push(own_sum(design, &said, si, &sum));
            }
        }
    }
    found.extend(flows::check(design, &said, &summed));
    merge(design, &said, found)
}

/// True when `turn` works `figure` out again from other figures and the
/// sum adds up ("200 a day x 30 days = 6,000 node-hours"): `figure` is
/// the one questioned, as said ("6,000 node-hours"), matched by its number.
pub fn turn_confirms(design: &Design, turn: u32, figure: &str) -> bool {
    let digits = |t: &str| -> String {
        t.split(|c: char| !(c.is_ascii_digit() || c == ',' || c == '.'))
            .find(|w| w.starts_with(|c: char| c.is_ascii_digit()))
            .map(|w| w.trim_end_matches(['.', ',']).replace(',', ""))
            .unwrap_or_default()
    };
    let wanted = digits(figure);
    if wanted.is_empty() {
        return false;
    }
    sentences(design)
        .iter()
        .filter(|s| s.turn == turn && !s.diagram)
        .any(|s| {
            let text = &design.text()[s.start..s.end];
            let sums = claims::sums(text, &s.terms);
            !sums.is_empty()
                && sums.iter().all(|sum| sum.off < TOLERANCE)
                && sums.iter().any(|sum| {
                    let r = &s.terms[sum.rhs];
                    text.get(r.start..r.end)
                        .is_some_and(|t| digits(t) == wanted)
                })
        })
}

/// One sentence of the candidate's, with its figures.
struct Said {
    pub turn: u32,
    /// Span in [`Design::text`].
    start: usize,
    end: usize,
    /// A line of a diagram: its figures are labels, not sums.
    diagram: bool,
    /// A what-if ("becomes", "instead of", "10x"): its figures are not the
    /// design's.
    hypothetical: bool,
    /// Another sentence of the same turn is a what-if.
    what_if_turn: bool,
    /// Spans relative to `start`.
    terms: Vec<Term>,
}

impl Said {
    fn evidence(&self, design: &Design) -> Evidence {
        Evidence {
            start: self.start,
            end: self.end,
            quote: design.text()[self.start..self.end].to_string(),
        }
    }
}

const ARROWS: &[&str] = &["->", "→", "=>", "⇒", "⟶", "▶", "▼", "│", "-[", "-- "];

const WHAT_IF: &[&str] = &[
    "becom",
    "would",
    "instead of",
    "goes from",
    "go from",
    "went from",
    "up from",
    "down from",
    "grows",
    "grow to",
    "double",
    "triple",
    "times the",
    "times more",
    "10x",
    "10×",
    "ten times",
    "if we",
    "if it",
    "if the",
    "suppose",
    "imagine",
    "scale to",
    "scales to",
    "could ",
];

/// The design's text as sentences (a line of a diagram is one), each with
/// its figures.
fn sentences(design: &Design) -> Vec<Said> {
    let text = design.text();
    let mut out = Vec::new();
    for t in design.turns() {
        let mut line_start = t.start;
        for line in text[t.start..t.end].split('\n') {
            let mut s = 0;
            let b = line.as_bytes();
            for i in 0..=b.len() {
                let end = i == b.len()
                    || (matches!(b[i], b'.' | b'!' | b'?')
                        && b.get(i + 1).is_none_or(u8::is_ascii_whitespace)
                        && !line[..i].ends_with("i.e")
                        && !line[..i].ends_with("e.g"));
                if !end {
                    continue;
                }
                let piece = &line[s..i.min(b.len())];
                let lead = piece.len() - piece.trim_start().len();
                let body = piece.trim();
                if !body.is_empty() {
                    let lower = body.to_ascii_lowercase();
                    out.push(Said {
                        turn: t.turn,
                        start: line_start + s + lead,
                        end: line_start + s + lead + body.len(),
                        diagram: ARROWS.iter().any(|a| body.contains(a)),
                        hypothetical: WHAT_IF.iter().any(|w| lower.contains(w)),
                        what_if_turn: false,
                        // A sum needs digits: a sentence without any
                        // ("an hour is plenty") has none worth reading.
                        terms: if body.bytes().any(|c| c.is_ascii_digit()) {
                            resolve_each(body, terms::terms(body))
                        } else {
                            Vec::new()
                        },
                    });
                }
                s = (i + 1).min(b.len());
            }
            line_start += line.len() + 1;
        }
        // A turn that scales or changes the design ("ten times the
        // samples…") speaks of another design in every sentence.
        let from = out
            .iter()
            .rposition(|s: &Said| s.turn != t.turn)
            .map_or(0, |i| i + 1);
        if t.what_if || out[from..].iter().any(|s| s.hypothetical) {
            for s in &mut out[from..] {
                s.what_if_turn = true;
            }
        }
    }
    out
}

/// A bare "each" is per the thing counted just before it ("50M users at
/// 1 KB each"), and a size right after "at" or "of" a count or rate is
/// per item of it ("2M events/s at 1 KB").
fn resolve_each(text: &str, mut ts: Vec<Term>) -> Vec<Term> {
    for k in 1..ts.len() {
        let prev_noun = ts[..k].iter().rev().find_map(|t| t.noun.clone());
        let gap = text
            .get(ts[k - 1].end..ts[k].start)
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let t = &mut ts[k];
        if t.each.as_deref() == Some("") {
            if let Some(n) = prev_noun {
                t.each = Some(n);
            }
        } else if t.each.is_none()
            && t.dim == Dim::BYTES
            && matches!(gap.split_whitespace().next(), Some("at" | "with"))
        {
            t.each = prev_noun;
        }
    }
    ts
}

/// The figure for term `k` of sentence `si`.
fn figure(design: &Design, said: &[Said], si: usize, k: usize) -> Figure {
    let s = &said[si];
    let t = &s.terms[k];
    let (start, end) = (s.start + t.start, s.start + t.end);
    let quote = design.text()[start..end].to_string();
    Figure {
        value: t.mid(),
        unit: Unit::of(t.dim),
        said: quote.clone(),
        evidence: Evidence { start, end, quote },
        number: number_at(design, start, end),
        turn: s.turn,
    }
}

/// The design number overlapping `start..end` (numbers are in text
/// order).
fn number_at(design: &Design, start: usize, end: usize) -> Option<usize> {
    let ns = &design.numbers;
    let from = ns.partition_point(|n| n.evidence.end <= start);
    (from..ns.len())
        .take_while(|&i| ns[i].evidence.start < end)
        .find(|&i| ns[i].evidence.start < end && start < ns[i].evidence.end)
}

fn own_sum(design: &Design, said: &[Said], si: usize, sum: &claims::Sum) -> Mismatch {
    let s = &said[si];
    let r = &s.terms[sum.rhs];
    let stated = figure(design, said, si, sum.rhs);
    // Multiplied figures first, then what they are divided by: a divisor
    // said first ("at 1 MB/s per shard, 5 GB/s is …") still reads "5 GB/s
    // ÷ 1 MB/s".
    let said_of = |t: usize| figure(design, said, si, t).said;
    let times: Vec<String> = sum
        .lhs
        .iter()
        .filter(|(_, e)| *e > 0)
        .map(|(t, _)| said_of(*t))
        .collect();
    let mut lhs = if times.is_empty() {
        "1".to_string()
    } else {
        times.join(" × ")
    };
    for (t, _) in sum.lhs.iter().filter(|(_, e)| *e < 0) {
        lhs.push_str(" ÷ ");
        lhs.push_str(&said_of(*t));
    }
    let implied = sum.value();
    // "4M updates a day is about 46 updates a second": the noun of the
    // left side when the right side has none.
    let noun = r.noun.as_deref().or_else(|| {
        sum.lhs
            .iter()
            .find_map(|(t, _)| s.terms[*t].noun.as_deref())
    });
    // "… is about 5K reads per shard": the item a per-item figure is per.
    let per_item = match r.each.as_deref() {
        Some(item) if !item.is_empty() && r.dim == Dim::COUNT => format!(" per {item}"),
        _ => String::new(),
    };
    let working = format!(
        "{lhs} is about {}{per_item}, not {}: {}.",
        speak(implied, r.dim, r.period, noun),
        stated.said,
        apart(implied, stated.value)
    );
    Mismatch {
        check: Check::OwnSum,
        severity: Severity::Contradiction,
        turns: vec![s.turn],
        quotes: vec![s.evidence(design)],
        stated,
        implied,
        working,
    }
}

/// A value as a person says it, in the period and noun of the figure it is
/// compared with ("17 TB a day", "46 updates a second", "720M ids").
fn speak(v: f64, dim: Dim, period: Option<f64>, noun: Option<&str>) -> String {
    let per = |p: f64| match p as u64 {
        1 => "a second",
        60 => "a minute",
        3600 => "an hour",
        86_400 => "a day",
        604_800 => "a week",
        2_592_000 => "a month",
        31_536_000 => "a year",
        _ => "a second",
    };
    let p = period
        .filter(|p| per(*p) != "a second" || *p == 1.0)
        .unwrap_or(1.0);
    let plural = |n: Option<&str>| {
        n.map(|n| format!(" {}", terms::plural(n)))
            .unwrap_or_default()
    };
    match dim {
        Dim::BYTE_RATE if p == 1.0 => human(v, "B/s"),
        Dim::BYTE_RATE => format!("{} {}", human(v * p, "B"), per(p)),
        Dim::RATE => format!("{}{} {}", count(v * p), plural(noun), per(p)),
        Dim::BYTES if v < 10.0 => format!("{} bytes", small(v)),
        Dim::BYTES => human(v, "B"),
        Dim::SECS => human_seconds(v),
        _ => format!("{}{}", count(v), plural(noun)),
    }
}

fn count(v: f64) -> String {
    if v < 10.0 {
        small(v)
    } else {
        human(v, "")
    }
}

/// A small value to two significant figures ("0.15", "46").
fn small(v: f64) -> String {
    if v <= 0.0 {
        return "0".into();
    }
    let digits = (1 - v.log10().floor() as i32).max(0) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// How far apart, said as a factor and a direction ("10× more").
fn apart(implied: f64, stated: f64) -> String {
    let f = (implied / stated).max(stated / implied);
    let dir = if implied > stated { "more" } else { "less" };
    format!("{} {dir}", factor(f))
}

/// A factor to two significant figures with separators ("86×", "3,500×").
fn factor(f: f64) -> String {
    let mag = 10f64.powi((f.log10().floor() as i32 - 1).max(0));
    let r = ((f / mag).round() * mag) as u64;
    let digits = r.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{out}×")
}

/// One mismatch per pair of figures: the same stated figure with the same
/// implied value found twice (or said again later) is one mismatch with
/// every quote and turn.
fn merge(design: &Design, said: &[Said], found: Vec<Mismatch>) -> Vec<Mismatch> {
    let near = |a: f64, b: f64, by: f64| (a / b - 1.0).abs() < by;
    let mut out: Vec<Mismatch> = Vec::new();
    for m in found {
        match out.iter_mut().find(|o| {
            o.stated.unit == m.stated.unit
                && near(o.stated.value, m.stated.value, 0.01)
                && near(o.implied, m.implied, 0.05)
        }) {
            Some(o) => {
                if m.severity > o.severity {
                    o.severity = m.severity;
                }
                o.quotes.extend(m.quotes);
                o.turns.extend(m.turns);
            }
            None => out.push(m),
        }
    }
    // The stated figure said again, anywhere, unless that sentence states
    // it as part of another mismatch (a different "2 GB").
    let mut owned: std::collections::HashMap<usize, Vec<usize>> = Default::default();
    for (i, m) in out.iter().enumerate() {
        for q in &m.quotes {
            owned.entry(q.start).or_default().push(i);
        }
    }
    for (i, m) in out.iter_mut().enumerate() {
        for s in said {
            if owned
                .get(&s.start)
                .is_some_and(|js| js.iter().any(|&j| j != i))
            {
                continue;
            }
            let again = s.terms.iter().any(|t| {
                Unit::of(t.dim) == m.stated.unit
                    && t.each.is_none()
                    && (t.mid() / m.stated.value - 1.0).abs() < 0.02
            });
            if again && !s.hypothetical {
                m.quotes.push(s.evidence(design));
                m.turns.push(s.turn);
            }
        }
        m.quotes.sort_by_key(|e| e.start);
        m.quotes.dedup_by_key(|e| e.start);
        m.turns.sort_unstable();
        m.turns.dedup();
    }
    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(b.off_by().total_cmp(&a.off_by()))
    });
    out
}

#[cfg(test)]
mod tests;
