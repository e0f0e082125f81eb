//! Which sentence-level cue regexes match a sentence, found in one pass of
//! a `RegexSet` instead of one search per regex: the reader then runs only
//! the readings whose cue is there (most sentences have none of them).

use std::sync::LazyLock;

use regex::RegexSet;

use crate::design::{hops, keys, prose};

/// The patterns, in the order of [`Cue`].
const PATTERNS: [&str; 7] = [
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

static SET: LazyLock<Option<RegexSet>> = LazyLock::new(|| RegexSet::new(PATTERNS).ok());

/// The cues one sentence matches.
pub(super) struct Cues<'s> {
    sentence: &'s str,
    found: Option<regex::SetMatches>,
}

impl<'s> Cues<'s> {
    pub(super) fn of(sentence: &'s str) -> Cues<'s> {
        Cues {
            sentence,
            found: SET.as_ref().map(|set| set.matches(sentence)),
        }
    }

    /// False when the cue's regex cannot match the sentence: the reading it
    /// gates would find nothing. (Without the set, always true: the
    /// reading then looks for itself.)
    pub(super) fn may(&self, c: Cue) -> bool {
        self.found.as_ref().is_none_or(|m| m.matched(c as usize))
    }

    /// True when the cue's regex matches the sentence.
    pub(super) fn says(&self, c: Cue) -> bool {
        match &self.found {
            Some(m) => m.matched(c as usize),
            None => match c {
                Cue::Reason => prose::gives_reason(self.sentence),
                Cue::Tradeoff => prose::names_tradeoff(self.sentence),
                Cue::Control => prose::says_control(self.sentence),
                Cue::Key | Cue::Guarantee | Cue::Idempotent | Cue::Choose => true,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_says_what_each_regex_says() {
        let set = SET.as_ref().expect("the cue patterns compile together");
        let each: Vec<regex::Regex> = PATTERNS
            .iter()
            .map(|p| regex::Regex::new(p).expect("compiles"))
            .collect();
        for s in [
            "Kafka partitioned by user_id, exactly-once via 2PC; MERGE on session_id.",
            "We chose Flink because the trade-off is operational overhead.",
            "That arrow is control only: no data flows through Airflow.",
            "Nothing here at all.",
            "The sink is idempotent, so a replay is harmless — keyed by event_id.",
        ] {
            let m = set.matches(s);
            for (i, re) in each.iter().enumerate() {
                assert_eq!(m.matched(i), re.is_match(s), "{i}: {s}");
            }
        }
    }
}
