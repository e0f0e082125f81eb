//! All cue vocabularies of a rubric compiled once into one overlapping
//! Aho-Corasick automaton and a list of regexes; one pass per text finds every
//! hit, which the scorer then reads per concept, signal and check.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::{meta, Anchored, Input};

use super::components::{leftmost_longest, ComponentIndex, Occurrences, Span};
use super::negation::{Negation, NegationSites};
use super::text::word_bounded;
use crate::rubric::{CheckDetector, Rubric};
use acc::{Acc, Literals};

/// Who a cue belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Owner {
    ConceptTerm(u16),
    ConceptMech(u16),
    SignalTerm(u16),
    SignalRequired(u16),
    SignalVague(u16),
    Check(u8, u8),
    Scenario(u16),
    Detect,
    Recover,
    Prevent,
    DetectDepth,
    RecoverDepth,
    PreventDepth,
}

/// The owners one scoring question reads together: a concept's terms and
/// mechanisms, a signal's terms and required terms, every failure scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    Concept(u16),
    SignalCue(u16),
    SignalVague(u16),
    Check(u8, u8),
    Scenario,
    Detect,
    Recover,
    Prevent,
    DetectDepth,
    RecoverDepth,
    PreventDepth,
}

impl Group {
    /// A sort key with the same order as `Group`'s.
    pub(crate) fn code(self) -> u32 {
        let (tag, a, b) = match self {
            Group::Concept(i) => (0, i, 0),
            Group::SignalCue(i) => (1, i, 0),
            Group::SignalVague(i) => (2, i, 0),
            Group::Check(s, c) => (3, u16::from(s), c),
            Group::Scenario => (4, 0, 0),
            Group::Detect => (5, 0, 0),
            Group::Recover => (6, 0, 0),
            Group::Prevent => (7, 0, 0),
            Group::DetectDepth => (8, 0, 0),
            Group::RecoverDepth => (9, 0, 0),
            Group::PreventDepth => (10, 0, 0),
        };
        tag << 24 | u32::from(a) << 8 | u32::from(b)
    }
}

impl Owner {
    pub(crate) fn group(self) -> Group {
        match self {
            Owner::ConceptTerm(i) | Owner::ConceptMech(i) => Group::Concept(i),
            Owner::SignalTerm(i) | Owner::SignalRequired(i) => Group::SignalCue(i),
            Owner::SignalVague(i) => Group::SignalVague(i),
            Owner::Check(s, c) => Group::Check(s, c),
            Owner::Scenario(_) => Group::Scenario,
            Owner::Detect => Group::Detect,
            Owner::Recover => Group::Recover,
            Owner::Prevent => Group::Prevent,
            Owner::DetectDepth => Group::DetectDepth,
            Owner::RecoverDepth => Group::RecoverDepth,
            Owner::PreventDepth => Group::PreventDepth,
        }
    }
}

/// One cue hit in the text. `cue` identifies the cue (term or regex) so
/// callers can count distinct cues.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub start: usize,
    pub end: usize,
    pub owner: Owner,
    pub cue: u32,
}

/// What a pattern of the shared automaton stands for. One folded string
/// can stand for several things ("so" is a cue term and a marker).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    /// A cue term: a hit for each of its owners when word-bounded.
    Term(u32),
    /// A literal some cue regexes start with: they are tried anchored here.
    Prefix(u32),
    /// A literal every match of an unprefixed regex (by index) ends with:
    /// without one in the text, the regex is not searched.
    Suffix(u32),
    /// The first word of a negation phrase (`true`: before the cue).
    Trigger(bool),
    /// An explanation marker ("because", "so that").
    Marker,
    /// A catalogue name, by entry of the component index.
    Component(u32),
    /// A literal one of which every match of sentence gate `i` holds.
    Gate(u8),
    /// A phrase the rubric says is not a cue ("clock skew"): no cue hit
    /// inside it counts.
    NotCue,
    /// A reason that is none ("because everyone uses it"): no cue hit that
    /// reaches into it counts.
    NotReason,
}

