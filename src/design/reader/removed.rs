//! A design changed in place. The candidate says a component is gone
//! ("Druid and the Flink join are gone", "drop Redis", "replace Druid with
//! Pinot", "there's no Flink any more"), or says "new design" and draws the
//! whole flow again without it: from then on the interviewer works from the
//! design without it. Drawing it again brings it back.

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::{Regex, RegexBuilder};

use super::super::Design;
use crate::read::sentences::Sentence;
use crate::read::text::word_spans;

/// Verbs and phrases whose object is what goes: "drop X", "replace X with Y".
const OBJECT_CUES: &str = r"(?:\b(?:drop(?:ped|ping)?|remov(?:e|ed|ing)|ditch(?:ed|ing)?|scrap(?:ped|ping)?|scratch(?:ed|ing)?|(?:rip(?:ped|ping)?|take|taking|took) out|(?:get|getting|got) rid of|forget(?: about)?|retir(?:e|ed|ing)|replac(?:e|ed|ing)|swap(?:ped|ping)?(?: out)?|switch(?:ed|ing)? (?:away )?from|mov(?:e|ed|ing) (?:away )?(?:off|from)|no longer (?:need|use|run|keep)s?|(?:do not|don't|don’t|no longer) need|there(?:'s|’s| is| are) no(?: more| longer an?y?)?|no more)\s+)";
/// Phrases whose subject is what goes: "X is gone", "X is replaced by Y".
const SUBJECT_CUES: &str = r"(?:\s(?:(?:is|are) (?:(?:now|both|all|also|then) )*(?:(?:gone|dropped|removed|no longer needed|not needed(?: any ?more)?|redundant|unnecessary)\b|out(?:\s*[,.;:—)]|\s*$| of (?:the|my|this) (?:design|picture|diagram)\b)|replaced (?:by|with)\b)|(?:goes|go|falls?) away\b|can go\b|(?:is|are) (?:no longer|not) (?:in|on|part of) (?:the|my|this) (?:design|diagram|picture|board)\b))";
/// "New design:" before a diagram drawn again: the old boxes it leaves out go.
const REDRAW_CUES: &str = r"\b(?:(?:new|revised|updated|second|simpler|different) (?:design|version|architecture|diagram|plan)|redesign|scrap (?:that|this|the (?:first|old) (?:one|design|version))|start(?:ing)? over|chang(?:e|ed|ing) (?:the|my) design)\b";

/// Words a removal's object may hold besides the components it names:
/// "the whole Flink job and Druid too".
const FILLER: &[&str] = &[
    "the",
    "a",
    "an",
    "and",
    "or",
    "both",
    "either",
    "old",
    "whole",
    "entire",
    "separate",
    "extra",
    "current",
    "existing",
    "its",
    "their",
    "our",
    "my",
    "that",
    "this",
    "these",
    "those",
    "too",
    "also",
    "completely",
    "entirely",
    "altogether",
    "now",
    "then",
    "well",
    "as",
    "job",
    "jobs",
    "join",
    "joins",
    "layer",
    "cluster",
    "clusters",
    "service",
    "services",
    "path",
    "stage",
    "step",
    "box",
    "boxes",
    "sink",
    "store",
    "serving",
    "cache",
    "streaming",
    "batch",
    "database",
    "db",
    "queue",
    "topic",
    "index",
    "instance",
    "setup",
    "node",
    "nodes",
    "tier",
    "piece",
    "part",
    "bit",
    "streaming",
    "batch",
    "speed",
    "real-time",
    "realtime",
    "from",
    "design",
    "board",
    "diagram",
    "picture",
    "any",
    "more",
    "anymore",
    "longer",
    "at",
    "all",
    "here",
    "it",
    "instance",
    "instances",
    "table",
    "tables",
    "there",
];

struct Cues {
    /// The words every removal cue holds ([`REMOVAL_WORDS`]): one pass
    /// over the turn finds the sentences worth the regexes (most turns
    /// have none).
    words: AhoCorasick,
    object: Regex,
    subject: Regex,
    redraw: Regex,
}

