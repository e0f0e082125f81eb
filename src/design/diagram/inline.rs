//! Arrows written inline: `A -> B -> C`, labelled arrows, `A -> B : label`,
//! reversed arrows, chains continued on the next line (`   -> Flink`) under
//! the box they hang from, and vertical connectors between box lines.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::cuts::{top_level_semicolons, top_level_stops};
use super::naming::{names_figure, segment, Pos, MAX_NAME_WORDS};
use super::Builder;

/// The arrow regex and the indexes of its label groups (`l1`..`l5`) and of
/// `rev`, looked up once rather than by name at every arrow.
struct ArrowRe {
    re: Regex,
    labels: Vec<usize>,
    rev: Option<usize>,
}

fn arrow_re() -> &'static Option<ArrowRe> {
    static RE: OnceLock<Option<ArrowRe>> = OnceLock::new();
    RE.get_or_init(|| {
        let re = regex::bytes::RegexBuilder::new(concat!(
            r"<-+>",
            r"|-+\s*\[(?P<l1>[^\]\n]{0,80})\]\s*-*>",
            r"|-+\s*\((?P<l2>[^)\n]{0,80})\)\s*-+>",
            r"|--+\s+(?P<l3>[^\n>|]{1,60}?)\s+--+>",
            // Glued to the dashes: `devices --MQTT, JSON, 2M msgs/s--> IoT Core`.
            r"|--+(?P<l6>[^\s<>|\-](?:[^\n<>|]{0,58}[^\s<>|\-])?)--+>",
            r"|==+\s+(?P<l4>[^\n>]{1,60}?)\s+==+>",
            r"|(?:-+|=+|─+|\.+-|-\.+-)>\s*\|(?P<l5>[^|\n]{0,80})\|",
            r"|-+>>?|=+>|─+(?:>|►|▶)|━+(?:>|►|▶)|-+(?:►|▶)|~+>|\.+->|-\.+->|→|⟶|⇒|➔|➜|⟹|⭢",
            r"|(?P<rev><-+|←)",
        ))
        .unicode(false)
        .build()
        .ok()?;
        let group = |name: &str| re.capture_names().position(|n| n == Some(name));
        Some(ArrowRe {
            labels: ["l1", "l2", "l3", "l4", "l5", "l6"]
                .iter()
                .filter_map(|n| group(n))
                .collect(),
            rev: group("rev"),
            re,
        })
    })
}

fn connector_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::RegexBuilder::new(r"^\s*(?:\||│|↓|▼|⬇|[vV](?:\s|$))\s*(?P<label>.*?)\s*$")
            .unicode(false)
            .build()
            .ok()
    })
}

/// One arrow on a line: its span, its label span, its direction.
struct Arrow {
    start: usize,
    end: usize,
    label: Option<(usize, usize)>,
    reverse: bool,
}

