//! What part of the text between two arrows names the box, and what is a
//! note on it (`Kafka (Avro, 200 MB/s)`, `S3 — raw parquet`) or a label for
//! the arrow just drawn (`A -> B : avro, 5K/s`).

use super::cuts::top_level_semicolons;
use super::product_words::{from_product, written_as};
use crate::read::components::ComponentIndex;
use crate::read::quantity::has_quantity;
use crate::read::text::word_spans;

/// Where a segment sits on its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pos {
    /// Before the first arrow.
    First,
    /// Between two arrows.
    Middle,
    /// After the last arrow.
    Last,
}

/// A box name, its note and a trailing arrow label, as absolute byte spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seg {
    pub name: (usize, usize),
    pub note: Option<(usize, usize)>,
    pub trailing: Option<(usize, usize)>,
}

const BULLETS: &[&str] = &["- ", "* ", "• ", "+ ", "> ", "– ", "— "];
pub(crate) const MAX_NAME_WORDS: usize = 4;

fn trim_span(text: &str, (s, e): (usize, usize)) -> (usize, usize) {
    let t = &text[s..e];
    let lead = t.len() - t.trim_start().len();
    let core = t.trim();
    (s + lead, s + lead + core.len())
}

/// Strip decoration at the start: bullets, numbering, emphasis, quotes.
fn strip_lead(text: &str, (mut s, e): (usize, usize)) -> (usize, usize) {
    loop {
        let (ts, _) = trim_span(text, (s, e));
        s = ts;
        let t = &text[s..e];
        if let Some(b) = BULLETS.iter().find(|b| t.starts_with(**b)) {
            s += b.len();
            continue;
        }
        // "1. ", "2) ", "(a) "
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && digits <= 3 {
            let rest = &t[digits..];
            if rest.starts_with(". ") || rest.starts_with(") ") {
                s += digits + 2;
                continue;
            }
        }
        if let Some(c) = t.chars().next() {
            if matches!(c, '*' | '`' | '"' | '\'' | '_' | '“' | '‘') {
                s += c.len_utf8();
                continue;
            }
        }
        return (s, e);
    }
}

/// Strip decoration at the end: emphasis, quotes and sentence punctuation.
/// A quote that closes one opened inside the name stays: `Kafka topic
/// "driver-locations"`.
fn strip_tail(text: &str, (s, mut e): (usize, usize)) -> (usize, usize) {
    loop {
        let (_, te) = trim_span(text, (s, e));
        e = te;
        let name = &text[s..e];
        let closes = |q: char, open: char| {
            name.ends_with(q) && name[..name.len() - q.len_utf8()].contains(open)
        };
        if closes('"', '"') || closes('”', '“') || closes('’', '‘') {
            return (s, e);
        }
        match text[s..e].chars().next_back() {
            Some(c)
                if matches!(
                    c,
                    '*' | '`' | '"' | '\'' | '_' | '”' | '’' | ',' | ';' | '.' | '!' | '?'
                ) =>
            {
                e -= c.len_utf8();
            }
            _ => return (s, e),
        }
    }
}

/// The index of the bracket closing the one at `open` (same line), if any.
fn matching_close(t: &str, open: usize) -> Option<usize> {
    let (o, c) = match t.as_bytes().get(open)? {
        b'(' => (b'(', b')'),
        b'[' => (b'[', b']'),
        b'{' => (b'{', b'}'),
        _ => return None,
    };
    let mut depth = 0i32;
    for (i, &b) in t.as_bytes().iter().enumerate().skip(open) {
        if b == o {
            depth += 1;
        } else if b == c {
            depth -= 1;
            if depth == 0 {
                return Some(i);
            }
        }
    }
    None
}

/// Where a name stops and its note or the next clause starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    Bracket,
    Colon,
    Dash(usize),
    Clause,
}

