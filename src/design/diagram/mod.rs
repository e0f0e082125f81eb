//! Reading architecture diagrams as people paste them into a round or a
//! write-up: inline arrows (`A -> B`, `A --> B`, `A => B`, `A → B`,
//! `A --(label)--> B`, `A -- label --> B`, `A -[label]-> B`, `A -> B : label`),
//! chains across lines and indentation, vertical connectors, Mermaid
//! flowcharts, and box-drawing diagrams (`┌─┐ │ ▼`, `+--+`). The result is a
//! small graph whose every node and edge carries a real span of the text.
//!
//! Only diagram syntax makes a box: products named in prose ("could equally
//! be Snowplow or Kafka REST Proxy") are mentions, never boxes.

use serde::{Deserialize, Serialize};

use crate::read::components::ComponentIndex;
use crate::read::quantity::{quantities, QuantityKind};
use crate::read::Evidence;
use crate::rubric::ComponentKind;
use box_name::Name;

mod box_name;
mod boxes;
mod columns;
mod cuts;
mod inline;
mod mermaid;
mod naming;
mod product_words;

/// A box in the diagram.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagramNode {
    /// The box as written, without its note ("S3 raw", "Kafka (MSK)").
    pub name: String,
    pub kind: ComponentKind,
    pub evidence: Evidence,
    /// The canonical product inside the box, if it names one ("Kafka").
    #[serde(default)]
    pub product: Option<String>,
    /// A note written on the box: `Kafka (Avro, 200 MB/s)`, the lines under
    /// a box title. It annotates the box's outgoing hop (or, for a sink, the
    /// incoming one).
    #[serde(default)]
    pub note: Option<Evidence>,
}

/// An arrow between two boxes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagramEdge {
    pub from: usize,
    pub to: usize,
    /// Text written on the arrow (`--(avro)-->`, `-->|avro|`) or after it
    /// (`A -> B : avro, 5K/s`).
    pub label: Option<String>,
    /// Where the label is, when it is a span of the text.
    #[serde(default)]
    pub label_span: Option<Evidence>,
    /// Words written under a box diagram's arrow, read with its label
    /// (`Debezium CDC` over the `──>`, `~60 rows/s avg` under it).
    #[serde(default)]
    pub label_more: Option<Evidence>,
    /// Data format named on the arrow or the boxes' notes ("avro").
    pub format: Option<String>,
    /// Rough volume on the arrow or the boxes' notes ("200K events/sec").
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
    /// Arrows missing a format or a volume (the seed wants every arrow
    /// annotated); the design model also counts payloads and prose.
    pub fn unannotated_edges(&self) -> Vec<&DiagramEdge> {
        self.edges
            .iter()
            .filter(|e| e.format.is_none() || e.volume.is_none())
            .collect()
    }

    /// Boxes that name a generic category and no product ("a streaming
    /// system", "database", "queue"): the seed calls that a junior signal.
    /// The candidate's own services ("Search API") are not vague.
    pub fn vague_nodes(&self) -> Vec<&DiagramNode> {
        let idx = ComponentIndex::builtin();
        self.nodes
            .iter()
            .filter(|n| n.product.is_none() && super::vague::is_generic_name(&n.name, idx))
            .collect()
    }

    /// True when there is no arrow.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Parse with the builtin component catalogue.
pub fn parse(text: &str) -> Diagram {
    parse_with(text, ComponentIndex::builtin())
}

/// Builds the graph: nodes are reused by name, edges are unique per pair.
pub(crate) struct Builder<'a> {
    pub text: &'a str,
    pub idx: &'a ComponentIndex,
    pub d: Diagram,
    /// Lowercased node names, parallel to `d.nodes`.
    keys: Vec<Name>,
    /// Shorter names a box was continued under ("iceberg" for "Iceberg on
    /// S3"), so every later line that starts with one is that box too.
    continued: Vec<(String, usize)>,
}

