//! How deep a failure answer goes, part by part: the seed's detect,
//! recover and prevent data loss. A bare word ("Monitoring.", "We rerun
//! it.") is *named*; a concrete signal, a restart point, or a guarantee
//! with its mechanism is *covered*; with a threshold, a second mechanism or
//! who is paged it is *deep*.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::read::analysis::Analysis;
use crate::read::matcher::{Group, Owner};
use crate::read::sentences::sentence_at;
use crate::read::Evidence;
use crate::rubric::Phase;

/// How far one part of a failure answer got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Depth {
    /// Not said.
    #[default]
    None,
    /// A bare word: "monitoring", "we'd retry".
    Named,
    /// A concrete signal, restart point or guarantee.
    Covered,
    /// Covered, with a threshold, a second mechanism or who is paged.
    Deep,
}

impl Depth {
    /// Covered or deep.
    pub fn covered(self) -> bool {
        self >= Depth::Covered
    }
}

/// One part's depth, with the sentence that showed it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PartDepth {
    pub depth: Depth,
    pub evidence: Option<Evidence>,
}

impl PartDepth {
    fn lift(&mut self, other: &PartDepth) {
        if other.depth > self.depth {
            *self = other.clone();
        }
    }
}

/// What one turn (or several, merged) said about failures.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FailureTalk {
    pub turn: u32,
    pub phase: Option<Phase>,
    /// Failure scenarios named in sentences that are not keyword lists
    /// (indexes into the framework's `failure_scenario`).
    pub scenarios: Vec<u16>,
    pub detect: PartDepth,
    pub recover: PartDepth,
    pub prevent: PartDepth,
}

impl FailureTalk {
    /// True when nothing about failures was said.
    pub fn is_empty(&self) -> bool {
        self.scenarios.is_empty()
            && self.detect.depth == Depth::None
            && self.recover.depth == Depth::None
            && self.prevent.depth == Depth::None
    }

    /// Fold another turn's talk into this one (deepest part wins).
    pub fn merge(&mut self, other: &FailureTalk) {
        for s in &other.scenarios {
            if !self.scenarios.contains(s) {
                self.scenarios.push(*s);
            }
        }
        self.detect.lift(&other.detect);
        self.recover.lift(&other.recover);
        self.prevent.lift(&other.prevent);
    }

    /// All three parts covered.
    pub fn complete(&self) -> bool {
        self.detect.depth.covered() && self.recover.depth.covered() && self.prevent.depth.covered()
    }
}

/// Sentences of at least this many words can carry a covered part.
const MIN_WORDS: usize = 4;
/// A generic signal ("an alert", "metrics") covers detection only in an
/// explained sentence at least this long.
const GENERIC_WORDS: usize = 7;

/// What a text says about failures.
pub(crate) fn read(an: &Analysis<'_>, turn: u32, phase: Option<Phase>) -> FailureTalk {
    let scenarios: BTreeSet<u16> = an
        .group(Group::Scenario)
        .filter(|(_, si)| !an.list_like(*si))
        .filter_map(|(h, _)| match h.owner {
            Owner::Scenario(i) => Some(i),
            _ => None,
        })
        .collect();
    // Sentences with a number in them.
    let mut numbers = vec![false; an.sentences.len()];
    for q in an.quantities.iter() {
        if let Some(si) = sentence_at(&an.sentences, q.evidence.start) {
            numbers[si] = true;
        }
    }
    FailureTalk {
        turn,
        phase,
        scenarios: scenarios.into_iter().collect(),
        detect: part(an, &numbers, (Group::Detect, Group::DetectDepth), true),
        recover: part(an, &numbers, (Group::Recover, Group::RecoverDepth), false),
        prevent: part(an, &numbers, (Group::Prevent, Group::PreventDepth), false),
    }
}

/// `detect`: the part is detection, which needs a noticing cue too.
fn part(
    an: &Analysis<'_>,
    numbers: &[bool],
    (named, depth): (Group, Group),
    generic_ok: bool,
) -> PartDepth {
    let n = an.sentences.len();
    let mut cue = vec![false; n];
    let mut deep_cues: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    for (_, si) in an.group(named) {
        if let Some(c) = cue.get_mut(*si) {
            *c = true;
        }
    }
    for (h, si) in an.group(depth) {
        if let Some(d) = deep_cues.get_mut(*si) {
            d.insert(h.cue);
        }
    }
    let mut best = PartDepth::default();
    for si in 0..n {
        if an.list_like(si) || (!cue[si] && deep_cues[si].is_empty()) {
            continue;
        }
        let words = an.sentences[si].words;
        let d = deep_cues[si].len();
        // Detection needs the act of noticing (an alert, a metric, a page)
        // as well as what is watched: "lag spikes" alone describes the failure.
        let covered = if generic_ok {
            cue[si]
                && ((d >= 1 && words >= MIN_WORDS) || (an.explained(si) && words >= GENERIC_WORDS))
        } else {
            d >= 1 && words >= MIN_WORDS
        };
        let depth = if !covered {
            Depth::Named
        } else if d >= 2 || numbers[si] {
            Depth::Deep
        } else {
            Depth::Covered
        };
        if depth > best.depth {
            let s = &an.sentences[si];
            best = PartDepth {
                depth,
                evidence: Some(an.evidence(si, s.start, s.end)),
            };
        }
    }
    best
}

/// Failures listed one by one in a write-up's failure section: the items
/// (numbered, bulleted or bold-headed) under a heading that speaks of
/// failures, each followed by something about handling it. A failure table
/// counts its rows.
pub(crate) fn section_items(text: &str) -> usize {
    let heading = |l: &str| {
        let t = l.trim().trim_start_matches(['#', '*', '_', ' ']);
        // Lower-cased only when short enough to be a heading.
        t.len() <= 60 && {
            let t = t.to_ascii_lowercase();
            [
                "fail",
                "what can go wrong",
                "what breaks",
                "bad day",
                "risks",
                "incident",
                "outage",
                "edge case",
            ]
            .iter()
            .any(|w| t.contains(w))
        }
    };
    let item = |l: &str| {
        let t = l.trim_start();
        let numbered = t.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit())
        });
        numbered
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("• ")
            || (t.starts_with("**") && t[2..].contains("**"))
            || (t.starts_with('|') && !t.contains("---"))
    };
    let mut in_section = false;
    let mut blank_run = 0;
    let mut items = 0;
    for line in text.lines() {
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if heading(line) && !item(line) {
            in_section = true;
            blank_run = 0;
            continue;
        }
        if in_section {
            if item(line) {
                items += 1;
            } else if blank_run > 0 && line.trim_start().starts_with('#') {
                in_section = false;
            }
        }
        blank_run = 0;
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_section_items_are_counted() {
        let t = "Design\n\nFailure modes\n1. A consumer breaks on Avro.\n   Detect: lag.\n2. The registry is down.\n   Recover: restart.\n\n## Cost\n- cheap";
        assert_eq!(section_items(t), 2);
        let table = "### What can go wrong\n| failure | detect | recover |\n|---|---|---|\n| broker dies | URP alert | failover |\n| late data | counter | reprocess |\n";
        assert_eq!(section_items(table), 3);
        assert_eq!(section_items("Notes\n- a\n- b"), 0);
    }
}
