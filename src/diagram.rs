//! Reading ASCII architecture diagrams (`A -> B -> C`, indented branches,
//! multi-line boxes, labelled and vertical arrows) into a small graph, so the
//! scorer can check the seed's "5–7 boxes, real products, every arrow
//! annotated with format and volume".

use std::sync::OnceLock;

use regex::bytes::Regex;
use serde::{Deserialize, Serialize};

use crate::rubric::ComponentKind;
use crate::score::components::ComponentIndex;
use crate::score::quantity::{quantities, QuantityKind};
use crate::score::Evidence;

/// A box in the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagramNode {
    /// The box as written, without its annotation ("S3 raw", "Kafka").
    pub name: String,
    pub kind: ComponentKind,
    pub evidence: Evidence,
    /// The canonical product inside the box, if it names one ("Kafka").
    #[serde(default)]
    pub product: Option<String>,
}

/// An arrow between two boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagramEdge {
    pub from: usize,
    pub to: usize,
    /// Text written on the arrow or in the target box's annotation.
    pub label: Option<String>,
    /// Data format named on the arrow ("avro", "parquet").
    pub format: Option<String>,
    /// Rough volume on the arrow ("200K events/sec", "2 TB/day").
    pub volume: Option<String>,
    pub evidence: Evidence,
}

/// The graph found in a text; empty when the text has no arrows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Diagram {
    pub nodes: Vec<DiagramNode>,
    pub edges: Vec<DiagramEdge>,
}

impl Diagram {
    /// Arrows missing a format or a volume: the seed wants every arrow annotated.
    pub fn unannotated_edges(&self) -> Vec<&DiagramEdge> {
        self.edges
            .iter()
            .filter(|e| e.format.is_none() || e.volume.is_none())
            .collect()
    }

    /// Boxes with no real product ("a streaming system", "database", "queue"):
    /// the seed calls that a junior signal.
    pub fn vague_nodes(&self) -> Vec<&DiagramNode> {
        self.nodes.iter().filter(|n| n.product.is_none()).collect()
    }

    /// True when there is at least one arrow.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Parse with the builtin component catalogue.
pub fn parse(text: &str) -> Diagram {
    parse_with(text, ComponentIndex::builtin())
}

fn arrow_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::RegexBuilder::new(
            r"-+\s*\[(?P<l1>[^\]\n]*)\]\s*-*>|-+\s*\((?P<l2>[^)\n]*)\)\s*-+>|--+\s+(?P<l3>[^\n>]*?)\s+--+>|-+>|=+>|→|⟶|─+>|~+>",
        )
        .unicode(false)
        .build()
        .ok()
    })
}

fn connector_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::bytes::RegexBuilder::new(r"^\s*(?:\||↓|▼|[vV](?:\s|$))\s*(?P<label>.*?)\s*$")
            .unicode(false)
            .build()
            .ok()
    })
}

struct Builder<'a> {
    text: &'a str,
    idx: &'a ComponentIndex,
    d: Diagram,
    /// Lowercased node names, parallel to `d.nodes`, for reuse lookups.
    keys: Vec<String>,
}

/// One arrow on a line: its span and the label written on it, if any.
struct Arrow {
    start: usize,
    end: usize,
    label: Option<(usize, usize)>,
}

/// The arrows of a line, in order. Every arrow ends in `>`, `→` or `⟶`, so a
/// line with neither `>` nor a 0xE2 lead byte has none; only an arrow that
/// could carry a label (brackets or spaces inside) needs capture groups.
fn arrows_in(arrow: &Regex, line: &[u8]) -> Vec<Arrow> {
    if memchr::memchr2(b'>', 0xE2, line).is_none() {
        return Vec::new();
    }
    arrow
        .find_iter(line)
        .map(|m| {
            let plain = !line[m.start()..m.end()]
                .iter()
                .any(|&b| matches!(b, b'[' | b'(') || b.is_ascii_whitespace() || b == 0x0B);
            let label = if plain {
                None
            } else {
                arrow.captures_at(line, m.start()).and_then(|c| {
                    ["l1", "l2", "l3"]
                        .iter()
                        .find_map(|n| c.name(n))
                        .map(|x| (x.start(), x.end()))
                })
            };
            Arrow {
                start: m.start(),
                end: m.end(),
                label,
            }
        })
        .collect()
}