#[derive(Debug, Clone)]
pub(crate) struct Matchers {
    /// Every literal the scorer looks for (cue terms, regex prefixes,
    /// negation words, explanation markers, component names), ASCII
    /// lowercase, run once per ASCII-lowercased text with overlapping
    /// matches.
    all: Option<AhoCorasick>,
    roles: Vec<Vec<Role>>,
    term_owners: Vec<Vec<Owner>>,
    regexes: Vec<(meta::Regex, Owner)>,
    /// Prefix literal → the regexes it starts.
    prefix_owners: Vec<Vec<u32>>,
    /// Regexes without a finite prefix set: searched the ordinary way.
    unprefixed: Vec<bool>,
    /// Unprefixed regexes whose every match ends with a literal in `all`
    /// ([`Role::Suffix`]): searched only when one is in the text.
    suffixed: Vec<bool>,
    /// Markers the shared automaton cannot stand in for (an empty marker):
    /// matched on their own, as before.
    markers_alone: Option<AhoCorasick>,
    /// The component index's names are in `all`.
    components_shared: bool,
    /// Sentence gates without literals (bit `i` for gate `i`): possible in
    /// every sentence.
    gates_open: u8,
    pub negation: Negation,
}

/// Everything one pass over a text found.
#[derive(Debug, Default)]
pub(crate) struct Scan {
    /// Every cue hit (not yet filtered for negation), in no particular order.
    pub hits: Vec<Hit>,
    /// Start offsets of explanation markers, in order.
    pub markers: Vec<usize>,
    pub sites: NegationSites,
    /// Component spans as `ComponentIndex::spans` would report them, when
    /// asked for and the index is shared.
    pub components: Option<Vec<Span>>,
    /// Every occurrence of a component name those spans were selected
    /// from (only when the index is shared).
    pub occurrences: Option<Occurrences>,
    /// Sentence gate literals found: (start, end, gate).
    pub gates: Vec<(usize, usize, u8)>,
    /// Start offsets of reasons that are none ("because everyone uses it").
    pub not_reasons: Vec<usize>,
}

