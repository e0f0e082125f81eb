//! Recognising products and vague boxes in free text or diagrams, mapped to
//! canonical names and component kinds from `rubrics/components.toml`.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use super::text::word_bounded;
use super::Evidence;
use crate::rubric::{Catalogue, ComponentKind, Rubric};

/// A product or box the candidate named, canonicalised ("MSK" → "Kafka").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentMention {
    /// Canonical name, e.g. "Kafka"; for a vague box, the words used ("database").
    pub name: String,
    pub kind: ComponentKind,
    pub evidence: Evidence,
    /// A generic box ("a streaming system", "database") rather than a real product.
    #[serde(default)]
    pub vague: bool,
}

#[derive(Debug, Clone)]
struct Entry {
    canonical: String,
    kind: ComponentKind,
    vague: bool,
    /// The name or synonym as written in the catalogue.
    pattern: String,
    /// Matched case-sensitively (`exact_case`).
    exact: bool,
}

/// The catalogue compiled into automata once.
#[derive(Debug, Clone)]
pub(crate) struct ComponentIndex {
    /// Every name, synonym and vague box: case-insensitive ones first, in
    /// catalogue order, then the case-sensitive ones.
    entries: Vec<Entry>,
    insensitive: Option<AhoCorasick>,
    sensitive: Option<AhoCorasick>,
    /// Entry index of the first case-sensitive entry.
    split: usize,
    formats: Option<AhoCorasick>,
    format_names: Vec<String>,
}

fn build_ac<'a>(pats: impl IntoIterator<Item = &'a str>, insensitive: bool) -> Option<AhoCorasick> {
    let pats: Vec<&str> = pats.into_iter().collect();
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(insensitive)
        .build(pats)
        .ok()
}

/// A component name found in a text: `text[start..end]`, catalogue entry.
pub(crate) type Span = (usize, usize, u32);

/// Leftmost-longest, non-overlapping selection from every (overlapping)
/// occurrence of a pattern set: what `MatchKind::LeftmostLongest` reports.
/// Among equal spans the lowest entry wins, as in the automaton. Spans are
/// never empty (empty names are not shared, see `shareable`).
pub(crate) fn leftmost_longest(mut all: Vec<Span>) -> Vec<Span> {
    all.sort_unstable_by_key(selection_order);
    select(all.into_iter())
}

/// The order [`leftmost_longest`] reads occurrences in.
fn selection_order(&(s, e, i): &Span) -> (usize, std::cmp::Reverse<usize>, u32) {
    (s, std::cmp::Reverse(e), i)
}

/// [`leftmost_longest`] of occurrences already in [`selection_order`].
fn select(sorted: impl Iterator<Item = Span>) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for m in sorted {
        if m.0 >= at {
            at = m.1;
            out.push(m);
        }
    }
    out
}

/// Every occurrence of the index's names in a text, overlapping ones
/// included, as the shared automaton found them: the spans of any part of
/// the text follow from these without another search.
#[derive(Debug, Clone, Default)]
pub(crate) struct Occurrences {
    /// Case-insensitive names, sorted as `leftmost_longest` sorts.
    loose: Vec<Span>,
    /// Case-sensitive names matched with their exact case, sorted likewise.
    exact: Vec<Span>,
}

impl Occurrences {
    pub(crate) fn new(mut loose: Vec<Span>, mut exact: Vec<Span>) -> Self {
        loose.sort_unstable_by_key(selection_order);
        exact.sort_unstable_by_key(selection_order);
        Occurrences { loose, exact }
    }

    /// What [`ComponentIndex::spans`] reports for `text[s..e]`, offsets
    /// relative to `s`: the occurrences inside the part, selected and
    /// ordered as a search of the part alone would.
    pub(crate) fn spans_in(&self, text: &[u8], s: usize, e: usize) -> Vec<Span> {
        let within = |v: &[Span]| -> Vec<Span> {
            let lo = v.partition_point(|o| o.0 < s);
            select(
                v[lo..]
                    .iter()
                    .take_while(|o| o.0 < e)
                    .filter(|o| o.1 <= e)
                    .map(|&(a, b, i)| (a - s, b - s, i)),
            )
        };
        ComponentIndex::order(
            text.get(s..e).unwrap_or(&[]),
            within(&self.loose),
            within(&self.exact),
        )
    }

    /// What [`ComponentIndex::spans`] reports for the whole text.
    pub(crate) fn spans(&self, text: &[u8]) -> Vec<Span> {
        ComponentIndex::order(
            text,
            select(self.loose.iter().copied()),
            select(self.exact.iter().copied()),
        )
    }
}

