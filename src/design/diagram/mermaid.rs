//! Mermaid flowcharts: `flowchart LR` / `graph TD` blocks (fenced or not)
//! and stray lines in Mermaid syntax (`A[Kafka] -->|avro| B[Flink]`). Nodes
//! are named by their label (`A[Kafka]` is Kafka) and reused by id.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;

use super::naming::{segment, Pos};
use super::Builder;

fn header_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^\s*(?:graph|flowchart)(?:\s+(?:TD|TB|LR|RL|BT))?\s*;?\s*$").ok()
    })
}

/// A stray Mermaid line: an id with a shape, then a link.
fn stray_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*[A-Za-z0-9_]+\s*[\[\(\{>][^\n]*?(?:-->|==>|-\.->|---)").ok())
}

fn link_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"^\s*(?:",
            r"<?--\s+(?P<t1>[^-|>][^|>]*?)\s+--+[>ox]",
            r"|<?==\s+(?P<t2>[^=|>][^|>]*?)\s+==+[>ox]",
            r"|<?-\.\s*(?P<t3>[^.|>][^|>]*?)\s*\.-+[>ox]",
            r"|<?(?:--+|==+|-\.+-|~~~)(?P<head>[>ox])?(?:\s*\|(?P<t4>[^|]*)\|)?",
            r")\s*",
        ))
        .ok()
    })
}

fn id_re() -> &'static Option<Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"^\s*(?P<id>[A-Za-z0-9_]+)").ok())
}

const SHAPES: &[(&str, &str)] = &[
    ("[[", "]]"),
    ("[(", ")]"),
    ("[/", "/]"),
    ("[\\", "\\]"),
    ("([", "])"),
    ("((", "))"),
    ("{{", "}}"),
    ("[", "]"),
    ("(", ")"),
    ("{", "}"),
    (">", "]"),
];

const SKIP: &[&str] = &[
    "subgraph",
    "end",
    "style",
    "classdef",
    "class ",
    "click",
    "linkstyle",
    "direction",
    "%%",
];

/// Mark and parse every Mermaid line.
pub(crate) fn parse(b: &mut Builder<'_>, lines: &[(usize, usize)], used: &mut [bool]) {
    let (Some(header), Some(stray)) = (header_re(), stray_re()) else {
        return;
    };
    let text = b.text;
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut in_block = false;
    let mut fenced = false;
    for (i, &(s, e)) in lines.iter().enumerate() {
        let line = &text[s..e];
        let t = line.trim();
        if t.starts_with("```") {
            let lang = t.trim_start_matches('`').trim().to_ascii_lowercase();
            if fenced {
                fenced = false;
                in_block = false;
                ids.clear();
            } else if lang == "mermaid" {
                fenced = true;
                in_block = true;
                used[i] = true;
            }
            continue;
        }
        // The header starts with its keyword (after `\s*`, what `trim`
        // skips too).
        let keyword = t.starts_with("graph") || t.starts_with("flowchart");
        if keyword && header.is_match(line) {
            in_block = true;
            used[i] = true;
            ids.clear();
            continue;
        }
        if in_block {
            if t.is_empty() {
                continue;
            }
            let lower = t.to_ascii_lowercase();
            if SKIP.iter().any(|k| lower.starts_with(k)) {
                used[i] = true;
                continue;
            }
            if statement(b, &mut ids, (s, e)) || fenced {
                used[i] = true;
                continue;
            }
            in_block = false;
            ids.clear();
        }
        // A stray line starts with an id and holds a link (`-->`, `==>`,
        // `-.->` all end in `>`; or `---`).
        let may_be_stray = t
            .bytes()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_')
            && (memchr::memchr(b'>', t.as_bytes()).is_some()
                || memchr::memmem::find(t.as_bytes(), b"---").is_some());
        if may_be_stray && stray.is_match(line) && statement(b, &mut ids, (s, e)) {
            used[i] = true;
        }
    }
}

/// Parse one line of statements; true when it held Mermaid nodes or links.
fn statement(
    b: &mut Builder<'_>,
    ids: &mut HashMap<String, usize>,
    (s, e): (usize, usize),
) -> bool {
    let mut any = false;
    let mut at = s;
    for part in b.text[s..e].split(';') {
        let end = at + part.len();
        any |= chain(b, ids, (at, end));
        at = end + 1;
    }
    any
}

