//! The suffix gate of the rubric regexes.

use super::acc::{compile_meta, prefix_literals, suffix_literals};
use super::*;

#[test]
fn a_regex_is_searched_only_when_a_literal_its_matches_end_with_is_there() {
    let p = r"\d+\s*(?:%|percent)\s+(?:cheaper|less|savings?|reduction)";
    let ends = suffix_literals(p).expect("finite suffixes");
    // The blank before the word is part of each ("\tless", " less").
    let words = ["cheaper", "less", "reduction", "saving", "savings"];
    assert!(ends
        .iter()
        .all(|e| words.iter().any(|w| e.ends_with(w.as_bytes()))));
    assert!(words
        .iter()
        .all(|w| ends.contains(&[b" ", w.as_bytes()].concat())));
    // Too short to gate: "h" ends a match.
    assert_eq!(suffix_literals(r"\d+\s*h"), None);
}

/// Every rubric regex that is gated by its suffixes has no match in a
/// text without one of them: over every fixture and calibration answer.
#[test]
fn every_match_of_a_gated_rubric_regex_ends_with_one_of_its_suffixes() {
    let r = crate::rubric::Rubric::builtin().expect("builtin rubric loads");
    let mut pats: Vec<&String> = Vec::new();
    for c in &r.concepts {
        pats.extend(&c.patterns);
    }
    for s in &r.signals {
        pats.extend(&s.patterns);
    }
    for s in &r.framework.failure_scenario {
        pats.extend(&s.patterns);
    }
    let fc = &r.framework.failure_coverage;
    for p in [&fc.detect, &fc.recover, &fc.prevent_loss] {
        pats.extend(&p.patterns);
        pats.extend(&p.depth_patterns);
    }
    let texts: Vec<String> = crate::read::corpus::texts()
        .into_iter()
        .map(|(_, t)| t.to_ascii_lowercase())
        .collect();
    assert!(texts.len() > 100);
    let mut gated = 0;
    for p in pats {
        let (Some(re), None, Some(ends)) =
            (compile_meta(p), prefix_literals(p), suffix_literals(p))
        else {
            continue;
        };
        gated += 1;
        for t in &texts {
            for m in re.find_iter(t.as_bytes()) {
                let hit = &t.as_bytes()[m.start()..m.end()];
                assert!(
                    ends.iter().any(|e| hit.ends_with(e)),
                    "{p}: {:?}",
                    String::from_utf8_lossy(hit)
                );
            }
        }
    }
    assert!(gated >= 3, "gated regexes: {gated}");
}

/// The scan finds each rubric regex's matches (prefixed ones tried
/// anchored where a prefix is, the rest searched or gated by their
/// suffixes) exactly where the regex's own search finds them: over every
/// fixture and calibration answer (but for a match that starts inside a
/// phrase the rubric says is no cue, which the scan drops).
#[test]
fn the_scan_finds_every_rubric_regex_match_its_own_search_finds() {
    let r = crate::rubric::Rubric::builtin().expect("builtin rubric loads");
    let idx = ComponentIndex::new(&r.components);
    let m = Matchers::new(&r, &idx, &crate::design::SENTENCE_CUES);
    let base = m.term_owners.len() as u32;
    let corpus = crate::read::corpus::texts();
    let mut found = 0;
    for (path, t) in &corpus {
        let scan = m.scan(t, Some(&idx));
        let lower = t.to_ascii_lowercase();
        // Where the text has one of `phrases`, as the scan finds them.
        let spans_of = |phrases: &[String]| -> Vec<(usize, usize)> {
            phrases
                .iter()
                .flat_map(|p| {
                    let p = p.to_ascii_lowercase();
                    lower
                        .match_indices(p.as_str())
                        .map(|(at, _)| (at, at + p.len()))
                        .filter(|&(s, e)| word_bounded(lower.as_bytes(), s, e))
                        .collect::<Vec<_>>()
                })
                .collect()
        };
        let not_cues = spans_of(&r.framework.language.not_cues);
        let not_reasons = spans_of(&r.framework.language.not_reasons);
        for (i, (re, _)) in m.regexes.iter().enumerate() {
            let want: Vec<(usize, usize)> = re
                .find_iter(t.as_bytes())
                .filter(|x| x.start() != x.end())
                .filter(|x| {
                    !not_cues
                        .iter()
                        .any(|&(s, e)| s <= x.start() && x.start() < e)
                        && !not_reasons
                            .iter()
                            .any(|&(s, e)| x.start() < e && s < x.end())
                })
                .map(|x| (x.start(), x.end()))
                .collect();
            let mut got: Vec<(usize, usize)> = scan
                .hits
                .iter()
                .filter(|h| h.cue == base + i as u32)
                .map(|h| (h.start, h.end))
                .collect();
            got.sort_unstable();
            got.dedup();
            assert_eq!(got, want, "regex {i} in {path:?}");
            found += want.len();
        }
    }
    let texts = corpus.len();
    assert!(
        texts > 100 && found > 1000,
        "{texts} texts, {found} matches"
    );
}