fn find_cut(t: &str) -> Option<(usize, Cut)> {
    let b = t.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        match c {
            b'(' | b'[' | b'{' if i > 0 => return Some((i, Cut::Bracket)),
            b':' => {
                let url = t[i..].starts_with("://");
                let clock = i > 0
                    && b[i - 1].is_ascii_digit()
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit);
                if !url && !clock {
                    return Some((i, Cut::Colon));
                }
            }
            b',' | b';' => return Some((i, Cut::Clause)),
            b'.' if b.get(i + 1).is_some_and(|n| *n == b' ') => return Some((i, Cut::Clause)),
            b' ' => {
                for d in [" - ", " — ", " – ", " -- "] {
                    if t[i..].starts_with(d) {
                        return Some((i, Cut::Dash(d.len())));
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Where the last sentence of `t` starts, after a full stop, question or
/// exclamation mark and a space, when a capital starts it ("… batch. On
/// the current path, App").
fn last_sentence_start(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    (1..b.len().saturating_sub(1)).rev().find_map(|i| {
        // Both bytes are ASCII, so `i` and `i - 1` are char boundaries.
        if !(matches!(b[i - 1], b'.' | b'?' | b'!') && b[i] == b' ') {
            return None;
        }
        let next = t[i..].trim_start();
        let starts = next.starts_with(|c: char| c.is_uppercase());
        // "e.g. Kafka", "vs. Kinesis": a short word before the stop.
        let word = t[..i - 1]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("");
        let abbrev = word.len() <= 3 && word.chars().all(|c| c.is_ascii_lowercase() || c == '.');
        (starts && !abbrev && next.chars().any(char::is_alphanumeric)).then(|| t.len() - next.len())
    })
}

/// True when a note is only another name for the product ("Kafka (MSK)").
fn is_alias(idx: &ComponentIndex, inner: &str) -> bool {
    let words = inner.split_whitespace().count();
    words > 0
        && words <= 3
        && !inner.bytes().any(|b| b.is_ascii_digit())
        && idx.format_in(inner).is_none()
        && {
            let m = idx.find_all(inner);
            !m.is_empty() && m.iter().all(|m| !m.vague)
        }
}

/// True when text reads as an annotation: a number or a data format.
fn looks_like_annotation(idx: &ComponentIndex, t: &str) -> bool {
    idx.format_in(t).is_some() || has_quantity(t)
}

/// Read one segment of a line between arrows: the box it names, or
/// `None` (nothing named, or a figure: see [`is_figure`]).
pub(crate) fn segment(
    text: &str,
    span: (usize, usize),
    pos: Pos,
    idx: &ComponentIndex,
) -> Option<Seg> {
    read_segment(text, span, pos, idx).filter(|sg| !is_figure(idx, &text[sg.name.0..sg.name.1]))
}

/// True when the segment names a figure, not a box ("→ a few hundred MB").
pub(crate) fn names_figure(
    text: &str,
    span: (usize, usize),
    pos: Pos,
    idx: &ComponentIndex,
) -> bool {
    read_segment(text, span, pos, idx).is_some_and(|sg| is_figure(idx, &text[sg.name.0..sg.name.1]))
}

fn read_segment(text: &str, span: (usize, usize), pos: Pos, idx: &ComponentIndex) -> Option<Seg> {
    let (mut s, e) = strip_lead(text, span);
    // Read out of a sentence of prose, not a diagram line.
    let mut in_prose = false;
    if s >= e {
        return None;
    }
    // "Ingest: producer -> Kafka": a heading before the first box; "OK.
    // Kafka -> Flink", "So, Kafka -> Flink": a word before it.
    if pos == Pos::First {
        // "… tens of thousands of (user_id, table) rows a day; Postgres
        // ledger -> Spark": no box name holds a semicolon outside its
        // note, so the box starts after the last one.
        if let Some(i) = top_level_semicolons(&text.as_bytes()[s..e]).last() {
            let after = strip_lead(text, (s + i + 1, e)).0;
            if text[after..e].chars().any(char::is_alphanumeric) {
                s = after;
            }
        }
        // "There's no Druid any more. On the current path, App -> Kafka",
        // "… most of the bill. I'm replacing it: Flink -> ClickHouse": a box
        // name does not span sentences, so it is read in the last one, as
        // prose ("Redis gets SET customer_id -> latest row" is Redis).
        if let Some(i) = last_sentence_start(&text[s..e]) {
            s = strip_lead(text, (s + i, e)).0;
            in_prose = true;
        }
        while let Some((i, cut)) = find_cut(&text[s..e]) {
            let t = &text[s..e];
            let (before, after) = (&t[..i], &t[i + 1..]);
            let named_before = !idx.find_all(before).is_empty();
            let leads = match cut {
                Cut::Colon => !idx.find_all(after).is_empty() || !named_before,
                // A sentence or clause said before the box that names none.
                Cut::Clause => !named_before && after.starts_with(char::is_whitespace),
                // "… will inflate false positives — with 500 experiments
                // that's daily. So: Kafka -> Flink": an aside before the
                // box, when the words after the dash name a product.
                Cut::Dash(_) => !named_before && !idx.find_all(after).is_empty(),
                _ => false,
            };
            if !leads || !after.chars().any(char::is_alphanumeric) {
                break;
            }
            s = strip_lead(text, (s + i + 1, e)).0;
        }
    }
    let t = &text[s..e];
    // PlantUML `[Kafka]`, Mermaid-less brackets.
    if t.starts_with('[') {
        if let Some(close) = matching_close(t, 0) {
            let name = strip_tail(text, (s + 1, s + close));
            let rest = (s + close + 1, e);
            let (note, trailing) = rest_of(text, rest, pos, idx);
            return (name.0 < name.1).then_some(Seg {
                name,
                note,
                trailing,
            });
        }
    }
    let (mut name, mut note, mut trailing) = match find_cut(t) {
        None => (strip_tail(text, (s, e)), None, None),
        Some((i, cut)) => {
            let name = strip_tail(text, (s, s + i));
            let rest = (s + i, e);
            match cut {
                Cut::Bracket => {
                    let close = matching_close(t, i);
                    let inner = close.map(|c| &t[i + 1..c]).unwrap_or(&t[i + 1..]);
                    if let (Some(c), true) = (close, is_alias(idx, inner)) {
                        // The parenthesis is part of the name; read on after it.
                        let name = (s, s + c + 1);
                        let (note, trailing) = rest_of(text, (s + c + 1, e), pos, idx);
                        (name, note, trailing)
                    } else {
                        let (note, trailing) = rest_of(text, rest, pos, idx);
                        (name, note, trailing)
                    }
                }
                _ => {
                    let (note, trailing) = rest_of(text, rest, pos, idx);
                    (name, note, trailing)
                }
            }
        }
    };
    if name.0 >= name.1 {
        // "(Avro) -> Flink"? Nothing to name.
        return None;
    }
    // "Ratings hourly from Snowflake -> Spark": what is taken from a
    // product is said before it; the box is the product.
    if pos == Pos::First {
        name = from_product(text, name, idx).unwrap_or(name);
    }
    // Prose around an arrow: keep the product nearest the arrow, or the
    // nearest few words.
    let words: Vec<(usize, usize)> = word_spans(text, name);
    let named = || {
        let said = &text[name.0..name.1];
        // One word is the box's name, however it is said.
        if words.len() < 2 {
            return false;
        }
        idx.find_all(said)
            .iter()
            .any(|m| !m.vague && m.evidence.end - m.evidence.start < said.trim().len())
    };
    if name_words(&text[name.0..name.1]) > MAX_NAME_WORDS || (in_prose && named()) {
        let mentions = idx.find_all(&text[name.0..name.1]);
        let pick = match pos {
            Pos::First => mentions.iter().rev().find(|m| !m.vague),
            _ => mentions.iter().find(|m| !m.vague),
        };
        let timed = (pos != Pos::First)
            .then(|| deadline_at(text, &words))
            .flatten();
        // "Kafka 5K requests a day", "ledger about 20M rows a day": after
        // an arrow in prose, a figure right after the box is the hop's.
        let said_end = name.1;
        let mut figure_from: Option<usize> = None;
        name = match (pick, timed) {
            (Some(m), _) => {
                let end = name.0 + m.evidence.end;
                if pos != Pos::First && has_quantity(&text[end..said_end]) {
                    figure_from = Some(end);
                }
                (name.0 + m.evidence.start, end)
            }
            // "Finance report by 06:00 UTC": the name, then when it is due.
            (None, Some(k)) => {
                // "ledger about 20M rows a day": "about" is the figure's.
                let word = |k: usize| text[words[k].0..words[k].1].to_ascii_lowercase();
                let mut k = k;
                while k > 1 && FIGURE_LEADS.contains(&word(k - 1).as_str()) {
                    k -= 1;
                }
                let w = word(k);
                let figure = FIGURE_LEADS.contains(&w.as_str())
                    || w.starts_with(|c: char| c.is_ascii_digit() || c == '~');
                if figure && !has_clock(&text[words[k].0..said_end]) {
                    figure_from = Some(words[k].0);
                } else if note.is_none() {
                    note = Some((words[k].0, name.1));
                }
                (name.0, words[k - 1].1)
            }
            (None, None) if pos == Pos::First => (words[words.len() - 3].0, name.1),
            (None, None) => {
                let cut = figure_at(text, &words);
                if cut < words.len().min(3) && has_quantity(&text[words[cut].0..said_end]) {
                    figure_from = Some(words[cut].0);
                }
                (name.0, trim_joiners(text, &words[..cut]))
            }
        };
        if pos != Pos::First {
            // The rest of a long last segment is prose, not a note.
            note = note.filter(|n| looks_like_annotation(idx, &text[n.0..n.1]));
            trailing = trailing.filter(|n| looks_like_annotation(idx, &text[n.0..n.1]));
        }
        if let Some(f) = figure_from {
            let f = f + (text[f..said_end].len() - text[f..said_end].trim_start().len());
            trailing = Some((f, trailing.map_or(said_end, |t| t.1.max(said_end))));
        }
    }
    if pos != Pos::First {
        // "the BigQuery -> dashboard arrow says …": prose about the arrow
        // itself; the box ends before the word for it.
        let words = word_spans(text, name);
        let arrow_word = words.iter().skip(1).position(|&(a, b)| {
            matches!(
                text[a..b].to_ascii_lowercase().as_str(),
                "arrow" | "arrows" | "edge" | "hop"
            )
        });
        if let Some(k) = arrow_word {
            name = (name.0, words[k].1);
        }
    }
    let mut name = strip_tail(text, name);
    // "-> Elasticsearch partial updates": the words after the product say
    // how it is written, a note of the arrow, not the box's name.
    if pos != Pos::First && note.is_none() {
        if let Some((product, how)) = written_as(text, name, idx) {
            name = product;
            note = Some(how);
        }
    }
    // "-> (Debezium CDC) ->": the box is what the parentheses hold.
    let t = &text[name.0..name.1];
    if t.len() > 2
        && t.starts_with('(')
        && t.ends_with(')')
        && !t[1..t.len() - 1].contains(['(', ')'])
    {
        name = (name.0 + 1, name.1 - 1);
    }
    Some(Seg {
        name,
        note,
        trailing,
    })
}

/// True when a would-be box name is a figure: it starts with a number or
/// an amount in words ("690 GB/day JSON", "~100 GB/day Parquet", "18
/// months ≈ 55 TB", "a few hundred MB") and names no product. Arrows
/// between figures are arithmetic ("8k/s × 1 KB ≈ 690 GB/day → 100 GB/day
/// Parquet"), not a flow between components.
fn is_figure(idx: &ComponentIndex, name: &str) -> bool {
    let lead = name.trim_start_matches(['~', '≈', '<', '>', '≤', '≥', '+', ' ']);
    let in_words = || {
        crate::read::rates::has_word_amount(lead)
            && crate::read::quantity::quantities(lead)
                .first()
                .is_some_and(|q| q.evidence.start == 0)
    };
    (lead.starts_with(|c: char| c.is_ascii_digit()) || in_words())
        && !idx.find_all(name).iter().any(|m| !m.vague)
}

/// Words that join a name to what follows it, never its last word.
const JOINERS: &[&str] = &[
    "by", "at", "in", "within", "before", "after", "every", "for", "to", "of", "on", "with", "and",
];

/// Where a long box name turns into when or how much: the first word
/// (after the first) that starts with a digit, or the joiner before it
/// ("by 06:00 UTC", "within 90 minutes", "at 5K/s"), if within the name's
/// length.
fn deadline_at(text: &str, words: &[(usize, usize)]) -> Option<usize> {
    let digit = words
        .iter()
        .position(|&(s, _)| text[s..].starts_with(|c: char| c.is_ascii_digit()))?;
    let k = if digit > 1
        && JOINERS.contains(
            &text[words[digit - 1].0..words[digit - 1].1]
                .to_ascii_lowercase()
                .as_str(),
        ) {
        digit - 1
    } else {
        digit
    };
    (1..=MAX_NAME_WORDS).contains(&k).then_some(k)
}

/// The end of the last of `words` that is not a joiner ("Finance report
/// by" ends at "report").
fn trim_joiners(text: &str, words: &[(usize, usize)]) -> usize {
    let keep = words
        .iter()
        .rposition(|&(s, e)| !JOINERS.contains(&text[s..e].to_ascii_lowercase().as_str()))
        .unwrap_or(0);
    words[keep].1
}

/// True when `t` holds a time of day ("06:00"): a deadline, not a figure.
fn has_clock(t: &str) -> bool {
    let b = t.as_bytes();
    (1..b.len().saturating_sub(1))
        .any(|i| b[i] == b':' && b[i - 1].is_ascii_digit() && b[i + 1].is_ascii_digit())
}

/// Words that start a figure after a box name ("ledger about 20M rows a
/// day", "deleter a few MB a day").
const FIGURE_LEADS: &[&str] = &[
    "about",
    "around",
    "roughly",
    "approx",
    "approximately",
    "~",
    "a",
    "some",
    "tens",
    "hundreds",
    "thousands",
    "under",
    "over",
    "up",
    "maybe",
];

/// How many of a long last segment's first three words name the box:
/// up to the first that starts a figure (a digit, "~", "about"), at least
/// one.
fn figure_at(text: &str, words: &[(usize, usize)]) -> usize {
    let n = words.len().min(3);
    words[..n]
        .iter()
        .skip(1)
        .position(|&(s, e)| {
            let w = text[s..e].to_ascii_lowercase();
            w.starts_with(|c: char| c.is_ascii_digit() || c == '~')
                || FIGURE_LEADS.contains(&w.as_str())
        })
        .map_or(n, |k| k + 1)
}

/// Word spans (whitespace-separated) inside `span`.
/// How many words a name holds; a lone "/", "&" or "+" between them is
/// not one ("Web / iOS / Android SDK" is four).
fn name_words(t: &str) -> usize {
    t.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// A byte span, when there is one.
type Span = Option<(usize, usize)>;

/// Split what follows a name into a box note and a trailing arrow label.
fn rest_of(text: &str, (s, e): (usize, usize), pos: Pos, idx: &ComponentIndex) -> (Span, Span) {
    let (s, e) = trim_span(text, (s, e));
    if s >= e {
        return (None, None);
    }
    let t = &text[s..e];
    let first = t.as_bytes()[0];
    match first {
        b':' => {
            let label = trim_span(text, (s + 1, e));
            if label.0 >= label.1 {
                return (None, None);
            }
            // `A -> B : label` labels the arrow into B; elsewhere it is a note.
            if pos == Pos::First {
                (Some(label), None)
            } else {
                (None, Some(label))
            }
        }
        b'(' | b'[' | b'{' => {
            let close = matching_close(t, 0).unwrap_or(t.len() - 1);
            let note = (s, s + close + 1);
            let after = trim_span(text, (s + close + 1, e));
            let trailing = if after.0 < after.1 && text[after.0..].starts_with(':') {
                let l = trim_span(text, (after.0 + 1, after.1));
                (l.0 < l.1 && pos != Pos::First).then_some(l)
            } else if after.0 < after.1 && looks_like_annotation(idx, &text[after.0..after.1]) {
                // "Kafka (MSK), avro 5K/s": more of the note.
                return (Some((s, after.1)), None);
            } else {
                None
            };
            (Some(note), trailing)
        }
        b',' | b';' | b'.' => {
            let rest = trim_span(text, (s + 1, e));
            let keep = rest.0 < rest.1 && looks_like_annotation(idx, &text[rest.0..rest.1]);
            // "-> Snowflake. We size it for the 10B-event-per-day peak,
            // and …": a new sentence after the chain is prose, not a note.
            let sentence = first == b'.'
                && text[rest.0..rest.1].starts_with(|c: char| c.is_uppercase())
                && text[rest.0..rest.1].split_whitespace().count() > MAX_NAME_WORDS;
            ((keep && !sentence).then_some(rest), None)
        }
        _ => {
            // A dash: "S3 — raw parquet, 5 TB/day".
            let skip = t
                .char_indices()
                .find(|(_, c)| !matches!(c, ' ' | '-' | '—' | '–'))
                .map_or(t.len(), |(i, _)| i);
            let rest = trim_span(text, (s + skip, e));
            ((rest.0 < rest.1).then_some(rest), None)
        }
    }
}