/// A word every removal cue holds.
const REMOVAL_WORDS: &[&str] = &[
    "drop",
    "remov",
    "ditch",
    "scrap",
    "scratch",
    "rip out",
    "ripped out",
    "take out",
    "taking out",
    "took out",
    "rid of",
    "forget",
    "retir",
    "replac",
    "swap",
    "switch",
    "move off",
    "moved off",
    "moving off",
    "move away",
    "moved away",
    "moving away",
    "move from",
    "moved from",
    "moving from",
    "t need",
    "no longer",
    "no more",
    "there's no",
    "there’s no",
    "there is no",
    "there are no",
    "gone",
    "out.",
    "out,",
    "out;",
    "out:",
    "out)",
    "out—",
    "out –",
    "out —",
    "out of the",
    "out of my",
    "out of this",
    "redundant",
    "unnecessary",
    "away",
    "can go",
    "not in",
    "not on",
    "not part",
    "not needed",
];

static CUES: LazyLock<Option<Cues>> = LazyLock::new(|| {
    let words = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .kind(Some(AhoCorasickKind::DFA))
        .match_kind(MatchKind::LeftmostFirst)
        .build(REMOVAL_WORDS)
        .ok()?;
    let build = |p: &str| RegexBuilder::new(p).case_insensitive(true).build().ok();
    Some(Cues {
        words,
        object: build(OBJECT_CUES)?,
        subject: build(SUBJECT_CUES)?,
        redraw: build(REDRAW_CUES)?,
    })
});

/// Where a clause ends, for the words a removal is about.
fn clause_break(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | '.' | ':' | '—' | '–' | '(' | ')' | '!' | '?' | '\n' | '"' | '“' | '”'
    )
}

/// Words that end the object of "replace X with Y", "switch from X to Y".
const OBJECT_ENDS: &[&str] = &[
    " with ",
    " for ",
    " to ",
    " by ",
    " in favour of ",
    " in favor of ",
    " because ",
    " since ",
    " so ",
    " - ",
    " when ",
    " once ",
    " after ",
    " and use ",
    " and add ",
    " and write ",
    " and go ",
    " and keep ",
];

/// A clause that only supposes it: "if Druid goes away", "whether to drop".
fn hypothetical(clause: &str) -> bool {
    let c = format!(" {} ", clause.to_ascii_lowercase());
    [
        " if ",
        " unless ",
        " whether ",
        " when ",
        " what if ",
        " should we ",
        " could we ",
        " might ",
        " not drop",
        "n't drop",
        "n’t drop",
        " never ",
        " don't remove",
        " not remove",
    ]
    .iter()
    .any(|w| c.contains(w))
}

/// The components `phrase` names when it names nothing else (besides
/// [`FILLER`]): the object or subject of a removal.
fn named_in(d: &Design, phrase: &str) -> Vec<usize> {
    let lower = phrase.to_lowercase();
    let words: Vec<(usize, usize)> = word_spans(&lower, (0, lower.len()));
    if words.is_empty() || words.len() > 10 {
        return Vec::new();
    }
    let mut covered = vec![false; words.len()];
    let mut found = Vec::new();
    for (i, c) in d.components.iter().enumerate() {
        let names = [Some(c.name.as_str()), c.product.as_deref()];
        for name in names.into_iter().flatten() {
            let name = name.trim().to_lowercase();
            if name.is_empty() || name.split_whitespace().count() > 4 {
                continue;
            }
            let mut from = 0;
            while let Some(at) = lower[from..].find(&name) {
                let (s, e) = (from + at, from + at + name.len());
                from = e;
                let before = lower[..s].chars().next_back();
                let after = lower[e..].chars().next();
                let bounded = before.is_none_or(|c| !c.is_alphanumeric())
                    && after.is_none_or(|c| !c.is_alphanumeric());
                if !bounded {
                    continue;
                }
                for (k, &(ws, we)) in words.iter().enumerate() {
                    if ws < e && s < we {
                        covered[k] = true;
                    }
                }
                if !found.contains(&i) {
                    found.push(i);
                }
            }
        }
    }
    let rest_is_filler = words.iter().zip(&covered).all(|(&(s, e), &cov)| {
        cov || FILLER.contains(&lower[s..e].trim_matches(|c: char| !c.is_alphanumeric()))
    });
    if rest_is_filler {
        found
    } else {
        Vec::new()
    }
}

