//! Sentence gates: for a regex the layer above runs sentence by sentence,
//! the literals one of which every match holds. The shared cue automaton
//! finds them in the same pass as every other literal, so a sentence
//! without one is known not to match and its regex never runs there.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Shorter literals are in too many sentences to rule any out.
pub(crate) const MIN_GATE: usize = 3;

/// A literal this long is as good a gate as a longer one.
const LONG_ENOUGH: usize = 5;

/// Literals (lower-cased) one of which every match of a `(?i)` pattern
/// holds, found by [`required`]. `None` when there is no such set of
/// literals of at least [`MIN_GATE`] bytes, the pattern is not `(?i)` or a
/// match can be empty. Read case-sensitively from the lower-case pattern
/// and matched ASCII-case-insensitively; the two non-ASCII letters Unicode
/// folds to an ASCII one turn the gates off for a text holding them
/// ([`may_fold`]).
pub(crate) fn gate_literals(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern.strip_prefix("(?i)")?)
        .ok()?;
    if hir.properties().minimum_len().unwrap_or(0) == 0 {
        return None;
    }
    let mut v = required(&hir, 0)?;
    v.sort();
    v.dedup();
    Some(v)
}

/// A set of literals every match of `hir` holds one of, the best found
/// (longest shortest literal, then fewest): its own prefix or suffix
/// literals; for an alternation, the union of each branch's; for a
/// concatenation, any one part's (a match holds a match of each part);
/// for a group or a repetition of at least one, its inner expression's.
fn required(hir: &Hir, depth: usize) -> Option<Vec<Vec<u8>>> {
    let mut best = [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let seq = Extractor::new().kind(kind).extract(hir);
            let lits = seq.literals()?;
            Some(
                lits.iter()
                    .map(|l| l.as_bytes().to_ascii_lowercase())
                    .collect(),
            )
        })
        .filter_map(ranked)
        .max_by_key(|(rank, _)| *rank);
    if depth > 8 {
        return best.map(|(_, l)| l);
    }
    let inner: Vec<Option<Vec<Vec<u8>>>> = match hir.kind() {
        HirKind::Alternation(branches) => {
            let mut all = Vec::new();
            for b in branches {
                all.extend(required(b, depth + 1)?);
            }
            vec![Some(all)]
        }
        HirKind::Concat(parts) => parts.iter().map(|p| required(p, depth + 1)).collect(),
        HirKind::Capture(c) => vec![required(&c.sub, depth + 1)],
        HirKind::Repetition(r) if r.min >= 1 => vec![required(&r.sub, depth + 1)],
        _ => Vec::new(),
    };
    for (rank, lits) in inner.into_iter().flatten().filter_map(ranked) {
        if best.as_ref().is_none_or(|(r, _)| rank > *r) {
            best = Some((rank, lits));
        }
    }
    best.map(|(_, l)| l)
}

/// A literal set's rank (shortest literal up to [`LONG_ENOUGH`] bytes,
/// then fewer literals), when its shortest literal is long enough to gate.
/// Past a few bytes a longer literal rules out hardly more sentences, and
/// fewer literals keep the shared automaton small: "keyed" over "keyed "
/// with each blank after it.
#[allow(clippy::type_complexity)]
fn ranked(lits: Vec<Vec<u8>>) -> Option<((usize, std::cmp::Reverse<usize>), Vec<Vec<u8>>)> {
    let shortest = lits.iter().map(Vec::len).min()?;
    let rank = (shortest.min(LONG_ENOUGH), std::cmp::Reverse(lits.len()));
    (shortest >= MIN_GATE).then_some((rank, lits))
}

/// A text where `(?i)` could match an ASCII letter with a non-ASCII one
/// (KELVIN SIGN for `k`, LONG S for `s`): the gates do not hold there.
pub(crate) fn may_fold(text: &str) -> bool {
    // Two SIMD byte searches, not a char-by-char walk of the text.
    ["\u{212A}", "\u{17F}"]
        .iter()
        .any(|c| memchr::memmem::find(text.as_bytes(), c.as_bytes()).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(v: Option<Vec<Vec<u8>>>) -> Vec<String> {
        v.unwrap_or_default()
            .into_iter()
            .map(|l| String::from_utf8_lossy(&l).into_owned())
            .collect()
    }

    #[test]
    fn a_gate_is_the_best_literal_set_every_match_holds() {
        // Per branch: "keyed" (not "keyed" with each blank after it);
        // "the X partitions" starts with a short, common word, but every
        // match holds "partition".
        let g = strs(gate_literals(
            r"(?i)\bkeyed\s+by\s+|\b(?:the|its)\s+[a-z_]+\s+partitions?\b",
        ));
        assert_eq!(g, ["keyed", "partition"]);
    }

    #[test]
    fn no_gate_without_a_finite_literal_set() {
        assert_eq!(gate_literals(r"(?i)\w+\s+\d+"), None);
        assert_eq!(gate_literals(r"(?i)a|keyed"), None, "a short alternative");
        assert_eq!(gate_literals(r"keyed by"), None, "not (?i)");
        assert_eq!(gate_literals(r"(?i)(?:keyed)?"), None, "matches empty");
    }

    #[test]
    fn case_folding_letters_outside_ascii_turn_the_gates_off() {
        assert!(may_fold("\u{212A}eyed by"));
        assert!(may_fold("\u{17F}harded"));
        assert!(!may_fold("keyed by — “quoted” café"));
    }
}