/// `A & B -->|x| C --> D`: node groups joined by links.
fn chain(b: &mut Builder<'_>, ids: &mut HashMap<String, usize>, (s, e): (usize, usize)) -> bool {
    let Some(link) = link_re() else { return false };
    let mut pos = s;
    let mut prev: Vec<usize> = Vec::new();
    let mut pending: Option<(Option<(usize, usize)>, usize)> = None;
    let mut any = false;
    while let Some((group, after)) = node_group(b, ids, (pos, e)) {
        any = true;
        if let Some((label, link_start)) = pending.take() {
            for &f in &prev {
                for &t in &group {
                    b.add_edge(f, t, label, (link_start, after));
                }
            }
        }
        prev = group;
        pos = after;
        let rest = &b.text[pos..e];
        let Some(c) = link.captures(rest) else { break };
        let Some(m) = c.get(0) else { break };
        let label = ["t1", "t2", "t3", "t4"]
            .iter()
            .find_map(|n| c.name(n))
            .filter(|x| !x.as_str().trim().is_empty())
            .map(|x| (pos + x.start(), pos + x.end()));
        pending = Some((label, pos));
        pos += m.end();
    }
    any
}

/// One or more node refs joined by `&`; returns the nodes and where it ends.
fn node_group(
    b: &mut Builder<'_>,
    ids: &mut HashMap<String, usize>,
    (s, e): (usize, usize),
) -> Option<(Vec<usize>, usize)> {
    let mut out = Vec::new();
    let mut pos = s;
    loop {
        let (n, after) = node_ref(b, ids, (pos, e))?;
        out.push(n);
        pos = after;
        let rest = &b.text[pos..e];
        let trimmed = rest.trim_start();
        if let Some(r) = trimmed.strip_prefix('&') {
            pos = e - r.len();
            continue;
        }
        return Some((out, pos));
    }
}

fn node_ref(
    b: &mut Builder<'_>,
    ids: &mut HashMap<String, usize>,
    (s, e): (usize, usize),
) -> Option<(usize, usize)> {
    let c = id_re().as_ref()?.captures(&b.text[s..e])?;
    let m = c.name("id")?;
    let (id_s, id_e) = (s + m.start(), s + m.end());
    let id = b.text[id_s..id_e].to_string();
    let mut pos = id_e;
    let mut label: Option<(usize, usize)> = None;
    let rest = &b.text[pos..e];
    if let Some((open, close)) = SHAPES.iter().find(|(o, _)| rest.starts_with(o)) {
        let inner_start = pos + open.len();
        if let Some(k) = b.text[inner_start..e].find(close) {
            label = Some((inner_start, inner_start + k));
            pos = inner_start + k + close.len();
        }
    }
    // `:::class` suffix.
    if let Some(r) = b.text[pos..e].strip_prefix(":::") {
        let n = r
            .bytes()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
            .count();
        pos += 3 + n;
    }
    let node = match label {
        Some(span) => named(b, span),
        None => ids
            .get(&id)
            .copied()
            .or_else(|| b.add_node(id_s, id_e, None)),
    }?;
    if label.is_some() || !ids.contains_key(&id) {
        ids.insert(id, node);
    }
    Some((node, pos))
}

/// A node from a Mermaid label: quotes dropped, `<br/>` separating the name
/// from its note.
fn named(b: &mut Builder<'_>, (s, e): (usize, usize)) -> Option<usize> {
    let mut s = s;
    let mut e = e;
    let t = &b.text[s..e];
    let trimmed = t.trim();
    if trimmed.len() >= 2 && trimmed.starts_with('"') && trimmed.ends_with('"') {
        let lead = t.len() - t.trim_start().len();
        s += lead + 1;
        e = s + trimmed.len() - 2;
    }
    let t = &b.text[s..e];
    let br = ["<br/>", "<br>", "<br />", "\\n"]
        .iter()
        .filter_map(|m| t.find(m).map(|i| (i, m.len())))
        .min();
    let (name_end, note) = match br {
        Some((i, l)) => (s + i, Some((s + i + l, e))),
        None => (e, None),
    };
    let seg = segment(b.text, (s, name_end), Pos::First, b.idx)?;
    b.add_node(seg.name.0, seg.name.1, note.or(seg.note))
}
