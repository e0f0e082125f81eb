//! One pass over a text: sentences, numbers, cue hits (negation removed)
//! and component mentions. The design model reads each turn with this and
//! keeps the parts; the scorer reads the parts of a whole round.

use std::collections::BTreeSet;

use super::components::{ComponentIndex, ComponentMention, Occurrences};
use super::matcher::{Group, Hit, Matchers, Owner};
use super::negation::Clauses;
use super::quantity::{quantities, Quantity};
use super::sentences::{sentence_at, split_sentences, Sentence};
use super::text::{ceil_char, floor_char};
use super::Evidence;

const MIN_EXPLAINED_WORDS: usize = 5;
/// Where a clause ends inside a long sentence.
const CLAUSE_BREAKS: &[char] = &[',', ';', ':', '—', '\n', '│', '|', '('];
/// A clause shorter than this (in bytes) takes the one before it too.
const MIN_CLAUSE: usize = 40;
/// Characters stripped from both ends of a quote: markup and diagram borders.
const MARKUP: &[char] = &[
    '*', '`', '#', '>', '|', '│', '─', '┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼', '•', '-', '_',
    '=', '~', ',', ';', ':', '(', ')', '[', ']',
];
const QUOTE_MAX: usize = 220;

pub(crate) struct Analysis<'t> {
    pub text: &'t str,
    pub sentences: Vec<Sentence>,
    /// Non-negated hits, each with its sentence index.
    pub hits: Vec<(Hit, usize)>,
    /// `group code << 32 | hit index`, sorted: hits by owner group, in hit
    /// order within a group.
    groups: Vec<u64>,
    pub quantities: Vec<Quantity>,
    pub components: Vec<ComponentMention>,
    /// Every occurrence of a catalogue name, from the same pass, so the
    /// names in any sentence follow without another search.
    occurrences: Option<Occurrences>,
}

/// What an analysis found, owned and without the text: the design model
/// keeps one per round, turn after turn, with offsets into the joined text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Parts {
    pub sentences: Vec<Sentence>,
    pub hits: Vec<(Hit, usize)>,
    pub quantities: Vec<Quantity>,
    pub components: Vec<ComponentMention>,
}

impl Parts {
    /// Append another text's parts, found at byte `offset` of this one.
    pub(crate) fn append(&mut self, other: Parts, offset: usize) {
        let base = self.sentences.len();
        self.sentences
            .extend(other.sentences.into_iter().map(|mut s| {
                s.start += offset;
                s.end += offset;
                s
            }));
        self.hits.extend(other.hits.into_iter().map(|(mut h, si)| {
            h.start += offset;
            h.end += offset;
            (h, si + base)
        }));
        self.quantities
            .extend(other.quantities.into_iter().map(|mut q| {
                q.evidence.start += offset;
                q.evidence.end += offset;
                q
            }));
        self.components
            .extend(other.components.into_iter().map(|mut c| {
                c.evidence.start += offset;
                c.evidence.end += offset;
                c
            }));
    }
}

impl<'t> Analysis<'t> {
    /// Everything a scorecard needs.
    pub(crate) fn new(text: &'t str, m: &Matchers, idx: &ComponentIndex) -> Self {
        Self::build(text, m, Some(idx))
    }

    /// Sentences, quantities and hits only: enough for concept strengths,
    /// without the component and diagram passes the live `/score` never reads.
    pub(crate) fn cues_only(text: &'t str, m: &Matchers) -> Self {
        Self::build(text, m, None)
    }

