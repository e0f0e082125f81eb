//! Recognising products and vague boxes in free text or diagrams, mapped to
//! canonical names and component kinds from `rubrics/components.toml`.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use super::card::Evidence;
use super::text::word_bounded;
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
}

/// The catalogue compiled into automata once.
#[derive(Debug, Clone)]
pub(crate) struct ComponentIndex {
    insensitive: Option<AhoCorasick>,
    insensitive_entries: Vec<Entry>,
    sensitive: Option<AhoCorasick>,
    sensitive_entries: Vec<Entry>,
    formats: Option<AhoCorasick>,
    format_names: Vec<String>,
}

fn build_ac(pats: &[String], insensitive: bool) -> Option<AhoCorasick> {
    if pats.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .ascii_case_insensitive(insensitive)
        .build(pats)
        .ok()
}

impl ComponentIndex {
    pub(crate) fn new(cat: &Catalogue) -> Self {
        let mut ipats = Vec::new();
        let mut ients = Vec::new();
        let mut spats = Vec::new();
        let mut sents = Vec::new();
        for c in &cat.component {
            for n in std::iter::once(&c.name).chain(&c.synonyms) {
                let e = Entry {
                    canonical: c.name.clone(),
                    kind: c.kind,
                    vague: false,
                };
                if c.exact_case {
                    spats.push(n.clone());
                    sents.push(e);
                } else {
                    ipats.push(n.clone());
                    ients.push(e);
                }
            }
        }
        for g in &cat.generic {
            ipats.push(g.term.clone());
            ients.push(Entry {
                canonical: g.term.clone(),
                kind: g.kind,
                vague: true,
            });
        }
        ComponentIndex {
            insensitive: build_ac(&ipats, true),
            insensitive_entries: ients,
            sensitive: build_ac(&spats, false),
            sensitive_entries: sents,
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

    /// Every mention in order (products and vague boxes), overlapping matches resolved longest-first.
    pub(crate) fn find_all(&self, text: &str) -> Vec<ComponentMention> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for (ac, entries) in [
            (&self.insensitive, &self.insensitive_entries),
            (&self.sensitive, &self.sensitive_entries),
        ] {
            let Some(ac) = ac else { continue };
            for m in ac.find_iter(text) {
                if !word_bounded(bytes, m.start(), m.end()) {
                    continue;
                }
                let e = &entries[m.pattern().as_usize()];
                out.push(ComponentMention {
                    name: e.canonical.clone(),
                    kind: e.kind,
                    vague: e.vague,
                    evidence: Evidence {
                        start: m.start(),
                        end: m.end(),
                        quote: text[m.start()..m.end()].to_string(),
                    },
                });
            }
        }
        out.sort_by_key(|m| m.evidence.start);
        out
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