impl ComponentIndex {
    pub(crate) fn new(cat: &Catalogue) -> Self {
        let mut entries = Vec::new();
        let mut exact = Vec::new();
        for c in &cat.component {
            for n in std::iter::once(&c.name).chain(&c.synonyms) {
                let e = Entry {
                    canonical: c.name.clone(),
                    kind: c.kind,
                    vague: false,
                    pattern: n.clone(),
                    exact: c.exact_case,
                };
                if c.exact_case {
                    exact.push(e);
                } else {
                    entries.push(e);
                }
            }
        }
        for g in &cat.generic {
            entries.push(Entry {
                canonical: g.term.clone(),
                kind: g.kind,
                vague: true,
                pattern: g.term.clone(),
                exact: false,
            });
        }
        let split = entries.len();
        entries.extend(exact);
        ComponentIndex {
            insensitive: build_ac(entries[..split].iter().map(|e| e.pattern.as_str()), true),
            sensitive: build_ac(entries[split..].iter().map(|e| e.pattern.as_str()), false),
            split,
            entries,
            formats: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&cat.formats)
                .ok(),
            format_names: cat.formats.clone(),
        }
    }

    /// The builtin catalogue, for callers without a `Scorer` (e.g. `diagram::parse`).
    pub(crate) fn builtin() -> &'static ComponentIndex {
        static IDX: OnceLock<ComponentIndex> = OnceLock::new();
        IDX.get_or_init(|| match Rubric::builtin() {
            Ok(r) => ComponentIndex::new(&r.components),
            Err(_) => ComponentIndex::new(&Catalogue {
                component: Vec::new(),
                generic: Vec::new(),
                formats: Vec::new(),
            }),
        })
    }

    /// Every name with its entry index and whether it is case-sensitive, for
    /// the scorer's shared automaton.
    pub(crate) fn patterns(&self) -> impl Iterator<Item = (u32, &str, bool)> {
        self.entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i as u32, e.pattern.as_str(), e.exact))
    }

    /// True when the shared automaton can stand in for this index: both
    /// automata built and no empty name (an empty match is not a mention).
    pub(crate) fn shareable(&self) -> bool {
        let ok = |ac: &Option<AhoCorasick>, r: &[Entry]| r.is_empty() || ac.is_some();
        ok(&self.insensitive, &self.entries[..self.split])
            && ok(&self.sensitive, &self.entries[self.split..])
            && self.entries.iter().all(|e| !e.pattern.is_empty())
    }

    /// True when entry `i` is matched case-sensitively.
    pub(crate) fn is_exact(&self, i: u32) -> bool {
        self.entries.get(i as usize).is_some_and(|e| e.exact)
    }

    /// Entry `i`'s name as written.
    pub(crate) fn pattern(&self, i: u32) -> &str {
        self.entries
            .get(i as usize)
            .map_or("", |e| e.pattern.as_str())
    }

    /// Entry `i`'s canonical name, kind and whether it is a generic box.
    pub(crate) fn entry(&self, i: u32) -> Option<(&str, ComponentKind, bool)> {
        self.entries
            .get(i as usize)
            .map(|e| (e.canonical.as_str(), e.kind, e.vague))
    }

    /// The mention for a span found in `text`.
    pub(crate) fn mention(&self, text: &str, (start, end, i): Span) -> Option<ComponentMention> {
        let e = self.entries.get(i as usize)?;
        Some(ComponentMention {
            name: e.canonical.clone(),
            kind: e.kind,
            vague: e.vague,
            evidence: Evidence {
                start,
                end,
                quote: text.get(start..end)?.to_string(),
            },
        })
    }

    /// Word-bounded spans of the selected (leftmost-longest) matches of both
    /// sets, ordered by start, case-insensitive ones first on a tie.
    pub(crate) fn order(bytes: &[u8], insensitive: Vec<Span>, sensitive: Vec<Span>) -> Vec<Span> {
        let mut out: Vec<Span> = insensitive
            .into_iter()
            .chain(sensitive)
            .filter(|&(s, e, _)| word_bounded(bytes, s, e))
            .collect();
        out.sort_by_key(|m| m.0);
        out
    }

    /// Every mention in order (products and vague boxes), overlapping matches resolved longest-first.
    pub(crate) fn find_all(&self, text: &str) -> Vec<ComponentMention> {
        self.spans(text)
            .into_iter()
            .filter_map(|s| self.mention(text, s))
            .collect()
    }

    /// The spans of [`find_all`](Self::find_all), without building mentions.
    pub(crate) fn spans(&self, text: &str) -> Vec<Span> {
        let run = |ac: &Option<AhoCorasick>, base: usize| -> Vec<Span> {
            ac.as_ref()
                .map(|ac| {
                    ac.find_iter(text)
                        .map(|m| (m.start(), m.end(), (base + m.pattern().as_usize()) as u32))
                        .collect()
                })
                .unwrap_or_default()
        };
        Self::order(
            text.as_bytes(),
            run(&self.insensitive, 0),
            run(&self.sensitive, self.split),
        )
    }

    /// The first data format named in `text` ("avro", "parquet"), if any.
    pub(crate) fn format_in(&self, text: &str) -> Option<String> {
        let ac = self.formats.as_ref()?;
        let bytes = text.as_bytes();
        ac.find_iter(text)
            .find(|m| word_bounded(bytes, m.start(), m.end()))
            .map(|m| self.format_names[m.pattern().as_usize()].clone())
    }
}
