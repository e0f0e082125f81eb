//! Which sentence-level cue regexes can match a sentence. Each cue's
//! gate literals (one of which every match holds) are found by the shared
//! cue automaton in the analysis pass ([`crate::read::gates`]); a sentence
//! without one is known not to match, and a cue's regex runs only in a
//! sentence its literals are in, and only when asked.

use std::cell::Cell;

use crate::design::{hops, keys, prose};

/// The patterns, in the order of [`Cue`]: the reader's sentence gates.
pub(crate) const PATTERNS: [&str; 7] = [
    keys::CUE,
    hops::GUARANTEE,
    hops::IDEMPOTENT,
    prose::REASON,
    prose::TRADEOFF,
    prose::CHOOSE,
    prose::CONTROL,
];

#[derive(Clone, Copy)]
pub(super) enum Cue {
    Key,
    Guarantee,
    Idempotent,
    Reason,
    Tradeoff,
    Choose,
    Control,
}

/// What a sentence can be asked to say outright.
#[derive(Clone, Copy)]
pub(super) enum Says {
    Reason,
    Tradeoff,
    Control,
}

/// The cues one sentence can match; a cue's regex runs only when asked
/// whether it matches, once.
pub(super) struct Cues<'s> {
    sentence: &'s str,
    mask: u8,
    /// Cues whose regex has run, and those it matched.
    ran: Cell<u8>,
    matched: Cell<u8>,
}

impl<'s> Cues<'s> {
    /// `mask`: the sentence's gates from its analysis (bit `Cue as u8`).
    pub(super) fn of(sentence: &'s str, mask: u8) -> Cues<'s> {
        Cues {
            sentence,
            mask,
            ran: Cell::new(0),
            matched: Cell::new(0),
        }
    }

    /// False when the cue's regex cannot match the sentence: the reading it
    /// gates would find nothing.
    pub(super) fn may(&self, c: Cue) -> bool {
        self.mask & (1 << c as u8) != 0
    }

    /// True when the sentence gives a reason, names a trade-off or says
    /// an arrow is control only (each cue's own regex, run once).
    pub(super) fn says(&self, c: Says) -> bool {
        let (cue, said): (Cue, fn(&str) -> bool) = match c {
            Says::Reason => (Cue::Reason, prose::gives_reason),
            Says::Tradeoff => (Cue::Tradeoff, prose::names_tradeoff),
            Says::Control => (Cue::Control, prose::says_control),
        };
        let bit = 1 << cue as u8;
        if self.mask & bit == 0 {
            return false;
        }
        if self.ran.get() & bit == 0 {
            self.ran.set(self.ran.get() | bit);
            if said(self.sentence) {
                self.matched.set(self.matched.get() | bit);
            }
        }
        self.matched.get() & bit != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::gates::{gate_literals, MIN_GATE};
    use crate::read::Reader;
    use crate::rubric::Rubric;
    use regex::Regex;

    fn texts() -> Vec<String> {
        crate::read::corpus::texts()
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    fn reader() -> Reader {
        Reader::new(&Rubric::builtin().expect("builtin rubric"), &PATTERNS)
    }

    #[test]
    fn every_cue_is_gated_by_literals() {
        for p in PATTERNS {
            let ls = gate_literals(p).expect("a finite set");
            assert!(ls.iter().all(|l| l.len() >= MIN_GATE), "{p}: {ls:?}");
        }
        assert_eq!(reader().matchers.gates_open("plain text"), 0);
    }

    /// A sentence the gates rule out never matches the cue's regex: over
    /// every sentence of every fixture and calibration answer, and the
    /// cases the gates must not miss (upper case, a curly apostrophe, the
    /// non-ASCII letters case folding reaches).
    #[test]
    fn a_sentence_the_gates_rule_out_never_matches_the_cue() {
        let r = reader();
        let each: Vec<Regex> = PATTERNS
            .iter()
            .map(|p| Regex::new(p).expect("compiles"))
            .collect();
        let mut texts = texts();
        assert!(texts.len() > 100);
        texts.push(
            [
                "KAFKA PARTITIONED BY USER_ID. MERGE ON SESSION_ID.",
                "That arrow\u{2019}s control only. It\u{2019}s just a control arrow.",
                "We chose Flink because the trade-off is operational overhead.",
                "The sink is idempotent, so a replay is harmless.",
                "Nothing here at all.",
            ]
            .join(" "),
        );
        texts.push("Partitioned by user. \u{212A}eyed by device_id.".to_string());
        texts.push("\u{17F}harded by tenant.".to_string());
        let (mut sentences, mut matched) = (0, 0);
        for t in &texts {
            let mut an = r.analyse(t);
            let gates = an.take_gates();
            assert_eq!(gates.len(), an.sentences.len());
            for (s, &mask) in an.sentences.iter().zip(&gates) {
                let st = &t[s.start..s.end];
                let cues = Cues::of(st, mask);
                sentences += 1;
                for (i, re) in each.iter().enumerate() {
                    if re.is_match(st) {
                        matched += 1;
                        assert!(mask & (1 << i) != 0, "cue {i} ruled out: {st:?}");
                    }
                }
                assert_eq!(cues.says(Says::Reason), each[3].is_match(st), "{st:?}");
                assert_eq!(cues.says(Says::Tradeoff), each[4].is_match(st), "{st:?}");
                assert_eq!(cues.says(Says::Control), each[6].is_match(st), "{st:?}");
            }
        }
        assert!(sentences > 5000 && matched > 1000, "{sentences} {matched}");
    }

    #[test]
    fn most_sentences_are_ruled_out() {
        let r = reader();
        let (mut all, mut open) = (0usize, 0usize);
        for t in texts() {
            for m in r.analyse(&t).take_gates() {
                all += PATTERNS.len();
                open += m.count_ones() as usize;
            }
        }
        assert!(open * 4 < all, "{open} of {all} sentence cues left to run");
    }
}
