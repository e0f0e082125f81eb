//! How strongly the text shows a concept: named, explained, with a
//! mechanism, with two; a sentence that credits a product or waves the
//! question away explains nothing.

use crate::read::analysis::Analysis;
use crate::read::matcher::{Group, Owner};

pub(super) fn concept_hits<'a>(
    an: &'a Analysis<'_>,
    i: u16,
) -> impl Iterator<Item = &'a (crate::read::matcher::Hit, usize)> + 'a {
    an.group(Group::Concept(i))
}

/// Which sentences are hand-waves, read once each and only when asked:
/// the concepts share the answers.
pub(super) struct HandWaves<'a, 't> {
    an: &'a Analysis<'t>,
    /// 0 not read yet, 1 no, 2 yes.
    seen: Vec<std::cell::Cell<u8>>,
}

impl<'a, 't> HandWaves<'a, 't> {
    pub(super) fn new(an: &'a Analysis<'t>) -> Self {
        HandWaves {
            an,
            seen: vec![std::cell::Cell::new(0); an.sentences.len()],
        }
    }

    fn at(&self, si: usize) -> bool {
        let Some(c) = self.seen.get(si) else {
            return false;
        };
        if c.get() == 0 {
            c.set(if self.an.hand_waved(si) { 2 } else { 1 });
        }
        c.get() == 2
    }
}

/// 0 absent, 1 named, 2 explained, 3 a mechanism explained, 4 two
/// mechanisms in two explained sentences.
pub(super) fn concept_strength(
    an: &Analysis<'_>,
    i: u16,
    hs: &[&(crate::read::matcher::Hit, usize)],
    waved: &HandWaves<'_, '_>,
) -> u8 {
    // "Exactly-once because of Kafka" names a product, not how: it
    // explains only with a mechanism of the concept in the same sentence.
    let has_mech = |si: usize| {
        hs.iter()
            .any(|(h, s)| *s == si && h.owner == Owner::ConceptMech(i))
    };
    if hs.is_empty() {
        return 0;
    }
    // Hits come in text order, so a sentence's hits are together: its
    // verdict is worked out once.
    let mut last: Option<(usize, bool)> = None;
    let explained = distinct(
        hs.iter()
            .filter(|(_, si)| match last {
                Some((s, ok)) if s == *si => ok,
                _ => {
                    let ok = an.explained(*si)
                        && (has_mech(*si) || !an.credits_a_product(*si))
                        && !waved.at(*si);
                    last = Some((*si, ok));
                    ok
                }
            })
            .map(|(_, si)| *si)
            .collect(),
    );
    // A mechanism said in a hand-wave ("Since it is ACID it is fully
    // reliable") is the platform's claim, not the design's.
    let mech = distinct(
        hs.iter()
            .filter(|(h, si)| {
                h.owner == Owner::ConceptMech(i) && an.explained(*si) && !waved.at(*si)
            })
            .map(|(h, _)| h.cue)
            .collect(),
    );
    if explained >= 2 && mech >= 2 {
        4
    } else if mech > 0 {
        3
    } else if explained > 0 {
        2
    } else {
        1
    }
}

/// How many different values `v` holds (what collecting them into a
/// `BTreeSet` counts, without its nodes).
pub(super) fn distinct<T: Ord>(mut v: Vec<T>) -> usize {
    v.sort_unstable();
    v.dedup();
    v.len()
}
