//! How deep a failure answer goes, part by part: the seed's detect,
//! recover and prevent data loss. A bare word ("Monitoring.", "We rerun
//! it.") is *named*; a concrete signal, a restart point, or a guarantee
//! with its mechanism is *covered*; with a threshold, a second mechanism or
//! who is paged it is *deep*.

use std::collections::BTreeSet;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use serde::{Deserialize, Serialize};

use crate::read::analysis::Analysis;
use crate::read::hand_wave::hand_wave;
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
    /// The clause of that sentence that says it, when the sentence runs
    /// long: what a debrief quotes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<Evidence>,
}

impl PartDepth {
    /// The shortest quote that shows the part: its clause, else its sentence.
    pub fn quote(&self) -> Option<&Evidence> {
        self.clause.as_ref().or(self.evidence.as_ref())
    }
}

impl PartDepth {
    pub(crate) fn lift(&mut self, other: &PartDepth) {
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

/// A failure part's quote is the clause that says it when its sentence is
/// longer than this (bytes): the debrief shows about 100 characters.
const QUOTE_CLAUSE_OVER: usize = 120;

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
    let context = failure_context(an, phase);
    let cx = (numbers.as_slice(), context.as_slice());
    FailureTalk {
        turn,
        phase,
        scenarios: scenarios.into_iter().collect(),
        detect: part(an, cx, (Group::Detect, Group::DetectDepth), true),
        recover: part(an, cx, (Group::Recover, Group::RecoverDepth), false),
        prevent: part(an, cx, (Group::Prevent, Group::PreventDepth), false),
    }
}

/// How many sentences after one that names a failure still answer it (a
/// written item: "Broker dies. / Detect: … / Recover: … / No loss: …").
const ANSWER_SPAN: usize = 3;

/// How a sentence stands to the failures discussed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    /// Never a failure answer: a sentence of a round's other phases that
    /// names no failure, or an arrow of a round's diagram.
    Out,
    /// A written answer's sentence away from any failure (or an arrow of
    /// its diagram): read only when no failure answer covers the part.
    Elsewhere,
    /// Answers a failure.
    Answer,
}

/// Which sentences answer a failure, so may detect, recover or prevent
/// loss. In the failure phase every sentence answers "and what if this
/// fails?"; elsewhere only a sentence that names a failure, the few after
/// it in the same paragraph, and the sections on failures or operations do.
/// "For a 5-second alert I would add a hot path" is a design choice, not how
/// a failure is detected; an arrow line ("Flink -> DynamoDB : upsert by
/// (device_id, window)") is the diagram.
fn failure_context(an: &Analysis<'_>, phase: Option<Phase>) -> Vec<Context> {
    let n = an.sentences.len();
    let arrow = |si: usize| {
        let s = &an.sentences[si];
        let t = &an.text[s.start..s.end];
        let b = t.as_bytes();
        memchr::memchr_iter(b'>', b).any(|i| i > 0 && matches!(b[i - 1], b'-' | b'='))
            || t.contains('→')
    };
    let mut names = vec![false; n];
    for (_, si) in an.group(Group::Scenario) {
        if !an.list_like(*si) {
            if let Some(x) = names.get_mut(*si) {
                *x = true;
            }
        }
    }
    // An arrow that names a failure is an answer in arrow notation
    // ("Connector crash → resumes from its stored offset").
    let arrow = |si: usize| arrow(si) && !names[si];
    if phase == Some(Phase::FailureModes) {
        return (0..n)
            .map(|si| {
                if arrow(si) {
                    Context::Out
                } else {
                    Context::Answer
                }
            })
            .collect();
    }
    // A written answer's diagram may carry the mechanism its failure
    // section leans on ("-> pager (dedupe key = device, rule, window)"); a
    // round's diagram was drawn before any failure was asked.
    let away = if phase.is_some() {
        Context::Out
    } else {
        Context::Elsewhere
    };
    let sections = section_spans(an.text);
    let in_section = |pos: usize| sections.iter().any(|&(a, b)| a <= pos && pos < b);
    let mut out = vec![Context::Out; n];
    let mut since: Option<usize> = None;
    for si in 0..n {
        let s = &an.sentences[si];
        let new_paragraph = si == 0 || {
            let gap = &an.text[an.sentences[si - 1].end..s.start];
            gap.matches('\n').count() >= 2
        };
        if new_paragraph {
            since = None;
        }
        if names[si] {
            since = Some(0);
        } else if let Some(k) = since.as_mut() {
            *k += 1;
        }
        let near = since.is_some_and(|k| k <= ANSWER_SPAN);
        out[si] = if arrow(si) {
            away
        } else if near || in_section(s.start) {
            Context::Answer
        } else {
            away
        };
    }
    out
}