impl Matchers {
    /// `gates`: up to eight `(?i)` regexes the layer above runs sentence
    /// by sentence; [`Matchers::gates_open`] and the scan's gate hits say
    /// where each can match.
    pub(crate) fn new(r: &Rubric, idx: &ComponentIndex, gates: &[&str]) -> Self {
        let mut a = Acc::default();
        for (i, c) in r.concepts.iter().enumerate() {
            let i = i as u16;
            a.terms(&c.terms, Owner::ConceptTerm(i));
            a.terms(&c.mechanisms, Owner::ConceptMech(i));
            a.patterns(&c.patterns, Owner::ConceptMech(i));
        }
        for (i, s) in r.signals.iter().enumerate() {
            let i = i as u16;
            a.terms(&s.terms, Owner::SignalTerm(i));
            a.patterns(&s.patterns, Owner::SignalTerm(i));
            a.terms(&s.required_terms, Owner::SignalRequired(i));
            a.terms(&s.vague_terms, Owner::SignalVague(i));
        }
        for (si, s) in r.framework.step.iter().enumerate() {
            for (ci, c) in s.check.iter().enumerate() {
                if matches!(
                    c.detector,
                    CheckDetector::Cues | CheckDetector::CuesOrScale | CheckDetector::RecordWalk
                ) {
                    a.terms(&c.terms, Owner::Check(si as u8, ci as u8));
                    a.patterns(&c.patterns, Owner::Check(si as u8, ci as u8));
                }
            }
        }
        for (i, s) in r.framework.failure_scenario.iter().enumerate() {
            a.terms(&s.terms, Owner::Scenario(i as u16));
            a.patterns(&s.patterns, Owner::Scenario(i as u16));
        }
        let fc = &r.framework.failure_coverage;
        a.terms(&fc.detect.terms, Owner::Detect);
        a.patterns(&fc.detect.patterns, Owner::Detect);
        a.terms(&fc.recover.terms, Owner::Recover);
        a.patterns(&fc.recover.patterns, Owner::Recover);
        a.terms(&fc.prevent_loss.terms, Owner::Prevent);
        a.patterns(&fc.prevent_loss.patterns, Owner::Prevent);
        a.terms(&fc.detect.depth_terms, Owner::DetectDepth);
        a.patterns(&fc.detect.depth_patterns, Owner::DetectDepth);
        a.terms(&fc.recover.depth_terms, Owner::RecoverDepth);
        a.patterns(&fc.recover.depth_patterns, Owner::RecoverDepth);
        a.terms(&fc.prevent_loss.depth_terms, Owner::PreventDepth);
        a.patterns(&fc.prevent_loss.depth_patterns, Owner::PreventDepth);

        let lang = &r.framework.language;
        let negation = Negation::new(&lang.negators, &lang.post_negators, &lang.scope_breakers);
        let mut lits = Literals::default();
        for (i, t) in a.terms.iter().enumerate() {
            lits.add(t.as_bytes(), Role::Term(i as u32));
        }
        let mut prefix_owners: Vec<Vec<u32>> = Vec::new();
        let mut prefix_index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut unprefixed = Vec::with_capacity(a.regexes.len());
        let mut suffixed = vec![false; a.regexes.len()];
        for (i, (_, _, pre, ends)) in a.regexes.iter().enumerate() {
            unprefixed.push(pre.is_none());
            for l in ends.iter().flatten() {
                suffixed[i] = true;
                lits.add(l, Role::Suffix(i as u32));
            }
            for l in pre.iter().flatten() {
                let k = *prefix_index.entry(l.clone()).or_insert_with(|| {
                    prefix_owners.push(Vec::new());
                    prefix_owners.len() - 1
                });
                prefix_owners[k].push(i as u32);
                lits.add(l, Role::Prefix(k as u32));
            }
        }
        for p in &lang.not_cues {
            lits.add(p.as_bytes(), Role::NotCue);
        }
        for p in &lang.not_reasons {
            lits.add(p.as_bytes(), Role::NotReason);
        }
        for (w, pre) in negation.triggers() {
            lits.add(w.as_bytes(), Role::Trigger(*pre));
        }
        let markers: Vec<String> = lang
            .explanation_markers
            .iter()
            .map(|m| m.to_ascii_lowercase())
            .collect();
        // An empty marker matches everywhere; only its own automaton
        // reproduces what that means.
        let markers_shared = markers.iter().all(|m| !m.is_empty());
        if markers_shared {
            for m in &markers {
                lits.add(m.as_bytes(), Role::Marker);
            }
        }
        let mut components_shared = idx.shareable();
        if components_shared {
            for (i, p, _) in idx.patterns() {
                lits.add(p.as_bytes(), Role::Component(i));
            }
        }
        let mut gates_open = 0u8;
        for (g, p) in gates.iter().enumerate().take(8) {
            match super::gates::gate_literals(p) {
                Some(ls) => ls.iter().for_each(|l| lits.add(l, Role::Gate(g as u8))),
                None => gates_open |= 1 << g,
            }
        }
        let all = lits.build();
        if all.is_none() {
            gates_open = u8::MAX;
            unprefixed.iter_mut().for_each(|u| *u = true);
            suffixed.iter_mut().for_each(|u| *u = false);
            components_shared = false;
        }
        let markers_alone = if markers_shared && all.is_some() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&markers)
                .ok()
        };
        Matchers {
            all,
            roles: lits.roles,
            prefix_owners,
            unprefixed,
            suffixed,
            term_owners: a.owners,
            regexes: a.regexes.into_iter().map(|(r, o, _, _)| (r, o)).collect(),
            markers_alone,
            components_shared,
            gates_open,
            negation,
        }
    }

    /// The sentence gates possible in every sentence: those without
    /// literals, or all of them when `text` defeats the literals.
    pub(crate) fn gates_open(&self, text: &str) -> u8 {
        if super::gates::may_fold(text) {
            u8::MAX
        } else {
            self.gates_open
        }
    }

    /// One pass over `text`: cue hits, explanation markers, negation sites
    /// and (with `idx`) component names.
    pub(crate) fn scan(&self, text: &str, idx: Option<&ComponentIndex>) -> Scan {
        let bytes = text.as_bytes();
        let mut scan = Scan::default();
        let mut markers: Vec<Span> = Vec::new();
        let mut loose: Vec<Span> = Vec::new();
        let mut exact: Vec<Span> = Vec::new();
        let want_components = idx.is_some() && self.components_shared;
        // (regex, start) for every place a prefixed regex could match.
        let mut cands: Vec<(u32, usize)> = Vec::new();
        // Phrases that are not cues, where the text has them.
        let mut not_cues: Vec<(usize, usize)> = Vec::new();
        let mut not_reasons: Vec<(usize, usize)> = Vec::new();
        // The suffix-gated regexes whose suffix is in the text.
        let mut ends_seen = vec![false; self.regexes.len()];
        if let Some(ac) = &self.all {
            // The literals are folded and the automaton is case-sensitive:
            // half the size of an ASCII case-insensitive one, so more of it
            // stays in cache. Folding keeps every byte offset.
            let folded = bytes.to_ascii_lowercase();
            for m in ac.find_overlapping_iter(&folded[..]) {
                let (start, end) = (m.start(), m.end());
                let mut bounded: Option<bool> = None;
                let mut is_bounded =
                    || *bounded.get_or_insert_with(|| word_bounded(bytes, start, end));
                for &role in &self.roles[m.pattern().as_usize()] {
                    match role {
                        Role::Term(t) => {
                            if is_bounded() {
                                for &o in &self.term_owners[t as usize] {
                                    scan.hits.push(Hit {
                                        start,
                                        end,
                                        owner: o,
                                        cue: t,
                                    });
                                }
                            }
                        }
                        Role::Prefix(k) => {
                            for &r in &self.prefix_owners[k as usize] {
                                cands.push((r, start));
                            }
                        }
                        Role::Trigger(pre) => {
                            if is_bounded() {
                                if pre {
                                    scan.sites.pre.push(start);
                                } else {
                                    scan.sites.post.push(start);
                                }
                            }
                        }
                        Role::Suffix(r) => {
                            if let Some(x) = ends_seen.get_mut(r as usize) {
                                *x = true;
                            }
                        }
                        Role::Marker => markers.push((start, end, 0)),
                        Role::Gate(g) => scan.gates.push((start, end, g)),
                        Role::NotCue => {
                            if is_bounded() {
                                not_cues.push((start, end));
                            }
                        }
                        Role::NotReason => {
                            if is_bounded() {
                                not_reasons.push((start, end));
                            }
                        }
                        Role::Component(i) => {
                            if let Some(idx) = idx.filter(|_| want_components) {
                                if !idx.is_exact(i) {
                                    loose.push((start, end, i));
                                } else if idx.pattern(i).as_bytes() == &bytes[start..end] {
                                    exact.push((start, end, i));
                                }
                            }
                        }
                    }
                }
            }
        }
        scan.sites.finish();
        scan.markers = match &self.markers_alone {
            Some(ac) => ac
                .find_iter(text)
                .filter(|m| word_bounded(bytes, m.start(), m.end()))
                .map(|m| m.start())
                .collect(),
            None => leftmost_longest(markers)
                .into_iter()
                .filter(|&(s, e, _)| word_bounded(bytes, s, e))
                .map(|(s, _, _)| s)
                .collect(),
        };
        if let Some(idx) = idx {
            scan.components = Some(if want_components {
                let occ = Occurrences::new(loose, exact);
                let spans = occ.spans(bytes);
                scan.occurrences = Some(occ);
                spans
            } else {
                idx.spans(text)
            });
        }
        self.regex_hits(bytes, cands, &ends_seen, &mut scan.hits);
        // A hit that starts inside such a phrase is part of it: "skew" of
        // "clock skew", "key = data" of "delete the key = data unreadable".
        if !not_cues.is_empty() {
            scan.hits
                .retain(|h| !not_cues.iter().any(|&(s, e)| s <= h.start && h.start < e));
        }
        // "Snowflake because it's what everyone uses": the hit ends in it.
        if !not_reasons.is_empty() {
            scan.hits
                .retain(|h| !not_reasons.iter().any(|&(s, e)| h.start < e && s < h.end));
            scan.markers
                .retain(|&m| !not_reasons.iter().any(|&(s, e)| s <= m && m < e));
            scan.not_reasons = not_reasons.iter().map(|&(s, _)| s).collect();
        }
        scan
    }

    fn regex_hits(
        &self,
        bytes: &[u8],
        mut cands: Vec<(u32, usize)>,
        ends_seen: &[bool],
        out: &mut Vec<Hit>,
    ) {
        let base = self.term_owners.len() as u32;
        cands.sort_unstable();
        cands.dedup();
        let mut k = 0;
        for (i, (re, o)) in self.regexes.iter().enumerate() {
            let mut push = |start: usize, end: usize| {
                out.push(Hit {
                    start,
                    end,
                    owner: *o,
                    cue: base + i as u32,
                })
            };
            if self.unprefixed[i] {
                if self.suffixed[i] && !ends_seen.get(i).copied().unwrap_or(true) {
                    continue;
                }
                for m in re.find_iter(bytes) {
                    if m.start() != m.end() {
                        push(m.start(), m.end());
                    }
                }
                continue;
            }
            // Same hits as `find_iter`: the leftmost match is the first
            // candidate start with an anchored match; the next search
            // resumes where that match ended.
            let mut resume = 0;
            while let Some(&(r, start)) = cands.get(k) {
                if r as usize != i {
                    break;
                }
                k += 1;
                if start < resume {
                    continue;
                }
                let input = Input::new(bytes).range(start..).anchored(Anchored::Yes);
                if let Some(m) = re.search(&input) {
                    if m.end() > m.start() {
                        push(m.start(), m.end());
                        resume = m.end();
                    }
                }
            }
        }
    }
}

mod acc;
#[cfg(test)]
mod tests;
