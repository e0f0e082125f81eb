//! All cue vocabularies of a rubric compiled once into one overlapping
//! Aho-Corasick automaton and a list of regexes; one pass per text finds every
//! hit, which the scorer then reads per concept, signal and check.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexSet};

use super::text::{word_bounded, Negation};
use crate::rubric::{compile_cue, CheckDetector, Rubric};

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

#[derive(Debug, Clone)]
pub(crate) struct Matchers {
    terms: Option<AhoCorasick>,
    term_owners: Vec<Vec<Owner>>,
    regexes: Vec<(Regex, Owner)>,
    /// All cue regexes in one set: one pass says which ones can match at all.
    regex_set: Option<RegexSet>,
    markers: Option<AhoCorasick>,
    pub negation: Negation,
}

#[derive(Default)]
struct Acc {
    terms: Vec<String>,
    index: HashMap<String, usize>,
    owners: Vec<Vec<Owner>>,
    regexes: Vec<(Regex, Owner)>,
}

impl Acc {
    fn term(&mut self, t: &str, o: Owner) {
        let key = t.trim().to_ascii_lowercase();
        if key.is_empty() {
            return;
        }
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.terms.push(key);
            self.owners.push(Vec::new());
            self.terms.len() - 1
        });
        if !self.owners[i].contains(&o) {
            self.owners[i].push(o);
        }
    }

    fn terms(&mut self, ts: &[String], o: Owner) {
        for t in ts {
            self.term(t, o);
        }
    }

    fn patterns(&mut self, ps: &[String], o: Owner) {
        for p in ps {
            // Validated at load; a pattern that still fails is skipped, not fatal.
            if let Ok(re) = compile_cue(p) {
                self.regexes.push((re, o));
            }
        }
    }
}

impl Matchers {
    pub(crate) fn new(r: &Rubric) -> Self {
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
                if matches!(c.detector, CheckDetector::Cues | CheckDetector::CuesOrScale) {
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

        let lang = &r.framework.language;
        let markers: Vec<String> = lang
            .explanation_markers
            .iter()
            .map(|m| m.to_ascii_lowercase())
            .collect();
        let regex_set =
            regex::bytes::RegexSetBuilder::new(a.regexes.iter().map(|(r, _)| r.as_str()))
                .case_insensitive(true)
                .unicode(false)
                .size_limit(1 << 24)
                .dfa_size_limit(1 << 24)
                .build()
                .ok();
        Matchers {
            regex_set,
            terms: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&a.terms)
                .ok(),
            term_owners: a.owners,
            regexes: a.regexes,
            markers: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .ascii_case_insensitive(true)
                .build(&markers)
                .ok(),
            negation: Negation::new(&lang.negators, &lang.post_negators, &lang.scope_breakers),
        }
    }

    /// Every cue hit (not yet filtered for negation), in no particular order.
    pub(crate) fn hits(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        if let Some(ac) = &self.terms {
            for m in ac.find_overlapping_iter(text) {
                if !word_bounded(bytes, m.start(), m.end()) {
                    continue;
                }
                let pid = m.pattern().as_usize();
                for &o in &self.term_owners[pid] {
                    out.push(Hit {
                        start: m.start(),
                        end: m.end(),
                        owner: o,
                        cue: pid as u32,
                    });
                }
            }
        }
        let base = self.term_owners.len() as u32;
        let candidates: Vec<usize> = match &self.regex_set {
            Some(set) => set.matches(bytes).into_iter().collect(),
            None => (0..self.regexes.len()).collect(),
        };
        for i in candidates {
            let (re, o) = &self.regexes[i];
            for m in re.find_iter(bytes) {
                if m.start() == m.end() {
                    continue;
                }
                out.push(Hit {
                    start: m.start(),
                    end: m.end(),
                    owner: *o,
                    cue: base + i as u32,
                });
            }
        }
        out
    }

    /// Start offsets of explanation markers ("because", "so that").
    pub(crate) fn marker_positions(&self, text: &str) -> Vec<usize> {
        let bytes = text.as_bytes();
        self.markers
            .as_ref()
            .map(|ac| {
                ac.find_iter(text)
                    .filter(|m| word_bounded(bytes, m.start(), m.end()))
                    .map(|m| m.start())
                    .collect()
            })
            .unwrap_or_default()
    }
}