/// `detect`: the part is detection, which needs a noticing cue too.
fn part(
    an: &Analysis<'_>,
    (numbers, context): (&[bool], &[Context]),
    (named, depth): (Group, Group),
    generic_ok: bool,
) -> PartDepth {
    let n = an.sentences.len();
    let mut cue = vec![false; n];
    let mut deep_cues: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); n];
    // Where in each sentence the part is said (a depth cue first), for a
    // quote of that clause rather than the whole sentence.
    let mut at: Vec<Option<(usize, usize)>> = vec![None; n];
    for (h, si) in an.group(named) {
        if let Some(c) = cue.get_mut(*si) {
            *c = true;
            at[*si] = at[*si].or(Some((h.start, h.end)));
        }
    }
    for (h, si) in an.group(depth) {
        if let Some(d) = deep_cues.get_mut(*si) {
            if d.is_empty() {
                at[*si] = Some((h.start, h.end));
            }
            d.insert(h.cue);
        }
    }
    // The deepest part among failure answers, and among the rest.
    let mut best = PartDepth::default();
    let mut elsewhere = PartDepth::default();
    for si in 0..n {
        let cx = context.get(si).copied().unwrap_or(Context::Out);
        if an.list_like(si) || cx == Context::Out || (!cue[si] && deep_cues[si].is_empty()) {
            continue;
        }
        let words = an.sentences[si].words;
        let d = deep_cues[si].len();
        // "The cloud handles that, it catches up eventually": a hand-wave
        // with no mechanism in it is no part of an answer.
        if d == 0
            && an
                .text
                .get(an.sentences[si].start..an.sentences[si].end)
                .is_some_and(hand_wave)
        {
            continue;
        }
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
        let slot = if cx == Context::Answer {
            &mut best
        } else {
            &mut elsewhere
        };
        if depth > slot.depth {
            let s = &an.sentences[si];
            let (mut a, mut b) = at[si].unwrap_or((s.start, s.end));
            // "Recover: Fluent Bit has a per-service token bucket …": a
            // label's clause is what follows its colon, not the label.
            let rest = an.text.get(b..s.end).unwrap_or("");
            if let Some(after) = rest.trim_start().strip_prefix(':') {
                let after = after.trim_start();
                if let Some(c) = after.chars().next() {
                    let from = s.end - after.len();
                    (a, b) = (from, from + c.len_utf8());
                }
            }
            let clause = an.evidence_within(si, a, b, QUOTE_CLAUSE_OVER);
            let sentence = an.evidence(si, s.start, s.end);
            *slot = PartDepth {
                depth,
                clause: (clause != sentence).then_some(clause),
                evidence: Some(sentence),
            };
        }
    }
    if best.depth.covered() || elsewhere.depth <= best.depth {
        best
    } else {
        elsewhere
    }
}

/// Failures listed one by one in a write-up's failure section: the items
/// (numbered, bulleted or bold-headed) under a heading that speaks of
/// failures, each followed by something about handling it. A failure table
/// counts its rows.
pub(crate) fn section_items(text: &str) -> usize {
    sections(text)
        .iter()
        .filter(|s| s.failures)
        .map(|s| s.items)
        .sum()
}

/// Where the sections about failures and about operating the system
/// (on-call, paging, recovery targets) are, as byte spans: what is said
/// there answers "and what if this fails?".
fn section_spans(text: &str) -> Vec<(usize, usize)> {
    sections(text).iter().map(|s| (s.start, s.end)).collect()
}

/// One section of a write-up about failures or operations.
struct Section {
    start: usize,
    end: usize,
    items: usize,
    /// Headed as failures ("Failure modes", "What can go wrong"), not
    /// operations: its items are failures one by one.
    failures: bool,
}

/// Heading words of a failure section.
const FAILURE_HEADINGS: [&str; 8] = [
    "fail",
    "what can go wrong",
    "what breaks",
    "bad day",
    "risks",
    "incident",
    "outage",
    "edge case",
];

/// Heading words of a section on running the system.
const OPERATIONS_HEADINGS: [&str; 14] = [
    "operat",
    "on-call",
    "oncall",
    "monitor",
    "alert",
    "observab",
    "reliab",
    "recover",
    "runbook",
    "slo",
    "durab",
    "resilien",
    "disaster",
    "data loss",
];

/// Heading words, found in any case by one automaton per list.
fn headings(words: &[&str]) -> Option<AhoCorasick> {
    AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .build(words)
        .ok()
}

static FAILURE_AC: LazyLock<Option<AhoCorasick>> = LazyLock::new(|| headings(&FAILURE_HEADINGS));
static OPERATIONS_AC: LazyLock<Option<AhoCorasick>> =
    LazyLock::new(|| headings(&OPERATIONS_HEADINGS));