impl<'a> Builder<'a> {
    fn new(text: &'a str, idx: &'a ComponentIndex) -> Self {
        Builder {
            text,
            idx,
            d: Diagram::default(),
            keys: Vec::new(),
            continued: Vec::new(),
        }
    }

    /// True when `words` hold the name of a box already drawn.
    pub fn names_a_box(&self, words: &str) -> bool {
        let lower = words.to_lowercase();
        self.keys
            .iter()
            .any(|k| k.bare.len() >= 2 && lower.contains(k.bare.as_str()))
    }

    /// The one box already drawn that `key` is a shorter or longer name
    /// of ([`Name::shortens`]): "Orchestrator" after "Deletion orchestrator
    /// (Airflow)", "Kafka" after "Kafka deletion-requests topic". Two such
    /// boxes ("Online store", "Offline store" for "Store") leave it a new box.
    fn shortened(&self, key: &Name, product: Option<&str>) -> Option<usize> {
        let mut found = None;
        for (i, k) in self.keys.iter().enumerate() {
            let theirs = self.d.nodes[i].product.as_deref();
            if key.shortens(product, k, theirs) || k.shortens(theirs, key, product) {
                if found.is_some() {
                    return None;
                }
                found = Some(i);
            }
        }
        found
    }

    /// The one drawn box whose note is nothing but this name: "Iceberg"
    /// after "S3 (Iceberg)", "MSK" after "Kafka (MSK)". A name two boxes
    /// carry as their note is neither of them.
    fn noted_as(&self, key: &Name) -> Option<usize> {
        let mut found = None;
        for (i, n) in self.d.nodes.iter().enumerate() {
            let Some(note) = &n.note else { continue };
            let note = note.quote.trim_matches(['(', ')', '[', ']']).trim();
            if note.len() == key.key.len() && note.eq_ignore_ascii_case(&key.key) {
                if found.is_some() {
                    return None;
                }
                found = Some(i);
            }
        }
        found
    }

    /// The boxes a name stands for when it is the product several drawn
    /// boxes begin with and no box of its own: "Kafka" after "Kafka orders"
    /// and "Kafka payments" is the cluster both topics are in. Empty
    /// otherwise (one such box is [`Builder::add_continuing`]'s or
    /// [`Name::shortens`]'s to read).
    pub fn group_named(&self, start: usize, end: usize) -> Vec<usize> {
        let Some(name) = self.text.get(start..end).map(str::trim) else {
            return Vec::new();
        };
        // Cheap first: two boxes must start with this name.
        let starts = |k: &Name| {
            k.bare
                .get(..name.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(name))
        };
        if name.len() < 2 || self.keys.iter().filter(|k| starts(k)).count() < 2 {
            return Vec::new();
        }
        let key = Name::new(name.to_lowercase());
        if self
            .keys
            .iter()
            .any(|k| k.key == key.key || k.same_box(&key))
            || self.continued.iter().any(|(k, _)| *k == key.key)
        {
            return Vec::new();
        }
        let Some(product) = self.idx.find_all(name).into_iter().find(|m| !m.vague) else {
            return Vec::new();
        };
        let members: Vec<usize> = (0..self.keys.len())
            .filter(|&i| {
                key.begins(&self.keys[i])
                    && self.d.nodes[i]
                        .product
                        .as_deref()
                        .is_some_and(|p| p.eq_ignore_ascii_case(&product.name))
            })
            .collect();
        if members.len() < 2 {
            return Vec::new();
        }
        members
    }