/// The components this turn's sentences say are gone. `skip[i]` marks a
/// sentence already said (a duplicate).
fn said_gone(
    cues: &Cues,
    d: &Design,
    text: &str,
    sentences: &[Sentence],
    skip: &[bool],
    at: &[usize],
) -> Vec<usize> {
    let mut out = Vec::new();
    for (si, s) in sentences.iter().enumerate() {
        if skip.get(si).copied().unwrap_or(false) {
            continue;
        }
        let Some(t) = text.get(s.start..s.end) else {
            continue;
        };
        // A removal word starts in this sentence.
        let from = at.partition_point(|&p| p < s.start);
        if at.get(from).is_none_or(|&p| p >= s.end) {
            continue;
        }
        for m in cues.object.find_iter(t) {
            let clause_start = t[..m.start()]
                .rfind(clause_break)
                .map_or(0, |i| i + t[i..].chars().next().map_or(1, char::len_utf8));
            if hypothetical(&t[clause_start..m.start()]) {
                continue;
            }
            let rest = &t[m.end()..];
            let mut end = rest.find(clause_break).unwrap_or(rest.len());
            let lower = rest.to_ascii_lowercase();
            for w in OBJECT_ENDS {
                if let Some(i) = lower.find(w) {
                    end = end.min(i);
                }
            }
            out.extend(named_in(d, &rest[..end]));
        }
        for m in cues.subject.find_iter(t) {
            let before = &t[..m.start()];
            let start = before.rfind(clause_break).map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
            let subject = &before[start..];
            if hypothetical(subject) {
                continue;
            }
            // "So now Druid and Flink are gone": the words that lead in.
            let subject = subject.trim_start();
            let subject = ["so ", "and ", "now ", "then ", "but "]
                .iter()
                .fold(subject, |s, w| {
                    if s.len() >= w.len() && s[..w.len()].eq_ignore_ascii_case(w) {
                        &s[w.len()..]
                    } else {
                        s
                    }
                });
            out.extend(named_in(d, subject));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Update which components are gone after reading turn `turn`:
/// - a component drawn in this turn (`drawn_now`) is back;
/// - one this turn says is gone, and did not draw, goes;
/// - after "new design" and a diagram of at least three arrows that
///   shares a box with the old one, the old boxes it leaves out go.
pub(super) fn update(
    d: &mut Design,
    text: &str,
    sentences: &[Sentence],
    skip: &[bool],
    turn: u32,
    drawn_now: &[usize],
    arrows_now: usize,
) {
    for &i in drawn_now {
        if let Some(c) = d.components.get_mut(i) {
            c.gone = None;
        }
    }
    let Some(cues) = CUES.as_ref() else {
        return;
    };
    // Where the removal words are.
    let at: Vec<usize> = cues.words.find_iter(text).map(|m| m.start()).collect();
    let mut gone = if at.is_empty() {
        Vec::new()
    } else {
        said_gone(cues, d, text, sentences, skip, &at)
    };
    // A redraw needs a box drawn before this turn and again in it (a
    // written answer, one turn, has none): only then is "new design"
    // looked for.
    let redrawn = arrows_now >= 3
        && d.components
            .iter()
            .enumerate()
            .any(|(i, c)| c.drawn && c.introduced.turn < turn && drawn_now.contains(&i))
        && cues.redraw.is_match(text);
    if redrawn {
        gone.extend(
            d.components
                .iter()
                .enumerate()
                .filter(|(i, c)| c.drawn && c.introduced.turn < turn && !drawn_now.contains(i))
                .map(|(i, _)| i),
        );
    }
    for i in gone {
        if drawn_now.contains(&i) {
            continue;
        }
        if let Some(c) = d.components.get_mut(i) {
            if c.gone.is_none() {
                c.gone = Some(turn);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hypothetical_is_no_removal() {
        assert!(hypothetical("if Druid "));
        assert!(hypothetical("We'd never "));
        assert!(!hypothetical("New design, "));
    }
}