/// The connector regex can only match a line whose first byte after ASCII
/// whitespace is `|`, `v`, `V` or the lead byte of `↓` / `▼`.
fn may_be_connector(line: &[u8]) -> bool {
    line.iter()
        .find(|&&b| !matches!(b, b' ' | b'\t'..=b'\r'))
        .is_some_and(|&b| matches!(b, b'|' | b'v' | b'V' | 0xE2))
}

impl Builder<'_> {
    /// Add (or reuse) the node written in `text[start..end]`; returns its index
    /// and the annotation text (parenthetical / after a colon).
    fn node(&mut self, start: usize, end: usize) -> Option<(usize, String)> {
        let seg = &self.text[start..end];
        let cut = seg.find(['(', '[', ':']).unwrap_or(seg.len());
        let (mut name_part, annotation) = (&seg[..cut], seg[cut..].to_string());
        let lead = name_part.len() - name_part.trim_start().len();
        let mut name_start = start + lead;
        name_part = name_part.trim();
        let stripped = name_part.trim_start_matches(|c: char| {
            c == '-'
                || c == '*'
                || c == '•'
                || c == '>'
                || c.is_ascii_digit()
                || c == '.'
                || c == ')'
                || c.is_whitespace()
        });
        name_start += name_part.len() - stripped.len();
        name_part = stripped.trim_end_matches([',', ';', ' ']);
        if name_part.is_empty() {
            return None;
        }
        let mentions = self.idx.find_all(name_part);
        let product = mentions.iter().find(|m| !m.vague);
        let kind = product
            .or(mentions.first())
            .map(|m| m.kind)
            .unwrap_or(ComponentKind::Other);
        let (name, name_start) = if name_part.len() > 40 {
            match product.or(mentions.last()) {
                Some(m) => (m.evidence.quote.clone(), name_start + m.evidence.start),
                None => {
                    // The last three words as written (with their own
                    // whitespace), so the evidence stays a real span.
                    let word_starts: Vec<usize> = name_part
                        .char_indices()
                        .filter(|&(i, c)| {
                            !c.is_whitespace()
                                && name_part[..i]
                                    .chars()
                                    .next_back()
                                    .is_none_or(char::is_whitespace)
                        })
                        .map(|(i, _)| i)
                        .collect();
                    let at = word_starts
                        .get(word_starts.len().saturating_sub(3))
                        .copied()
                        .unwrap_or(0);
                    (name_part[at..].trim_end().to_string(), name_start + at)
                }
            }
        } else {
            (name_part.to_string(), name_start)
        };
        let key = name.to_lowercase();
        if let Some(i) = self.keys.iter().position(|k| *k == key) {
            return Some((i, annotation));
        }
        self.keys.push(key);
        let end = name_start + name.len();
        let quote = self.text.get(name_start..end).unwrap_or(&name).to_string();
        self.d.nodes.push(DiagramNode {
            name,
            kind,
            product: product.map(|m| m.name.clone()),
            evidence: Evidence {
                start: name_start,
                end: name_start + quote.len(),
                quote,
            },
        });
        Some((self.d.nodes.len() - 1, annotation))
    }

    fn edge(
        &mut self,
        from: usize,
        to: usize,
        label: Option<String>,
        annotation: &str,
        span: (usize, usize),
    ) {
        if from == to || self.d.edges.iter().any(|e| e.from == from && e.to == to) {
            return;
        }
        let mut ann = String::new();
        if let Some(l) = &label {
            ann.push_str(l);
            ann.push(' ');
        }
        ann.push_str(annotation);
        ann.push(' ');
        ann.push_str(&self.d.nodes[to].name);
        let format = self.idx.format_in(&ann);
        let volume = quantities(&ann)
            .into_iter()
            .find(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size))
            .map(|q| q.evidence.quote);
        let (s, e) = span;
        let label = label.or_else(|| {
            let a = annotation
                .trim()
                .trim_start_matches(['(', '[', ':'])
                .trim_end_matches([')', ']'])
                .trim();
            (!a.is_empty()).then(|| a.to_string())
        });
        self.d.edges.push(DiagramEdge {
            from,
            to,
            label,
            format,
            volume,
            evidence: Evidence {
                start: s,
                end: e,
                quote: self.text[s..e].to_string(),
            },
        });
    }
}