    /// The first box of a line that continues a chain from the box the
    /// previous line ended in (`after`): "… -> Kafka cdc.<db>.<table>", then
    /// "Kafka -> Spark". A name that is the leading words of that box is
    /// that box, unless a box of exactly that name is already drawn or the
    /// name begins another drawn box too.
    pub fn add_continuing(
        &mut self,
        start: usize,
        end: usize,
        note: Option<(usize, usize)>,
        after: Option<usize>,
    ) -> Option<usize> {
        let name = self.text.get(start..end)?.trim();
        let long = after.and_then(|l| Some((l, self.keys.get(l)?)));
        // Cheap first: the box's name must start with this one's first word.
        let first_word = name.split_whitespace().next().unwrap_or(name);
        if let Some((l, long)) = long.filter(|(_, long)| {
            long.key
                .get(..first_word.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(first_word))
                || long.bare.len() < long.key.len()
        }) {
            let key = Name::new(name.to_lowercase());
            let drawn = || {
                self.keys
                    .iter()
                    .any(|k| k.key == key.key || k.same_box(&key))
                    || self.continued.iter().any(|(k, _)| *k == key.key)
            };
            // "Kafka" after two topics drawn as "Kafka topic …" is the
            // cluster, not the last of them.
            let begun = || self.keys.iter().filter(|k| key.begins(k)).count();
            if key.begins(long) && !drawn() && begun() == 1 {
                if self.d.nodes[l].note.is_none() {
                    self.d.nodes[l].note = note.and_then(|(s, e)| self.evidence(s, e));
                }
                self.continued.push((key.key, l));
                return Some(l);
            }
        }
        self.add_node(start, end, note)
    }

    /// Add (or reuse) the node named by `text[start..end]`, with an optional
    /// note span. Returns its index.
    pub fn add_node(
        &mut self,
        start: usize,
        end: usize,
        note: Option<(usize, usize)>,
    ) -> Option<usize> {
        let name = self.text.get(start..end)?.trim();
        if name.is_empty() || !name.chars().any(char::is_alphanumeric) {
            return None;
        }
        let lead = self.text[start..end].len() - self.text[start..end].trim_start().len();
        let start = start + lead;
        let end = start + name.len();
        let key = Name::new(name.to_lowercase());
        let note = note.and_then(|(s, e)| self.evidence(s, e));
        if let Some(i) = self
            .keys
            .iter()
            .position(|k| k.key == key.key)
            .or_else(|| {
                self.continued
                    .iter()
                    .find(|(k, _)| *k == key.key)
                    .map(|c| c.1)
            })
            .or_else(|| self.keys.iter().position(|k| k.same_box(&key)))
        {
            if self.d.nodes[i].note.is_none() {
                self.d.nodes[i].note = note;
            }
            return Some(i);
        }
        if let Some(i) = self.noted_as(&key) {
            return Some(i);
        }
        let mentions = self.idx.find_all(name);
        let product = mentions.iter().find(|m| !m.vague);
        let kind = product
            .or(mentions.first())
            .map(|m| m.kind)
            .unwrap_or(ComponentKind::Other);
        if let Some(i) = self.shortened(&key, product.map(|m| m.name.as_str())) {
            let n = &mut self.d.nodes[i];
            if n.note.is_none() {
                n.note = note;
            }
            // "Orchestrator" drawn first, "Deletion orchestrator (Airflow)"
            // later: the box now names its product.
            if n.product.is_none() {
                if let Some(p) = product {
                    n.product = Some(p.name.clone());
                    n.kind = p.kind;
                }
            }
            return Some(i);
        }
        self.keys.push(key);
        self.d.nodes.push(DiagramNode {
            name: name.to_string(),
            kind,
            product: product.map(|m| m.name.clone()),
            evidence: Evidence {
                start,
                end,
                quote: name.to_string(),
            },
            note,
        });
        Some(self.d.nodes.len() - 1)
    }

    /// A trimmed evidence span, `None` when empty.
    pub fn evidence(&self, s: usize, e: usize) -> Option<Evidence> {
        let q = self.text.get(s..e)?;
        let lead = q.len() - q.trim_start().len();
        let t = q.trim();
        (!t.is_empty()).then(|| Evidence {
            start: s + lead,
            end: s + lead + t.len(),
            quote: t.to_string(),
        })
    }

    /// Add an edge unless it loops or already exists (a later label fills
    /// an earlier unlabelled duplicate).
    pub fn add_edge(
        &mut self,
        from: usize,
        to: usize,
        label: Option<(usize, usize)>,
        span: (usize, usize),
    ) {
        self.add_edge_with(from, to, label, None, span);
    }