fn arrows_in(arrow: &ArrowRe, line: &[u8]) -> Vec<Arrow> {
    let has_right = memchr::memchr2(b'>', 0xE2, line).is_some();
    let has_left = memchr::memmem::find(line, b"<-").is_some();
    if !has_right && !has_left {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut caps = arrow.re.capture_locations();
    for m in arrow.re.find_iter(line) {
        let (start, end) = (m.start(), m.end());
        if !may_capture(m.as_bytes()) {
            out.push(Arrow {
                start,
                end,
                label: None,
                reverse: false,
            });
            continue;
        }
        // The leftmost-first match at `start` is `m` itself: no match
        // starts between the previous one's end and it.
        if arrow.re.captures_read_at(&mut caps, line, start).is_none() {
            continue;
        }
        let label = arrow.labels.iter().find_map(|&g| caps.get(g));
        out.push(Arrow {
            start,
            end,
            label,
            reverse: arrow.rev.and_then(|g| caps.get(g)).is_some(),
        });
    }
    out
}

/// Drops the arrows inside a box's note: "Kafka -> VictoriaMetrics
/// (vminsert -> vmstorage, 15 days raw)" is one hop, the note says how the
/// box works inside ("Delta Lake (bronze → silver → gold)"). An arrow is
/// inside when a bracket opened before it closes after it on the line
/// (brackets of an arrow's own label, `-(x)->`, do not count). One to a
/// real product stays a hop: "ElastAlert (alerts -> Slack / PagerDuty)".
/// When every arrow is inside, the line is a flow written in brackets and
/// keeps them.
fn drop_enclosed(
    line: &str,
    arrows: &mut Vec<Arrow>,
    idx: &crate::read::components::ComponentIndex,
) {
    let bytes = line.as_bytes();
    if arrows.len() < 2 || memchr::memchr2(b'(', b'[', bytes).is_none() {
        return;
    }
    let mut open: Vec<usize> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut next = arrows.iter().peekable();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(a) = next.peek() {
            if i >= a.start {
                i = i.max(a.end);
                next.next();
                continue;
            }
        }
        match bytes[i] {
            b'(' | b'[' => open.push(i),
            b')' | b']' => {
                if let Some(o) = open.pop() {
                    pairs.push((o, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    let close = |a: &Arrow| {
        pairs
            .iter()
            .filter(|&&(o, c)| o < a.start && a.end <= c)
            .map(|&(_, c)| c)
            .min()
    };
    if arrows.iter().all(|a| close(a).is_some()) {
        return;
    }
    let keep: Vec<bool> = arrows
        .iter()
        .enumerate()
        .map(|(k, a)| {
            let Some(c) = close(a) else {
                return true;
            };
            let to = arrows.get(k + 1).map_or(c, |n| n.start.min(c));
            line.get(a.end..to)
                .is_some_and(|t| idx.find_all(t).iter().any(|m| !m.vague))
        })
        .collect();
    let mut keep = keep.into_iter();
    arrows.retain(|_| keep.next().unwrap_or(true));
}

/// Whether an arrow match can have a label or be reversed, so its groups
/// are worth a capture search (a plain `->` is most arrows). A labelled
/// arrow holds `[`, `(`, `|`, whitespace or a word glued to its dashes
/// (`--JSON-->`); a reversed one starts with `<` or `←`.
fn may_capture(m: &[u8]) -> bool {
    m.starts_with(b"<")
        || m.starts_with("←".as_bytes())
        || m.iter().any(|&b| {
            matches!(b, b'[' | b'(' | b'|' | b' ' | b'\t'..=b'\r') || b.is_ascii_alphanumeric()
        })
}

/// A line with nothing but a vertical connector (and maybe a label). A
/// Markdown table row (`| Kafka | Avro | 96 partitions |`) is not one.
fn may_be_connector(line: &[u8]) -> bool {
    let t = line.trim_ascii();
    let table_row = t.len() > 1 && t.starts_with(b"|") && t.ends_with(b"|");
    !table_row
        && t.first()
            .is_some_and(|&b| matches!(b, b'|' | b'v' | b'V' | 0xE2))
}

/// A sequence of states in parentheses inside a sentence ("tracked on a
/// dashboard (draft → consumers ready → producer flipped → enforced)"):
/// steps of a process, not boxes, when no step names a real product.
fn steps_in_prose(
    line: &str,
    arrows: &[Arrow],
    idx: &crate::read::components::ComponentIndex,
) -> bool {
    let (Some(first), Some(last)) = (arrows.first(), arrows.last()) else {
        return false;
    };
    let Some(open) = line[..first.start].rfind('(') else {
        return false;
    };
    let Some(close) = line[last.end..].find(')').map(|k| last.end + k) else {
        return false;
    };
    let sentence = line[..open].split_whitespace().count() > MAX_NAME_WORDS;
    let inside = &line[open + 1..close];
    sentence && !inside.contains(['(', ')']) && idx.find_all(inside).iter().all(|m| m.vague)
}

/// Logical lines: physical lines not used by another notation, joined while
/// a parenthesis is open (the seed's multi-line box notes).
fn logical_lines(text: &str, lines: &[(usize, usize)], used: &[bool]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize)> = None;
    let mut depth: i32 = 0;
    for (i, &(s, e)) in lines.iter().enumerate() {
        if used[i] {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            depth = 0;
            continue;
        }
        cur = Some(match cur {
            Some((cs, _)) => (cs, e),
            None => (s, e),
        });
        let line = &text.as_bytes()[s..e];
        let brackets = memchr::memchr3(b'(', b'[', b')', line).is_some()
            || memchr::memchr(b']', line).is_some();
        if brackets {
            for &b in line {
                match b {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => depth = (depth - 1).max(0),
                    _ => {}
                }
            }
        }
        let long = cur.is_some_and(|(cs, ce)| ce - cs > 400);
        if depth == 0 || long {
            if let Some(c) = cur.take() {
                out.push(c);
            }
            depth = 0;
        }
    }
    if let Some(c) = cur {
        out.push(c);
    }
    out
}

/// A logical line cut where a semicolon or a sentence's stop ends one chain
/// of arrows and another begins ("portal -> Kafka 5K a day; ledger ->
/// deleter a few MB a day", "… -> Redshift (every minute). Kinesis ->
/// Firehose -> S3"): each part is read as its own line. A semicolon inside
/// a label or note ("Kafka -> Flink : Avro; 200K/s") cuts nothing, nor
/// does one with no arrow on both sides. The parts go to `out`.
fn push_chains(
    text: &str,
    (ls, le): (usize, usize),
    arrow: &ArrowRe,
    out: &mut Vec<(usize, usize)>,
) {
    let line = &text.as_bytes()[ls..le];
    if memchr::memchr3(b';', b'.', b'?', line).is_none() && memchr::memchr(b'!', line).is_none() {
        out.push((ls, le));
        return;
    }
    // Two chains need two arrows; each piece holds an arrow or not.
    let arrows = arrows_in(arrow, line);
    if arrows.len() < 2 {
        out.push((ls, le));
        return;
    }
    let has_arrow = |s: usize, e: usize| arrows.iter().any(|a| s <= a.start && a.start < e);
    let (mut start, mut piece_start, mut chain) = (0, 0, false);
    let mut cuts: Vec<usize> = top_level_semicolons(line)
        .chain(top_level_stops(line))
        .collect();
    cuts.sort_unstable();
    for end in cuts.into_iter().chain([line.len()]) {
        let here = has_arrow(piece_start, end);
        if here && chain {
            // The semicolon before this piece ends the chain before it.
            out.push((ls + start, ls + piece_start - 1));
            start = piece_start;
        }
        chain |= here;
        piece_start = end + 1;
    }
    out.push((ls + start, le));
}

pub(crate) fn parse(b: &mut Builder<'_>, lines: &[(usize, usize)], used: &[bool]) {
    let (Some(arrow), Some(conn)) = (arrow_re(), connector_re()) else {
        return;
    };
    let text = b.text;
    let idx = b.idx;
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut pending_from: Option<usize> = None;
    let mut vertical_from: Option<usize> = None;
    let mut vertical_label: Option<(usize, usize)> = None;
    let mut saw_connector = false;
    let mut candidate: Option<(usize, usize)> = None;
    // The box the previous line's chain ended in, while lines of arrows
    // follow each other.
    let mut chain_end: Option<usize> = None;

    let mut chains = Vec::new();
    for span in logical_lines(text, lines, used) {
        push_chains(text, span, arrow, &mut chains);
    }
    for (ls, le) in chains {
        let line = &text[ls..le];
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let mut arrows = arrows_in(arrow, line.as_bytes());
        drop_enclosed(line, &mut arrows, idx);
        if arrows.is_empty() {
            chain_end = None;
            let connector = if may_be_connector(line.as_bytes()) {
                conn.captures(line.as_bytes())
            } else {
                None
            };
            if let Some(c) = connector {
                if vertical_from.is_none() {
                    if let Some(span) = candidate.take() {
                        vertical_from = segment(text, span, Pos::First, idx)
                            .and_then(|sg| b.add_node(sg.name.0, sg.name.1, sg.note));
                    }
                }
                if let Some(m) = c.name("label").filter(|m| m.end() > m.start()) {
                    vertical_label = Some((ls + m.start(), ls + m.end()));
                }
                saw_connector = vertical_from.is_some();
                continue;
            }
            if saw_connector && line.trim().len() <= 80 {
                let to = segment(text, (ls, le), Pos::Last, idx)
                    .and_then(|sg| b.add_node(sg.name.0, sg.name.1, sg.note));
                if let (Some(from), Some(to)) = (vertical_from, to) {
                    b.add_edge(from, to, vertical_label.take(), (ls + indent, le));
                    vertical_from = Some(to);
                    saw_connector = false;
                    continue;
                }
            }
            saw_connector = false;
            vertical_label = None;
            vertical_from = None;
            candidate =
                (line.trim().len() <= 60 && !line.trim_end().ends_with(':')).then_some((ls, le));
            continue;
        }
        let above = candidate.take();
        saw_connector = false;
        let n = arrows.len();
        let first_span = (ls, ls + arrows[0].start);
        let last_span = (ls + arrows[n - 1].end, le);
        let before = segment(text, first_span, Pos::First, idx);
        let last = (n == 1).then(|| segment(text, last_span, Pos::Last, idx));
        // Arithmetic written with arrows is not a flow: "8k/s × 1 KB ≈ 690
        // GB/day → 100 GB/day Parquet", "buckets for active cards → a few
        // hundred MB". A segment naming no box is looked at again only when
        // it holds a digit or an amount word.
        let figure = |(s, e): (usize, usize), pos| {
            let t = &text[s..e];
            (t.bytes().any(|b| b.is_ascii_digit()) || crate::read::rates::has_word_amount(t))
                && names_figure(text, (s, e), pos, idx)
        };
        // A sentence with an arrow in it ("training from what was served,
        // not recomputed → no skew by construction", "a table not tagged →
        // caught by a weekly scan of the catalog") is prose, not a hop: a
        // left side longer than a name with no component on either side, or
        // a right side longer than a name with no product on either side.
        let prose = |(s, e): (usize, usize)| text[s..e].split_whitespace().count() > MAX_NAME_WORDS;
        // Only generic words ("a table", "the job"), no product or box.
        let names_no_product = |(s, e): (usize, usize)| {
            idx.find_all(&text[s..e]).iter().all(|m| m.vague) && !b.names_a_box(&text[s..e])
        };
        // The right side up to its label or note ("Vector agents : JSON log
        // lines, 10M lines/s" is a name and a label).
        let prose_after = |(s, e): (usize, usize)| {
            let t = &text[s..e];
            let name = t.find([':', '(', '[', '|']).map_or(t, |k| &t[..k]);
            name.split_whitespace().count() > MAX_NAME_WORDS
        };
        let names_none = |(s, e): (usize, usize)| {
            idx.find_all(&text[s..e]).is_empty() && !b.names_a_box(&text[s..e])
        };
        if (before.is_none() && figure(first_span, Pos::First))
            || (last.as_ref().is_some_and(Option::is_none) && figure(last_span, Pos::Last))
            || (n == 1 && prose(first_span) && names_none(first_span) && names_none(last_span))
            || (n == 1 && {
                // The right side's own sentence: a line of prose goes on
                // to other sentences ("… which alerts. Re-ingestion: …").
                let (s, e) = last_span;
                let right = (s, text[s..e].find(". ").map_or(e, |k| s + k));
                prose_after(right) && names_no_product(first_span) && names_no_product(right)
            })
            || steps_in_prose(line, &arrows, idx)
        {
            vertical_from = None;
            chain_end = None;
            continue;
        }
        let mut before = before;
        let mut last = last.flatten();
        let mut prev: Option<usize> = None;
        let mut first_node: Option<usize> = None;
        let mut group: Vec<usize> = Vec::new();
        // A hop's note written between two arrows: "OLTP -> (CDC or
        // export) -> S3" is one hop, OLTP to S3, by CDC or export.
        let mut carried: Option<((usize, usize), usize)> = None;
        for (k, a) in arrows.iter().enumerate() {
            let (a_start, a_end) = (ls + a.start, ls + a.end);
            if k == 0 {
                // "Kafka -> Flink" after "Kafka orders" and "Kafka payments"
                // were drawn: every one of them feeds Flink.
                group = before
                    .as_ref()
                    .map(|sg| b.group_named(sg.name.0, sg.name.1))
                    .unwrap_or_default();
                let grouped = group.last().copied();
                if grouped.is_some() {
                    before = None;
                }
                prev = match grouped.or_else(|| {
                    before
                        .take()
                        .and_then(|sg| b.add_continuing(sg.name.0, sg.name.1, sg.note, chain_end))
                }) {
                    Some(i) => Some(i),
                    None => pending_from
                        .take()
                        .or_else(|| {
                            stack
                                .iter()
                                .rev()
                                .find(|(ind, _)| *ind < indent)
                                .or(stack.last())
                                .map(|(_, n)| *n)
                        })
                        .or_else(|| {
                            // "Kafka" on its own line, then "  -> Flink".
                            above
                                .and_then(|span| segment(text, span, Pos::First, idx))
                                .and_then(|sg| b.add_node(sg.name.0, sg.name.1, sg.note))
                        }),
                };
                first_node = prev;
            }
            let next_start = arrows.get(k + 1).map_or(le, |nx| ls + nx.start);
            let pos = if k + 1 == n { Pos::Last } else { Pos::Middle };
            if pos == Pos::Middle && a.label.is_none() && !a.reverse {
                if let Some(note) = hop_note(text, (a_end, next_start), idx) {
                    carried = Some((note, carried.map_or(a_start, |c| c.1)));
                    continue;
                }
            }
            let seg = match last.take() {
                Some(sg) if n == 1 => Some(sg),
                _ => segment(text, (a_end, next_start), pos, idx),
            };
            let carried = carried.take();
            match seg.and_then(|sg| b.add_node(sg.name.0, sg.name.1, sg.note).map(|i| (i, sg))) {
                Some((to, sg)) => {
                    if let Some(from) = prev {
                        let label = a
                            .label
                            .map(|(s, e)| (ls + s, ls + e))
                            .or(carried.map(|c| c.0))
                            .or(sg.trailing);
                        let (f, t) = if a.reverse { (to, from) } else { (from, to) };
                        let start = carried.map_or(a_start, |c| c.1);
                        b.add_edge(f, t, label, (start, next_start));
                        if k == 0 && !a.reverse {
                            for &g in &group {
                                b.add_edge(g, to, label, (start, next_start));
                            }
                        }
                    }
                    prev = Some(to);
                }
                None => pending_from = prev,
            }
        }
        chain_end = prev;
        if first_node.is_some() || prev.is_some() {
            stack.retain(|(ind, _)| *ind < indent);
            if let Some(p) = prev {
                stack.push((indent, p));
                vertical_from = Some(p);
            }
        }
    }
}

/// The inside of a segment that is nothing but one parenthesised note
/// ("(CDC or export)"), as a span: what the hop it sits on carries or how.
/// A product in parentheses ("(Debezium)") is still a box.
fn hop_note(
    text: &str,
    (s, e): (usize, usize),
    idx: &crate::read::components::ComponentIndex,
) -> Option<(usize, usize)> {
    let t = text.get(s..e)?;
    let inner = t.trim().strip_prefix('(')?.strip_suffix(')')?;
    // One group: "(a) and (b)" is not a note.
    if inner.contains(['(', ')']) || inner.trim().is_empty() {
        return None;
    }
    if idx.find_all(inner).iter().any(|m| !m.vague) {
        return None;
    }
    let at = s + (inner.as_ptr() as usize - t.as_ptr() as usize);
    Some((at, at + inner.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An arrow's span, label span and direction.
    type Read = (usize, usize, Option<(usize, usize)>, bool);

    /// Every arrow as one capture search per match would read it.
    fn by_captures(arrow: &ArrowRe, line: &[u8]) -> Vec<Read> {
        arrow
            .re
            .captures_iter(line)
            .filter_map(|c| {
                let m = c.get(0)?;
                let label = arrow
                    .labels
                    .iter()
                    .find_map(|&g| c.get(g))
                    .map(|x| (x.start(), x.end()));
                let reverse = arrow.rev.and_then(|g| c.get(g)).is_some();
                Some((m.start(), m.end(), label, reverse))
            })
            .collect()
    }

    #[test]
    fn plain_arrows_skip_the_capture_search_and_read_the_same() {
        let Some(arrow) = arrow_re() else {
            panic!("the arrow regex compiles");
        };
        for line in [
            "Kafka -> Flink -> S3",
            "Kafka --[avro, 200K/s]--> Flink <- Debezium ← Postgres",
            "A -(json)-> B == nightly ==> C -- events --> D",
            "A -->|orders| B <-> C ─► D ━▶ E ~> F .-> G -.-> H → I ⇒ J",
            "devices --MQTT, JSON, 2M msgs/s--> IoT Core --> Kinesis --JSON--> Flink",
            "A -> B (Avro, 64 partitions) -> C\t-> D",
            "p95 < 60 sec >> nothing <-- back",
        ] {
            let got: Vec<_> = arrows_in(arrow, line.as_bytes())
                .into_iter()
                .map(|a| (a.start, a.end, a.label, a.reverse))
                .collect();
            assert_eq!(got, by_captures(arrow, line.as_bytes()), "{line}");
        }
    }
}