/// Logical lines: physical lines joined while a parenthesis is open.
fn logical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut depth: i32 = 0;
    // The delimiters are ASCII, so bytes stand in for chars (a UTF-8
    // continuation byte is never ASCII).
    for (i, &c) in text.as_bytes().iter().enumerate() {
        match c {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = (depth - 1).max(0),
            b'\n' if depth == 0 || i - start > 400 => {
                out.push((start, i));
                start = i + 1;
                depth = 0;
            }
            _ => {}
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

/// Parse with a given catalogue (the scorer passes its own).
pub(crate) fn parse_with(text: &str, idx: &ComponentIndex) -> Diagram {
    let (Some(arrow), Some(conn)) = (arrow_re(), connector_re()) else {
        return Diagram::default();
    };
    let mut b = Builder {
        text,
        idx,
        d: Diagram::default(),
        keys: Vec::new(),
    };
    let mut stack: Vec<(usize, usize)> = Vec::new();
    let mut pending_from: Option<usize> = None;
    let mut vertical_from: Option<usize> = None;
    let mut vertical_label: Option<String> = None;
    let mut saw_connector = false;
    let mut candidate: Option<(usize, usize)> = None;

    for (ls, le) in logical_lines(text) {
        let line = &text[ls..le];
        if line.trim().is_empty() {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let arrows = arrows_in(arrow, line.as_bytes());
        if arrows.is_empty() {
            let connector = if may_be_connector(line.as_bytes()) {
                conn.captures(line.as_bytes())
            } else {
                None
            };
            if let Some(c) = connector {
                if vertical_from.is_none() {
                    if let Some((cs, ce)) = candidate.take() {
                        vertical_from = b.node(cs, ce).map(|(i, _)| i);
                    }
                }
                let l = c
                    .name("label")
                    .and_then(|m| line.get(m.start()..m.end()))
                    .map(str::trim)
                    .unwrap_or("");
                if !l.is_empty() {
                    vertical_label = Some(l.to_string());
                }
                saw_connector = vertical_from.is_some();
                continue;
            }
            if saw_connector && line.trim().len() <= 80 {
                if let (Some(from), Some((to, ann))) = (vertical_from, b.node(ls, le)) {
                    b.edge(from, to, vertical_label.take(), &ann, (ls + indent, le));
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
        candidate = None;
        saw_connector = false;
        let mut prev: Option<usize> = None;
        let mut seg_start = ls;
        let mut first_node: Option<usize> = None;
        for (k, a) in arrows.iter().enumerate() {
            let (a_start, a_end) = (ls + a.start, ls + a.end);
            let label = a
                .label
                .and_then(|(s, e)| line.get(s..e))
                .map(|x| x.trim().to_string())
                .filter(|s| !s.is_empty());
            if k == 0 {
                prev = match b.node(seg_start, a_start) {
                    Some((i, _)) => Some(i),
                    None => pending_from.take().or_else(|| {
                        stack
                            .iter()
                            .rev()
                            .find(|(ind, _)| *ind < indent)
                            .or(stack.last())
                            .map(|(_, n)| *n)
                    }),
                };
                first_node = prev;
            }
            let next_start = arrows.get(k + 1).map_or(le, |n| ls + n.start);
            match b.node(a_end, next_start) {
                Some((to, ann)) => {
                    if let Some(from) = prev {
                        b.edge(from, to, label, &ann, (a_start, next_start));
                    }
                    prev = Some(to);
                }
                None => pending_from = prev,
            }
            seg_start = a_end;
        }
        if first_node.is_some() || prev.is_some() {
            stack.retain(|(ind, _)| *ind < indent);
            if let Some(p) = prev {
                stack.push((indent, p));
                vertical_from = Some(p);
            }
        }
    }
    // Trim evidence whitespace so quotes stay tight.
    for e in &mut b.d.edges {
        let q = &text[e.evidence.start..e.evidence.end];
        let t = q.trim_end();
        e.evidence.end = e.evidence.start + t.len();
        e.evidence.quote = t.to_string();
    }
    b.d
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str =
        "producer (web/mobile) -> Kafka (200K events/sec, 100 partitions, key=user_id)
   -> Flink (stateful, EXACTLY_ONCE, 24h state TTL,
             sessionize 30-min gap, dedupe by event_id)
        -> S3 5-min parquet files (event-time partitioned)
        -> Materialize (real-time fact_session_open)
   Spark hourly batch:
        S3 raw -> S3 silver -> Snowflake fact_session
";

    #[test]
    fn parses_the_seed_clickstream_diagram_with_branches() {
        let d = parse(SEED);
        let names: Vec<&str> = d.nodes.iter().map(|n| n.name.as_str()).collect();
        assert!(names.contains(&"Kafka"), "{names:?}");
        let idx = |n: &str| names.iter().position(|x| *x == n).expect(n);
        let has = |a: &str, b: &str| d.edges.iter().any(|e| e.from == idx(a) && e.to == idx(b));
        assert!(has("producer", "Kafka"));
        assert!(has("Kafka", "Flink"));
        assert!(has("Flink", "S3 5-min parquet files"));
        assert!(has("Flink", "Materialize"));
        assert!(has("S3 raw", "S3 silver"));
        let k = d
            .edges
            .iter()
            .find(|e| e.to == idx("Kafka"))
            .expect("edge into Kafka");
        assert_eq!(k.volume.as_deref(), Some("200K events/sec"));
        for e in &d.edges {
            assert_eq!(&SEED[e.evidence.start..e.evidence.end], e.evidence.quote);
        }
        for n in &d.nodes {
            assert_eq!(&SEED[n.evidence.start..n.evidence.end], n.evidence.quote);
        }
    }

    #[test]
    fn labelled_arrows_carry_format_and_volume() {
        let d = parse("Postgres --[debezium avro, 5k/s]--> Kafka -(parquet 2 TB/day)-> S3");
        assert_eq!(d.edges.len(), 2, "{d:?}");
        assert_eq!(d.edges[0].format.as_deref(), Some("avro"));
        assert_eq!(d.edges[0].volume.as_deref(), Some("5k/s"));
        assert_eq!(d.edges[1].volume.as_deref(), Some("2 TB/day"));
        assert!(d.unannotated_edges().is_empty());
    }

    #[test]
    fn vague_boxes_are_flagged() {
        let d = parse("app -> queue -> a streaming system -> database");
        let vague: Vec<&str> = d.vague_nodes().iter().map(|n| n.name.as_str()).collect();
        assert!(
            vague.contains(&"queue") && vague.contains(&"database"),
            "{vague:?}"
        );
        assert_eq!(d.unannotated_edges().len(), 3);
    }

    #[test]
    fn vertical_arrows_link_boxes() {
        let d = parse("Kafka\n  |\n  v  avro 10k/s\nFlink\n  |\n  v\nRedis\n");
        assert_eq!(d.edges.len(), 2, "{d:?}");
        assert_eq!(d.edges[0].volume.as_deref(), Some("10k/s"));
    }

    #[test]
    fn prose_without_arrows_is_not_a_diagram() {
        assert!(parse("We use Kafka and Flink, then write to S3.").is_empty());
    }
}
