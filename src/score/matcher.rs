//! All cue vocabularies of a rubric compiled once into one overlapping
//! Aho-Corasick automaton and a list of regexes; one pass per text finds every
//! hit, which the scorer then reads per concept, signal and check.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex_automata::{meta, util::syntax, Anchored, Input};
use regex_syntax::hir::literal::Extractor;

use super::text::{word_bounded, Negation};
use crate::rubric::{CheckDetector, Rubric};

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
    regexes: Vec<(meta::Regex, Owner)>,
    /// Every prefix literal of every cue regex in one automaton: one pass over
    /// the text finds each place a regex could start, and the regex then runs
    /// anchored there only.
    prefixes: Option<AhoCorasick>,
    /// Prefix literal → the regexes it starts.
    prefix_owners: Vec<Vec<u32>>,
    /// Regexes without a finite prefix set: searched the ordinary way.
    unprefixed: Vec<bool>,
    markers: Option<AhoCorasick>,
    pub negation: Negation,
}

#[derive(Default)]
struct Acc {
    terms: Vec<String>,
    index: HashMap<String, usize>,
    owners: Vec<Vec<Owner>>,
    regexes: Vec<(meta::Regex, Owner, Option<Prefixes>)>,
}

/// The literals every match of a cue regex starts with.
type Prefixes = Vec<Vec<u8>>;

/// A cue regex with the same semantics as `rubric::compile_cue` (ASCII
/// case-insensitive, byte-oriented), as a meta regex so it can run anchored.
fn compile_meta(pattern: &str) -> Option<meta::Regex> {
    meta::Regex::builder()
        .syntax(
            syntax::Config::new()
                .case_insensitive(true)
                .unicode(false)
                .utf8(false),
        )
        .configure(
            meta::Config::new()
                .utf8_empty(false)
                .nfa_size_limit(Some(1 << 20)),
        )
        .build(pattern)
        .ok()
}

const MIN_PREFIX: usize = 3;

/// Lowercased literals one of which every match of `pattern` starts with;
/// `None` when no finite set of long-enough literals exists or the pattern
/// can match empty. With
/// Unicode off, case-insensitivity folds ASCII only, so the case-sensitive
/// prefixes matched ASCII-case-insensitively cover every match.
fn prefix_literals(pattern: &str) -> Option<Prefixes> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    if hir.properties().minimum_len().unwrap_or(0) == 0 {
        return None;
    }
    let seq = Extractor::new().extract(&hir);
    let lits = seq.literals()?;
    // Short prefixes ("we", a digit) start so many candidates that the
    // regex's own search is cheaper than an anchored try at each.
    if lits.is_empty() || lits.iter().any(|l| l.as_bytes().len() < MIN_PREFIX) {
        return None;
    }
    let mut v: Vec<Vec<u8>> = lits
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    v.sort();
    v.dedup();
    Some(v)
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
            if let Some(re) = compile_meta(p) {
                self.regexes.push((re, o, prefix_literals(p)));
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
        let mut lits: Vec<Vec<u8>> = Vec::new();
        let mut lit_index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut prefix_owners: Vec<Vec<u32>> = Vec::new();
        let mut unprefixed = Vec::with_capacity(a.regexes.len());
        for (i, (_, _, pre)) in a.regexes.iter().enumerate() {
            unprefixed.push(pre.is_none());
            for l in pre.iter().flatten() {
                let k = *lit_index.entry(l.clone()).or_insert_with(|| {
                    lits.push(l.clone());
                    prefix_owners.push(Vec::new());
                    lits.len() - 1
                });
                prefix_owners[k].push(i as u32);
            }
        }
        let prefixes = if lits.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&lits)
                .ok()
        };
        if prefixes.is_none() {
            unprefixed.iter_mut().for_each(|u| *u = true);
        }
        Matchers {
            prefixes,
            prefix_owners,
            unprefixed,
            terms: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(true)
                .build(&a.terms)
                .ok(),
            term_owners: a.owners,
            regexes: a.regexes.into_iter().map(|(r, o, _)| (r, o)).collect(),
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
        // (regex, start) for every place a prefixed regex could match.
        let mut cands: Vec<(u32, usize)> = Vec::new();
        if let Some(ac) = &self.prefixes {
            for m in ac.find_overlapping_iter(bytes) {
                for &r in &self.prefix_owners[m.pattern().as_usize()] {
                    cands.push((r, m.start()));
                }
            }
        }
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