    fn build(text: &'t str, m: &Matchers, idx: Option<&ComponentIndex>) -> Self {
        let mut sentences = split_sentences(text);
        let quantities = quantities(text);
        let scan = m.scan(text, idx);
        let mut reasons = vec![false; sentences.len()];
        for &p in &scan.markers {
            if let Some(i) = sentence_at(&sentences, p) {
                reasons[i] = true;
            }
        }
        for q in &quantities {
            if let Some(i) = sentence_at(&sentences, q.evidence.start) {
                reasons[i] = true;
            }
        }
        for (s, r) in sentences.iter_mut().zip(&reasons) {
            s.explained = *r && s.words >= MIN_EXPLAINED_WORDS && !s.list_like;
        }
        let sites = &scan.sites;
        // Built on the first cue a negation word could reach.
        let mut clauses: Option<Clauses<'t>> = None;
        let mut negated = |sent_start: usize, start: usize, end: usize| {
            sites.near(start, end)
                && clauses
                    .get_or_insert_with(|| Clauses::new(text))
                    .is_negated(&m.negation, sent_start, start, end)
        };
        let mut raw = scan.hits;
        raw.sort_by_key(|h| (h.start, h.end));
        let mut hits: Vec<(Hit, usize)> = Vec::with_capacity(raw.len());
        let mut last: Option<(usize, usize, bool)> = None;
        for h in raw {
            let Some(si) = sentence_at(&sentences, h.start) else {
                continue;
            };
            let neg = match last {
                Some((s, e, neg)) if s == h.start && e == h.end => neg,
                _ => {
                    let neg = negated(sentences[si].start, h.start, h.end);
                    last = Some((h.start, h.end, neg));
                    neg
                }
            };
            if !neg {
                hits.push((h, si));
            }
        }
        // A failure or mechanism named together with how it is detected or
        // handled is reasoning, even without a connective ("per-shard alerts
        // show it; we replicate the hottest keys").
        let mut scenario = vec![false; sentences.len()];
        let mut response = vec![false; sentences.len()];
        for (h, si) in &hits {
            match h.owner {
                Owner::Scenario(_) | Owner::ConceptMech(_) => scenario[*si] = true,
                Owner::Detect | Owner::Recover | Owner::Prevent => response[*si] = true,
                _ => {}
            }
        }
        for (i, s) in sentences.iter_mut().enumerate() {
            if scenario[i] && response[i] && s.words >= MIN_EXPLAINED_WORDS && !s.list_like {
                s.explained = true;
            }
        }
        let (Some(idx), Some(spans)) = (idx, scan.components) else {
            return Analysis {
                text,
                sentences,
                groups: groups(&hits),
                hits,
                quantities,
                components: Vec::new(),
                occurrences: None,
            };
        };
        let components = spans
            .into_iter()
            .filter(|&(s, e, _)| {
                let si = sentence_at(&sentences, s).unwrap_or(0);
                let ss = sentences.get(si).map(|x| x.start).unwrap_or(0);
                !negated(ss, s, e)
            })
            .filter_map(|span| idx.mention(text, span))
            .collect();
        Analysis {
            text,
            sentences,
            groups: groups(&hits),
            hits,
            quantities,
            components,
            occurrences: scan.occurrences,
        }
    }

    /// The catalogue names' occurrences, when the pass kept them.
    pub(crate) fn take_occurrences(&mut self) -> Option<Occurrences> {
        self.occurrences.take()
    }

    /// The owned parts, for the design model to keep.
    pub(crate) fn into_parts(self) -> Parts {
        Parts {
            sentences: self.sentences,
            hits: self.hits,
            quantities: self.quantities,
            components: self.components,
        }
    }

    /// A view over parts kept by the design model for `text`.
    pub(crate) fn from_parts(text: &'t str, p: Parts) -> Self {
        Analysis {
            text,
            groups: groups(&p.hits),
            sentences: p.sentences,
            hits: p.hits,
            quantities: p.quantities,
            components: p.components,
            occurrences: None,
        }
    }

