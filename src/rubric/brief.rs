//! What a problem's brief asks the design to deliver: the consumers and
//! duties its statement names ("live dashboards", "years of history",
//! "erasure from the ML training sets"). The interviewer holds the board to
//! them, as a real one does when half the brief is missing, and the debrief
//! lists what was never covered.

use serde::{Deserialize, Serialize};

use super::error::RubricError;
use super::model::{ComponentKind, Problem};
use super::sources::SourceFile;

/// One thing the brief asks for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BriefNeed {
    /// What is asked for, as a noun phrase that reads after "The brief also
    /// asks for": "live per-user session dashboards".
    pub need: String,
    /// Words in the candidate's answers that show the design handles it
    /// (word-bounded, case-insensitive; a word of four letters or more also
    /// matches its inflections).
    pub covered_by: Vec<String>,
    /// Component kinds whose box on the board handles it (a serving store
    /// for "live dashboards"), besides the words.
    #[serde(default)]
    pub kinds: Vec<ComponentKind>,
}

impl BriefNeed {
    /// True when the design handles this need: `words` (lower-cased) say
    /// one of its words, or a component of one of its kinds is in `kinds`.
    pub fn covered(&self, words: &str, kinds: &[ComponentKind]) -> bool {
        self.covered_by.iter().any(|w| said_in(words, w))
            || self.kinds.iter().any(|k| kinds.contains(k))
    }
}

/// The needs of `brief` a design with these `words` (lower-cased) and
/// component `kinds` never covers, in the brief's order.
pub fn missed(brief: &[BriefNeed], words: &str, kinds: &[ComponentKind]) -> Vec<String> {
    brief
        .iter()
        .filter(|b| !b.covered(words, kinds))
        .map(|b| b.need.clone())
        .collect()
}

/// Every need has a phrase and a way to be covered, and the problem's own
/// reference architecture covers it (a need the model answer misses is
/// either worded wrong or not asked for).
pub(crate) fn validate_brief(f: &SourceFile, p: &Problem, errs: &mut Vec<RubricError>) {
    let reference = p.reference_architecture.to_ascii_lowercase();
    for (n, b) in p.brief.iter().enumerate() {
        let off = f
            .text
            .match_indices("[[brief]]")
            .nth(n)
            .map_or(0, |(i, _)| i);
        let mut err = |msg: String| errs.push(RubricError::at(&f.display, &f.text, off, msg));
        if b.need.trim().is_empty() {
            err(format!(
                "problem `{}`: a [[brief]] entry has an empty `need`",
                p.id
            ));
        }
        if b.covered_by.iter().all(|w| w.trim().is_empty()) {
            err(format!(
                "brief need `{}`: list at least one `covered_by` word that shows the design handles it",
                b.need
            ));
        }
        if !b.covered_by.iter().any(|w| said_in(&reference, w)) {
            err(format!(
                "brief need `{}`: the reference architecture says none of its `covered_by` words; \
                 add the word the model answer uses",
                b.need
            ));
        }
    }
}

/// True when `word` occurs in the lower-cased `hay` at a word start, and at
/// a word end unless it is four letters or longer ("dashboard" also finds
/// "dashboards", "replicat" finds "replicated").
pub fn said_in(hay: &str, word: &str) -> bool {
    let w = word.trim().to_ascii_lowercase();
    if w.is_empty() {
        return false;
    }
    let b = hay.as_bytes();
    let alnum = |i: usize| b.get(i).is_some_and(|c| c.is_ascii_alphanumeric());
    hay.match_indices(w.as_str()).any(|(i, _)| {
        let start_ok = i == 0 || !alnum(i - 1);
        // A short word may end in digits ("scd" of "SCD2"), not letters.
        let end_ok = w.len() >= 4 || !b.get(i + w.len()).is_some_and(u8::is_ascii_alphabetic);
        start_ok && end_ok
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_word_matches_at_word_starts_and_long_words_match_inflections() {
        assert!(said_in("we keep live dashboards in redis", "dashboard"));
        assert!(said_in("data is replicated to us-west-2", "replicat"));
        assert!(!said_in("a metadata store", "data"));
        assert!(said_in("pos terminals", "pos"));
        assert!(!said_in("the post office", "pos"));
        assert!(said_in("spark -> snowflake : scd2 versions", "scd"));
        assert!(!said_in("anything", ""));
    }
}