/// Whether `t` holds one of `words` in any case (its automaton, else a
/// plain search).
fn holds_any(ac: &Option<AhoCorasick>, words: &[&str], t: &str) -> bool {
    match ac {
        Some(ac) => ac.is_match(t),
        None => {
            let t = t.to_ascii_lowercase();
            words.iter().any(|w| t.contains(w))
        }
    }
}

fn sections(text: &str) -> Vec<Section> {
    // Some(true) for a failure heading, Some(false) for an operations one.
    let heading = |l: &str| -> Option<bool> {
        let t = l.trim().trim_start_matches(['#', '*', '_', ' ']);
        // Only a short line can be a heading.
        if t.len() > 60 {
            return None;
        }
        if holds_any(&FAILURE_AC, &FAILURE_HEADINGS, t) {
            Some(true)
        } else if l.trim_start().starts_with('#')
            && holds_any(&OPERATIONS_AC, &OPERATIONS_HEADINGS, t)
        {
            Some(false)
        } else {
            None
        }
    };
    let item = |l: &str| {
        let t = l.trim_start();
        // "1." or "12)": one or two digits, then the mark.
        let digits = t.bytes().take(3).take_while(u8::is_ascii_digit).count();
        let numbered =
            (1..=2).contains(&digits) && matches!(t.as_bytes().get(digits), Some(b'.' | b')'));
        numbered
            || t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("• ")
            || (t.starts_with("**") && t[2..].contains("**"))
            || (t.starts_with('|') && !t.contains("---"))
    };
    let mut out: Vec<Section> = Vec::new();
    let mut open: Option<Section> = None;
    let mut blank_run = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let at = pos;
        pos += line.len();
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        if let Some(failures) = heading(line).filter(|_| !item(line)) {
            out.extend(open.take());
            open = Some(Section {
                start: at,
                end: pos,
                items: 0,
                failures,
            });
            blank_run = 0;
            continue;
        }
        if let Some(sec) = open.as_mut() {
            if item(line) {
                sec.items += 1;
            } else if blank_run > 0 && line.trim_start().starts_with('#') {
                out.extend(open.take());
                blank_run = 0;
                continue;
            }
            sec.end = pos;
        }
        blank_run = 0;
    }
    out.extend(open);
    out
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

    #[test]
    fn headings_are_found_in_any_case() {
        let t =
            "## FAILURE MODES\n1. Broker dies.\n2. Late DATA.\n\n## On-Call\n- page at 5 min lag";
        assert_eq!(section_items(t), 2);
        assert_eq!(
            section_spans(t).len(),
            2,
            "the on-call section is an operations one"
        );
        let not_headed = "On-call is shared\n- a\n- b";
        assert_eq!(
            section_spans(not_headed).len(),
            0,
            "operations words need a # heading"
        );
    }

    /// "Recover: Fluent Bit has a per-service token bucket …": the clause a
    /// follow-up quotes is what the label introduces, not the label.
    #[test]
    fn a_labelled_failure_part_is_quoted_after_its_label() {
        let d = crate::design::tests::design(&["Say a normal service goes to 250K lines a second. Detect: an alert pages the on-call when a service runs above 10x its 7-day p99 for 5 minutes. Recover: Fluent Bit has a per-service token bucket of 20K lines a second, so the flood is rate-limited at the agent and buffered to disk. No loss: the disk buffer holds 2 GB per host and every shed line is counted."]);
        let talk = d.failures.first().expect("failure talk");
        let recover = talk
            .recover
            .clause
            .as_ref()
            .or(talk.recover.evidence.as_ref())
            .expect("recovery said");
        assert!(
            recover
                .quote
                .starts_with("Fluent Bit has a per-service token bucket"),
            "{recover:?}"
        );
    }

    /// A late-arriving dimension is repaired in place and the aggregates of
    /// its dates rebuilt: that is the recovery, in depth, though nothing
    /// "resumes".
    #[test]
    fn an_update_in_place_and_a_rebuild_of_the_dates_is_a_recovery() {
        let d = crate::design::tests::design(&["They must not be dropped. The join to the product dimension is a left join: an unknown SKU gets an inferred product row, and the fact keeps that key. When the master record arrives the dimension row is updated in place, so no fact reload. An orphan-rate check alerts if more than 0.5% of a day's lines hit inferred products."]);
        let talk = d.failures.first().expect("failure talk");
        assert!(talk.recover.depth.covered(), "{:?}", talk.recover);
        let d = crate::design::tests::design(&["Nothing failed, so nothing resumes. When the product arrives we update that one dimension row and daily_sales is rebuilt for the dates that sold it."]);
        let talk = d.failures.first().expect("failure talk");
        assert!(talk.recover.depth.covered(), "{:?}", talk.recover);
    }
}