    /// [`Builder::add_edge`] with more words under the arrow.
    pub fn add_edge_with(
        &mut self,
        from: usize,
        to: usize,
        label: Option<(usize, usize)>,
        more: Option<(usize, usize)>,
        span: (usize, usize),
    ) {
        if from == to {
            return;
        }
        let label = label.and_then(|(s, e)| self.evidence(s, e));
        let more = more.and_then(|(s, e)| self.evidence(s, e));
        if let Some(e) = self
            .d
            .edges
            .iter_mut()
            .find(|e| e.from == from && e.to == to)
        {
            if e.label.is_none() {
                e.label = label.as_ref().map(|l| clean_label(&l.quote));
                e.label_span = label;
            }
            if e.label_more.is_none() {
                e.label_more = more;
            }
            return;
        }
        let Some(evidence) = self.evidence(span.0, span.1) else {
            return;
        };
        self.d.edges.push(DiagramEdge {
            from,
            to,
            label: label.as_ref().map(|l| clean_label(&l.quote)),
            label_span: label,
            label_more: more,
            format: None,
            volume: None,
            evidence,
        });
    }

    /// The graph with each arrow's format and volume read from its label
    /// and the boxes' notes.
    fn finish(mut self) -> Diagram {
        for i in 0..self.d.edges.len() {
            let (from, to) = (self.d.edges[i].from, self.d.edges[i].to);
            let mut ann = String::new();
            if let Some(l) = &self.d.edges[i].label {
                ann.push_str(l);
                ann.push_str(" ; ");
            }
            if let Some(l) = &self.d.edges[i].label_more {
                ann.push_str(&l.quote);
                ann.push_str(" ; ");
            }
            for n in [from, to] {
                if let Some(note) = &self.d.nodes[n].note {
                    ann.push_str(&note.quote);
                    ann.push_str(" ; ");
                }
            }
            let format = self
                .idx
                .format_in(&ann)
                .or_else(|| self.idx.format_in(&self.d.nodes[to].name));
            let volume = quantities(&ann)
                .into_iter()
                .find(|q| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size))
                .map(|q| q.evidence.quote);
            self.d.edges[i].format = format;
            self.d.edges[i].volume = volume;
        }
        self.d
    }
}

/// A label without its wrapping punctuation: `(avro)`, `|avro|`, `: avro`.
fn clean_label(s: &str) -> String {
    s.trim()
        .trim_start_matches([':', '(', '[', '|', '"', '\''])
        .trim_end_matches([')', ']', '|', '"', '\''])
        .trim()
        .to_string()
}

/// Parse with a given catalogue.
pub(crate) fn parse_with(text: &str, idx: &ComponentIndex) -> Diagram {
    build(text, idx).finish()
}

/// The boxes, arrows, labels and notes only: no arrow's `format` or
/// `volume`. The design model reads labels and notes itself.
pub(crate) fn parse_shapes(text: &str, idx: &ComponentIndex) -> Diagram {
    build(text, idx).d
}

fn build<'a>(text: &'a str, idx: &'a ComponentIndex) -> Builder<'a> {
    let mut b = Builder::new(text, idx);
    let lines = physical_lines(text);
    let mut used = vec![false; lines.len()];
    mermaid::parse(&mut b, &lines, &mut used);
    boxes::parse(&mut b, &lines, &mut used);
    columns::parse(&mut b, &lines, &mut used);
    inline::parse(&mut b, &lines, &used);
    b
}

/// Byte ranges of the physical lines (without their newline).
pub(crate) fn physical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            let end = if i > start && text.as_bytes()[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            out.push((start, end));
            start = i + 1;
        }
    }
    if start < text.len() {
        out.push((start, text.len()));
    }
    out
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_columns;
#[cfg(test)]
mod tests_labels;
#[cfg(test)]
mod tests_prose;