    /// The hits of one owner group, in text order.
    pub(crate) fn group(&self, g: Group) -> impl Iterator<Item = &(Hit, usize)> + '_ {
        let code = u64::from(g.code()) << 32;
        let lo = self.groups.partition_point(|&k| k < code);
        let hi = self.groups.partition_point(|&k| k < code + (1 << 32));
        self.groups[lo..hi]
            .iter()
            .filter_map(|&k| self.hits.get((k & 0xFFFF_FFFF) as usize))
    }

    /// The hits of one owner, in text order.
    pub(crate) fn owned(&self, o: Owner) -> impl Iterator<Item = &(Hit, usize)> + '_ {
        self.group(o.group()).filter(move |(h, _)| h.owner == o)
    }

    pub(crate) fn explained(&self, si: usize) -> bool {
        self.sentences.get(si).is_some_and(|s| s.explained)
    }

    pub(crate) fn list_like(&self, si: usize) -> bool {
        self.sentences.get(si).is_some_and(|s| s.list_like)
    }

    /// A quote around a hit: its sentence, clipped to a readable window.
    pub(crate) fn evidence(&self, si: usize, start: usize, end: usize) -> Evidence {
        let text = self.text;
        let (ss, se) = self
            .sentences
            .get(si)
            .map(|s| (s.start, s.end))
            .unwrap_or((start, end));
        let (ss, se) = (ss.min(start), se.max(end));
        // The sentence, unless it runs long: then the clause around the hit
        // (never a fragment: a short clause takes its neighbours).
        let (mut a, mut b) = (ss, se);
        if b - a > QUOTE_MAX {
            let clause_start = text[ss..start]
                .rfind(CLAUSE_BREAKS)
                .map_or(ss, |i| ss + i + 1);
            let clause_end = text[end..se].find(CLAUSE_BREAKS).map_or(se, |i| end + i);
            a = clause_start;
            b = clause_end;
            if b - a < MIN_CLAUSE {
                a = text[ss..a.saturating_sub(1).max(ss)]
                    .rfind(CLAUSE_BREAKS)
                    .map_or(ss, |i| ss + i + 1);
            }
            if b - a > QUOTE_MAX {
                // Still long: whole words around the hit.
                let room = QUOTE_MAX.saturating_sub(end - start) / 2;
                a = a.max(start.saturating_sub(room));
                b = b.min(end + room);
                a = floor_char(text, a);
                b = ceil_char(text, b);
                if let Some(i) = text[a..start].find(' ') {
                    a += i + 1;
                }
                if let Some(i) = text[end..b].rfind(' ') {
                    b = end + i;
                }
            }
        }
        let a = floor_char(text, a);
        let b = ceil_char(text, b);
        // Diagram borders and markup are not the candidate's words.
        let q = &text[a..b];
        let strip = |c: char| c.is_whitespace() || MARKUP.contains(&c);
        let core = q.trim_matches(strip);
        // Where the trimmed core starts: only stripped characters come
        // before it, so its first occurrence in `q` is right there.
        let lead = if core.is_empty() {
            0
        } else {
            q.len() - q.trim_start_matches(strip).len()
        };
        let core = if core.is_empty() { q.trim() } else { core };
        Evidence {
            start: a + lead,
            end: a + lead + core.len(),
            quote: core.to_string(),
        }
    }

    /// Up to `n` evidence quotes for hits, explained sentences first, one per sentence.
    pub(crate) fn best_evidence<'a>(
        &self,
        hits: impl Iterator<Item = &'a (Hit, usize)>,
        n: usize,
    ) -> Vec<Evidence> {
        let mut v: Vec<&(Hit, usize)> = hits.collect();
        v.sort_by_key(|(h, si)| (!self.explained(*si), h.start));
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (h, si) in v {
            if seen.insert(*si) {
                out.push(self.evidence(*si, h.start, h.end));
                if out.len() == n {
                    break;
                }
            }
        }
        out.sort_by_key(|e| e.start);
        out
    }

    /// Share of sentences that reason rather than list.
    pub(crate) fn explained_ratio(&self) -> f32 {
        let counted: Vec<&Sentence> = self.sentences.iter().filter(|s| s.words >= 3).collect();
        if counted.is_empty() {
            return 0.0;
        }
        counted.iter().filter(|s| s.explained).count() as f32 / counted.len() as f32
    }

    /// Distinct real products (not vague boxes).
    pub(crate) fn products(&self) -> Vec<&ComponentMention> {
        let mut seen = BTreeSet::new();
        self.components
            .iter()
            .filter(|c| !c.vague && seen.insert(c.name.clone()))
            .collect()
    }

    /// Sentences (not keyword lists) that name a failure and say something
    /// about handling it: a write-up's failure section, one per failure.
    pub(crate) fn failure_discussions(&self) -> usize {
        let mut scen = vec![false; self.sentences.len()];
        let mut resp = vec![false; self.sentences.len()];
        for (h, si) in &self.hits {
            match h.owner {
                Owner::Scenario(_) => scen[*si] = true,
                Owner::Detect
                | Owner::Recover
                | Owner::Prevent
                | Owner::DetectDepth
                | Owner::RecoverDepth
                | Owner::PreventDepth => resp[*si] = true,
                _ => {}
            }
        }
        (0..self.sentences.len())
            .filter(|&i| scen[i] && resp[i] && !self.list_like(i))
            .count()
    }

    /// Distinct failure scenarios named in sentences that are not keyword lists.
    pub(crate) fn distinct_scenarios(&self) -> usize {
        self.group(Group::Scenario)
            .filter(|(_, si)| !self.list_like(*si))
            .map(|(h, _)| h.owner)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// Hit indexes sorted by owner group, then by position in `hits`.
fn groups(hits: &[(Hit, usize)]) -> Vec<u64> {
    let mut g: Vec<u64> = hits
        .iter()
        .enumerate()
        .map(|(i, (h, _))| u64::from(h.owner.group().code()) << 32 | i as u64)
        .collect();
    g.sort_unstable();
    g
}
