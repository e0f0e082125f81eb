//! Building the shared automaton: cue terms interned with their owners,
//! cue regexes with the literals their matches start or end with, and every
//! literal the one pass looks for, each with what it stands for.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::{meta, util::syntax};
use regex_syntax::hir::literal::{ExtractKind, Extractor};

use super::{Owner, Role};

#[derive(Default)]
pub(super) struct Acc {
    pub terms: Vec<String>,
    index: HashMap<String, usize>,
    pub owners: Vec<Vec<Owner>>,
    /// Each regex with its prefix literals, or (without those) the
    /// literals its matches end with.
    pub regexes: Vec<(meta::Regex, Owner, Option<Prefixes>, Option<Prefixes>)>,
}

/// The literals every match of a cue regex starts with.
pub(super) type Prefixes = Vec<Vec<u8>>;

/// A cue regex with the same semantics as `rubric::compile_cue` (ASCII
/// case-insensitive, byte-oriented), as a meta regex so it can run anchored.
pub(super) fn compile_meta(pattern: &str) -> Option<meta::Regex> {
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
pub(super) fn prefix_literals(pattern: &str) -> Option<Prefixes> {
    literals(pattern, ExtractKind::Prefix)
}

/// The same for the literals every match ends with.
pub(super) fn suffix_literals(pattern: &str) -> Option<Prefixes> {
    literals(pattern, ExtractKind::Suffix)
}

fn literals(pattern: &str, kind: ExtractKind) -> Option<Prefixes> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    if hir.properties().minimum_len().unwrap_or(0) == 0 {
        return None;
    }
    let seq = Extractor::new().kind(kind).extract(&hir);
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

    pub(super) fn terms(&mut self, ts: &[String], o: Owner) {
        for t in ts {
            self.term(t, o);
        }
    }

    pub(super) fn patterns(&mut self, ps: &[String], o: Owner) {
        for p in ps {
            // Validated at load; a pattern that still fails is skipped, not fatal.
            if let Some(re) = compile_meta(p) {
                let pre = prefix_literals(p);
                let ends = if pre.is_none() {
                    suffix_literals(p)
                } else {
                    None
                };
                self.regexes.push((re, o, pre, ends));
            }
        }
    }
}

/// Interns folded literals for the shared automaton.
#[derive(Default)]
pub(super) struct Literals {
    pats: Vec<Vec<u8>>,
    index: HashMap<Vec<u8>, usize>,
    pub roles: Vec<Vec<Role>>,
}

impl Literals {
    pub(super) fn add(&mut self, lit: &[u8], role: Role) {
        if lit.is_empty() {
            return;
        }
        let key = lit.to_ascii_lowercase();
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.pats.push(key);
            self.roles.push(Vec::new());
            self.pats.len() - 1
        });
        if !self.roles[i].contains(&role) {
            self.roles[i].push(role);
        }
    }

    pub(super) fn build(&self) -> Option<AhoCorasick> {
        if self.pats.is_empty() {
            return None;
        }
        let b = |kind| {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .kind(kind)
                .build(&self.pats)
                .ok()
        };
        // A DFA is the fastest overlapping search; fall back to whatever the
        // crate picks if the pattern set is too large for one.
        b(Some(AhoCorasickKind::DFA)).or_else(|| b(None))
    }
}
